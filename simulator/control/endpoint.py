"""Control routes built from contracts/usersim-control.openapi.yaml."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from simulator.control.responses import problems
from simulator.http import JSONResponse, parse_json
from simulator.openapi.spec import Contract, Operation, load_contract
from simulator.openapi.validation import RequestValidator
from simulator.resources import contracts_dir
from simulator.runtime import Simulator

CONTRACT_FILE = "usersim-control.openapi.yaml"


@dataclass(frozen=True)
class ControlRequest:
    simulator: Simulator
    request: Request
    query: dict[str, Any]
    path: dict[str, Any]
    body: Any


Handler = Callable[[ControlRequest], Awaitable[Any]]


@dataclass(frozen=True)
class _Bound:
    operation: Operation
    validator: RequestValidator
    handler: Handler


class ControlEndpoint:
    def __init__(
        self, simulator: Simulator, token: str | None, operations: Mapping[str, _Bound]
    ) -> None:
        self._simulator = simulator
        self._token = token
        self._operations = dict(operations)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self._handle(request)
        await response(scope, receive, send)

    async def _handle(self, request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        bound = self._operations.get(method)
        if bound is None:
            allow = ", ".join(sorted(self._operations))
            response = problems(f"{request.method} is not allowed here", status=405)
            response.headers["Allow"] = allow
            return response
        if not self._authorized(request, bound.operation):
            return problems("the control token is missing or wrong", status=401)
        query, errors = bound.validator.query(request.query_params.multi_items())
        path, path_errors = bound.validator.path(request.path_params)
        errors.extend(path_errors)
        body: Any = None
        present = False
        if bound.operation.body_schema is not None:
            raw = await request.body()
            if raw.strip():
                present = True
                try:
                    body = parse_json(raw)
                except ValueError:
                    return problems("the request body is not valid JSON")
        errors.extend(bound.validator.body(body, present=present))
        if errors:
            return problems(
                "the request is not valid", [f"{field}: {message}" for field, message in errors]
            )
        result = await bound.handler(ControlRequest(self._simulator, request, query, path, body))
        return result if isinstance(result, Response) else JSONResponse(result)

    def _authorized(self, request: Request, operation: Operation) -> bool:
        if self._token is None or operation.operation_id in _PUBLIC:
            return True
        given = request.headers.get("x-usersim-token")
        if given is None and operation.operation_id == "dashboard":
            given = request.query_params.get("token")  # a browser cannot send the header
        if given is None:
            scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
            given = credentials if scheme.lower() == "bearer" else None
        return given is not None and hmac.compare_digest(given, self._token)


# Liveness and the published contracts need no token (probes and tools fetch them).
_PUBLIC = frozenset({"health", "getContract"})


def build_routes(
    simulator: Simulator, handlers: Mapping[str, Handler], token: str | None
) -> list[BaseRoute]:
    contract: Contract = load_contract(contracts_dir() / CONTRACT_FILE)
    declared = {op.operation_id for op in contract.operations}
    if declared != set(handlers):
        raise RuntimeError(
            f"control handlers out of step with the contract: {sorted(declared ^ set(handlers))}"
        )
    routes: list[BaseRoute] = []
    for path, methods in sorted(
        contract.by_path().items(), key=lambda item: ("{" in item[0], item[0])
    ):
        bound = {
            method: _Bound(op, RequestValidator(op), handlers[op.operation_id])
            for method, op in methods.items()
        }
        routes.append(Route(path, ControlEndpoint(simulator, token, bound)))
    return routes
