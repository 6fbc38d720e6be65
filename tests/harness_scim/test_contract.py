"""schemathesis against our own SCIM contract, in-process, with its default checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hypothesis
import schemathesis
from schemathesis.config import SchemathesisConfig

from simulator.app import build_app
from simulator.resources import contracts_dir

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


# Statuses the stateful runs saw: the module's last test checks they were not all refusals.
stateful_statuses: list[int] = []


class ScimStateMachine(schema.as_state_machine()):  # type: ignore[misc]
    def setup(self) -> None:
        simulator.reset()

    def before_call(self, case: schemathesis.Case) -> None:
        # The state machine does not apply [parameters] from schemathesis.toml.
        case.path_parameters = {
            **(case.path_parameters or {}),
            "accountIdentifier": "UsersimAccount00000001",
        }
        super().before_call(case)

    def after_call(self, response: Any, case: schemathesis.Case) -> None:
        stateful_statuses.append(response.status_code)
        super().after_call(response, case)

    def teardown(self) -> None:
        assert simulator.invariants() == []


TestScimStateful = ScimStateMachine.TestCase
TestScimStateful.settings = hypothesis.settings(
    TestScimStateful.settings,
    max_examples=15,
    stateful_step_count=6,
)


def test_the_stateful_runs_reached_the_api() -> None:
    """Guards against a vacuous pass (every call refused by auth)."""
    assert stateful_statuses, "the stateful test did not run first"
    assert sum(200 <= status < 300 for status in stateful_statuses) >= 5
