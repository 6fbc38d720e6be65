"""The SCIM media type: answers are `application/scim+json`, requests may also be JSON."""

from __future__ import annotations

from simulator.http import JSONResponse, media_type

SCIM_MEDIA_TYPE = "application/scim+json"
_ACCEPTED = frozenset({SCIM_MEDIA_TYPE, "application/json", ""})


class ScimResponse(JSONResponse):
    media_type = SCIM_MEDIA_TYPE


def accepted_content_type(value: str | None) -> bool:
    """What Harness consumes (a request without a content type is read as JSON)."""
    return media_type(value) in _ACCEPTED
