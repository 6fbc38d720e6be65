"""The GraphQL Platform API endpoint: gateway, then Apollo-style GraphQL.

One request: the gateway part checks the host and the key (401/403) and answers with
bare messages; fault rules (the documented 429 rate limit among them) apply next; the Platform API part reads the body, prepares
the document (parse and validation cached by query text: 400 on failure, as Apollo
Server answers), refuses a team context without a valid identity, then executes the
one operation with sync resolvers under the store's lock, so a query sees one
consistent state and a mutation applies all or nothing.
"""

from __future__ import annotations

from graphql import ExecutionResult, GraphQLSchema
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from simulator.graphql.execution import execute_prepared, plain_leaf_execution
from simulator.graphql.limits import depth_limit, selection_limit
from simulator.graphql.prepared import Prepared, QueryPreparer
from simulator.graphql.requests import BadGraphQLRequest, GraphQLParams, read_params
from simulator.graphql.results import CachedAnswer, ResultCache, variables_key
from simulator.http import JSONResponse
from simulator.observe import call_info
from simulator.rapidapi import errors
from simulator.rapidapi.auth import HOST_HEADER, Caller, authenticate, names_platform_api
from simulator.rapidapi.context import RapidApiContext
from simulator.rapidapi.rules import OneOperation
from simulator.scenarios.consult import consult
from simulator.scenarios.engine import Scenarios
from simulator.scenarios.policies import Policies
from simulator.scenarios.rules import ScenarioError
from simulator.store.rapidapi import RapidApiStore

FACE = "rapidapi"
# Room for any client's documents and for generated ones (hypothesis-graphql nests at
# most 8 deep), small enough that user -> Teams -> users -> userData... stays cheap.
MAX_DEPTH = 12
MAX_FIELDS = 500


class RapidApiEndpoint:
    """An ASGI app serving one contract version at one path (POST only)."""

    def __init__(
        self,
        store: RapidApiStore,
        schema: GraphQLSchema,
        scenarios: Scenarios,
        policies: Policies,
    ) -> None:
        self._store = store
        self._schema = schema
        self._scenarios = scenarios
        self._policies = policies
        self._answers = ResultCache()
        self._executor = plain_leaf_execution()
        self._preparer = QueryPreparer(
            schema, extra_rules=(OneOperation, depth_limit(MAX_DEPTH), selection_limit(MAX_FIELDS))
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self.handle(request)
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        if request.method != "POST":
            return JSONResponse(
                {"message": f"Method {request.method} is not allowed: send a POST."},
                status_code=405,
                headers={"Allow": "POST"},
            )
        info = call_info(request.scope)
        info.face = FACE
        host = request.headers.get(HOST_HEADER)
        if host is not None and not names_platform_api(host):
            return errors.gateway_error(404)
        caller = authenticate(self._store, request.headers)
        if isinstance(caller, Response):
            return caller
        info.account = caller.account_id
        try:
            params = read_params(await request.body(), request.headers.get("content-type"))
        except BadGraphQLRequest as exc:
            return errors.request_errors([exc.message], errors.BAD_REQUEST, exc.status)
        prepared = self._preparer.prepare(params.query)
        if prepared.syntax_errors:
            return errors.request_errors(prepared.syntax_errors, errors.PARSE_FAILED)
        if prepared.validation_errors:
            return errors.request_errors(prepared.validation_errors, errors.VALIDATION_FAILED)
        operation = prepared.operation(params.operation_name)
        if operation is None or prepared.document is None:
            return errors.request_errors(
                [f"Unknown operation named '{params.operation_name}'."],
                errors.OPERATION_RESOLUTION_FAILURE,
            )
        info.operation = ",".join(operation.root_fields)
        info.operation_name = operation.name
        try:
            decision = await consult(
                self._scenarios,
                request.scope,
                request.headers,
                face=FACE,
                operations=operation.root_fields,
                account=caller.account_id,
                key=str(caller.principal),
            )
        except ScenarioError as exc:
            return errors.gateway_error(400, "; ".join(exc.problems))
        if decision is not None and decision.error is not None:
            return errors.render_fault(decision.error)
        if caller.refusal is not None:
            return errors.refused(caller.refusal)
        return self._execute(prepared, params, caller, read_only=operation.kind == "query")

    def _execute(
        self, prepared: Prepared, params: GraphQLParams, caller: Caller, *, read_only: bool
    ) -> Response:
        page = self._policies.page(FACE)
        context = RapidApiContext(self._store, caller, page)
        # The same query from the same context on the same state has the same answer.
        key = None
        variables = variables_key(params.variables)
        if read_only and variables is not None:
            actor = caller.actor
            key = (
                params.query,
                variables,
                params.operation_name,
                caller.account_id,
                None if actor is None else actor.id,
                page,
            )
        with self._store.lock:
            version = self._store.state.db.version
            if key is not None:
                cached = self._answers.get(key, version, self._store.clock.now_ms())
                if cached is not None:
                    return Response(cached.body, cached.status, media_type=cached.media_type)
            result = execute_prepared(
                self._schema,
                prepared,
                params,
                context=context,
                executor=self._executor,
                store=self._store,
            )
        response = self._render(result)
        if key is not None:
            answer = CachedAnswer(
                version, None, response.status_code, bytes(response.body), response.media_type or ""
            )
            self._answers.put(key, answer)
        return response

    def _render(self, result: ExecutionResult) -> Response:
        if result.data is None and result.errors and all(e.path is None for e in result.errors):
            # Variables the operation's types refuse: nothing was executed.
            return errors.request_errors(result.errors, errors.BAD_USER_INPUT)
        body: dict[str, object] = {"data": result.data}
        if result.errors:
            body["errors"] = [errors.format_error(error) for error in result.errors]
        return JSONResponse(body)
