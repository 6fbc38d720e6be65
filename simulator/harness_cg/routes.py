"""Routes of the CurrentGen face: the shared GraphQL endpoint at both of Harness's paths."""

from __future__ import annotations

from ariadne.explorer import ExplorerGraphiQL
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from simulator.face import Settings
from simulator.graphql.endpoint import GraphQLEndpoint, GraphQLService
from simulator.graphql.limits import depth_limit, selection_limit
from simulator.harness_cg.auth import Caller, authenticate
from simulator.harness_cg.context import CgContext
from simulator.harness_cg.errors import CgErrors
from simulator.harness_cg.schema import build_schema
from simulator.runtime import Simulator
from simulator.scenarios.policies import PagePolicy

NAME = "harness-cg"
PATHS = ("/gateway/api/graphql", "/api/graphql")
ERRORS = CgErrors()
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


def build_routes(simulator: Simulator, settings: Settings) -> list[BaseRoute]:
    """One endpoint (one prepared-document cache) for both paths, one route per path."""
    store = simulator.harness

    def caller(request: Request) -> Caller | Response:
        return authenticate(store, request)

    def context(caller: Caller, page: PagePolicy) -> CgContext:
        return CgContext(store, caller.user, caller.account_id, page)

    service = GraphQLService(
        face=NAME,
        schema=build_schema(),
        store=store,
        errors=ERRORS,
        authenticate=caller,
        context=context,
        limits=settings.graphql_limits,
        rules=(depth_limit(MAX_DEPTH), selection_limit(MAX_FIELDS)),
        explorer=ExplorerGraphiQL(
            title="usersim: Harness CurrentGen GraphQL", default_query=EXPLORER_QUERY
        ).html(None),
    )
    endpoint = GraphQLEndpoint(service, simulator.scenarios, simulator.policies)
    return [Route(path, endpoint) for path in PATHS]
