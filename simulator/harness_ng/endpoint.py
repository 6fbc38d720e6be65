"""One contract path of the NextGen face: auth, validation, handler, envelope."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from simulator.harness_ng import envelopes
from simulator.harness_ng.auth import Caller, authenticate
from simulator.harness_ng.context import NgContext
from simulator.harness_ng.errors import render_fault, render_store_error
from simulator.harness_ng.operations import OperationSpec
from simulator.harness_ng.paging import DRIFTING, split_page_size
from simulator.http import (
    YAML_MEDIA_TYPES,
    is_json_content_type,
    media_type,
    parse_json,
    query_params,
)
from simulator.observe import call_info
from simulator.openapi.spec import Operation
from simulator.openapi.validation import RequestValidator
from simulator.scenarios.consult import consult
from simulator.scenarios.engine import Scenarios
from simulator.scenarios.policies import Policies
from simulator.scenarios.rules import ScenarioError
from simulator.store.errors import StoreError
from simulator.store.harness import HarnessStore
from simulator.store.harness.drift import drift_users
from simulator.store.harness.models import Scope as HarnessScope

FACE = "harness-ng"
_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
log = logging.getLogger("usersim.harness_ng")


@dataclass(frozen=True)
class BoundOperation:
    """A contract operation with its validator and handler."""

    contract: Operation
    validator: RequestValidator
    spec: OperationSpec

    @property
    def account_required(self) -> bool:
        return any(p.name == "accountIdentifier" and p.required for p in self.contract.parameters)


class NgEndpoint:
    """An ASGI app for one path; dispatches on the method itself so 405s name every method."""

    def __init__(
        self,
        store: HarnessStore,
        scenarios: Scenarios,
        policies: Policies,
        operations: Mapping[str, BoundOperation],
    ) -> None:
        self._store = store
        self._scenarios = scenarios
        self._policies = policies
        self._operations = dict(operations)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self.handle(request)
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        bound = self._operations.get(method)
        if bound is None:
            return envelopes.method_not_allowed(self._operations)
        info = call_info(request.scope)
        info.face, info.operation = FACE, bound.contract.operation_id
        store = self._store
        params = query_params(request.scope)
        caller: Caller | None = None
        if not bound.spec.public:
            authenticated = authenticate(
                store, request.headers, params, account_required=bound.account_required
            )
            if isinstance(authenticated, Response):
                return authenticated
            caller = authenticated
            info.account = caller.account_id
        try:
            decision = await consult(
                self._scenarios,
                request.scope,
                request.headers,
                face=FACE,
                operations=(bound.contract.operation_id,),
                account=caller.account_id if caller else None,
                key=caller.key.token_hash if caller else None,
            )
        except ScenarioError as exc:
            return envelopes.invalid_request("; ".join(exc.problems))
        if decision is not None and decision.error is not None:
            return render_fault(decision.error)
        items = params.multi_items()
        if "accountIdentifier" not in params and caller is not None:
            # Named by header, accountId or the key: the account is known, as in Harness.
            items.append(("accountIdentifier", caller.account_id))
        page = self._policies.page(FACE)
        items, requested_size = split_page_size(bound.contract, items)
        query, errors = bound.validator.query(items)
        if requested_size is not None:
            if page.too_large(requested_size):
                errors.append(("pageSize", f"must be less than or equal to {page.max_page_size}"))
            query["pageSize"] = requested_size
        if isinstance(query.get("pageSize"), int):
            query["pageSize"] = page.size(query["pageSize"])
        path, path_errors = bound.validator.path(request.path_params)
        errors.extend(path_errors)
        body, present, problem = await _read_body(request, bound)
        if problem is not None:
            return problem
        errors.extend(bound.validator.body(body, present=present))
        if errors:
            return envelopes.failure(errors)
        return self._run(bound, caller, query, path, body)

    def _run(
        self,
        bound: BoundOperation,
        caller: Caller | None,
        query: dict[str, Any],
        path: dict[str, Any],
        body: object,
    ) -> Response:
        store = self._store
        org = query.get("orgIdentifier") or None
        project = query.get("projectIdentifier") or None
        scope = HarnessScope(caller.account_id if caller else "", org, project)
        key, user = (caller.key, caller.user) if caller else (None, None)
        request = NgContext(store, key, user, scope, query, path, body)
        try:
            with store.lock:
                if user is not None and bound.spec.permission is not None:
                    store.access.require(user, scope, bound.spec.permission)
                drift = self._policies.page(FACE).drift
                if (
                    user is not None
                    and drift
                    and bound.contract.operation_id in DRIFTING
                    and query.get("pageIndex")
                ):
                    drift_users(store, scope.account_id, drift, keep=user.id)
                result = bound.spec.handler(request)
        except StoreError as exc:
            return render_store_error(exc, scope, user.id if user else "")
        except Exception:
            log.exception("%s failed", bound.contract.operation_id)
            return envelopes.error(
                "UNKNOWN_ERROR",
                "Oops, something went wrong on our end. Please contact Harness Support.",
            )
        return result if isinstance(result, Response) else envelopes.success(result)


async def _read_body(
    request: Request, bound: BoundOperation
) -> tuple[object, bool, Response | None]:
    """The parsed body (JSON, or YAML as Harness also consumes), whether one was sent,
    or the response refusing it."""
    if bound.contract.body_schema is None:
        return None, False, None
    raw = await request.body()
    if not raw.strip():
        return None, False, None
    content_type = request.headers.get("content-type")
    if media_type(content_type) in YAML_MEDIA_TYPES:
        try:
            return yaml.load(raw, Loader=_YamlLoader), True, None
        except yaml.YAMLError:
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
