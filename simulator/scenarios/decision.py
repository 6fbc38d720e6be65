"""The outcome of asking the scenarios about one request."""

from __future__ import annotations

from simulator.records import record
from simulator.scenarios.rules import FaultError


@record
class Decision:
    """What to do to one request; `label` names the rule (or the header) for the journal."""

    label: str
    latency_ms: int = 0
    error: FaultError | None = None
    drop: bool = False
