"""Shared fixtures: one real server per session, state reset and invariants per test.

Every GraphQL request the suite sends is executed both by its compiled plan and by
graphql-core, and the two results compared (simulator/graphql/differential.py); servers
the tests start in other processes inherit the switch. How many requests the plans
served is saved when the session ends, for `make bench` to report.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from simulator.graphql import differential, tally
from simulator.runtime import Simulator
from simulator.testing.server import LiveServer
from simulator.testing.transport import SharedTransport

os.environ[differential.ENV] = "1"
differential.enable()


PLAN_TALLIES = Path(__file__).resolve().parent.parent / tally.DIRECTORY
# Set by the controller for its xdist workers: whether this run is the whole suite.
WHOLE_SUITE = "USERSIM_WHOLE_SUITE"


def pytest_configure(config: pytest.Config) -> None:
    """Only a run of the whole suite (`make test`) saves its plan counts, which the bench
    reports as the suite's: a run of a few tests would replace them with its own."""
    if hasattr(config, "workerinput"):
        return
    whole = (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not config.option.keyword
        and not config.option.markexpr
    )
    os.environ[WHOLE_SUITE] = "1" if whole else ""
    if whole:  # forget an earlier run's counts
        for old in PLAN_TALLIES.glob("tests-*.json"):
            old.unlink()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if os.environ.get(WHOLE_SUITE):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        tally.save(PLAN_TALLIES / f"tests-{worker}.json", tests=session.testscollected)


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
    assert differential.take_mismatches() == []


@pytest.fixture
def http(server: LiveServer, sim: Simulator, transport: SharedTransport) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10.0, transport=transport) as client:
        yield client
