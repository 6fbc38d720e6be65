"""SCIM's error body as Harness sends it, and the face's answers outside any operation.

Harness's body is `{"schemas": [ERROR], "status": 404, "detail": "..."}`: `status` is a
number (RFC 7644 says a string) and there is no `scimType`. The HTTP status can differ
from the body's: a failed create is HTTP 409 with `status: 404`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from starlette.responses import Response

from simulator.harness_scim.media import ScimResponse
from simulator.scenarios.rules import FaultError

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"

# What an injected fault says when its rule names no message.
_FAULT_DETAILS: dict[int, str] = {
    400: "Bad Request",
    401: "Invalid token",
    403: "Forbidden",
    404: "Not Found",
    429: "Too many requests received, please try again later",
    503: "Service unavailable, please try again later",
}


def error(
    detail: str,
    *,
    status: int,
    body_status: int | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """An error answer; `body_status` is the body's status when Harness makes it differ."""
    body = {
        "schemas": [ERROR_SCHEMA],
        "status": status if body_status is None else body_status,
        "detail": detail,
    }
    return ScimResponse(body, status, headers=headers)


def invalid_token() -> Response:
    return error("Invalid token", status=401)


def bad_request(detail: str) -> Response:
    return error(detail, status=400)


class ScimErrors:
    """The SCIM face's answers for requests that never reach an operation's handler."""

    unauthorized = staticmethod(invalid_token)

    @staticmethod
    def not_found() -> Response:
        return error("HTTP 404 Not Found", status=404)

    @staticmethod
    def method_not_allowed(allowed: Iterable[str]) -> Response:
        allow = ", ".join(allowed)
        return error("HTTP 405 Method Not Allowed", status=405, headers={"Allow": allow})

    @staticmethod
    def too_large(message: str, status: int = 413) -> Response:
        return error(message, status=status)

    @staticmethod
    def fault(fault: FaultError) -> Response:
        """An injected error in SCIM's error shape; without a status, the face's own
        failure (500, as an error Harness does not catch)."""
        status = 500 if fault.status is None else fault.status
        detail = fault.message or _FAULT_DETAILS.get(
            status, "Internal server error" if status >= 500 else "Bad Request"
        )
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None
        return error(detail, status=status, headers=headers)

    @staticmethod
    def bad_fault_header(problems: Sequence[str]) -> Response:
        return bad_request("; ".join(problems))


ERRORS = ScimErrors()
