"""Fault rules: what to match and what to do, parsed from the JSON a test sends.

A rule matches requests by face, operation and account (each optional) and then acts:
an error in the face's own shape, added latency, a per-key rate limit answering 429
with Retry-After, or a dropped connection. `times` bounds how often it fires and
`probability` how likely it is to fire on a match (drawn from the scenario's seeded
generator, so a run repeats exactly).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from simulator.records import record

_RULE_KEYS = {
    "id",
    "face",
    "operation",
    "account",
    "error",
    "latency_ms",
    "rate_limit",
    "drop",
    "times",
    "probability",
    "description",
}


class ScenarioError(ValueError):
    """A rule, preset or policy that cannot be applied; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@record
class FaultError:
    """An error to answer with; the face renders it in its own vendor's shape. Without a
    status it is the face's natural failure (a GraphQL face's HTTP 200 with errors[], a
    REST face's 500 in its envelope)."""

    status: int | None
    code: str | None = None
    message: str | None = None
    retry_after: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "retry_after": self.retry_after,
        }


@record
class RateLimit:
    """At most `requests` per API key in each window of `per_seconds` (simulated time)."""

    requests: int
    per_seconds: float


@dataclass
class FaultRule:
    id: str
    face: str | None = None
    operation: str | None = None
    account: str | None = None
    error: FaultError | None = None
    latency_ms: int = 0
    rate_limit: RateLimit | None = None
    drop: bool = False
    times: int | None = None  # None: unlimited
    probability: float = 1.0
    description: str | None = None
    preset: str | None = None  # the scenario preset the rule came from, if any
    fired: int = field(default=0)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times

    @property
    def action(self) -> str:
        """What the rule does, in a few words ("error 503, latency 250 ms")."""
        parts = []
        if self.error is not None:
            parts.append(f"error {self.error.status or '(natural)'}")
        if self.latency_ms:
            parts.append(f"latency {self.latency_ms} ms")
        if self.rate_limit is not None:
            parts.append(f"rate limit {self.rate_limit.requests}/{self.rate_limit.per_seconds:g}s")
        if self.drop:
            parts.append("drop")
        return ", ".join(parts)

    @property
    def summary(self) -> str:
        """The rule as the coverage report names it: stable across resets, which renumber
        rules, so the same rule added by every test counts as one."""
        where = f"{self.face or 'any face'} {self.operation or 'any operation'}"
        if self.account:
            where += f" of {self.account}"
        origin = f"{self.preset}: " if self.preset else ""
        return f"{origin}{self.description or where}: {self.action}"

    def matches(self, face: str, operations: tuple[str, ...], account: str | None) -> bool:
        if self.exhausted:
            return False
        if self.face is not None and self.face != face:
            return False
        if self.operation is not None and self.operation not in operations:
            return False
        return self.account is None or self.account == account

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "face": self.face,
            "operation": self.operation,
            "account": self.account,
            "error": self.error.to_json() if self.error else None,
            "latency_ms": self.latency_ms,
            "rate_limit": (
                {"requests": self.rate_limit.requests, "per_seconds": self.rate_limit.per_seconds}
                if self.rate_limit
                else None
            ),
            "drop": self.drop,
            "times": self.times,
            "probability": self.probability,
            "description": self.description,
            "fired": self.fired,
            "exhausted": self.exhausted,
        }


def parse_rule(data: Any, rule_id: str, faces: Collection[str]) -> FaultRule:
    """Check a rule's JSON; every problem is reported at once. `faces` are the names a
    rule may match (the registered faces)."""
    if not isinstance(data, Mapping):
        raise ScenarioError(["a fault rule must be a JSON object"])
    problems = [f"unknown field {key!r}" for key in data if key not in _RULE_KEYS]
    face = _optional_str(data, "face", problems)
    if face is not None and face not in faces:
        problems.append(f"face must be one of {', '.join(faces)}")
    operation = _optional_str(data, "operation", problems)
    account = _optional_str(data, "account", problems)
    description = _optional_str(data, "description", problems)
    error = _error(data.get("error"), problems)
    latency = data.get("latency_ms", 0)
    if not _is_int(latency) or not 0 <= latency <= 60_000:
        problems.append("latency_ms must be an integer from 0 to 60000")
        latency = 0
    rate_limit = _rate_limit(data.get("rate_limit"), problems)
    drop = data.get("drop", False)
    if not isinstance(drop, bool):
        problems.append("drop must be true or false")
    # A rate limit holds until removed; an error or a drop fires once unless told otherwise.
    times = data.get("times", "unlimited" if rate_limit or not (error or drop) else 1)
    if times in (None, "unlimited"):
        times = None
    elif times == "once":
        times = 1
    elif not _is_int(times) or times < 1:
        problems.append('times must be a positive integer, "once" or "unlimited"')
    probability = data.get("probability", 1.0)
    if (
        isinstance(probability, bool)
        or not isinstance(probability, (int, float))
        or not 0 <= probability <= 1
    ):
        problems.append("probability must be a number from 0 to 1")
        probability = 1.0
    if not any(data.get(key) for key in ("error", "latency_ms", "rate_limit", "drop")):
        problems.append("a rule needs an action: error, latency_ms, rate_limit or drop")
    if problems:
        raise ScenarioError(problems)
    return FaultRule(
        id=str(data.get("id") or rule_id),
        face=face,
        operation=operation,
        account=account,
        error=error,
        latency_ms=latency,
        rate_limit=rate_limit,
        drop=drop,
        times=times,
        probability=float(probability),
        description=description,
    )


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional_str(data: Mapping[str, Any], key: str, problems: list[str]) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        problems.append(f"{key} must be a string")
        return None
    return value or None


def _error(value: Any, problems: list[str]) -> FaultError | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        problems.append("error must be an object")
        return None
    status = value.get("status")
    # 200 too: a GraphQL API answers most errors with HTTP 200 and an errors[] body.
    if status is not None and (not _is_int(status) or not (status == 200 or 400 <= status <= 599)):
        problems.append(
            "error.status must be 200 (a GraphQL error) or from 400 to 599,"
            " or left out for the face's natural failure"
        )
        return None
    retry_after = value.get("retry_after")
    if retry_after is not None and (not _is_int(retry_after) or retry_after < 0):
        problems.append("error.retry_after must be a non-negative integer")
        retry_after = None
    code, message = value.get("code"), value.get("message")
    if code is not None and not isinstance(code, str):
        problems.append("error.code must be a string")
    if message is not None and not isinstance(message, str):
        problems.append("error.message must be a string")
    return FaultError(status, code, message, retry_after)


def _rate_limit(value: Any, problems: list[str]) -> RateLimit | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        problems.append("rate_limit must be an object with requests and per_seconds")
        return None
    requests, per_seconds = value.get("requests"), value.get("per_seconds", 60)
    if not _is_int(requests) or requests < 0:
        problems.append("rate_limit.requests must be a non-negative integer")
        return None
    if (
        isinstance(per_seconds, bool)
        or not isinstance(per_seconds, (int, float))
        or per_seconds <= 0
    ):
        problems.append("rate_limit.per_seconds must be a positive number")
        return None
    return RateLimit(requests, float(per_seconds))
