"""Routes of the CurrentGen face: the shared GraphQL endpoint at both of Harness's paths.

The endpoint is built off the start-up path (simulator/graphql/deferred.py), so this
module imports nothing of graphql-core or ariadne itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from simulator.face import Settings
from simulator.graphql.deferred import DeferredEndpoint
from simulator.graphql.explorer import explorer_page
from simulator.harness_cg.errors import CgErrors
from simulator.runtime import Simulator

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from simulator.harness_cg.auth import Caller
    from simulator.harness_cg.context import CgContext
    from simulator.scenarios.policies import PagePolicy

NAME = "harness-cg"
PATHS = ("/gateway/api/graphql", "/api/graphql")
ERRORS = CgErrors()
# Generous enough for any client's documents (and generated ones), small enough that a
# runaway nesting of users -> userGroups -> users... cannot tie the simulator up.
MAX_DEPTH = 20
MAX_FIELDS = 1_000
ADMIN_KEY = "usersim-admin-key"  # the default fixture's, filled in the explorer's headers

EXPLORER_QUERY = """# usersim: the Harness CurrentGen GraphQL API.
#
# The headers below send the default fixture's admin
# key (x-api-key); with other fixtures, put one of
# theirs there. Run this query with Ctrl-Enter.
{
  users(limit: 20, offset: 0) {
    pageInfo { total limit hasMore offset }
    nodes { id name email userGroups(limit: 10) { nodes { id name } } }
  }
}
"""


def build_routes(simulator: Simulator, settings: Settings) -> list[BaseRoute]:
    """One endpoint (one prepared-document cache) for both paths, one route per path."""
    endpoint = DeferredEndpoint(lambda: _endpoint(simulator, settings))
    settings.deferred.append(endpoint.get)
    return [Route(path, endpoint) for path in PATHS]


def _endpoint(simulator: Simulator, settings: Settings) -> ASGIApp:
    from simulator.graphql.endpoint import GraphQLEndpoint, GraphQLService
    from simulator.graphql.limits import depth_limit, selection_limit
    from simulator.harness_cg.auth import authenticate
    from simulator.harness_cg.context import CgContext
    from simulator.harness_cg.schema import build_schema

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
        explorer=explorer_page(
            "usersim: Harness CurrentGen GraphQL", EXPLORER_QUERY, {"x-api-key": ADMIN_KEY}
        ),
    )
    return GraphQLEndpoint(service, simulator.scenarios, simulator.policies)
