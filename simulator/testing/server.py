"""A real uvicorn server on 127.0.0.1 in a background thread, for tests."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from simulator.app import build_app
from simulator.runtime import Simulator


class LiveServer:
    """Starts on a free port, stops cleanly; `simulator` is the state behind it."""

    def __init__(
        self, app: Starlette | None = None, *, fixtures: list[Path] | None = None, seed: int = 0
    ) -> None:
        self.app = app or build_app(fixtures, seed=seed)
        self.simulator: Simulator = self.app.state.simulator
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=0, log_level="warning", access_log=False, lifespan="on"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="usersim-server", daemon=True)
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("usersim server did not start")
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
