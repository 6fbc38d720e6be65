"""The container image, without a Docker engine: lint the Dockerfile and run its entry
command on the host the way the image would (configured by environment variables)."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.test_cli import free_port, wait_for

ROOT = Path(__file__).parents[2]
DOCKERFILE = ROOT / "docker" / "Dockerfile"


def dockerfile_instruction(name: str) -> str:
    """The last instruction `name` of the final stage, with continuation lines joined."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith(name + " ")]
    return lines[-1][len(name) + 1 :].strip()


def test_the_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_as_a_non_root_user_and_exposes_8080() -> None:
    assert dockerfile_instruction("USER") not in ("root", "0")
    assert dockerfile_instruction("EXPOSE") == "8080"
    assert "/_usersim/health" in dockerfile_instruction("HEALTHCHECK")


def test_the_entry_command_serves_with_env_config_and_stops_gracefully_on_sigterm(
    tmp_path: Path,
) -> None:
    entrypoint = json.loads(dockerfile_instruction("ENTRYPOINT"))
    command = [str(Path(sys.executable).parent / entrypoint[0]), *entrypoint[1:]]
    fixtures = tmp_path / "mounted"
    fixtures.mkdir()
    shutil.copy(ROOT / "fixtures" / "default.yaml", fixtures / "default.yaml")
    port = free_port()
    env = {
        **os.environ,
        "USERSIM_HOST": "127.0.0.1",  # the image binds 0.0.0.0; tests stay on loopback
        "USERSIM_PORT": str(port),
        "USERSIM_FIXTURES": str(fixtures / "default.yaml"),
        "USERSIM_SCENARIO": "slow",
        "USERSIM_CONTROL_TOKEN": "ci-token",
    }
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(f"{base}/_usersim/health").status_code == 200
        assert httpx.get(f"{base}/_usersim/faults").status_code == 401
        faults = httpx.get(
            f"{base}/_usersim/faults", headers={"X-Usersim-Token": "ci-token"}
        ).json()
        assert faults["faults"][0]["latency_ms"] == 300  # the "slow" scenario from the env
        healthcheck = json.loads(dockerfile_instruction("HEALTHCHECK").split("CMD", 1)[1])
        probe = subprocess.run(
            [sys.executable, *healthcheck[1:]], env=env, capture_output=True, timeout=10
        )
        assert probe.returncode == 0, probe.stderr
        # A request in flight when SIGTERM arrives still gets its answer: it is sent (on an
        # open connection) before the signal, and the "slow" scenario keeps it in flight.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request(
            "GET", "/gateway/ng/api/user/currentUser", headers={"x-api-key": "usersim-admin-key"}
        )
        threading.Event().wait(0.1)
        process.send_signal(signal.SIGTERM)
        status = connection.getresponse().status
        connection.close()
        process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert status == 200
    assert process.returncode == 0


@pytest.mark.timeout(180)
def test_the_wheel_carries_the_contracts_and_fixtures(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        timeout=170,
    )
    (wheel,) = tmp_path.glob("usersim-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for contract in (ROOT / "contracts").iterdir():
        assert f"simulator/_data/contracts/{contract.name}" in names
    assert "simulator/_data/fixtures/default.yaml" in names
    assert any(re.match(r"simulator/_data/fixtures/scenarios/.+\.yaml", name) for name in names)
    # The explorers work offline: GraphiQL and React ship in the package, with their licences.
    for asset in (ROOT / "simulator" / "graphql" / "assets").iterdir():
        assert f"simulator/graphql/assets/{asset.name}" in names
