"""HTTP helpers shared by every face: fast JSON rendering and body reading."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response


class JSONResponse(Response):
    """A JSON response rendered with orjson (several times faster than the stdlib)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def parse_json(raw: bytes) -> Any:
    """Parse a request body; raises ValueError on malformed JSON."""
    return orjson.loads(raw)


def media_type(value: str | None) -> str:
    """The bare media type of a Content-Type header ("" when there is none)."""
    return (value or "").split(";", 1)[0].strip().lower()


YAML_MEDIA_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml"})


def is_json_content_type(value: str | None) -> bool:
    """JSON or no content type at all (curl without -H sends none, and we accept it)."""
    media = media_type(value)
    return not media or media == "application/json" or media.endswith("+json")
