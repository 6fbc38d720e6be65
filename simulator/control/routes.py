"""Control routes built from contracts/usersim-control.openapi.yaml."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.routing import BaseRoute

from simulator.control.endpoint import ControlEndpoint, Handler
from simulator.control.handlers import HANDLERS
from simulator.face import Settings
from simulator.openapi.binding import BoundOperation, bind_routes
from simulator.openapi.spec import load_contract
from simulator.resources import contracts_dir
from simulator.runtime import Simulator

CONTRACT_FILE = "usersim-control.openapi.yaml"
PREFIX = "/_usersim"


def build_routes(simulator: Simulator, settings: Settings) -> list[BaseRoute]:
    def endpoint(operations: Mapping[str, BoundOperation[Handler]]) -> ControlEndpoint:
        return ControlEndpoint(simulator, settings.control_token, operations)

    # Fault rules name faces, and the faces are whatever the app registered.
    faces = {"faces": simulator.scenarios.faces}
    contract = load_contract(contracts_dir() / CONTRACT_FILE, enums=faces)
    return bind_routes([contract], HANDLERS, endpoint)
