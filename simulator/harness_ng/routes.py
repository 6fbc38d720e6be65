"""Routes built from the NextGen contracts: one per path, under both URL prefixes."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.routing import BaseRoute

from simulator.face import Settings

# The access-control handlers register themselves in OPERATIONS when imported.
from simulator.harness_ng import (  # noqa: F401
    authentication,
    invites,
    role_assignments,
    roles,
    user_groups,
)
from simulator.harness_ng.endpoint import NgEndpoint
from simulator.harness_ng.operations import OPERATIONS, OperationSpec
from simulator.openapi.binding import BoundOperation, bind_routes
from simulator.openapi.spec import load_contract
from simulator.resources import contracts_dir
from simulator.runtime import Simulator

CONTRACT_FILE = "harness-ng-user.openapi.yaml"
ACCESS_CONTRACT_FILE = "harness-ng-access.openapi.yaml"
# Harness serves NextGen under /gateway on app.harness.io and at the root when self-managed.
PREFIXES = ("", "/gateway")
# The services behind the gateway: NextGen manager, access control, resource groups.
SERVICES = ("/ng/api/", "/authz/api/", "/resourcegroup/api/")
API_PREFIXES = tuple(prefix + service for prefix in PREFIXES for service in SERVICES)


def build_routes(simulator: Simulator, settings: Settings) -> list[BaseRoute]:
    def endpoint(operations: Mapping[str, BoundOperation[OperationSpec]]) -> NgEndpoint:
        return NgEndpoint(simulator.harness, simulator.scenarios, simulator.policies, operations)

    contracts = [
        load_contract(contracts_dir() / name) for name in (CONTRACT_FILE, ACCESS_CONTRACT_FILE)
    ]
    return bind_routes(contracts, OPERATIONS, endpoint, prefixes=PREFIXES)
