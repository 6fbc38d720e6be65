"""Routes built from the NextGen contract: one per path, under both URL prefixes."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.routing import BaseRoute

from simulator.face import Settings
from simulator.harness_ng.endpoint import NgEndpoint
from simulator.harness_ng.operations import OPERATIONS, OperationSpec
from simulator.openapi.binding import BoundOperation, bind_routes
from simulator.openapi.spec import load_contract
from simulator.resources import contracts_dir
from simulator.runtime import Simulator

CONTRACT_FILE = "harness-ng-user.openapi.yaml"
# Harness serves NextGen under /gateway on app.harness.io and at the root when self-managed.
PREFIXES = ("", "/gateway")
API_PREFIXES = tuple(prefix + "/ng/api/" for prefix in PREFIXES)


def build_routes(simulator: Simulator, settings: Settings) -> list[BaseRoute]:
    def endpoint(operations: Mapping[str, BoundOperation[OperationSpec]]) -> NgEndpoint:
        return NgEndpoint(simulator.harness, simulator.scenarios, simulator.policies, operations)

    contract = load_contract(contracts_dir() / CONTRACT_FILE)
    return bind_routes([contract], OPERATIONS, endpoint, prefixes=PREFIXES)
