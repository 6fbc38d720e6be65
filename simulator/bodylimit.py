"""Request size limits: the body's, answered with 413, and the headers', answered with
431, both in the shape of the face the path belongs to.

Starlette's own limit answers in plain text, which no client of these APIs can parse,
and its check of Content-Length replaces whatever the endpoint answered (an ERROR
envelope, a 401...) by that text. This middleware refuses a declared Content-Length over
the limit before the app runs and a streamed body as soon as it passes the limit, in the
shape of the face that owns the request (NextGen's ERROR envelope, the Rapid gateway's
`{"message": ...}`...). It sits inside the journal middleware, so the journal records
the 413.

A client that is still sending when the 413 comes (urllib sends the whole body before
it reads anything) sees a connection reset if the server closes with the body unread,
so the rest of the body is read and discarded first, up to `DEFAULT_MAX_DISCARD`
bytes; past that the connection is closed, since nothing good comes of reading more.
"""

from __future__ import annotations

import logging

from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from simulator.face import Faces
from simulator.http import header_bytes

log = logging.getLogger("usersim.limits")

DEFAULT_MAX_DISCARD = 64 * 1024 * 1024
DEFAULT_MAX_HEADER_SIZE = 64 * 1024


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Pure ASGI: refuses request bodies larger than `max_body_size` bytes with 413."""

    def __init__(
        self,
        app: ASGIApp,
        faces: Faces,
        max_body_size: int,
        max_discard: int = DEFAULT_MAX_DISCARD,
    ) -> None:
        self.app = app
        self.faces = faces
        self.max_body_size = max_body_size
        self.max_discard = max_discard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_size
        declared, chunked = _framing(scope)
        if declared is not None and declared > limit:
            await self._refuse(scope, receive, send, 0, complete=False)
            return
        if not chunked:
            # The server reads no more than Content-Length bytes, and a request with
            # neither header has no body: nothing can pass the limit while it streams.
            await self.app(scope, receive, send)
            return
        received = 0
        started = complete = False

        async def limited_receive() -> Message:
            nonlocal received, complete
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                complete = not message.get("more_body", False)
                if received > limit:
                    raise _TooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except _TooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send, received, complete=complete)

    async def _refuse(
        self, scope: Scope, receive: Receive, send: Send, received: int, *, complete: bool
    ) -> None:
        """Read the rest of the body (up to the bound), then answer 413 and close."""
        while not complete and received <= self.max_discard:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away: nobody to answer
            received += len(message.get("body", b""))
            complete = not message.get("more_body", False)
        reason = f"The request body is larger than the limit of {self.max_body_size} bytes."
        await _answer_over_limit(self.faces, scope, receive, send, reason, 413)


class HeaderLimit:
    """Pure ASGI, outermost: refuses requests whose headers pass `max_header_size` bytes
    with 431 before anything (the journal included) keeps them."""

    def __init__(
        self, app: ASGIApp, faces: Faces, max_header_size: int = DEFAULT_MAX_HEADER_SIZE
    ) -> None:
        self.app = app
        self.faces = faces
        self.max_header_size = max_header_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = header_bytes(scope["headers"])
            if size > self.max_header_size:
                log.debug("refused %d bytes of headers on %s", size, scope["path"])
                message = f"The request's headers are larger than {self.max_header_size} bytes."
                await _answer_over_limit(self.faces, scope, receive, send, message, 431)
                return
        await self.app(scope, receive, send)


async def _answer_over_limit(
    faces: Faces, scope: Scope, receive: Receive, send: Send, message: str, status: int
) -> None:
    """Answer a request over a limit in the shape of the face that owns it, and close."""
    face = faces.owner(scope)
    if face is None:
        response: Response = PlainTextResponse(message, status_code=status)
    else:
        response = face.errors.too_large(message, status)
    response.headers["connection"] = "close"
    await response(scope, receive, send)


def _framing(scope: Scope) -> tuple[int | None, bool]:
    """The declared Content-Length, and whether the body comes chunked instead."""
    declared = None
    chunked = False
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                declared = int(value)
            except ValueError:
                declared = None
        elif name == b"transfer-encoding":
            chunked = True
    return declared, chunked and declared is None
