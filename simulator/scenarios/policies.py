"""Lockout and pagination policies, read and changed through the control API.

The defaults reproduce the real APIs. A test changes them to provoke what production
rarely shows: a lockout after one wrong password, or page sizes so small that a
client's paging loop runs with the default fixture, or lists that change between
page requests so clients must de-duplicate.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, TypeGuard

from simulator.coverage.tally import CoverageTally
from simulator.records import record, replace
from simulator.scenarios.rules import ScenarioError
from simulator.store.errors import InvalidInput
from simulator.store.harness.models import LockoutPolicy
from simulator.store.harness.signin import LockoutSwitch

OVER_MAX = ("error", "clamp")
LOCKOUT = "lockout"
PAGINATION = "pagination"
DRIFT = ("insert", "delete")


@record
class PagePolicy:
    """How a face pages: its largest page, what happens above it, forced sizes, drift."""

    max_page_size: int | None = None
    over_max: str = "error"
    forced_page_size: int | None = None
    drift: str | None = None

    def size(self, requested: int) -> int:
        """The page size to serve; callers check `too_large` first in error mode."""
        if self.forced_page_size is not None:
            return self.forced_page_size
        if self.max_page_size is not None and requested > self.max_page_size:
            return self.max_page_size
        return requested

    def limit(self, requested: int | None, field: str) -> int | None:
        """The limit a GraphQL list serves: forced, clamped, or refused (InvalidInput)
        above the maximum; an absent limit gets the maximum, if there is one."""
        if self.forced_page_size is not None:
            return self.forced_page_size
        if requested is None:
            return self.max_page_size
        if self.too_large(requested):
            raise InvalidInput(field, f"must be at most {self.max_page_size}")
        return self.size(requested)

    def too_large(self, requested: int) -> bool:
        """Whether the vendor refuses this size (its validation error), rather than clamping."""
        return (
            self.forced_page_size is None
            and self.max_page_size is not None
            and self.over_max == "error"
            and requested > self.max_page_size
        )


class Policies:
    """The current policies. The lockout switch is the object the Harness store reads."""

    def __init__(
        self,
        lockout: LockoutSwitch,
        pagination: Mapping[str, PagePolicy],
        coverage: CoverageTally | None = None,
    ) -> None:
        """`pagination` is each face's default: what its vendor does."""
        self._lock = threading.Lock()
        self.lockout = lockout
        self._default_pagination = dict(pagination)
        self._pagination = dict(pagination)
        self._coverage = coverage or CoverageTally()

    def names(self) -> list[str]:
        """Every policy by the name the coverage report gives it."""
        return [LOCKOUT, *(f"{PAGINATION}.{face}" for face in self._default_pagination)]

    def page(self, face: str) -> PagePolicy:
        return self._pagination[face]

    def to_json(self) -> dict[str, Any]:
        policy = self.lockout.policy
        lockout: dict[str, Any] = asdict(policy or LockoutPolicy())
        if policy is None:
            lockout["enabled"] = None  # each account's login settings decide
        return {
            "lockout": lockout,
            "pagination": {face: asdict(policy) for face, policy in self._pagination.items()},
        }

    def update(self, data: Any) -> None:
        """Apply the parts of a policies document that are present; all or nothing."""
        if not isinstance(data, Mapping):
            raise ScenarioError(["policies must be a JSON object"])
        problems = [
            f"unknown field {key!r}" for key in data if key not in ("lockout", "pagination")
        ]
        lockout = self._lockout(data.get("lockout"), problems)
        pagination = self._pagination_update(data.get("pagination"), problems)
        if problems:
            raise ScenarioError(problems)
        with self._lock:
            self.lockout.policy = lockout
            self._pagination = pagination
            changed = [LOCKOUT] if data.get("lockout") else []
            changed += [f"{PAGINATION}.{face}" for face in data.get("pagination") or {}]
            self._coverage.policies_changed(changed, self._in_force())

    def reset(self) -> None:
        with self._lock:
            self.lockout.policy = None
            self._pagination = dict(self._default_pagination)
            self._coverage.policies_changed((), ())

    def _in_force(self) -> list[tuple[str, str | None]]:
        """The policies away from their defaults, with the face each applies to."""
        in_force: list[tuple[str, str | None]] = []
        if self.lockout.policy is not None:
            in_force.append((LOCKOUT, None))
        for face, policy in self._pagination.items():
            if policy != self._default_pagination[face]:
                in_force.append((f"{PAGINATION}.{face}", face))
        return in_force

    def _lockout(self, value: Any, problems: list[str]) -> LockoutPolicy | None:
        """The lockout policy a document asks for: limits alone turn it on for every
        account, `enabled` says on or off for all, `enabled: null` hands back to the
        accounts."""
        current = self.lockout.policy
        if value is None:
            return current
        if not isinstance(value, Mapping):
            problems.append("lockout must be an object")
            return current
        if not value:
            return current
        fields = asdict(current or LockoutPolicy())
        enabled: bool | None = True
        for key, item in value.items():
            if key == "enabled":
                if item is not None and not isinstance(item, bool):
                    problems.append("lockout.enabled must be true, false or null")
                enabled = item
            elif key == "max_failed_attempts":
                if not _is_int(item) or item < 1:
                    problems.append("lockout.max_failed_attempts must be an integer of at least 1")
                else:
                    fields[key] = item
            elif key == "lockout_seconds":
                if not _is_int(item) or item < 0:
                    problems.append(
                        "lockout.lockout_seconds must be a non-negative integer (0: until unlocked)"
                    )
                else:
                    fields[key] = item
            else:
                problems.append(f"unknown field lockout.{key}")
        if enabled is None:
            return None
        return LockoutPolicy(**{**fields, "enabled": enabled})

    def _pagination_update(self, value: Any, problems: list[str]) -> dict[str, PagePolicy]:
        result = dict(self._pagination)
        if value is None:
            return result
        if not isinstance(value, Mapping):
            problems.append("pagination must be an object keyed by face")
            return result
        for face, changes in value.items():
            if face not in self._default_pagination:
                faces = ", ".join(self._default_pagination)
                problems.append(f"pagination: unknown face {face!r}; faces are {faces}")
                continue
            if not isinstance(changes, Mapping):
                problems.append(f"pagination.{face} must be an object")
                continue
            result[face] = self._page_policy(face, result[face], changes, problems)
        return result

    def _page_policy(
        self, face: str, policy: PagePolicy, changes: Mapping[str, Any], problems: list[str]
    ) -> PagePolicy:
        fields: dict[str, Any] = {}
        for key, item in changes.items():
            where = f"pagination.{face}.{key}"
            if key in ("max_page_size", "forced_page_size"):
                if item is not None and (not _is_int(item) or item < 1):
                    problems.append(f"{where} must be a positive integer or null")
                    continue
            elif key == "over_max":
                if item not in OVER_MAX:
                    problems.append(f"{where} must be one of {', '.join(OVER_MAX)}")
                    continue
            elif key == "drift":
                if item is not None and item not in DRIFT:
                    problems.append(f"{where} must be one of {', '.join(DRIFT)} or null")
                    continue
            else:
                problems.append(f"unknown field {where}")
                continue
            fields[key] = item
        return replace(policy, **fields)


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
