"""Store errors rendered in Harness NextGen's own words, codes and statuses."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.responses import Response

from simulator.harness_ng import envelopes
from simulator.scenarios.rules import FaultError
from simulator.store.errors import (
    AlreadyExists,
    ConstraintViolation,
    InvalidArgument,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StoreError,
)
from simulator.store.harness.models import Scope


def render_store_error(error: StoreError, scope: Scope, principal_id: str) -> Response:
    if isinstance(error, PermissionDenied):
        resource_scope = {"accountIdentifier": scope.account_id}
        if scope.org:
            resource_scope["orgIdentifier"] = scope.org
        if scope.project:
            resource_scope["projectIdentifier"] = scope.project
        return envelopes.access_denied(principal_id, error.permission, resource_scope)
    if isinstance(error, NotFound):
        return _not_found(error, scope)
    if isinstance(error, AlreadyExists):
        return envelopes.error("DUPLICATE_FIELD", _duplicate(error))
    if isinstance(error, InvalidArgument):
        return envelopes.error("INVALID_ARGUMENT", f"Invalid argument(s): {error.message}")
    if isinstance(error, InvalidInput):
        return envelopes.invalid_request(error.message)
    if isinstance(error, ConstraintViolation):
        return envelopes.invalid_request(error.message)
    return envelopes.error("UNKNOWN_ERROR", str(error))


def _duplicate(error: AlreadyExists) -> str:
    if error.kind == "user group":
        return f"Try using different user group identifier, [{error.key}] cannot be used"
    if error.kind == "role assignment" and error.field == "principal":
        return (
            "A role assignment for this principal with this role and resource group already"
            f" exists: {error.key}"
        )
    return f"A {error.kind} with {error.field or 'key'} {error.key} already exists"


def _not_found(error: NotFound, scope: Scope) -> Response:
    key = ", ".join(error.key) if isinstance(error.key, tuple) else error.key
    if error.kind == "user":
        message = f"User with id {key} not found in the given scope"
    elif error.kind == "organization":
        message = f"Organization with identifier [{key}] not found"
    elif error.kind == "project":
        message = f"Project with identifier [{key}] not found in organization [{scope.org}]"
    elif error.kind == "account":
        message = f"Account with identifier [{key}] not found"
    else:
        message = f"{error.kind.capitalize()} with identifier [{key}] not found in the given scope"
    return envelopes.error("ENTITY_NOT_FOUND", message)


# What NextGen answers for a status when an injected fault names no code or message.
_FAULT_DEFAULTS: dict[int, tuple[str, str]] = {
    400: ("INVALID_REQUEST", "Invalid request: the request was refused"),
    401: ("INVALID_TOKEN", "Token is not valid."),
    403: ("NG_ACCESS_DENIED", "Access denied"),
    404: ("ENTITY_NOT_FOUND", "The requested entity was not found"),
    429: ("TOO_MANY_REQUESTS", "Too many requests received, please try again later"),
    503: ("HTTP_SERVICE_UNAVAILABLE", "Service unavailable, please try again later"),
}
_SERVER_ERROR = (
    "UNKNOWN_ERROR",
    "Oops, something went wrong on our end. Please contact Harness Support.",
)


def render_fault(fault: FaultError) -> Response:
    """An injected error in the NextGen ERROR envelope, with Retry-After when set; without
    a status, NextGen's own failure (500 UNKNOWN_ERROR)."""
    status = 500 if fault.status is None else fault.status
    code, message = _FAULT_DEFAULTS.get(
        status,
        _SERVER_ERROR if status >= 500 else ("INVALID_REQUEST", "Invalid request"),
    )
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None
    return envelopes.error(
        fault.code or code, fault.message or message, status=status, headers=headers
    )


class NgErrors:
    """NextGen's answers for requests that never reach an operation's handler."""

    unauthorized = staticmethod(envelopes.invalid_token)
    not_found = staticmethod(envelopes.not_found_path)
    method_not_allowed = staticmethod(envelopes.method_not_allowed)
    fault = staticmethod(render_fault)

    @staticmethod
    def too_large(message: str, status: int = 413) -> Response:
        return envelopes.error("INVALID_REQUEST", message, status=status)

    @staticmethod
    def bad_fault_header(problems: Sequence[str]) -> Response:
        return envelopes.invalid_request("; ".join(problems))


ERRORS = NgErrors()
