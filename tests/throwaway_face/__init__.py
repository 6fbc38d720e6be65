"""A face made up for a test: one package, one contract, one operation.

It proves that a face needs nothing outside its own package but its line in the
registry: the shared binding routes it, the fault engine, journal and body limit apply
to it, and its errors come back in its own (made-up) shape: `{"oops": ..., "status": N}`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from simulator.face import Face, Settings
from simulator.observe import call_info
from simulator.openapi.binding import BoundOperation, OperationEndpoint, bind_routes
from simulator.openapi.spec import load_contract
from simulator.runtime import Simulator
from simulator.scenarios.consult import FaultInjector
from simulator.scenarios.engine import Scenarios
from simulator.scenarios.rules import FaultError

NAME = "throwaway"
KEY = "throwaway-key"


def oops(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse({"oops": message, "status": status}, status, headers=headers)


class Errors:
    @staticmethod
    def unauthorized() -> Response:
        return oops(401, "who are you?")

    @staticmethod
    def not_found() -> Response:
        return oops(404, "nothing here")

    @staticmethod
    def method_not_allowed(allowed: Iterable[str]) -> Response:
        allow = ", ".join(allowed)
        return oops(405, f"use {allow}", {"Allow": allow})

    @staticmethod
    def too_large(message: str, status: int = 413) -> Response:
        return oops(status, message)

    @staticmethod
    def fault(error: FaultError) -> Response:
        headers = {} if error.retry_after is None else {"Retry-After": str(error.retry_after)}
        return oops(error.status or 500, error.message or "injected", headers)

    @staticmethod
    def bad_fault_header(problems: Sequence[str]) -> Response:
        return oops(400, "; ".join(problems))


ERRORS = Errors()


class Endpoint(OperationEndpoint[str]):
    def __init__(self, scenarios: Scenarios, operations: Mapping[str, BoundOperation[str]]):
        super().__init__(operations, ERRORS)
        self._faults = FaultInjector(scenarios, NAME, ERRORS)

    async def handle(self, request: Request, bound: BoundOperation[str]) -> Response:
        info = call_info(request.scope)
        info.face, info.operation = NAME, bound.operation.operation_id
        if request.headers.get("x-throwaway-key") != KEY:
            return ERRORS.unauthorized()
        info.account = "throwaway-account"
        fault = await self._faults(
            request, (bound.operation.operation_id,), "throwaway-account", KEY
        )
        if fault is not None:
            return fault
        query, problems = bound.validator.query(request.query_params.multi_items())
        body: Any = await request.json()
        problems += bound.validator.body(body, present=True)
        if problems:
            return oops(400, ", ".join(f"{field}: {why}" for field, why in problems))
        text = body["text"].upper() if query.get("shout") else body["text"]
        return JSONResponse({"echo": text, "handler": bound.handler})


def routes(simulator: Simulator, settings: Settings) -> list[BaseRoute]:
    contract = load_contract(Path(__file__).with_name("contract.yaml"))

    def endpoint(operations: Mapping[str, BoundOperation[str]]) -> Endpoint:
        return Endpoint(simulator.scenarios, operations)

    return bind_routes([contract], {"echo": "the echo handler"}, endpoint)


FACE = Face(
    name=NAME,
    title="Throwaway",
    routes=routes,
    errors=ERRORS,
    contracts=(),
    home="/throwaway/echo",
    prefixes=("/throwaway/",),
)
