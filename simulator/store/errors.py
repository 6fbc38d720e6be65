"""Domain errors raised by the stores.

They carry structured facts (what kind of thing, which key, which field) rather than
wire text: each face renders them in its own vendor's words, status and shape.
"""

from __future__ import annotations

from collections.abc import Hashable


class StoreError(Exception):
    """Base class: a request that the simulated vendor refuses. Nothing was changed."""


class NotFound(StoreError):
    def __init__(self, kind: str, key: Hashable, *, field: str | None = None) -> None:
        super().__init__(f"{kind} {key!r} not found")
        self.kind = kind
        self.key = key
        self.field = field


class AlreadyExists(StoreError):
    def __init__(self, kind: str, key: Hashable, *, field: str | None = None) -> None:
        super().__init__(f"{kind} {key!r} already exists")
        self.kind = kind
        self.key = key
        self.field = field


class InvalidInput(StoreError):
    """An argument the vendor rejects; `field` names it in the request's own terms."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


class InvalidArgument(InvalidInput):
    """An argument the vendor refuses as invalid in itself (Harness: INVALID_ARGUMENT),
    as opposed to a request it refuses as a whole."""


class PermissionDenied(StoreError):
    def __init__(self, permission: str, resource: str = "USER") -> None:
        super().__init__(f"missing permission {permission} on {resource}")
        self.permission = permission
        self.resource = resource


class ConstraintViolation(StoreError):
    """A change that would break a rule of the vendor (for example: no admin left)."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


class IntegrityError(RuntimeError):
    """A bug: a write that would corrupt an index. Never a client's fault."""
