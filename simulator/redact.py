"""Removing secrets (passwords, API keys, TOTP secrets, tokens) from what gets recorded."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

REDACTED = "[redacted]"

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

_SECRET_KEY = re.compile(r"password|secret|token|api_?key|totp", re.IGNORECASE)
# A secret written inline in a GraphQL document: `currentPassword: "..."`.
_INLINE_SECRET = re.compile(
    r'(\b\w*(?:password|secret|token|apikey|totp)\w*\s*:\s*)"(?:[^"\\]|\\.)*"', re.IGNORECASE
)


def headers(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name: REDACTED if name.lower() in SECRET_HEADERS else value for name, value in items}


def value(data: Any) -> Any:
    """A copy of JSON-like data with every secret-named field's value replaced."""
    if isinstance(data, dict):
        return {
            key: REDACTED if isinstance(key, str) and _SECRET_KEY.search(key) else value(item)
            for key, item in data.items()
        }
    if isinstance(data, list):
        return [value(item) for item in data]
    if isinstance(data, str) and _INLINE_SECRET.search(data):
        return _INLINE_SECRET.sub(rf'\1"{REDACTED}"', data)
    return data
