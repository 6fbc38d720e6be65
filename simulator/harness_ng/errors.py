"""Store errors rendered in Harness NextGen's own words, codes and statuses."""

from __future__ import annotations

from starlette.responses import Response

from simulator.harness_ng import envelopes
from simulator.store.errors import (
    AlreadyExists,
    ConstraintViolation,
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
        return envelopes.error(
            "DUPLICATE_FIELD",
            f"A {error.kind} with {error.field or 'key'} {error.key} already exists",
        )
    if isinstance(error, InvalidInput):
        return envelopes.invalid_request(error.message)
    if isinstance(error, ConstraintViolation):
        return envelopes.invalid_request(error.message)
    return envelopes.error("UNKNOWN_ERROR", str(error))


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
