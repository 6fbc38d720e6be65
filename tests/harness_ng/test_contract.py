"""schemathesis against our own NextGen contract, in-process, with its default checks."""

from __future__ import annotations

from pathlib import Path

import hypothesis
import schemathesis
from schemathesis.config import SchemathesisConfig

from simulator.app import build_app
from simulator.resources import contracts_dir

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


class NgStateMachine(schema.as_state_machine()):  # type: ignore[misc]
    def setup(self) -> None:
        simulator.reset()

    def teardown(self) -> None:
        assert simulator.invariants() == []


TestNgStateful = NgStateMachine.TestCase
TestNgStateful.settings = hypothesis.settings(
    max_examples=15,
    stateful_step_count=6,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
