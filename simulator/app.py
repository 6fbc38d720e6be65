"""The Starlette application: every face and the control API on one port."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware

from simulator.bodylimit import BodyLimit
from simulator.control.endpoint import build_routes as control_routes
from simulator.control.handlers import HANDLERS as CONTROL_HANDLERS
from simulator.fixtures.loader import load_fixtures
from simulator.harness_cg.routes import build_routes as harness_cg_routes
from simulator.harness_ng.routes import build_routes as harness_ng_routes
from simulator.journal import DEFAULT_SIZE
from simulator.logs import RequestLog
from simulator.middleware import UsersimMiddleware
from simulator.persistence import StateFile
from simulator.rapidapi.routes import build_routes as rapidapi_routes
from simulator.resources import default_fixture, scenarios_dir
from simulator.routing import literal_paths_first
from simulator.runtime import Simulator
from simulator.scenarios.presets import load_presets

DEFAULT_MAX_BODY_SIZE = 1024 * 1024


def create_app(
    simulator: Simulator,
    *,
    control_token: str | None = None,
    max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    state_file: StateFile | None = None,
    request_log: RequestLog | None = None,
) -> Starlette:
    # The faces first: they take the traffic, and routes are tried in order.
    routes = [
        *harness_ng_routes(simulator.harness, simulator.scenarios, simulator.policies),
        *harness_cg_routes(simulator.harness, simulator.scenarios, simulator.policies),
        *rapidapi_routes(simulator.rapidapi, simulator.scenarios, simulator.policies),
        *control_routes(simulator, CONTROL_HANDLERS, control_token),
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
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
            Middleware(
                UsersimMiddleware,
                journal=simulator.journal,
                clock=simulator.clock,
                request_log=request_log,
            ),
            Middleware(BodyLimit, max_body_size=max_body_size),
        ],
    )
    app.state.simulator = simulator
    return app


def build_app(
    fixtures: list[Path] | None = None,
    *,
    seed: int = 0,
    scenario: str | None = None,
    control_token: str | None = None,
    journal_size: int = DEFAULT_SIZE,
    max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    state_file: Path | None = None,
    request_log: RequestLog | None = None,
) -> Starlette:
    """Load fixtures (the default one when none are named) and presets, and build the app.

    With `state_file`, the state saved there by an earlier run is restored on top of the
    fixtures (which stay what a reset returns to) and saved again as it changes.
    """
    with _bulk_allocation():
        loaded = load_fixtures(fixtures or [default_fixture()])
        simulator = Simulator(
            loaded,
            seed=seed,
            presets=load_presets(scenarios_dir()),
            scenario=scenario,
            journal_size=journal_size,
        )
    saver = None
    if state_file is not None:
        saver = StateFile(state_file, simulator)
        saver.restore()
    return create_app(
        simulator,
        control_token=control_token,
        max_body_size=max_body_size,
        state_file=saver,
        request_log=request_log,
    )


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
