"""Routes built from the SCIM contract: one per path, with and without `/gateway`."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.routing import BaseRoute

from simulator.face import Settings
from simulator.harness_scim.endpoint import ScimEndpoint
from simulator.harness_scim.operations import OPERATIONS, ScimOperation
from simulator.openapi.binding import BoundOperation, bind_routes
from simulator.openapi.spec import load_contract
from simulator.resources import contracts_dir
from simulator.runtime import Simulator

CONTRACT_FILE = "harness-scim.openapi.yaml"
# Under NextGen's prefixes: the longest prefix wins, so these paths are this face's.
PREFIXES = ("", "/gateway")
API_PREFIXES = tuple(prefix + "/ng/api/scim/account/" for prefix in PREFIXES)


def build_routes(simulator: Simulator, settings: Settings) -> list[BaseRoute]:
    def endpoint(operations: Mapping[str, BoundOperation[ScimOperation]]) -> ScimEndpoint:
        return ScimEndpoint(simulator.harness, simulator.scenarios, simulator.policies, operations)

    contract = load_contract(contracts_dir() / CONTRACT_FILE)
    return bind_routes([contract], OPERATIONS, endpoint, prefixes=PREFIXES)
