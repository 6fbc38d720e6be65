"""What every face calls once it knows the operation and the caller."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, MutableMapping
from typing import Any

from simulator.observe import call_info
from simulator.scenarios.decision import Decision
from simulator.scenarios.engine import Scenarios
from simulator.scenarios.header import HEADER


class DropConnection(Exception):
    """Raised to make the outermost middleware cut the connection mid-response."""


async def consult(
    scenarios: Scenarios,
    scope: MutableMapping[str, Any],
    headers: Mapping[str, str],
    *,
    face: str,
    operations: tuple[str, ...],
    account: str | None,
    key: str | None,
) -> Decision | None:
    """Apply latency and drops here; return the decision so the face can render an error.

    Raises ScenarioError for an unreadable X-Usersim-Fault header.
    """
    decision = scenarios.decide(face, operations, account, key, headers.get(HEADER))
    if decision is None:
        return None
    call_info(scope).fault = decision.label
    if decision.latency_ms:
        await asyncio.sleep(decision.latency_ms / 1000)
    if decision.drop:
        raise DropConnection
    return decision if decision.error is not None else None
