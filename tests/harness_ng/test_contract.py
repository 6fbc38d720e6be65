"""schemathesis against our own NextGen contract, in-process, with its default checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hypothesis
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode

from simulator.app import build_app
from simulator.resources import contracts_dir
from tests import wire_arrays  # noqa: F401  (registers its schemathesis hook)
from tests.ids import ACCOUNT

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


# Statuses the stateful runs saw: the module's last test checks they were not all refusals.
stateful_statuses: list[int] = []


class NgStateMachine(schema.as_state_machine()):  # type: ignore[misc]
    def setup(self) -> None:
        simulator.reset()

    def before_call(self, case: schemathesis.Case) -> None:
        # The state machine does not apply [parameters] from schemathesis.toml. A query
        # generated to be invalid stays as generated: replacing its account could undo the
        # very mutation the negative check then expects to be refused.
        query_mode = case.meta.components.get(ParameterLocation.QUERY) if case.meta else None
        negative = query_mode is not None and query_mode.mode == GenerationMode.NEGATIVE
        if case.operation.get_parameter("accountIdentifier", "query") is not None and not negative:
            case.query = {**(case.query or {}), "accountIdentifier": ACCOUNT}
        super().before_call(case)

    def after_call(self, response: Any, case: schemathesis.Case) -> None:
        stateful_statuses.append(response.status_code)
        super().after_call(response, case)

    def teardown(self) -> None:
        assert simulator.invariants() == []


TestNgStateful = NgStateMachine.TestCase
TestNgStateful.settings = hypothesis.settings(
    TestNgStateful.settings,
    max_examples=15,
    stateful_step_count=6,
)


def test_the_stateful_runs_reached_the_api() -> None:
    """Guards against a vacuous pass (every call refused by auth)."""
    assert stateful_statuses, "the stateful test did not run first"
    assert sum(200 <= status < 300 for status in stateful_statuses) >= 5
