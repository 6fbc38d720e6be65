"""schemathesis against the control API's contract, in-process, with its default checks."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from schemathesis.config import SchemathesisConfig

from simulator.app import build_app
from simulator.resources import contracts_dir
from tests import wire_arrays  # noqa: F401  (registers its schemathesis hook)

app = build_app()
simulator = app.state.simulator

config = SchemathesisConfig.from_path(Path(__file__).parents[2] / "schemathesis.toml")
schema = schemathesis.openapi.from_path(
    contracts_dir() / "usersim-control.openapi.yaml", config=config
)
schema.app = app
schema.config.update(base_url="http://localhost")
schema.config.generation.update(max_examples=25)


@schema.parametrize()
def test_every_control_operation_conforms(case: schemathesis.Case) -> None:
    simulator.reset()
    case.call_and_validate()
    assert simulator.invariants() == []
