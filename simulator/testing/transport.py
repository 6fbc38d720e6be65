"""httpx transports for tests: an in-process ASGI one, and a shared network one.

A synchronous httpx transport that calls an ASGI app in-process, without a socket.

httpx ships an ASGI transport for async clients only. This one drives httpx's own
`ASGITransport` on a private event loop: directly in the calling thread when that
thread runs no loop (plain synchronous test code, the fast path), else on a helper
thread.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from typing import Any

import httpx


class SyncASGITransport(httpx.BaseTransport):
    def __init__(self, app: Any) -> None:
        self._transport = httpx.ASGITransport(app=app)
        self._loop = asyncio.new_event_loop()
        self._lock = threading.Lock()
        # A transport dropped without `shutdown()` still closes its loop (and the loop's
        # sockets) when it is collected, rather than leaving that to a ResourceWarning.
        self._close_loop = weakref.finalize(self, self._loop.close)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        call = self._call(request, body)
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            with self._lock:
                status, headers, content = self._loop.run_until_complete(call)
        else:
            status, headers, content = _run_in_thread(call)
        return httpx.Response(status, headers=headers, content=content, request=request)

    async def _call(self, request: httpx.Request, body: bytes) -> tuple[int, Any, bytes]:
        async_request = httpx.Request(
            request.method, request.url, headers=request.headers, content=body
        )
        response = await self._transport.handle_async_request(async_request)
        content = await response.aread()
        return response.status_code, response.headers.multi_items(), content

    def close(self) -> None:
        """Clients close their transport; this one is shared, so it stays open."""

    def shutdown(self) -> None:
        with self._lock:
            self._close_loop()


def _run_in_thread(coroutine: Any) -> Any:
    """Run a coroutine to completion on a new loop in another thread (the caller's is busy)."""
    result: list[Any] = []

    def run() -> None:
        result.append(asyncio.run(coroutine))

    thread = threading.Thread(target=run, name="usersim-asgi")
    thread.start()
    thread.join()
    return result[0]


class SharedTransport(httpx.HTTPTransport):
    """One connection pool for a whole test session.

    Building an `httpx.Client` without a transport builds an SSL context and loads the
    CA bundle, about 25 ms, which per test is most of the fixture's overhead. Clients
    given this transport skip that, and closing them leaves the shared pool open.
    """

    def close(self) -> None:
        """Clients close their transport; this one is shared, so it stays open."""

    def shutdown(self) -> None:
        super().close()
