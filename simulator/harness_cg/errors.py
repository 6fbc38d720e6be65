"""CurrentGen's error shapes: gateway refusals, resolver refusals and request errors.

Three shapes reach a CG client (harness-core's GraphQL resource and graphql-java 12):

* before execution, a refused caller: an HTTP status with `{"errors": [{"message"}]}`
  and no `data` (401 "Invalid Api Key", 429 rate limit...);
* a resolver refusal: HTTP 200, `data` null for that field, and graphql-java's message
  "Exception while fetching data (/<path>) : Invalid request: <message>";
* a document or variables the schema refuses: the GraphQL-over-HTTP request error.

Every error a client caused carries `extensions.code` of the client class (clients
ignore it; fuzzers use it to tell a refusal from a server fault).
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
    TIMEOUT,
    TOO_COMPLEX,
)
from simulator.graphql.requests import GRAPHQL_RESPONSE_MEDIA_TYPE
from simulator.http import JSONResponse
from simulator.observe import error_code
from simulator.scenarios.rules import FaultError
from simulator.store.errors import (
    AlreadyExists,
    ConstraintViolation,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StoreError,
)

if TYPE_CHECKING:  # imported at start: graphql-core is not (simulator/graphql/deferred.py)
    from graphql import ExecutionResult, GraphQLError

log = logging.getLogger("usersim.harness_cg")

INVALID_API_KEY = "Invalid Api Key"
USER_NOT_AUTHORIZED = "User not authorized"
RATE_LIMITED = "You've reached your account's rate limit for data queries. Please try again later."
UNKNOWN_ERROR = "An error has occurred. Please contact the Harness support team."


# InvalidArgumentsException messages: Harness renders them "Invalid argument(s): <field>: <why>".
_ARGUMENT_MESSAGES = frozenset({"cannot be empty or blank", "cannot be null"})


class CgRefusal(Exception):
    """A request Harness refuses inside a resolver (rendered "Invalid request: <message>")."""

    def __init__(self, message: str, code: str = BAD_USER_INPUT) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# -- before execution -------------------------------------------------------------------


def gateway_error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """The body harness-core's GraphQL resource builds outside execution (no `data`)."""
    return JSONResponse({"errors": [{"message": message}]}, status_code=status, headers=headers)


def invalid_api_key() -> Response:
    return gateway_error(401, INVALID_API_KEY)


def user_not_authorized() -> Response:
    return gateway_error(401, USER_NOT_AUTHORIZED)


def render_fault(fault: FaultError) -> Response:
    """An injected fault, answered the way CurrentGen answers that status; without a
    status, as graphql-java reports a failed execution: HTTP 200, `data` null, errors[]."""
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
    if fault.status == 401:
        return gateway_error(401, fault.message or INVALID_API_KEY, headers)
    if fault.status == 429:
        return gateway_error(429, fault.message or RATE_LIMITED, headers)
    error: dict[str, Any] = {"message": fault.message or UNKNOWN_ERROR}
    if fault.status is None:
        code = fault.code or INTERNAL_SERVER_ERROR
        error_code(code)
        error["extensions"] = {"code": code}
        return JSONResponse({"data": None, "errors": [error]}, headers=headers)
    if fault.code:
        error_code(fault.code)
        error["extensions"] = {"code": fault.code}
    return JSONResponse({"errors": [error]}, status_code=fault.status, headers=headers)


# -- request errors (GraphQL-over-HTTP) ---------------------------------------------------


def request_error(
    errors: Sequence[GraphQLError | str], code: str, *, graphql_response: bool
) -> Response:
    """A document or its variables refused before execution: no `data` key.

    With `application/graphql-response+json` the spec's status applies (400); plain
    `application/json` clients, such as Harness's own, get 200 as graphql-java sends.
    """
    body = {"errors": [_request_error(error, code) for error in errors]}
    if graphql_response:
        return JSONResponse(body, status_code=400, media_type=GRAPHQL_RESPONSE_MEDIA_TYPE)
    return JSONResponse(body)


def _request_error(error: GraphQLError | str, code: str) -> dict[str, Any]:
    error_code(code)
    if isinstance(error, str):
        return {"message": error, "extensions": {"code": code}}
    formatted: dict[str, Any] = {"message": error.message}
    if error.locations:
        formatted["locations"] = [location.formatted for location in error.locations]
    formatted["extensions"] = {**(error.extensions or {}), "code": code}
    return formatted


def _aborted(message: str, code: str) -> Response:
    """graphql-java's AbortExecutionException: 200, errors only, classified ExecutionAborted."""
    extensions = {"classification": "ExecutionAborted", "code": code}
    return JSONResponse({"errors": [{"message": message, "extensions": extensions}]})


def bad_request(message: str, status: int) -> Response:
    """A body that is not one GraphQL request at all (not JSON, a batch, no query)."""
    error_code(BAD_REQUEST)
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": BAD_REQUEST}}]},
        status_code=status,
    )


def method_not_allowed(allowed: Iterable[str]) -> Response:
    allow = ", ".join(allowed)
    return JSONResponse(
        {"errors": [{"message": f"HTTP 405 Method Not Allowed; use {allow}"}]},
        status_code=405,
        headers={"Allow": allow},
    )


# -- resolver errors ----------------------------------------------------------------------


def field_errors(errors: Iterable[GraphQLError]) -> list[dict[str, Any]]:
    """Execution errors in graphql-java's words: the fetching path, then Harness's message."""
    return [_field_error(error) for error in errors]


def _field_error(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    if isinstance(original, CgRefusal):
        code = original.code
        message = _fetching(error, f"Invalid request: {original.message}")
    elif original is None:
        # graphql-core's own finding while completing a value (a null in a non-null
        # field...): a bug of ours, reported in graphql-core's words.
        log.error("execution error at %s: %s", error.path, error.message)
        code, message = INTERNAL_SERVER_ERROR, error.message
    else:
        log.error("resolver failed at %s", error.path, exc_info=original)
        code, message = INTERNAL_SERVER_ERROR, _fetching(error, UNKNOWN_ERROR)
    error_code(code)
    formatted: dict[str, Any] = {"message": message}
    if error.locations:
        formatted["locations"] = [location.formatted for location in error.locations]
    if error.path is not None:
        formatted["path"] = list(error.path)
    formatted["extensions"] = {"code": code}
    return formatted


def _fetching(error: GraphQLError, detail: str) -> str:
    return f"Exception while fetching data ({fetch_path(error.path)}) : {detail}"


def fetch_path(path: Sequence[str | int] | None) -> str:
    """graphql-java's ResultPath text: "/users/nodes[0]/userGroups"."""
    text = ""
    for segment in path or ():
        text += f"[{segment}]" if isinstance(segment, int) else f"/{segment}"
    return text or "/"


# -- store errors in CurrentGen's words -----------------------------------------------------


def refusal(error: StoreError) -> CgRefusal:
    """The message CurrentGen gives for a store refusal (operations override a few)."""
    if isinstance(error, NotFound):
        return CgRefusal(_not_found_message(error))
    if isinstance(error, AlreadyExists):
        return CgRefusal(_already_exists_message(error))
    if isinstance(error, InvalidInput):
        if error.message in _ARGUMENT_MESSAGES:
            return CgRefusal(f"Invalid argument(s): {error.field}: {error.message}")
        return CgRefusal(error.message)
    if isinstance(error, ConstraintViolation):
        return CgRefusal(error.message)
    if isinstance(error, PermissionDenied):
        return CgRefusal(USER_NOT_AUTHORIZED, FORBIDDEN)
    return CgRefusal(str(error))


def _keys(key: Any) -> str:
    return ", ".join(key) if isinstance(key, tuple) else str(key)


def _not_found_message(error: NotFound) -> str:
    if error.field == "userIds":
        return f"Invalid id/s {_keys(error.key)} provided in the request"
    if error.field == "userGroupIds":
        return f"Invalid userGroupId: {_keys(error.key)} provided in the request"
    if error.kind == "user group":
        return f"No user group exists with the id {error.key}"
    if error.kind == "user":
        return f"No user exists with the id {error.key}"
    if error.kind == "group member":
        return f"No user with id {error.key} exists in the user group"
    return f"No {error.kind} exists with the id {_keys(error.key)}"


def _already_exists_message(error: AlreadyExists) -> str:
    if error.kind == "user group":
        return f"A user group already exists with the name {error.key}"
    if error.kind == "group member":
        return f"A user with id {error.key} already exists in the user group"
    if error.kind == "user":
        return f"User with email {error.key} already exists"
    if error.kind in ("account permission", "application permission"):
        return f"The {error.kind} already exists in the user group"
    return f"A {error.kind} {error.key} already exists"


# -- the face's answers, as the shared pipeline and the app ask for them ------------------


class CgErrors:
    """CurrentGen's answers for requests that never reach a resolver, and for results."""

    unauthorized = staticmethod(invalid_api_key)
    method_not_allowed = staticmethod(method_not_allowed)
    fault = staticmethod(render_fault)
    bad_request = staticmethod(bad_request)
    request_error = staticmethod(request_error)

    @staticmethod
    def not_found() -> Response:
        return gateway_error(404, "HTTP 404 Not Found")

    @staticmethod
    def too_large(message: str, status: int = 413) -> Response:
        return bad_request(message, status)

    @staticmethod
    def bad_fault_header(problems: Sequence[str]) -> Response:
        return bad_request("; ".join(problems), 400)

    @staticmethod
    def too_complex(cost: int, limit: int, *, graphql_response: bool) -> Response:
        """graphql-java's MaxQueryComplexityInstrumentation: aborted before execution."""
        return _aborted(f"maximum query complexity exceeded {cost} > {limit}", TOO_COMPLEX)

    @staticmethod
    def too_slow(seconds: float, *, graphql_response: bool) -> Response:
        """graphql-java's timeout instrumentation: the execution is aborted, no data."""
        return _aborted(f"Execution aborted: it ran longer than {seconds:g} s", TIMEOUT)

    @staticmethod
    def result(result: ExecutionResult, *, graphql_response: bool) -> Response:
        """`data`, and resolver errors in graphql-java's words."""
        body: dict[str, object] = {"data": result.data}
        if result.errors:
            body["errors"] = field_errors(result.errors)
        if graphql_response:
            return JSONResponse(body, media_type=GRAPHQL_RESPONSE_MEDIA_TYPE)
        return JSONResponse(body)
