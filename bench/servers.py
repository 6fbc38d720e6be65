"""Starting, probing and stopping the servers under test, each pinned to one core.

The servers run on SERVER_CORE and everything that generates load or measures (this
process, wrk, the Python fallback) on LOAD_CORE, so a server never competes with its
client for a core: what is measured is the server's own work per request.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.scenarios import Request

SERVER_CORE = 0
LOAD_CORE = 1
HOST = "127.0.0.1"


def pin_self_to_load_core() -> bool:
    """Pin this process (and so the load generators it starts) to LOAD_CORE."""
    cores = os.sched_getaffinity(0)
    if len(cores) < 2 or LOAD_CORE not in cores:
        return False
    os.sched_setaffinity(0, {LOAD_CORE})
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def usersim_command() -> list[str]:
    """The installed console script, as a user runs it (falls back to `-m simulator`)."""
    script = Path(sys.executable).parent / "usersim"
    return [str(script)] if script.exists() else [sys.executable, "-m", "simulator"]


@dataclass
class Server:
    """A spawned server process: its name, base URL, log file and start-to-ready time."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    ready_seconds: float = 0.0

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def pause(self) -> None:
        """SIGSTOP the whole process group: an idle JVM or node process still runs its JIT
        compiler and collector on the shared core, which would slow whatever is measured
        next to it. A stopped process takes no CPU at all."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGCONT)

    def rss_mb(self) -> tuple[float, float]:
        """Resident and peak resident memory (VmRSS, VmHWM) in MB, from /proc."""
        values = {"VmRSS": 0.0, "VmHWM": 0.0}
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
                key, _, rest = line.partition(":")
                if key in values:
                    values[key] = int(rest.split()[0]) / 1024
        return values["VmRSS"], values["VmHWM"]


def spawn(
    name: str,
    command: Sequence[str],
    port: int,
    log_dir: Path,
    *,
    health_path: str = "/_usersim/health",
    health_request: Request | None = None,
    timeout: float = 60.0,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Server:
    """Spawn `command` pinned to SERVER_CORE and wait until it answers 2xx.

    `ready_seconds` runs from just before the spawn to the first 2xx answer, which is
    what a test harness waiting for the server sees.
    """
    log_path = log_dir / f"{name}.log"
    pinned = ["taskset", "-c", str(SERVER_CORE), *command] if shutil.which("taskset") else command
    log = log_path.open("ab")
    started = time.perf_counter()
    process = subprocess.Popen(
        pinned,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )
    log.close()
    server = Server(name, process, port, log_path)
    probe = health_request or Request("GET", health_path)
    deadline = started + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}; see {log_path}")
        if time.perf_counter() > deadline:
            stop(server)
            raise RuntimeError(f"{name} was not ready after {timeout:.0f} s; see {log_path}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if 200 <= request(server.base, probe, timeout=1.0)[0] < 300:
                break
        time.sleep(0.005)
    server.ready_seconds = time.perf_counter() - started
    return server


def stop(server: Server) -> None:
    """SIGTERM the server's process group (wrappers such as npx included), then SIGKILL."""
    if server.process.poll() is not None:
        return
    server.resume()  # a paused process would not act on SIGTERM
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(5)


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    try:
        yield server
    finally:
        stop(server)


_sends = itertools.count(1)  # numbers the bodies of `fresh` requests across the run


def request(
    base: str,
    req: Request,
    *,
    timeout: float = 30.0,
    conn: http.client.HTTPConnection | None = None,
    number: int | None = None,
) -> tuple[int, bytes]:
    """Send one request (on `conn` when given, for keep-alive timing loops); `number`
    fills a fresh request's nonce (the next of the run's when not given)."""
    number = next(_sends) if number is None else number
    body = req.body_for(number) or None
    own = conn is None
    if conn is None:
        host, _, port = base.removeprefix("http://").partition(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request(req.method, req.path_for(number), body=body, headers=req.headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


def connection(base: str, timeout: float = 60.0) -> http.client.HTTPConnection:
    host, _, port = base.removeprefix("http://").partition(":")
    return http.client.HTTPConnection(host, int(port), timeout=timeout)
