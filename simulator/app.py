"""The Starlette application: every face and the control API on one port."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware

from simulator import cache
from simulator.bodylimit import DEFAULT_MAX_HEADER_SIZE, BodyLimit, HeaderLimit
from simulator.face import Faces, Settings
from simulator.fixtures.loaded import LoadedFixtures
from simulator.graphql.bounds import QueryLimits
from simulator.journal import DEFAULT_MAX_BYTES as DEFAULT_JOURNAL_BYTES
from simulator.journal import DEFAULT_SIZE
from simulator.logs import RequestLog
from simulator.middleware import UsersimMiddleware
from simulator.persistence import StateFile
from simulator.registry import FACES
from simulator.resources import default_fixture, scenarios_dir
from simulator.routing import UnknownPath, literal_paths_first
from simulator.runtime import Simulator
from simulator.scenarios.presets import load_presets

DEFAULT_MAX_BODY_SIZE = 1024 * 1024

log = logging.getLogger("usersim")


def create_app(
    simulator: Simulator,
    *,
    faces: Faces = FACES,
    control_token: str | None = None,
    max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    state_file: StateFile | None = None,
    request_log: RequestLog | None = None,
    build_in_background: bool = False,
    graphql_limits: QueryLimits | None = None,
    max_header_size: int = DEFAULT_MAX_HEADER_SIZE,
) -> Starlette:
    """Every face's routes, in the registry's order, then one route for every other path:
    under a face's prefixes it answers that face's "not found", elsewhere plain 404.

    What faces defer (building the GraphQL endpoints: simulator/graphql/deferred.py) runs
    when the app starts; with `build_in_background` (`usersim serve`), in a thread once
    the server runs. Not inside a test process: pytest rewrites the assertions of every
    module it imports, and CPython 3.11 can fail its AST recursion check when a second
    thread parses at the same time.
    """
    settings = Settings(control_token=control_token, graphql_limits=graphql_limits or QueryLimits())
    routes = [route for face in faces for route in face.routes(simulator, settings)]
    routes.append(UnknownPath(faces).route())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if settings.deferred and build_in_background:
            threading.Thread(
                target=_run_deferred, args=(settings.deferred,), name="usersim-warm-up", daemon=True
            ).start()
        elif settings.deferred:
            _run_deferred(settings.deferred)
        if state_file is not None:
            state_file.start()
        if request_log is not None:
            request_log.start()
        try:
            yield
        finally:
            if request_log is not None:
                request_log.stop()
            if state_file is not None:
                state_file.stop()

    app = Starlette(
        routes=literal_paths_first(routes),
        lifespan=lifespan,
        middleware=[
            Middleware(HeaderLimit, faces=faces, max_header_size=max_header_size),
            Middleware(
                UsersimMiddleware,
                faces=faces,
                journal=simulator.journal,
                clock=simulator.clock,
                coverage=simulator.coverage,
                request_log=request_log,
            ),
            Middleware(BodyLimit, faces=faces, max_body_size=max_body_size),
        ],
    )
    app.state.simulator = simulator
    app.state.faces = faces
    app.state.state_file = state_file
    return app


def build_app(
    fixtures: list[Path] | None = None,
    *,
    seed: int = 0,
    scenario: str | None = None,
    control_token: str | None = None,
    journal_size: int = DEFAULT_SIZE,
    journal_max_bytes: int = DEFAULT_JOURNAL_BYTES,
    max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    max_header_size: int = DEFAULT_MAX_HEADER_SIZE,
    state_file: Path | None = None,
    request_log: RequestLog | None = None,
    faces: Faces = FACES,
    build_in_background: bool = False,
    graphql_limits: QueryLimits | None = None,
) -> Starlette:
    """Load fixtures (the default one when none are named) and presets, and build the app.

    With `state_file`, the state saved there by an earlier run is restored on top of the
    fixtures (which stay what a reset returns to) and saved again as it changes.
    """
    with _bulk_allocation():
        loaded = _load_fixtures(fixtures or [default_fixture()])
        simulator = Simulator(
            loaded,
            seed=seed,
            presets=load_presets(scenarios_dir(), faces.names()),
            scenario=scenario,
            journal_size=journal_size,
            journal_max_bytes=journal_max_bytes,
            faces=faces.page_policies(),
        )
    saver = None
    if state_file is not None:
        saver = StateFile(state_file, simulator)
        saver.restore()
    return create_app(
        simulator,
        faces=faces,
        control_token=control_token,
        max_body_size=max_body_size,
        max_header_size=max_header_size,
        state_file=saver,
        request_log=request_log,
        build_in_background=build_in_background,
        graphql_limits=graphql_limits,
    )


def _load_fixtures(paths: list[Path]) -> LoadedFixtures:
    """Checked fixtures, from the cache when these files were read before (PyYAML and
    pydantic are imported only to read them)."""

    def read() -> LoadedFixtures:
        from simulator.fixtures.loader import load_fixtures

        return load_fixtures(paths)

    return cache.derived("fixtures", paths, read)


def _run_deferred(work: list[Callable[[], object]]) -> None:
    """What faces left for after the start; a failure is logged, and the request that
    needs that work runs it again (and fails in its own way)."""
    for item in work:
        try:
            item()
        except Exception:
            log.exception("deferred start-up work failed")


@contextmanager
def _bulk_allocation() -> Iterator[None]:
    """Build the fixtures' millions of objects without the cyclic GC, then freeze them.

    Left on, the collector runs full passes over everything built so far, again and
    again, while a large fixture loads; and afterwards it would keep rescanning records
    that live as long as the process. Frozen, they are out of its way for good.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
