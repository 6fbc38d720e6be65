"""The stateful schemathesis run every OpenAPI contract test makes of its face.

Each scenario starts from a reset state and must leave the invariants holding; the
statuses it saw are kept so the module can check the run was not refused throughout
(every call turned away by auth would pass vacuously).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import hypothesis
import schemathesis
from schemathesis.specs.openapi.schemas import OpenApiSchema

from simulator.runtime import Simulator


def state_machine(
    schema: OpenApiSchema,
    simulator: Simulator,
    pin: Callable[[schemathesis.Case], None],
    statuses: list[int],
) -> Any:
    """The state machine's TestCase; `pin` fixes what schemathesis.toml's [parameters]
    would (the state machine does not apply them), `statuses` collects what was answered."""

    class ContractStateMachine(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            simulator.reset()

        def before_call(self, case: schemathesis.Case) -> None:
            pin(case)
            super().before_call(case)

        def after_call(self, response: Any, case: schemathesis.Case) -> None:
            statuses.append(response.status_code)
            super().after_call(response, case)

        def teardown(self) -> None:
            assert simulator.invariants() == []

    test_case = ContractStateMachine.TestCase
    test_case.settings = hypothesis.settings(
        test_case.settings, max_examples=15, stateful_step_count=6
    )
    return test_case


def assert_reached_the_api(statuses: list[int]) -> None:
    """Guards against a vacuous pass (every call refused by auth)."""
    assert statuses, "the stateful test did not run first"
    assert sum(200 <= status < 300 for status in statuses) >= 5
