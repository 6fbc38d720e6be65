"""The NextGen wire envelopes: ResponseDTO, ERROR (ErrorDTO) and FAILURE (FailureDTO).

Values that are null are left out rather than sent as null: the published contract
types them as non-nullable, and generated clients accept an absent key.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Mapping
from typing import Any

from simulator.http import JSONResponse
from simulator.observe import error_code

MAX_FIELD_ERRORS = 100

# A version-4 UUID: version nibble 4, variant bits 10 (RFC 9562), the rest random.
_UUID4_KEPT = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)
_random = random.Random()

# The HTTP status each Harness error code implies (ErrorCode's status in harness-core).
STATUS_BY_CODE: Mapping[str, int] = {
    "INVALID_REQUEST": 400,
    "INVALID_ARGUMENT": 400,
    "DUPLICATE_FIELD": 400,
    "RESOURCE_NOT_FOUND_EXCEPTION": 400,
    "INVALID_TOKEN": 401,
    "EXPIRED_TOKEN": 401,
    "USER_LOCKED": 401,
    "ACCESS_DENIED": 403,
    "NG_ACCESS_DENIED": 403,
    "ENTITY_NOT_FOUND": 404,
    "RESOURCE_NOT_FOUND": 404,
    "MEDIA_NOT_SUPPORTED": 415,
    "TOO_MANY_REQUESTS": 429,
    "UNKNOWN_ERROR": 500,
    "INTERNAL_SERVER_ERROR": 500,
    "HTTP_SERVICE_UNAVAILABLE": 503,
}

INVALID_REQUEST_PREFIX = "Invalid request: "


def correlation_id() -> str:
    """A random version-4 UUID, as Harness sends. Formatted here rather than by
    `uuid.uuid4()`, which costs four times as much on a path where it is the only work."""
    digits = f"{_random.getrandbits(128) & _UUID4_KEPT | _UUID4_SET:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def success(data: Any) -> JSONResponse:
    """A SUCCESS envelope; no data (Harness's `data: null`) leaves the key out."""
    body = {"status": "SUCCESS", "data": data, "metaData": {}, "correlationId": correlation_id()}
    if data is None:
        del body["data"]
    return JSONResponse(body)


def error(
    code: str,
    message: str,
    *,
    status: int | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """An ERROR envelope; the HTTP status follows the code unless given."""
    error_code(code)
    body: dict[str, Any] = {
        "status": "ERROR",
        "code": code,
        "message": message,
        "correlationId": correlation_id(),
        "responseMessages": [
            {"code": code, "level": "ERROR", "message": message, "failureTypes": []}
        ],
    }
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status or STATUS_BY_CODE.get(code, 400), headers=headers)


def invalid_request(message: str) -> JSONResponse:
    """INVALID_REQUEST with Harness's "Invalid request: " template applied."""
    return error("INVALID_REQUEST", INVALID_REQUEST_PREFIX + message)


def failure(errors: Iterable[tuple[str, str]], code: str = "INVALID_REQUEST") -> JSONResponse:
    """A FAILURE envelope listing field errors (bean validation), HTTP 400.

    At most `MAX_FIELD_ERRORS` are listed: a body of ten thousand bad entries would
    otherwise be answered with a message longer than itself.
    """
    error_code(code)
    items = [
        {"fieldId": field, "error": message}
        for field, message in itertools.islice(errors, MAX_FIELD_ERRORS)
    ]
    message = ", ".join(f"{item['fieldId']}: {item['error']}" for item in items)
    return JSONResponse(
        {
            "status": "FAILURE",
            "code": code,
            "message": message,
            "correlationId": correlation_id(),
            "errors": items,
        },
        status_code=400,
    )


def rest_response(resource: Any) -> JSONResponse:
    """The CurrentGen RestResponse envelope that reset-two-factor-auth answers with."""
    return JSONResponse({"metaData": {}, "resource": resource, "responseMessages": []})


def invalid_token() -> JSONResponse:
    return error("INVALID_TOKEN", "Token is not valid.")


def access_denied(principal_id: str, permission: str, scope: Mapping[str, str]) -> JSONResponse:
    message = f"Principal of type USER with identifier {principal_id} : Missing permission {permission} on user"
    check = {"resourceScope": dict(scope), "resourceType": "USER", "permission": permission}
    return error("NG_ACCESS_DENIED", message, extra={"failedPermissionChecks": [check]})


def not_found_path() -> JSONResponse:
    """What Harness answers for a path it does not serve (a FAILURE with HTTP 400)."""
    return resource_not_found("HTTP 404 Not Found")


def resource_not_found(message: str) -> JSONResponse:
    """JAX-RS's NotFoundException as Harness maps it: a FAILURE with HTTP 400."""
    error_code("RESOURCE_NOT_FOUND_EXCEPTION")
    return JSONResponse(
        {
            "status": "FAILURE",
            "code": "RESOURCE_NOT_FOUND_EXCEPTION",
            "message": message,
            "correlationId": correlation_id(),
            "errors": [],
        },
        status_code=400,
    )


def method_not_allowed(allowed: Iterable[str]) -> JSONResponse:
    allow = ", ".join(sorted(allowed))
    return error(
        "INVALID_REQUEST", "HTTP 405 Method Not Allowed", status=405, headers={"Allow": allow}
    )
