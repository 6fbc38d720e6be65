"""The pytest plugin (registered through the `pytest11` entry point).

Fixtures:
* `usersim_server` (session): a real uvicorn server on 127.0.0.1 on a free port, started
  once per session (once per worker under pytest-xdist); or, with `--usersim-url`, a
  server that is already running (a CI service container, say).
* `usersim` (function): the state reset before the test and its invariants asserted
  after it, with the URLs, default keys and helpers for faults, the journal, fixtures,
  scenarios, policies and the clock.

Options: `--usersim-url URL`, `--usersim-mode server|inprocess` (in-process: no socket,
requests go through an ASGI transport), `--usersim-coverage PATH` and
`--usersim-coverage-fail-under PERCENT` (the contract coverage printed at the end of the
session, see `simulator.testing.coverage`), and the marker
`@pytest.mark.usersim(fixtures=[...], scenario="...", policies={...})`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator.testing.client import Usersim
from simulator.testing.coverage import CoverageSession

MARKER = "usersim(fixtures=None, scenario=None, policies=None): per-test fixtures, preset, policies"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("usersim")
    group.addoption(
        "--usersim-url", default=None, help="use a running usersim instead of starting one"
    )
    group.addoption(
        "--usersim-mode",
        choices=["server", "inprocess"],
        default=None,
        help="server (a real uvicorn on 127.0.0.1, the default) or inprocess (no socket)",
    )
    group.addoption(
        "--usersim-coverage",
        default=None,
        metavar="PATH",
        help="write the contract coverage report there (.json or .md)",
    )
    group.addoption(
        "--usersim-coverage-fail-under",
        type=float,
        default=None,
        metavar="PERCENT",
        help="fail the session when fewer operations were called (of the faces called)",
    )
    parser.addini("usersim_mode", "server or inprocess", default="server")


_COVERAGE = pytest.StashKey[CoverageSession]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)
    coverage = config.stash[_COVERAGE] = CoverageSession(config)
    config.pluginmanager.register(coverage, "usersim-coverage")


class UsersimServer:
    """Where usersim is: a base URL and the session's transport that reaches it."""

    def __init__(self, base_url: str, transport: httpx.BaseTransport, *, in_process: bool) -> None:
        self.base_url = base_url
        self.transport = transport
        self.in_process = in_process


@pytest.fixture(scope="session")
def usersim_server(request: pytest.FixtureRequest) -> Iterator[UsersimServer]:
    config = request.config
    from simulator.testing.transport import SharedTransport, SyncASGITransport

    url = config.getoption("--usersim-url")
    mode = config.getoption("--usersim-mode") or config.getini("usersim_mode")
    if mode == "inprocess" and not url:
        from simulator.app import build_app

        in_process = SyncASGITransport(build_app())
        server = UsersimServer("http://usersim.test", in_process, in_process=True)
        yield server
        _collect_coverage(config, server)
        in_process.shutdown()
        return
    network = SharedTransport()
    try:
        if url:
            yield UsersimServer(url.rstrip("/"), network, in_process=False)
            return
        from simulator.testing.server import LiveServer

        with LiveServer() as live:
            server = UsersimServer(live.url, network, in_process=False)
            yield server
            _collect_coverage(config, server)
    finally:
        network.shutdown()


def _collect_coverage(config: pytest.Config, server: UsersimServer) -> None:
    """Before a server this session started stops, keep its coverage report."""
    with Usersim(server.base_url, transport=server.transport) as handle:
        config.stash[_COVERAGE].collect(handle)


@pytest.fixture
def usersim(usersim_server: UsersimServer, request: pytest.FixtureRequest) -> Iterator[Usersim]:
    handle = Usersim(
        usersim_server.base_url,
        transport=usersim_server.transport,
        in_process=usersim_server.in_process,
    )
    handle.reset()
    marker = request.node.get_closest_marker("usersim")
    if marker is not None:
        _apply_marker(handle, marker.kwargs, Path(str(request.node.fspath)).parent)
    yield handle
    try:
        handle.assert_invariants()
    finally:
        handle.close()


def _apply_marker(handle: Usersim, options: dict[str, Any], here: Path) -> None:
    fixtures = options.get("fixtures")
    if fixtures:
        paths = [fixtures] if isinstance(fixtures, (str, Path)) else list(fixtures)
        handle.load_fixtures(*[path if Path(path).is_absolute() else here / path for path in paths])
    if options.get("policies"):
        handle.set_policies(options["policies"])
    if options.get("scenario"):
        handle.scenario(options["scenario"])
