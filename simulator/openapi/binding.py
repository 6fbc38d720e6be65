"""Contracts plus handlers, as routes: how every REST face is served.

Each contract operation is bound to its handler (a handler the contracts lack, or an
operation without a handler, stops the app from being built) and to a request validator
built from the contract. Each path becomes one route whose endpoint picks the operation
by method, so a 405 names every method the path takes, in the face's own shape.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from typing import Generic, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from simulator.face import FaceErrors
from simulator.openapi.spec import Contract, Operation
from simulator.openapi.validation import RequestValidator
from simulator.records import record

H = TypeVar("H")


@record
class BoundOperation(Generic[H]):
    """A contract operation with its validator and handler."""

    operation: Operation
    validator: RequestValidator
    handler: H


class OperationEndpoint(ABC, Generic[H]):
    """The ASGI app of one contract path; a face's subclass implements `handle`."""

    def __init__(self, operations: Mapping[str, BoundOperation[H]], errors: FaceErrors) -> None:
        self._operations = dict(operations)
        self._errors = errors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        method = "GET" if request.method == "HEAD" else request.method
        bound = self._operations.get(method)
        if bound is None:
            response = self._errors.method_not_allowed(sorted(self._operations))
        else:
            response = await self.handle(request, bound)
        await response(scope, receive, send)

    @abstractmethod
    async def handle(self, request: Request, bound: BoundOperation[H]) -> Response:
        """Answer a request for one of the path's operations."""


def bind_routes(
    contracts: Sequence[Contract],
    handlers: Mapping[str, H],
    endpoint: Callable[[Mapping[str, BoundOperation[H]]], OperationEndpoint[H]],
    *,
    prefixes: Sequence[str] = ("",),
) -> list[BaseRoute]:
    """One route per contract path (under each prefix), literal paths first.

    Literal paths come first so that `/ng/api/user/password` wins over
    `/ng/api/user/{userId}`, whatever order the contract lists them in.
    """
    operations = [operation for contract in contracts for operation in contract.operations]
    declared = {operation.operation_id for operation in operations}
    if declared != set(handlers):
        missing = sorted(declared - set(handlers))
        extra = sorted(set(handlers) - declared)
        raise RuntimeError(
            f"handlers out of step with the contract: missing {missing}, extra {extra}"
        )
    by_path: dict[str, dict[str, Operation]] = {}
    for operation in operations:
        by_path.setdefault(operation.path, {})[operation.method] = operation
    routes: list[BaseRoute] = []
    for path in sorted(by_path, key=lambda path: ("{" in path, path)):
        app = endpoint(
            {
                method: BoundOperation(
                    operation, RequestValidator(operation), handlers[operation.operation_id]
                )
                for method, operation in by_path[path].items()
            }
        )
        routes.extend(Route(prefix + path, app) for prefix in prefixes)
    return routes
