"""The routes of the Platform API face: one per contract version, plus `POST /`.

RapidAPI serves the Platform API at the root of its host, so a client pointed at usersim
only by its base URL posts to `/`. That route claims a request only when
x-rapidapi-host names the Platform API; any other request to `/` is left to whatever
else the app serves there.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from starlette.datastructures import Headers
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Scope

from simulator.face import Settings
from simulator.graphql.deferred import DeferredEndpoint
from simulator.graphql.explorer import explorer_page
from simulator.rapidapi.auth import HOST_HEADER, names_platform_api
from simulator.rapidapi.errors import RapidApiErrors
from simulator.rapidapi.schema import CURRENT, VERSIONS, ContractVersion
from simulator.runtime import Simulator

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from simulator.rapidapi.auth import Caller
    from simulator.rapidapi.context import RapidApiContext
    from simulator.scenarios.policies import PagePolicy

NAME = "rapidapi"
PREFIX = "/rapidapi/"
ERRORS = RapidApiErrors()
# Room for any client's documents and for generated ones (hypothesis-graphql nests at
# most 8 deep), small enough that user -> Teams -> users -> userData... stays cheap.
MAX_DEPTH = 12
MAX_FIELDS = 500
PLATFORM_KEY = "usersim-rapidapi-key"  # the default fixture's, filled in the explorer's headers
EXPLORER_QUERY = """# usersim: the RapidAPI Platform GraphQL API
# ({file}).
#
# The headers below send the default fixture's key
# (x-rapidapi-key, a personal context); with other
# fixtures, put one of theirs there.
# Run this query with Ctrl-Enter.
{{
  roles(where: {{roleLevels: [USER_TEAM]}}) {{
    nodes {{ id key name roleLevel }}
  }}
}}
"""


def claims_root(scope: Scope) -> bool:
    """Whether a request to `/` is for the Platform API (its x-rapidapi-host says so)."""
    return scope["type"] == "http" and names_platform_api(Headers(scope=scope).get(HOST_HEADER))


class PlatformHostRoute(Route):
    """A route that matches only requests whose x-rapidapi-host names the Platform API."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if not claims_root(scope):
            return Match.NONE, {}
        return super().matches(scope)


def build_routes(simulator: Simulator, settings: Settings) -> list[BaseRoute]:
    """One endpoint per contract version, built off the start-up path
    (simulator/graphql/deferred.py)."""
    endpoints = {}
    for version in VERSIONS:
        endpoint = endpoints[version] = DeferredEndpoint(
            partial(_endpoint, simulator, settings, version)
        )
        settings.deferred.append(endpoint.get)
    routes: list[BaseRoute] = [
        Route(version.path, endpoint) for version, endpoint in endpoints.items()
    ]
    routes.append(PlatformHostRoute("/", endpoints[CURRENT]))
    return routes


def _endpoint(simulator: Simulator, settings: Settings, version: ContractVersion) -> ASGIApp:
    from simulator.graphql.endpoint import GraphQLEndpoint, GraphQLService
    from simulator.graphql.limits import depth_limit, selection_limit
    from simulator.rapidapi.auth import authenticate
    from simulator.rapidapi.context import RapidApiContext
    from simulator.rapidapi.rules import OneOperation
    from simulator.rapidapi.schema import build_schema

    store = simulator.rapidapi

    def caller(request: Request) -> Caller | Response:
        return authenticate(store, request)

    def context(caller: Caller, page: PagePolicy) -> RapidApiContext:
        return RapidApiContext(store, caller, page)

    service = GraphQLService(
        face=NAME,
        schema=build_schema(version),
        store=store,
        errors=ERRORS,
        authenticate=caller,
        context=context,
        limits=settings.graphql_limits,
        rules=(OneOperation, depth_limit(MAX_DEPTH), selection_limit(MAX_FIELDS)),
        explorer=explorer_page(
            f"usersim: RapidAPI Platform GraphQL ({version.path})",
            EXPLORER_QUERY.format(file=version.file),
            {"x-rapidapi-key": PLATFORM_KEY},
        ),
    )
    return GraphQLEndpoint(service, simulator.scenarios, simulator.policies)
