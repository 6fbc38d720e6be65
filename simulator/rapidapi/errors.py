"""RapidAPI's error shapes: the gateway's `{"message": ...}` and Apollo-style errors[].

Two layers answer a Platform API request. The Rapid gateway checks keys and quotas
before anything reaches GraphQL and answers with a bare message; the GraphQL server
behind it (Apollo Server, judging by its schema) answers with `errors[]` entries whose
`extensions.code` classifies them. Store errors carry facts, not words: they are put
into RapidAPI's codes here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from simulator.graphql.codes import (
    BAD_REQUEST,
    BAD_USER_INPUT,
    FORBIDDEN,
    INTERNAL_SERVER_ERROR,
    VALIDATION_FAILED,
)
from simulator.http import JSONResponse
from simulator.observe import error_code
from simulator.scenarios.rules import FaultError
from simulator.store.errors import PermissionDenied, StoreError

if TYPE_CHECKING:  # imported at start: graphql-core is not (simulator/graphql/deferred.py)
    from graphql import ExecutionResult, GraphQLError

log = logging.getLogger("usersim.rapidapi")

INVALID_API_KEY = "Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info."
NOT_SUBSCRIBED = "You are not subscribed to this API."
TOO_MANY_REQUESTS = "Too many requests"
UNKNOWN_API = "API doesn't exists"
INTERNAL_ERROR_MESSAGE = "Internal server error"

# The gateway's words for a status when an injected fault brings none.
_GATEWAY_MESSAGES = {
    401: INVALID_API_KEY,
    403: NOT_SUBSCRIBED,
    404: UNKNOWN_API,
    429: TOO_MANY_REQUESTS,
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "The request to the API has timed out. Please try again later.",
}


def api_error(code: str, message: str) -> GraphQLError:
    """An error a resolver or the endpoint raises on purpose, with its Apollo code."""
    from graphql import GraphQLError

    return GraphQLError(message, extensions={"code": code})


# -- gateway -----------------------------------------------------------------------------


def gateway_error(
    status: int, message: str | None = None, headers: Mapping[str, str] | None = None
) -> Response:
    """What the Rapid gateway answers before the request reaches the Platform API."""
    text = message or _GATEWAY_MESSAGES.get(status, "Something went wrong")
    return JSONResponse({"message": text}, status_code=status, headers=dict(headers or {}))


def render_fault(fault: FaultError) -> Response:
    """An injected error as RapidAPI would send it: a gateway message, or errors[] when
    the fault names a GraphQL code or no status (then the Platform API itself answered,
    and without a status it answered as Apollo does: HTTP 200)."""
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
    if fault.status is None:
        code = fault.code or INTERNAL_SERVER_ERROR
        error_code(code)
        entry = {"message": fault.message or INTERNAL_ERROR_MESSAGE, "extensions": {"code": code}}
        return JSONResponse({"data": None, "errors": [entry]}, headers=headers)
    if fault.code is None:
        return gateway_error(fault.status, fault.message, headers)
    error_code(fault.code)
    entry = {
        "message": fault.message or _GATEWAY_MESSAGES.get(fault.status, fault.code),
        "extensions": {"code": fault.code},
    }
    return JSONResponse(
        {"data": None, "errors": [entry]}, status_code=fault.status, headers=headers
    )


# -- GraphQL -----------------------------------------------------------------------------


def request_errors(errors: Sequence[GraphQLError | str], code: str, status: int = 400) -> Response:
    """A request refused before execution (Apollo: HTTP 400, no `data`)."""
    entries = []
    for error in errors:
        error_code(code)
        if isinstance(error, str):
            entries.append({"message": error, "extensions": {"code": code}})
            continue
        entry: dict[str, Any] = {"message": error.message}
        if error.locations:
            entry["locations"] = [location.formatted for location in error.locations]
        entry["extensions"] = {**(error.extensions or {}), "code": code}
        entries.append(entry)
    return JSONResponse({"errors": entries}, status_code=status)


def format_error(error: GraphQLError) -> dict[str, Any]:
    """One errors[] entry: message, locations, path, and extensions.code."""
    code, message = _classify(error)
    error_code(code)
    entry: dict[str, Any] = {"message": message}
    if error.locations:
        entry["locations"] = [location.formatted for location in error.locations]
    if error.path is not None:
        entry["path"] = list(error.path)
    entry["extensions"] = {**(error.extensions or {}), "code": code}
    return entry


def _classify(error: GraphQLError) -> tuple[str, str]:
    from graphql import GraphQLError

    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        source = original or error
        code = (source.extensions or {}).get("code")
        return (code or INTERNAL_SERVER_ERROR), source.message
    if isinstance(original, PermissionDenied):
        return FORBIDDEN, getattr(original, "message", str(original))
    if isinstance(original, StoreError):
        return BAD_USER_INPUT, str(original)
    log.error("resolver failed at %s", error.path, exc_info=original)
    return INTERNAL_SERVER_ERROR, INTERNAL_ERROR_MESSAGE


# -- the face's answers, as the shared pipeline and the app ask for them ------------------


class RapidApiErrors:
    """The gateway answers before GraphQL; Apollo-style errors[] from the Platform API."""

    @staticmethod
    def unauthorized() -> Response:
        return gateway_error(401)

    @staticmethod
    def not_found() -> Response:
        return gateway_error(404)

    @staticmethod
    def method_not_allowed(allowed: Iterable[str]) -> Response:
        allow = ", ".join(allowed)
        return gateway_error(
            405, f"This endpoint takes {allow} requests only.", headers={"Allow": allow}
        )

    @staticmethod
    def too_large(message: str, status: int = 413) -> Response:
        return gateway_error(status, message)

    fault = staticmethod(render_fault)

    @staticmethod
    def bad_fault_header(problems: Sequence[str]) -> Response:
        return gateway_error(400, "; ".join(problems))

    @staticmethod
    def bad_request(message: str, status: int) -> Response:
        return request_errors([message], BAD_REQUEST, status)

    @staticmethod
    def request_error(
        errors: Sequence[GraphQLError | str], code: str, *, graphql_response: bool
    ) -> Response:
        """Apollo answers 400 whatever the client accepts."""
        return request_errors(errors, code)

    @staticmethod
    def too_complex(cost: int, limit: int, *, graphql_response: bool) -> Response:
        """Apollo's cost-limit plugins refuse at validation: 400, GRAPHQL_VALIDATION_FAILED."""
        message = f"Query is too complex: its cost is {cost}, the maximum is {limit}."
        return request_errors([message], VALIDATION_FAILED)

    @staticmethod
    def too_slow(seconds: float, *, graphql_response: bool) -> Response:
        """The Rapid gateway stops waiting for the Platform API: 504 in its shape."""
        return gateway_error(504)

    @staticmethod
    def result(result: ExecutionResult, *, graphql_response: bool) -> Response:
        body: dict[str, object] = {"data": result.data}
        if result.errors:
            body["errors"] = [format_error(error) for error in result.errors]
        return JSONResponse(body)
