"""Shared fixtures: one real server per session, state reset and invariants per test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from simulator.runtime import Simulator
from simulator.testing.server import LiveServer
from simulator.testing.transport import SharedTransport


@pytest.fixture(scope="session")
def server() -> Iterator[LiveServer]:
    with LiveServer() as live:
        yield live


@pytest.fixture(scope="session")
def transport() -> Iterator[SharedTransport]:
    """One connection pool for the session (a client per test would build an SSL context)."""
    shared = SharedTransport()
    yield shared
    shared.shutdown()


@pytest.fixture
def sim(server: LiveServer) -> Iterator[Simulator]:
    """The server's state, reset before the test; its invariants must hold after it."""
    server.simulator.reset()
    yield server.simulator
    assert server.simulator.invariants() == []


@pytest.fixture
def http(server: LiveServer, sim: Simulator, transport: SharedTransport) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10.0, transport=transport) as client:
        yield client
