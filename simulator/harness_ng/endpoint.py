"""One contract path of the NextGen face: auth, validation, handler, envelope."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, NamedTuple

from starlette.requests import Request
from starlette.responses import Response

from simulator.harness_ng import envelopes
from simulator.harness_ng.auth import Caller, authenticate
from simulator.harness_ng.context import NgContext
from simulator.harness_ng.errors import ERRORS, render_store_error
from simulator.harness_ng.operations import OperationSpec
from simulator.harness_ng.paging import DRIFTING, split_page_size
from simulator.http import (
    YAML_MEDIA_TYPES,
    is_json_content_type,
    media_type,
    parse_json,
    parse_yaml,
    query_params,
    read_body,
)
from simulator.observe import call_info
from simulator.openapi.binding import BoundOperation, OperationEndpoint
from simulator.openapi.spec import Operation
from simulator.scenarios.consult import FaultInjector
from simulator.scenarios.engine import Scenarios
from simulator.scenarios.policies import Policies
from simulator.store.errors import StoreError
from simulator.store.harness import HarnessStore
from simulator.store.harness.drift import drift_users
from simulator.store.harness.models import Scope as HarnessScope

NAME = "harness-ng"
log = logging.getLogger("usersim.harness_ng")


class _Facts(NamedTuple):
    """What the contract says of one operation that every request to it asks."""

    # The request must name its account (else the key's is used).
    account_required: bool
    # A page size is judged by the pagination policy, not by the contract.
    takes_page_size: bool

    @classmethod
    def of(cls, operation: Operation) -> _Facts:
        names = {p.name: p for p in operation.parameters}
        account = names.get("accountIdentifier")
        return cls(account is not None and account.required, "pageSize" in names)


class NgEndpoint(OperationEndpoint[OperationSpec]):
    """One contract path of the NextGen face."""

    def __init__(
        self,
        store: HarnessStore,
        scenarios: Scenarios,
        policies: Policies,
        operations: Mapping[str, BoundOperation[OperationSpec]],
    ) -> None:
        super().__init__(operations, ERRORS)
        self._store = store
        self._faults = FaultInjector(scenarios, NAME, ERRORS)
        self._policies = policies
        self._facts = {method: _Facts.of(bound.operation) for method, bound in operations.items()}

    async def handle(self, request: Request, bound: BoundOperation[OperationSpec]) -> Response:
        operation = bound.operation
        info = call_info(request.scope)
        info.face, info.operation = NAME, operation.operation_id
        facts = self._facts[operation.method]
        params = query_params(request.scope)
        caller: Caller | None = None
        if not bound.handler.public:
            authenticated = authenticate(
                self._store, request.headers, params, account_required=facts.account_required
            )
            if isinstance(authenticated, Response):
                return authenticated
            caller = authenticated
            info.account = caller.account_id
        fault = await self._faults(
            request,
            (operation.operation_id,),
            caller.account_id if caller else None,
            caller.key.token_hash if caller else None,
        )
        if fault is not None:
            return fault
        items = params.multi_items()
        if "accountIdentifier" not in params and caller is not None:
            # Named by header, accountId or the key: the account is known, as in Harness.
            items.append(("accountIdentifier", caller.account_id))
        page = self._policies.page(NAME)
        requested_size = None
        if facts.takes_page_size:
            items, requested_size = split_page_size(items)
        query, errors = bound.validator.query(items)
        if requested_size is not None:
            if page.too_large(requested_size):
                errors.append(("pageSize", f"must be less than or equal to {page.max_page_size}"))
            query["pageSize"] = requested_size
        if isinstance(query.get("pageSize"), int):
            query["pageSize"] = page.size(query["pageSize"])
        path, path_errors = bound.validator.path(request.path_params)
        errors.extend(path_errors)
        body, present, problem = await _read_body(request, operation)
        if problem is not None:
            return problem
        errors.extend(bound.validator.body(body, present=present))
        if errors:
            return envelopes.failure(errors)
        return self._run(bound, caller, query, path, body)

    def _run(
        self,
        bound: BoundOperation[OperationSpec],
        caller: Caller | None,
        query: dict[str, Any],
        path: dict[str, Any],
        body: object,
    ) -> Response:
        store = self._store
        org = query.get("orgIdentifier") or None
        project = query.get("projectIdentifier") or None
        # An operation without an API key (an invite link) learns its account from its input.
        scope = HarnessScope(caller.account_id if caller else "", org, project)
        key, user = (caller.key, caller.user) if caller else (None, None)
        context = NgContext(store, key, user, scope, query, path, body)
        spec = bound.handler
        try:
            with store.lock:
                if user is not None and spec.permission is not None:
                    store.access.require(user, scope, spec.permission)
                drift = self._policies.page(NAME).drift
                pages_on = bound.operation.operation_id in DRIFTING and query.get("pageIndex")
                if user is not None and drift and pages_on:
                    drift_users(store, scope.account_id, drift, keep=user.id)
                result = spec.handler(context)
        except StoreError as exc:
            return render_store_error(exc, scope, user.id if user else "")
        except Exception:
            log.exception("%s failed", bound.operation.operation_id)
            return envelopes.error(
                "UNKNOWN_ERROR",
                "Oops, something went wrong on our end. Please contact Harness Support.",
            )
        return result if isinstance(result, Response) else envelopes.success(result)


async def _read_body(
    request: Request, operation: Operation
) -> tuple[object, bool, Response | None]:
    """The parsed body (JSON, or YAML as Harness also consumes), whether one was sent,
    or the response refusing it."""
    if operation.body_schema is None:
        return None, False, None
    raw = await read_body(request)
    if not raw.strip():
        return None, False, None
    content_type = request.headers.get("content-type")
    if media_type(content_type) in YAML_MEDIA_TYPES:
        try:
            return parse_yaml(raw), True, None
        except ValueError:
            return (
                None,
                True,
                envelopes.invalid_request("Unable to process YAML: the body is not valid YAML"),
            )
    if not is_json_content_type(content_type):
        return (
            None,
            True,
            envelopes.error("MEDIA_NOT_SUPPORTED", "HTTP 415 Unsupported Media Type", status=415),
        )
    try:
        return parse_json(raw), True, None
    except ValueError:
        return (
            None,
            True,
            envelopes.invalid_request("Unable to process JSON: the body is not valid JSON"),
        )
