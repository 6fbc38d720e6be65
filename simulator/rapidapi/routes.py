"""The routes of the Platform API face: one per contract version, plus `POST /`.

RapidAPI serves the Platform API at the root of its host, so a client pointed at usersim
only by its base URL posts to `/`. That route claims a request only when
x-rapidapi-host names the Platform API; any other request to `/` is left to whatever
else the app serves there.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope

from simulator.rapidapi.auth import HOST_HEADER, names_platform_api
from simulator.rapidapi.endpoint import RapidApiEndpoint
from simulator.rapidapi.schema import CURRENT, VERSIONS, build_schema
from simulator.scenarios.engine import Scenarios
from simulator.scenarios.policies import Policies
from simulator.store.rapidapi import RapidApiStore


class PlatformHostRoute(Route):
    """A route that matches only requests whose x-rapidapi-host names the Platform API."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or not names_platform_api(Headers(scope=scope).get(HOST_HEADER)):
            return Match.NONE, {}
        return super().matches(scope)


def build_routes(store: RapidApiStore, scenarios: Scenarios, policies: Policies) -> list[BaseRoute]:
    endpoints = {
        version: RapidApiEndpoint(store, build_schema(version), scenarios, policies)
        for version in VERSIONS
    }
    routes: list[BaseRoute] = [
        Route(version.path, endpoint) for version, endpoint in endpoints.items()
    ]
    routes.append(PlatformHostRoute("/", endpoints[CURRENT]))
    return routes
