"""What each face learns about a request, for the journal, the coverage and the request log.

A face fills in the `CallInfo` of the request as it learns things (which operation,
which account, whether a fault fired); the journal middleware reads it when the
response is done. Faces never talk to the journal directly.

Error codes are reported where they are rendered (`error_code`), deep in a face's error
module, which has no request at hand: the middleware makes the request's `CallInfo` the
current one for the request's context, so a renderer reaches it without plumbing.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

_KEY = "usersim.call"


@dataclass
class CallInfo:
    face: str | None = None
    operation: str | None = None  # REST operationId, or GraphQL root fields joined by ","
    operation_name: str | None = None  # the GraphQL operation's own name, if any
    account: str | None = None
    fault: str | None = None
    # The vendor error codes the answer carries (NextGen's `code`, GraphQL's
    # `extensions.code`...), in the order rendered.
    codes: list[str] = field(default_factory=list)


CURRENT: ContextVar[CallInfo | None] = ContextVar("usersim_call", default=None)


def call_info(scope: MutableMapping[str, Any]) -> CallInfo:
    """The request's CallInfo, created on first use."""
    info = scope.get(_KEY)
    if info is None:
        info = scope[_KEY] = CallInfo()
    return info


def error_code(code: str) -> None:
    """Note that the answer being rendered carries this vendor error code (a no-op
    outside a request, e.g. when a test calls a renderer directly)."""
    info = CURRENT.get()
    if info is not None:
        info.codes.append(code)


def error_codes(codes: Iterable[str]) -> None:
    """Note several codes at once (an answer replayed from a cache)."""
    info = CURRENT.get()
    if info is not None:
        info.codes.extend(codes)


def current_codes() -> tuple[str, ...]:
    """The codes noted so far for the request being answered."""
    info = CURRENT.get()
    return () if info is None else tuple(info.codes)
