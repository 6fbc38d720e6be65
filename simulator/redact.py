"""Removing secrets (passwords, API keys, TOTP secrets, tokens) from what gets recorded."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

REDACTED = "[redacted]"
MAX_DEPTH = 64
_TOO_DEEP = f"[nested deeper than {MAX_DEPTH} levels, not kept]"

SECRET_HEADERS = frozenset(
    {
        "x-api-key",
        "x-rapidapi-key",
        "x-rapidapi-identity-key",
        "authorization",
        "cookie",
        "x-usersim-token",
    }
)

_SECRET_KEY = re.compile(r"password|secret|token|api[-_]?key|totp", re.IGNORECASE)
# A secret written inline in a GraphQL document: `currentPassword: "..."`, or as a
# block string `"""..."""` (tried first: `""` would otherwise match as an empty string).
_INLINE_SECRET = re.compile(
    r"(\b\w*(?:password|secret|token|apikey|totp)\w*\s*:\s*)"
    r'(?:"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\]|\\.)*")',
    re.IGNORECASE,
)


def is_secret_name(name: str) -> bool:
    """Whether a field or parameter called `name` holds a secret."""
    return _SECRET_KEY.search(name) is not None


def headers(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name: REDACTED if name.lower() in SECRET_HEADERS else value for name, value in items}


def unparsed(size: int, media_type: str) -> str:
    """What stands for a body that could not be parsed as its media type (or, as YAML,
    would expand past the journal's bound): without a parse there is no telling where a
    secret is (names can be escaped), so none is kept."""
    return f"[redacted: {size} bytes of {media_type or 'no media type'} that could not be parsed]"


def value(data: Any, depth: int = 0) -> Any:
    """A copy of JSON-like data with every secret-named field's value replaced.

    JSON parsers accept nesting deeper than Python's recursion allows here (orjson: 1024
    levels); what lies below `MAX_DEPTH` is replaced, not walked.
    """
    if depth >= MAX_DEPTH and isinstance(data, dict | list):
        return _TOO_DEEP
    if isinstance(data, dict):
        return {
            key: REDACTED
            if isinstance(key, str) and is_secret_name(key)
            else value(item, depth + 1)
            for key, item in data.items()
        }
    if isinstance(data, list):
        return [value(item, depth + 1) for item in data]
    if isinstance(data, str) and _INLINE_SECRET.search(data):
        return _INLINE_SECRET.sub(rf'\1"{REDACTED}"', data)
    return data
