"""Checks and transformations of names and emails."""

from __future__ import annotations

import re
from collections.abc import Callable

# No control characters (NUL...) and at most 254 characters (RFC 5321).
_EMAIL = re.compile(
    r"[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f]+\.[^@\s\x00-\x1f\x7f-\x9f]+"
)
_MAX_EMAIL_LENGTH = 254
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def is_valid_email(email: str) -> bool:
    return len(email) <= _MAX_EMAIL_LENGTH and _EMAIL.fullmatch(email) is not None


def slugify(name: str) -> str:
    """`Acme Partners!` -> `acme-partners`, as RapidAPI derives `slugifiedName`."""
    return _NOT_SLUG.sub("-", name.lower()).strip("-") or "team"


def unique_slug(name: str, taken: Callable[[str], bool]) -> str:
    """The slug of `name`, with `-2`, `-3`... appended while `taken` says another
    organization (or team of the same organization) has it."""
    slug = base = slugify(name)
    suffix = 2
    while taken(slug):
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug
