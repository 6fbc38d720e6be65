"""Checks and transformations of names and emails."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def is_valid_email(email: str) -> bool:
    return bool(_EMAIL.match(email))


def slugify(name: str) -> str:
    """`Acme Partners!` -> `acme-partners`, as RapidAPI derives `slugifiedName`."""
    return _NOT_SLUG.sub("-", name.lower()).strip("-") or "team"
