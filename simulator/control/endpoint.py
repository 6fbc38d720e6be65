"""Control routes built from contracts/usersim-control.openapi.yaml."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from simulator.control.responses import problems
from simulator.http import JSONResponse, parse_json, read_body
from simulator.openapi.binding import BoundOperation, OperationEndpoint
from simulator.openapi.spec import Operation
from simulator.records import record

if TYPE_CHECKING:
    from simulator.runtime import Simulator


@record
class ControlRequest:
    simulator: Simulator
    request: Request
    query: dict[str, Any]
    path: dict[str, Any]
    body: Any


Handler = Callable[[ControlRequest], Awaitable[Any]]


class ControlErrors:
    """The control API's answers: a message and one line per problem."""

    @staticmethod
    def unauthorized() -> Response:
        return problems("the control token is missing or wrong", status=401)

    @staticmethod
    def not_found() -> Response:
        return problems("no control operation at this path", status=404)

    @staticmethod
    def method_not_allowed(allowed: Iterable[str]) -> Response:
        allow = ", ".join(allowed)
        response = problems(f"this path takes {allow}", status=405)
        response.headers["Allow"] = allow
        return response

    @staticmethod
    def too_large(message: str, status: int = 413) -> Response:
        return problems(message, status=status)


ERRORS = ControlErrors()


class ControlEndpoint(OperationEndpoint[Handler]):
    def __init__(
        self,
        simulator: Simulator,
        token: str | None,
        operations: Mapping[str, BoundOperation[Handler]],
    ) -> None:
        super().__init__(operations, ERRORS)
        self._simulator = simulator
        self._token = token

    async def handle(self, request: Request, bound: BoundOperation[Handler]) -> Response:
        if not self._authorized(request, bound.operation):
            return ERRORS.unauthorized()
        query, errors = bound.validator.query(request.query_params.multi_items())
        path, path_errors = bound.validator.path(request.path_params)
        errors.extend(path_errors)
        body: Any = None
        present = False
        if bound.operation.body_schema is not None:
            raw = await read_body(request)
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
        # On bytes: compare_digest refuses str with non-ASCII characters (TypeError).
        return given is not None and hmac.compare_digest(_bytes(given), _bytes(self._token))


def _bytes(text: str) -> bytes:
    """Header values arrive decoded as latin-1, query values as UTF-8: either way every
    character has a UTF-8 form (lone surrogates included, with surrogatepass)."""
    return text.encode("utf-8", "surrogatepass")


# Liveness, the published contracts and the explorer's files need no token (probes and
# tools fetch them, and a browser opening an explorer cannot send one).
_PUBLIC = frozenset({"health", "getContract", "getExplorerAsset"})
