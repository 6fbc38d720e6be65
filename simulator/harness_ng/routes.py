"""Routes built from the NextGen contracts: one per path, under both URL prefixes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

# The access-control handlers register themselves in OPERATIONS when imported.
from simulator.harness_ng import (  # noqa: F401
    authentication,
    envelopes,
    invites,
    role_assignments,
    roles,
    user_groups,
)
from simulator.harness_ng.endpoint import BoundOperation, NgEndpoint
from simulator.harness_ng.operations import OPERATIONS
from simulator.openapi.spec import Contract, load_contract
from simulator.openapi.validation import RequestValidator
from simulator.resources import contracts_dir
from simulator.scenarios.engine import Scenarios
from simulator.scenarios.policies import Policies
from simulator.store.harness import HarnessStore

CONTRACT_FILES = ("harness-ng-user.openapi.yaml", "harness-ng-access.openapi.yaml")
PREFIXES = ("", "/gateway")
# The services behind Harness's gateway: NextGen manager, access control, resource groups.
SERVICES = ("/ng/api", "/authz/api", "/resourcegroup/api")
_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def load() -> Contract:
    """The NextGen contracts as one: their operations together, the first one's document."""
    contracts = [load_contract(contracts_dir() / name) for name in CONTRACT_FILES]
    operations = tuple(op for contract in contracts for op in contract.operations)
    return Contract(contracts[0].document, operations)


def build_routes(
    store: HarnessStore,
    scenarios: Scenarios,
    policies: Policies,
    contract: Contract | None = None,
) -> list[BaseRoute]:
    """Every contract operation gets its handler; a handler the contract lacks is a bug."""
    contract = contract or load()
    declared = {op.operation_id for op in contract.operations}
    if declared != set(OPERATIONS):
        missing = sorted(declared - set(OPERATIONS))
        extra = sorted(set(OPERATIONS) - declared)
        raise RuntimeError(
            f"NextGen handlers out of step with the contract: missing {missing}, extra {extra}"
        )
    routes: list[BaseRoute] = []
    # Literal paths first: "/ng/api/user/password" must win over "/ng/api/user/{userId}".
    paths = sorted(contract.by_path().items(), key=lambda item: ("{" in item[0], item[0]))
    for path, methods in paths:
        bound = {
            method: BoundOperation(op, RequestValidator(op), OPERATIONS[op.operation_id])
            for method, op in methods.items()
        }
        endpoint = NgEndpoint(store, scenarios, policies, bound)
        routes.extend(Route(prefix + path, endpoint) for prefix in PREFIXES)
    routes.extend(
        Route(f"{prefix}{service}/{{rest:path}}", _unknown_path, methods=_METHODS)
        for prefix in PREFIXES
        for service in SERVICES
    )
    return routes


async def _unknown_path(request: Request) -> Response:
    return envelopes.not_found_path()
