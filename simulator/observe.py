"""What each face learns about a request, for the journal and the request log.

A face fills in the `CallInfo` of the request as it learns things (which operation,
which account, whether a fault fired); the journal middleware reads it when the
response is done. Faces never talk to the journal directly.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

_KEY = "usersim.call"


@dataclass
class CallInfo:
    face: str | None = None
    operation: str | None = None  # REST operationId, or GraphQL root fields joined by ","
    operation_name: str | None = None  # the GraphQL operation's own name, if any
    account: str | None = None
    fault: str | None = None


def call_info(scope: MutableMapping[str, Any]) -> CallInfo:
    """The request's CallInfo, created on first use."""
    info = scope.get(_KEY)
    if info is None:
        info = scope[_KEY] = CallInfo()
    return info
