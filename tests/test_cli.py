"""`usersim serve` as a user runs it: a real process, a real port, Ctrl-C to stop."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 20.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, timeout=1.0)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def test_serve_prints_where_to_go_answers_and_stops_on_ctrl_c() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_for(f"http://127.0.0.1:{port}/_usersim/health").json() == {"status": "ok"}
        response = httpx.get(
            f"http://127.0.0.1:{port}/gateway/ng/api/user/currentUser",
            headers={"x-api-key": "usersim-admin-key"},
        )
        assert response.json()["data"]["email"] == "admin@example.com"
        # The GraphQL faces are built in the background once the server runs: a query
        # right after the start waits for them.
        response = httpx.post(
            f"http://127.0.0.1:{port}/gateway/api/graphql",
            json={"query": "{ users(limit: 1) { pageInfo { total } } }"},
            headers={"x-api-key": "usersim-admin-key"},
            timeout=20.0,
        )
        assert response.json()["data"]["users"]["pageInfo"]["total"] > 1
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    assert f"http://127.0.0.1:{port}/gateway/ng/api/user" in stdout
    assert "UsersimAccount00000001" in stdout and "usersim-admin-key" in stdout
    assert "Traceback" not in stderr
    # One structured line per request: face, operation, account, status, duration.
    assert re.search(
        r"face=harness-ng operation=getCurrentUserInfo account=UsersimAccount00000001 "
        r"status=200 duration_ms=\d+\.\d fault=-",
        stderr,
    ), stderr


def test_the_contract_is_published(http: httpx.Client) -> None:
    response = http.get("/_usersim/contracts/harness-ng-user.openapi.yaml")
    assert response.status_code == 200
    assert "operationId: getUsers" in response.text
    assert http.get("/_usersim/contracts/nope.yaml").status_code == 404
