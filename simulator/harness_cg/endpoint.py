"""The CurrentGen GraphQL endpoint: caller, cached preparation, execution, Harness's errors.

One request: authenticate the key (401 before anything else, as Harness's filter does),
read the body, prepare the document (parse and validation are cached by query text),
pick the operation, then execute it with sync resolvers under the store's lock, so a
query sees one consistent state and a mutation applies all or nothing.
"""

from __future__ import annotations

from ariadne.explorer import ExplorerGraphiQL
from graphql import ExecutionResult, GraphQLSchema
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send

from simulator.graphql.execution import execute_prepared, plain_leaf_execution
from simulator.graphql.limits import depth_limit, selection_limit
from simulator.graphql.prepared import Prepared, QueryPreparer
from simulator.graphql.requests import BadGraphQLRequest, GraphQLParams, read_params
from simulator.graphql.results import CachedAnswer, ResultCache, variables_key
from simulator.harness_cg import errors
from simulator.harness_cg.auth import Caller, authenticate
from simulator.harness_cg.context import CgContext
from simulator.harness_cg.schema import build_schema
from simulator.http import JSONResponse, query_params
from simulator.observe import call_info
from simulator.scenarios.consult import consult
from simulator.scenarios.engine import Scenarios
from simulator.scenarios.policies import Policies
from simulator.scenarios.rules import ScenarioError
from simulator.store.harness import HarnessStore

FACE = "harness-cg"
ALLOWED_METHODS = ("GET", "HEAD", "POST")
# Generous enough for any client's documents (and generated ones), small enough that a
# runaway nesting of users -> userGroups -> users... cannot tie the simulator up.
MAX_DEPTH = 20
MAX_FIELDS = 1_000

EXPLORER_QUERY = """# usersim: the Harness CurrentGen GraphQL API.
#
# Open "Headers" below and send your key, for the default fixture:
#   {"x-api-key": "usersim-admin-key"}
# then run this query (Ctrl-Enter).
{
  users(limit: 20, offset: 0) {
    pageInfo { total limit hasMore offset }
    nodes { id name email userGroups(limit: 10) { nodes { id name } } }
  }
}
"""


class CgEndpoint:
    """An ASGI app serving one GraphQL path; dispatches on the method so 405s name them all."""

    def __init__(
        self,
        store: HarnessStore,
        scenarios: Scenarios,
        policies: Policies,
        schema: GraphQLSchema | None = None,
    ) -> None:
        self._store = store
        self._scenarios = scenarios
        self._policies = policies
        self._schema = schema or build_schema()
        self._answers = ResultCache()
        self._executor = plain_leaf_execution()
        self._preparer = QueryPreparer(
            self._schema, extra_rules=(depth_limit(MAX_DEPTH), selection_limit(MAX_FIELDS))
        )
        self._explorer = ExplorerGraphiQL(
            title="usersim: Harness CurrentGen GraphQL", default_query=EXPLORER_QUERY
        ).html(None)

    @property
    def preparer(self) -> QueryPreparer:
        """The cache of prepared documents (shared by both paths)."""
        return self._preparer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self.handle(request)
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        if request.method in ("GET", "HEAD"):
            return HTMLResponse(self._explorer)
        if request.method != "POST":
            return errors.method_not_allowed(ALLOWED_METHODS)
        info = call_info(request.scope)
        info.face = FACE
        caller = authenticate(self._store, request.headers, query_params(request.scope))
        if isinstance(caller, Response):
            return caller
        info.account = caller.account_id
        graphql_response = errors.GRAPHQL_RESPONSE_MEDIA_TYPE in request.headers.get("accept", "")
        try:
            params = read_params(await request.body(), request.headers.get("content-type"))
        except BadGraphQLRequest as exc:
            return errors.bad_request(exc.message, exc.status)
        prepared = self._preparer.prepare(params.query)
        if prepared.syntax_errors:
            return errors.request_error(
                prepared.syntax_errors, "GRAPHQL_PARSE_FAILED", graphql_response=graphql_response
            )
        if prepared.validation_errors:
            return errors.request_error(
                prepared.validation_errors,
                "GRAPHQL_VALIDATION_FAILED",
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
                [message], "OPERATION_RESOLUTION_FAILURE", graphql_response=graphql_response
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
                key=caller.key.token_hash,
            )
        except ScenarioError as exc:
            return errors.bad_request("; ".join(exc.problems), 400)
        if decision is not None and decision.error is not None:
            return errors.render_fault(decision.error)
        return self._execute(
            prepared, params, caller, graphql_response, read_only=operation.kind == "query"
        )

    def _execute(
        self,
        prepared: Prepared,
        params: GraphQLParams,
        caller: Caller,
        graphql_response: bool,
        *,
        read_only: bool,
    ) -> Response:
        page = self._policies.page(FACE)
        context = CgContext(self._store, caller.user, caller.account_id, page)
        # A drifting list changes the state while it is read: such reads are not reused.
        key = None
        variables = variables_key(params.variables)
        if read_only and not page.drift and variables is not None:
            key = (
                params.query,
                variables,
                params.operation_name,
                caller.account_id,
                caller.user.id,
                graphql_response,
                page,
            )
        with self._store.lock:
            version, valid_until = self._store.read_stamp()
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
        response = self._render(result, graphql_response)
        if key is not None:
            answer = CachedAnswer(
                version,
                valid_until,
                response.status_code,
                bytes(response.body),
                response.media_type or "",
            )
            self._answers.put(key, answer)
        return response

    def _render(self, result: ExecutionResult, graphql_response: bool) -> Response:
        if result.data is None and result.errors and all(e.path is None for e in result.errors):
            # Variables the operation's types refuse: nothing was executed.
            return errors.request_error(
                result.errors, errors.BAD_USER_INPUT, graphql_response=graphql_response
            )
        body: dict[str, object] = {"data": result.data}
        if result.errors:
            body["errors"] = errors.field_errors(result.errors)
        if graphql_response:
            return JSONResponse(body, media_type=errors.GRAPHQL_RESPONSE_MEDIA_TYPE)
        return JSONResponse(body)
