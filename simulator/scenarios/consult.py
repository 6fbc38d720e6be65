"""What every face calls once it knows the operation and the caller."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import Response

from simulator.face import FaultErrors
from simulator.http import optional_header
from simulator.observe import call_info
from simulator.scenarios.engine import Scenarios
from simulator.scenarios.header import HEADER
from simulator.scenarios.rules import ScenarioError


class DropConnection(Exception):
    """Raised to make the outermost middleware cut the connection mid-response."""


class FaultInjector:
    """The fault rules as one face meets them: decided by the shared engine, rendered in
    the face's own shape."""

    def __init__(self, scenarios: Scenarios, face: str, errors: FaultErrors) -> None:
        self._scenarios = scenarios
        self._face = face
        self._errors = errors

    async def __call__(
        self,
        request: Request,
        operations: tuple[str, ...],
        account_id: str | None,
        key: str | None,
    ) -> Response | None:
        """The response a fault makes of this request, if one fires (latency and drops
        happen here). `key` is what a rate limit counts: an API key's hash, a user, never
        a raw secret."""
        header = optional_header(request.headers, HEADER)
        try:
            decision = self._scenarios.decide(self._face, operations, account_id, key, header)
        except ScenarioError as exc:
            return self._errors.bad_fault_header(exc.problems)
        if decision is None:
            return None
        call_info(request.scope).fault = decision.label
        if decision.latency_ms:
            await asyncio.sleep(decision.latency_ms / 1000)
        if decision.drop:
            raise DropConnection
        return None if decision.error is None else self._errors.fault(decision.error)
