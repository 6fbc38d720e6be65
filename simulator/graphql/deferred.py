"""A GraphQL face's endpoint, built off the start-up path.

Importing graphql-core and ariadne and building an executable schema from its SDL cost
more than everything else `usersim serve` does before it answers (about a third of its
start here). A face's routes therefore hold a `DeferredEndpoint`: the server starts
without it, and a background thread builds it as soon as the server runs (the app's
lifespan runs `Settings.deferred`). A request that arrives first waits for the build,
off the event loop, so the other faces keep answering meanwhile.

This module imports nothing from graphql-core: it is imported at start.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send


class DeferredEndpoint:
    """An ASGI app that builds the real one when it is first needed."""

    def __init__(self, build: Callable[[], ASGIApp]) -> None:
        self._build = build
        self._app: ASGIApp | None = None
        self._lock = threading.Lock()

    def get(self) -> ASGIApp:
        """The endpoint, built now if no one has built it yet (thread-safe)."""
        app = self._app
        if app is None:
            with self._lock:
                app = self._app
                if app is None:
                    app = self._app = self._build()
        return app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self._app
        if app is None:
            app = await run_in_threadpool(self.get)
        await app(scope, receive, send)
