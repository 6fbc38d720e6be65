"""--state-file: state survives restarts, writes are atomic, a bad file stops the server."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import orjson

from simulator.app import build_app
from simulator.persistence import StateFile
from tests.ids import SARA
from tests.test_cli import free_port, wait_for

NG = "/gateway/ng/api/user"
ADMIN = {"x-api-key": "usersim-admin-key"}
ACCOUNT = {"accountIdentifier": "UsersimAccount00000001"}


def serve(state_file: Path, port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "serve",
            "--port",
            str(port),
            "--state-file",
            str(state_file),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop(process: subprocess.Popen[str], sig: int = signal.SIGTERM) -> None:
    process.send_signal(sig)
    process.communicate(timeout=20)


def test_the_state_survives_a_restart_and_reset_still_returns_to_the_fixtures(
    tmp_path: Path,
) -> None:
    state_file = tmp_path / "usersim.state.json"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = serve(state_file, port)
    try:
        wait_for(f"{base}/_usersim/health")
        assert (
            httpx.delete(f"{base}{NG}/{SARA}", params=ACCOUNT, headers=ADMIN).json()["data"] is True
        )
        deadline = time.monotonic() + 10
        while not (state_file.exists() and SARA not in state_file.read_text()):
            assert time.monotonic() < deadline, "the change was never saved"
            time.sleep(0.1)
        stop(process)
        assert process.returncode == 0
        process = serve(state_file, port)
        wait_for(f"{base}/_usersim/health")
        gone = httpx.get(f"{base}{NG}/aggregate/{SARA}", params=ACCOUNT, headers=ADMIN)
        assert gone.status_code == 404
        httpx.post(f"{base}/_usersim/reset")
        back = httpx.get(f"{base}{NG}/aggregate/{SARA}", params=ACCOUNT, headers=ADMIN)
        assert back.status_code == 200
        stop(process)
    finally:
        if process.poll() is None:
            process.kill()
    # Saved on shutdown: the reset is what the file holds now.
    assert SARA in state_file.read_text()


def test_a_corrupted_state_file_stops_the_server_and_is_kept(tmp_path: Path) -> None:
    state_file = tmp_path / "usersim.state.json"
    state_file.write_text('{"harness": {"accounts": [')
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulator",
            "serve",
            "--port",
            "0",
            "--state-file",
            str(state_file),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert str(state_file) in result.stderr and "cannot be read" in result.stderr
    assert state_file.read_text() == '{"harness": {"accounts": ['


def test_an_invalid_state_file_names_each_problem(tmp_path: Path) -> None:
    snapshot = build_app().state.simulator.export()
    snapshot["harness"]["accounts"][0]["users"][1]["email"] = snapshot["harness"]["accounts"][0][
        "users"
    ][2]["email"]
    state_file = tmp_path / "usersim.state.json"
    state_file.write_text(json.dumps(snapshot))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulator",
            "serve",
            "--port",
            "0",
            "--state-file",
            str(state_file),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "is already used" in result.stderr


def test_killing_a_saver_at_any_moment_leaves_a_complete_file(tmp_path: Path) -> None:
    state_file = tmp_path / "usersim.state.json"
    saving = build_app().state.simulator
    checking = build_app().state.simulator
    rng = random.Random(7)
    names = set()
    for _ in range(40):
        ready_read, ready_write = os.pipe()
        child = os.fork()
        if child == 0:  # the saver: change, save, repeat, until killed
            os.close(ready_read)
            saver = StateFile(state_file, saving)
            n = 0
            while True:
                n += 1
                saving.harness.users.update(
                    "UsersimAccount00000001", "Gh4P71mhQkCydNbKtUIiJg", name=f"Gary {n}"
                )
                saver.save()
                if n == 1:
                    os.write(ready_write, b"1")
        os.close(ready_write)
        os.read(ready_read, 1)  # at least one complete save exists
        os.close(ready_read)
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        checking.replace_state(orjson.loads(state_file.read_bytes()))  # complete and valid
        names.add(
            checking.harness.users.get("UsersimAccount00000001", "Gh4P71mhQkCydNbKtUIiJg").name
        )
    assert len(names) > 1  # the kills landed at different points
    # Some kills landed in the middle of a write (its temporary file is still there)...
    assert list(tmp_path.glob(".usersim.state.json.*"))
    StateFile(state_file, checking).restore()
    assert not list(tmp_path.glob(".usersim.state.json.*"))  # ...and are cleared at start


def test_the_saver_writes_only_after_changes_settle(tmp_path: Path) -> None:
    simulator = build_app().state.simulator
    saver = StateFile(tmp_path / "state.json", simulator, quiet_seconds=0.2)
    saver.start()
    try:
        time.sleep(0.4)
        assert not saver.path.exists()  # nothing changed, nothing written
        simulator.harness.users.update(
            "UsersimAccount00000001", "Gh4P71mhQkCydNbKtUIiJg", name="Settled"
        )
        deadline = time.monotonic() + 5
        while not (saver.path.exists() and "Settled" in saver.path.read_text()):
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        saver.stop()
