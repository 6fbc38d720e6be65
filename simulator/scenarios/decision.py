"""The outcome of asking the scenarios about one request."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.scenarios.rules import FaultError


@dataclass(frozen=True)
class Decision:
    """What to do to one request; `label` names the rule (or the header) for the journal."""

    label: str
    latency_ms: int = 0
    error: FaultError | None = None
    drop: bool = False
