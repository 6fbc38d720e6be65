"""Routes of the CurrentGen face: the GraphQL endpoint under both of Harness's paths."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from simulator.harness_cg.endpoint import CgEndpoint
from simulator.scenarios.engine import Scenarios
from simulator.scenarios.policies import Policies
from simulator.store.harness import HarnessStore

PATHS = ("/gateway/api/graphql", "/api/graphql")


def build_routes(store: HarnessStore, scenarios: Scenarios, policies: Policies) -> list[BaseRoute]:
    """One endpoint (one prepared-document cache) for both paths, one route per path."""
    endpoint = CgEndpoint(store, scenarios, policies)
    return [Route(path, endpoint) for path in PATHS]
