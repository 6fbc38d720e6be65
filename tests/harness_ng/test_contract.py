"""schemathesis against our own NextGen contract, in-process, with its default checks."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode

from simulator.app import build_app
from simulator.resources import contracts_dir
from tests import wire_arrays  # noqa: F401  (registers its schemathesis hook)
from tests.ids import ACCOUNT
from tests.openapi_stateful import state_machine

app = build_app()
simulator = app.state.simulator

# Headers, the fixed account and per-operation check settings live in schemathesis.toml,
# shared with `make fuzz`.
config = SchemathesisConfig.from_path(Path(__file__).parents[2] / "schemathesis.toml")
schema = schemathesis.openapi.from_path(
    contracts_dir() / "harness-ng-user.openapi.yaml", config=config
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
    """A query generated to be invalid stays as generated: replacing its account could undo
    the very mutation the negative check then expects to be refused."""
    query_mode = case.meta.components.get(ParameterLocation.QUERY) if case.meta else None
    negative = query_mode is not None and query_mode.mode == GenerationMode.NEGATIVE
    if case.operation.get_parameter("accountIdentifier", "query") is not None and not negative:
        case.query = {**(case.query or {}), "accountIdentifier": ACCOUNT}


TestNgStateful = state_machine(schema, simulator, pin_account)
