"""The outermost middleware: journal, request log, and intentionally dropped connections.

Pure ASGI, so it adds one function call and one dict per request. It reads what the
face learned (`CallInfo`), keeps a bounded copy of the request body for the journal,
and turns `DropConnection` into a response that starts and never finishes, which makes
the server close the connection (what a client sees when a real network drops).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from simulator import redact
from simulator.http import media_type
from simulator.journal import Journal
from simulator.observe import call_info
from simulator.scenarios.consult import DropConnection
from simulator.store.clock import Clock

request_log = logging.getLogger("usersim.requests")

# Bodies larger than this are journaled as a note, not as content.
JOURNAL_BODY_LIMIT = 64 * 1024
_CONTROL_PREFIX = "/_usersim"


class _DroppedOnPurpose(logging.Filter):
    """uvicorn reports a response that never finished; for a drop fault that is the point."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "ASGI callable returned without completing response."


class UsersimMiddleware:
    def __init__(self, app: ASGIApp, journal: Journal, clock: Clock) -> None:
        self.app = app
        self.journal = journal
        self.clock = clock
        uvicorn_errors = logging.getLogger("uvicorn.error")
        if not any(isinstance(f, _DroppedOnPurpose) for f in uvicorn_errors.filters):
            uvicorn_errors.addFilter(_DroppedOnPurpose())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        chunks: list[bytes] = []
        status = 0

        async def receive_and_keep() -> Message:
            message = await receive()
            if message["type"] == "http.request" and sum(map(len, chunks)) <= JOURNAL_BODY_LIMIT:
                chunks.append(message.get("body", b""))
            return message

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive_and_keep, send_and_watch)
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
            self._record(scope, b"".join(chunks), status, time.perf_counter() - started)

    def _record(self, scope: Scope, body: bytes, status: int, seconds: float) -> None:
        info = call_info(scope)
        headers = [
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in scope["headers"]
        ]
        duration_ms = round(seconds * 1000, 3)
        self.journal.record(
            {
                "time": self.clock.now_ms(),
                "face": info.face,
                "operation": info.operation,
                "operationName": info.operation_name,
                "account": info.account,
                "method": scope["method"],
                "path": scope["path"],
                "query": scope["query_string"].decode("latin-1"),
                "status": status,
                "durationMs": duration_ms,
                "fault": info.fault,
                "request": {"headers": redact.headers(headers), "body": _body(body, headers)},
            }
        )
        if request_log.isEnabledFor(logging.INFO):
            request_log.info(
                "face=%s operation=%s account=%s status=%s duration_ms=%.1f fault=%s",
                info.face or "-",
                info.operation or scope["path"],
                info.account or "-",
                status,
                duration_ms,
                info.fault or "-",
            )


def _body(raw: bytes, headers: list[tuple[str, str]]) -> Any:
    if not raw:
        return None
    if len(raw) > JOURNAL_BODY_LIMIT:
        return f"[{len(raw)} bytes, not kept]"
    content_type = next((value for name, value in headers if name.lower() == "content-type"), None)
    if media_type(content_type) in ("", "application/json"):
        try:
            return redact.value(orjson.loads(raw))
        except orjson.JSONDecodeError:
            pass
    return redact.text(raw.decode("utf-8", errors="replace"))
