"""The outermost middleware: journal, coverage, request log, and dropped connections.

Pure ASGI, so it adds one function call and one dict per request. It reads what the
face learned (`CallInfo`, made the request's current one so error renderers can add
their codes), keeps a bounded copy of the request body for the journal, counts the
answer for the coverage report, and turns `DropConnection` into a response that starts
and never finishes, which makes the server close the connection (what a client sees
when a real network drops).
"""

from __future__ import annotations

import logging
import time

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from simulator.coverage.tally import CoverageTally
from simulator.face import Face, Faces
from simulator.journal import BODY_LIMIT, Journal
from simulator.logs import RequestLog
from simulator.observe import CURRENT, call_info
from simulator.scenarios.consult import DropConnection
from simulator.store.clock import Clock

log = logging.getLogger("usersim.requests")


class _DroppedOnPurpose(logging.Filter):
    """uvicorn reports a response that never finished; for a drop fault that is the point."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "ASGI callable returned without completing response."


class UsersimMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        faces: Faces,
        journal: Journal,
        clock: Clock,
        coverage: CoverageTally,
        request_log: RequestLog | None = None,
    ) -> None:
        self.app = app
        self.faces = faces
        self.journal = journal
        self.clock = clock
        self.coverage = coverage
        self.request_log = request_log
        uvicorn_errors = logging.getLogger("uvicorn.error")
        if not any(isinstance(f, _DroppedOnPurpose) for f in uvicorn_errors.filters):
            uvicorn_errors.addFilter(_DroppedOnPurpose())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Everything but what a face asks to keep out (the control API observing).
        owner = self.faces.owner(scope)
        if owner is not None and not owner.journaled:
            await self.app(scope, receive, send)
            return
        token = CURRENT.set(call_info(scope))
        started = time.perf_counter()
        chunks: list[bytes] = []
        body_size = 0
        status = 0

        async def receive_and_keep() -> Message:
            nonlocal body_size
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                if body_size + len(chunk) <= BODY_LIMIT:
                    chunks.append(chunk)
                body_size += len(chunk)
            return message

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive_and_keep, send_and_watch)
        except ClientDisconnect:
            # An abandoned upload: nothing to answer and nobody at fault.
            log.debug("client went away during %s %s", scope["method"], scope["path"])
        except DropConnection:
            status = 0
            # Promise a body and return without it: the server closes the connection.
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-length", b"1")],
                }
            )
        finally:
            CURRENT.reset(token)
            seconds = time.perf_counter() - started
            self._record(scope, owner, b"".join(chunks), body_size, status, seconds)

    def _record(
        self,
        scope: Scope,
        owner: Face | None,
        body: bytes,
        body_size: int,
        status: int,
        seconds: float,
    ) -> None:
        info = call_info(scope)
        # A face answers for its paths even before it knows the operation (an unknown
        # path, a body over the limit): the coverage counts that answer as the owner's.
        face = info.face or (owner.name if owner is not None else None)
        if face is not None:
            self.coverage.record(face, info.operation, status, info.codes)
        self.journal.record(
            self.clock.now_ms(),
            info.face,
            info.operation,
            info.operation_name,
            info.account,
            scope["method"],
            scope["path"],
            scope["query_string"],
            status,
            seconds,
            info.fault,
            scope["headers"],
            body,
            body_size,
        )
        if self.request_log is not None:
            self.request_log.add(
                info.face,
                info.operation or scope["path"],
                info.account,
                status,
                seconds,
                info.fault,
            )
