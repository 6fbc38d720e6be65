"""Routes built from the NextGen contract: one per path, under both URL prefixes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from simulator.harness_ng import envelopes
from simulator.harness_ng.endpoint import BoundOperation, NgEndpoint
from simulator.harness_ng.operations import OPERATIONS
from simulator.openapi.spec import Contract, load_contract
from simulator.openapi.validation import RequestValidator
from simulator.resources import contracts_dir
from simulator.scenarios.engine import Scenarios
from simulator.scenarios.policies import Policies
from simulator.store.harness import HarnessStore

CONTRACT_FILE = "harness-ng-user.openapi.yaml"
PREFIXES = ("", "/gateway")


def load() -> Contract:
    return load_contract(contracts_dir() / CONTRACT_FILE)


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
    routes.extend(Route(prefix + "/ng/api/{rest:path}", _unknown_path) for prefix in PREFIXES)
    return routes


async def _unknown_path(request: Request) -> Response:
    return envelopes.not_found_path()
