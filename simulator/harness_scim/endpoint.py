"""One contract path of the SCIM face: auth, faults, validation, handler, refusal."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from simulator.harness_scim import errors
from simulator.harness_scim.auth import authenticate
from simulator.harness_scim.context import ScimContext
from simulator.harness_scim.media import accepted_content_type
from simulator.harness_scim.operations import ScimOperation
from simulator.http import parse_json, query_params, read_body
from simulator.observe import call_info
from simulator.openapi.binding import BoundOperation, OperationEndpoint
from simulator.scenarios.consult import FaultInjector
from simulator.scenarios.engine import Scenarios
from simulator.scenarios.policies import Policies
from simulator.store.errors import StoreError
from simulator.store.harness import HarnessStore

NAME = "harness-scim"
log = logging.getLogger("usersim.harness_scim")


class ScimEndpoint(OperationEndpoint[ScimOperation]):
    def __init__(
        self,
        store: HarnessStore,
        scenarios: Scenarios,
        policies: Policies,
        operations: Mapping[str, BoundOperation[ScimOperation]],
    ) -> None:
        super().__init__(operations, errors.ERRORS)
        self._store = store
        self._faults = FaultInjector(scenarios, NAME, errors.ERRORS)
        self._policies = policies

    async def handle(self, request: Request, bound: BoundOperation[ScimOperation]) -> Response:
        operation = bound.operation
        info = call_info(request.scope)
        info.face, info.operation = NAME, operation.operation_id
        account_id = request.path_params["accountIdentifier"]
        caller = authenticate(self._store, request.headers, account_id)
        if isinstance(caller, Response):
            return caller
        info.account = account_id
        fault = await self._faults(
            request, (operation.operation_id,), account_id, caller.key.token_hash
        )
        if fault is not None:
            return fault
        query, problems = bound.validator.query(query_params(request.scope).multi_items())
        if problems:
            # JAX-RS answers a query parameter it cannot convert (count=abc) with 404.
            return errors.error("HTTP 404 Not Found", status=404)
        path, _ = bound.validator.path(request.path_params)
        body: Any = None
        if operation.body_schema is not None:
            body, refused = await _read_body(request, bound)
            if refused is not None:
                return refused
        context = ScimContext(
            self._store,
            caller.user,
            account_id,
            query,
            path,
            body,
            self._policies.page(NAME),
        )
        spec = bound.handler
        try:
            with self._store.lock:
                return spec.run(context)
        except StoreError as exc:
            return spec.refuse(exc)
        except Exception:
            log.exception("%s failed", operation.operation_id)
            return errors.error("Internal server error", status=500)


async def _read_body(
    request: Request, bound: BoundOperation[ScimOperation]
) -> tuple[Any, Response | None]:
    """The JSON body, or the refusal: 415 for another media type, 400 for a body that is
    not JSON or not the resource's shape."""
    if not accepted_content_type(request.headers.get("content-type")):
        return None, errors.error("HTTP 415 Unsupported Media Type", status=415)
    raw = await read_body(request)
    present = bool(raw.strip())
    body: Any = None
    if present:
        try:
            body = parse_json(raw)
        except ValueError:
            return None, errors.bad_request("Unable to process JSON: the body is not valid JSON")
    problems = bound.validator.body(body, present=present)
    if problems:
        detail = "; ".join(f"{field}: {message}" for field, message in problems)
        return None, errors.bad_request(f"Unable to process JSON: {detail}")
    return body, None
