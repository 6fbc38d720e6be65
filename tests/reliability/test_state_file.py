"""--state-file under steady traffic and errors: what was acknowledged is on disk within
the bound, the saver outlives any error and says so on /ready, and the clock refuses to
reach a time the state could not be written at."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from simulator.app import build_app
from simulator.persistence import DEFAULT_MAX_DELAY, StateFile
from simulator.testing.server import LiveServer
from tests.ids import ACCOUNT, ADMIN_KEY, GARY
from tests.test_cli import free_port, wait_for
from tests.test_persistence import serve, stop

CG = f"/gateway/api/graphql?accountId={ACCOUNT}"
CREATE = "mutation($u: CreateUserInput!) { createUser(input: $u) { user { id } } }"
# What one save may take on a loaded machine, on top of the bound.
SAVE_SLACK = 1.0


def _emails(path: Path) -> set[str]:
    document = orjson.loads(path.read_bytes())
    (account,) = [a for a in document["harness"]["accounts"] if a["id"] == ACCOUNT]
    return {user["email"] for user in account["users"]}


def test_a_sigkill_under_steady_writes_loses_nothing_older_than_the_bound(
    tmp_path: Path,
) -> None:
    """A change every 0.2 s never lets the state settle; the bound saves it anyway."""
    path = tmp_path / "state.json"
    port = free_port()
    process = serve(path, port)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/_usersim/health")
        acknowledged: list[tuple[float, str]] = []
        with httpx.Client(base_url=base, headers={"x-api-key": ADMIN_KEY}) as http:
            for n in range(20):
                email = f"steady{n}@example.com"
                variables = {"u": {"name": f"Steady {n}", "email": email}}
                response = http.post(CG, json={"query": CREATE, "variables": variables})
                assert "errors" not in response.json()
                acknowledged.append((time.monotonic(), email))
                time.sleep(0.2)
        killed_at = time.monotonic()
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            stop(process, signal.SIGKILL)
    on_disk = _emails(path)
    due = [e for at, e in acknowledged if at < killed_at - DEFAULT_MAX_DELAY - SAVE_SLACK]
    assert len(due) >= 10
    assert set(due) <= on_disk


def _wait(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_the_saver_survives_any_error_and_reports_it_on_ready(tmp_path: Path) -> None:
    app = build_app()
    simulator = app.state.simulator
    saver = StateFile(tmp_path / "state.json", simulator, quiet_seconds=0.05, max_delay=0.1)
    exports = simulator.export

    def broken() -> dict[str, Any]:
        raise RuntimeError("export broke")

    simulator.export = broken  # type: ignore[method-assign]
    saver.start()
    try:
        simulator.harness.users.update(ACCOUNT, GARY, name="First")
        _wait(lambda: saver.error is not None)
        assert saver.error == "RuntimeError: export broke"
        simulator.export = exports  # type: ignore[method-assign]
        simulator.harness.users.update(ACCOUNT, GARY, name="Second")
        # The error is cleared once the save is complete (after the file is replaced and
        # its directory synced), so wait for both rather than read one after the other.
        _wait(
            lambda: (
                saver.error is None and saver.path.exists() and "Second" in saver.path.read_text()
            )
        )
    finally:
        saver.stop()


def test_ready_reports_the_state_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    with LiveServer(build_app(state_file=path)) as live:
        ready = httpx.get(f"{live.url}/_usersim/ready").json()
    assert ready["stateFile"] == {"path": str(path), "savedAt": None, "error": None}


def test_the_clock_stops_before_the_year_9999_and_the_state_still_saves(
    http: httpx.Client, tmp_path: Path, sim: Any
) -> None:
    refused = None
    for _ in range(1000):
        response = http.post("/_usersim/clock", json={"advance_seconds": 315360000})
        if response.status_code != 200:
            refused = response
            break
    assert refused is not None and refused.status_code == 400
    assert "9999" in refused.text
    saver = StateFile(tmp_path / "state.json", sim)
    sim.harness.users.update(ACCOUNT, GARY, name="Far Future")
    saver.save()
    assert "Far Future" in saver.path.read_text()


@pytest.fixture(autouse=True)
def _real_time_afterwards(server: LiveServer) -> Any:
    yield
    server.simulator.clock.reset()
