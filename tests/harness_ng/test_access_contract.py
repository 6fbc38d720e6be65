"""schemathesis against our own NextGen access-control contract, in-process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis

from tests import wire_arrays  # noqa: F401  (registers its schemathesis hook)
from tests.ids import ACCOUNT
from tests.openapi_contract import contract_schema, literal_siblings

schema = contract_schema("harness-ng-access.openapi.yaml")
schema.config.generation.update(max_examples=4)
app = schema.app
simulator = app.state.simulator

# `/roleassignments/filter` beside `/roleassignments/{identifier}`: Harness's JAX-RS
# routing, as usersim's, gives the literal path precedence and answers 405 for a method it
# does not serve there, so such words are never identifiers of the templated operations.
LITERAL_SIBLINGS = literal_siblings(schema)


@schema.hook
def filter_path_parameters(
    context: schemathesis.HookContext, path_parameters: dict[str, Any] | None
) -> bool:
    return not LITERAL_SIBLINGS.intersection(map(str, (path_parameters or {}).values()))


@pytest.fixture
def answered() -> Iterator[list[int]]:
    """The statuses one operation's examples got. It spans all of them (hence the health
    check suppressed below), so the check runs inside the operation's own test item,
    wherever pytest-xdist runs it: an operation only ever refused would pass vacuously."""
    statuses: list[int] = []
    yield statuses
    assert not set(statuses) <= {401, 403}, f"only refused: {statuses}"


@schema.parametrize()
@hypothesis.settings(suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
def test_every_operation_conforms(case: schemathesis.Case, answered: list[int]) -> None:
    simulator.reset()
    response = case.call_and_validate()
    answered.append(response.status_code)
    assert simulator.invariants() == []


class AccessStateMachine(schema.as_state_machine()):  # type: ignore[misc]
    def setup(self) -> None:
        simulator.reset()

    def before_call(self, case: schemathesis.Case) -> None:
        if case.operation.get_parameter("accountIdentifier", "query") is not None:
            case.query = {**(case.query or {}), "accountIdentifier": ACCOUNT}
        super().before_call(case)

    def after_call(self, response: Any, case: schemathesis.Case) -> None:
        super().after_call(response, case)

    def teardown(self) -> None:
        assert simulator.invariants() == []


TestAccessStateful = AccessStateMachine.TestCase
TestAccessStateful.settings = hypothesis.settings(
    TestAccessStateful.settings, max_examples=5, stateful_step_count=4
)
