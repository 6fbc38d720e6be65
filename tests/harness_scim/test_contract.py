"""schemathesis against our own SCIM contract, in-process, with its default checks."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from schemathesis.config import SchemathesisConfig

from simulator.app import build_app
from simulator.resources import contracts_dir
from tests.ids import ACCOUNT
from tests.openapi_stateful import state_machine

# SCIM bodies are JSON under their own media type.
schemathesis.serializer.alias("application/scim+json", "application/json")

app = build_app()
simulator = app.state.simulator

# The bearer token, the fixed account and per-operation check settings live in
# schemathesis.toml, shared with `make fuzz`.
config = SchemathesisConfig.from_path(Path(__file__).parents[2] / "schemathesis.toml")
schema = schemathesis.openapi.from_path(
    contracts_dir() / "harness-scim.openapi.yaml", config=config
)
schema.app = app
schema.config.update(base_url="http://localhost/gateway")
schema.config.generation.update(max_examples=25)


@schema.parametrize()
def test_every_operation_conforms(case: schemathesis.Case) -> None:
    simulator.reset()
    case.call_and_validate()
    assert simulator.invariants() == []


def pin_account(case: schemathesis.Case) -> None:
    case.path_parameters = {**(case.path_parameters or {}), "accountIdentifier": ACCOUNT}


TestScimStateful = state_machine(schema, simulator, pin_account)
