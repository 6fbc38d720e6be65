"""One GraphQL-over-HTTP endpoint for every GraphQL face.

A request goes: method (GET opens the face's explorer, if it has one), the face's
authentication (its own refusals, before the body is read, as both vendors' gateways
do), the body, the prepared document (parse and validation cached by query text), the
operation, its cost (refused over the bound, in the face's words), the fault rules, the
face's refusal of the caller (if any), then execution with sync resolvers under the
store's lock, so a query sees one consistent state and a mutation applies all or
nothing. Identical read-only requests on an unchanged state reuse the answer.

Execution has a wall-clock budget, checked between fields. A cheap operation runs on
the event loop (a thread hop would cost more than it does); one whose cost could take
long runs in a worker thread, and so does one that arrives while the store is busy
with such an operation: the loop keeps answering `/health`, the control API and every
other request.

A face supplies only what differs, in a `GraphQLService`: how a caller is
authenticated, the context its resolvers receive, its error renderer and its extra
validation rules.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from contextlib import AbstractContextManager
from dataclasses import field
from typing import Any, Generic, Protocol, TypeVar

from graphql import ASTValidationRule, ExecutionResult, GraphQLError, GraphQLSchema
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send

from simulator.face import FaultErrors
from simulator.graphql import codes
from simulator.graphql.bounds import QueryLimits
from simulator.graphql.differential import Replayable
from simulator.graphql.execution import execute_prepared, plain_leaf_execution
from simulator.graphql.limits import Deadline, OverBudget
from simulator.graphql.prepared import Prepared, QueryPreparer
from simulator.graphql.requests import (
    GRAPHQL_RESPONSE_MEDIA_TYPE,
    BadGraphQLRequest,
    GraphQLParams,
    read_params,
)
from simulator.graphql.results import CachedAnswer, ResultCache, variables_key
from simulator.http import optional_header, read_body
from simulator.observe import call_info, current_codes, error_codes
from simulator.records import record
from simulator.scenarios.consult import FaultInjector
from simulator.scenarios.engine import Scenarios
from simulator.scenarios.policies import PagePolicy, Policies
from simulator.store.clock import Clock


class GraphQLCaller(Protocol):
    """Who is calling, as the pipeline needs to know it."""

    @property
    def account_id(self) -> str:
        """The account (or context) the request acts in, for the journal and fault rules."""
        ...

    @property
    def rate_key(self) -> str:
        """What a rate limit counts: an API key's hash or a user, never a raw secret."""
        ...

    @property
    def cache_identity(self) -> Hashable:
        """Everything about the caller an answer can depend on."""
        ...

    @property
    def refusal(self) -> GraphQLError | None:
        """Set when the caller may run nothing (answered after the fault rules)."""
        ...


class GraphQLErrors(FaultErrors, Protocol):
    """A GraphQL face's answers, on top of those every face gives."""

    def bad_request(self, message: str, status: int) -> Response:
        """The body is not one GraphQL request (not JSON, a batch, no query...)."""
        ...

    def request_error(
        self, errors: Sequence[GraphQLError | str], code: str, *, graphql_response: bool
    ) -> Response:
        """A document or its variables refused before execution (no `data`).

        `graphql_response`: the client accepts application/graphql-response+json.
        """
        ...

    def result(self, result: ExecutionResult, *, graphql_response: bool) -> Response:
        """An executed operation: `data`, and `errors` in the vendor's words."""
        ...

    def too_complex(self, cost: int, limit: int, *, graphql_response: bool) -> Response:
        """An operation whose cost is over the bound, refused before execution."""
        ...

    def too_slow(self, seconds: float, *, graphql_response: bool) -> Response:
        """An execution stopped when it ran past its wall-clock budget."""
        ...


class StoreLock(AbstractContextManager[Any], Protocol):
    def acquire(self, blocking: bool = ..., timeout: float = ...) -> bool: ...

    def release(self) -> None: ...


class GraphQLStore(Replayable, Protocol):
    @property
    def lock(self) -> StoreLock: ...

    @property
    def clock(self) -> Clock: ...

    def read_stamp(self) -> tuple[int, int | None]:
        """The state's version and, if any, the moment (epoch ms) reads change by themselves."""
        ...


C = TypeVar("C", bound=GraphQLCaller)


@record
class GraphQLService(Generic[C]):
    """What one GraphQL face supplies to the shared endpoint."""

    face: str
    schema: GraphQLSchema
    store: GraphQLStore
    errors: GraphQLErrors
    authenticate: Callable[[Request], C | Response]
    context: Callable[[C, PagePolicy], object]
    rules: tuple[type[ASTValidationRule], ...] = ()
    explorer: str | None = None  # the page GET serves (GraphiQL); None: POST only
    limits: QueryLimits = field(default_factory=QueryLimits)


class GraphQLEndpoint(Generic[C]):
    """An ASGI app serving one schema at one or more paths."""

    def __init__(
        self, service: GraphQLService[C], scenarios: Scenarios, policies: Policies
    ) -> None:
        self._service = service
        self._faults = FaultInjector(scenarios, service.face, service.errors)
        self._policies = policies
        self._answers = ResultCache()
        self._executor = plain_leaf_execution()
        self._preparer = QueryPreparer(
            service.schema, extra_rules=service.rules, cost_limits=service.limits.cost
        )
        self._allowed = ("POST",) if service.explorer is None else ("GET", "HEAD", "POST")

    @property
    def preparer(self) -> QueryPreparer:
        """The cache of prepared documents."""
        return self._preparer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        service, errors = self._service, self._service.errors
        if request.method in ("GET", "HEAD") and service.explorer is not None:
            return HTMLResponse(service.explorer)
        if request.method != "POST":
            return errors.method_not_allowed(self._allowed)
        info = call_info(request.scope)
        info.face = service.face
        caller = service.authenticate(request)
        if isinstance(caller, Response):
            return caller
        info.account = caller.account_id
        accept = optional_header(request.headers, "accept") or ""
        graphql_response = GRAPHQL_RESPONSE_MEDIA_TYPE in accept
        try:
            params = read_params(await read_body(request), request.headers.get("content-type"))
        except BadGraphQLRequest as exc:
            return errors.bad_request(exc.message, exc.status)
        prepared = self._preparer.prepare(params.query)
        if prepared.syntax_errors:
            return errors.request_error(
                prepared.syntax_errors, codes.PARSE_FAILED, graphql_response=graphql_response
            )
        if prepared.validation_errors:
            return errors.request_error(
                prepared.validation_errors,
                codes.VALIDATION_FAILED,
                graphql_response=graphql_response,
            )
        operation = prepared.operation(params.operation_name)
        if operation is None or prepared.document is None:
            message = (
                f"Unknown operation named '{params.operation_name}'."
                if params.operation_name
                else "Must provide operation name if query contains multiple operations."
            )
            return errors.request_error(
                [message], codes.OPERATION_RESOLUTION_FAILURE, graphql_response=graphql_response
            )
        info.operation = ",".join(operation.root_fields)
        info.operation_name = operation.name
        limits = service.limits
        cost = self._preparer.cost(prepared, operation, params.variables)
        if cost > limits.cost.max_cost:
            return errors.too_complex(cost, limits.cost.max_cost, graphql_response=graphql_response)
        fault = await self._faults(
            request, operation.root_fields, caller.account_id, caller.rate_key
        )
        if fault is not None:
            return fault
        if caller.refusal is not None:
            # Refused before anything runs, in the shape of an executed operation's errors.
            refused = ExecutionResult(None, [caller.refusal])
            return errors.result(refused, graphql_response=graphql_response)
        read_only = operation.kind == "query"
        # Only an operation that may run long is timed: its fields are checked against
        # the budget on graphql-core's path, which compiled plans do not take.
        budgeted = cost > limits.threaded_cost
        args = (prepared, params, caller, graphql_response)
        try:
            if budgeted or self._store_busy():
                return await run_in_threadpool(
                    self._execute, *args, read_only=read_only, budgeted=budgeted
                )
            return self._execute(*args, read_only=read_only, budgeted=budgeted)
        except OverBudget:
            return errors.too_slow(limits.budget_seconds, graphql_response=graphql_response)

    def _store_busy(self) -> bool:
        """Whether a worker thread holds the store (a costly operation running): waiting
        for it on the event loop would stall every other request, so wait in a thread."""
        lock = self._service.store.lock
        if lock.acquire(blocking=False):
            lock.release()
            return False
        return True

    def _execute(
        self,
        prepared: Prepared,
        params: GraphQLParams,
        caller: C,
        graphql_response: bool,
        *,
        read_only: bool,
        budgeted: bool,
    ) -> Response:
        service = self._service
        store = service.store
        page = self._policies.page(service.face)
        # The same query from the same caller on the same state has the same answer; a
        # drifting list changes the state while it is read, so such reads are not reused.
        key = None
        variables = variables_key(params.variables)
        if read_only and not page.drift and variables is not None:
            key = (
                params.query,
                variables,
                params.operation_name,
                caller.cache_identity,
                graphql_response,
                page,
            )
        with store.lock:
            version, valid_until = store.read_stamp()
            if key is not None:
                cached = self._answers.get(key, version, store.clock.now_ms())
                if cached is not None:
                    error_codes(cached.codes)
                    return Response(cached.body, cached.status, media_type=cached.media_type)
            result = execute_prepared(
                service.schema,
                prepared,
                params,
                context=service.context(caller, page),
                executor=self._executor,
                store=store,
                abort_signal=Deadline(service.limits.budget_seconds) if budgeted else None,
            )
        response = self._render(result, graphql_response)
        if key is not None:
            answer = CachedAnswer(
                version,
                valid_until,
                response.status_code,
                bytes(response.body),
                response.media_type or "",
                current_codes(),
            )
            self._answers.put(key, answer)
        return response

    def _render(self, result: ExecutionResult, graphql_response: bool) -> Response:
        errors = self._service.errors
        if result.data is None and result.errors and all(e.path is None for e in result.errors):
            # Variables the operation's types refuse: nothing was executed.
            return errors.request_error(
                result.errors, codes.BAD_USER_INPUT, graphql_response=graphql_response
            )
        return errors.result(result, graphql_response=graphql_response)
