"""What every OpenAPI contract test of a face shares: its schema, its conformance test and
its stateful run.

The schema is loaded with schemathesis.toml (headers, the fixed account and per-operation
check settings, shared with `make fuzz`) and called in-process. Each stateful scenario
starts from a reset state and must leave the invariants holding. The run as a whole must
also have reached the API: every call turned away by auth would pass vacuously. That
check lives in the test itself, not in a later test of the module, so it holds wherever
pytest-xdist runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import hypothesis
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.schemas import OpenApiSchema

from simulator.app import build_app
from simulator.resources import contracts_dir
from simulator.runtime import Simulator


def contract_schema(contract: str) -> OpenApiSchema:
    """`contracts/<contract>` bound to a fresh app of its own (`schema.app`), under /gateway."""
    config = SchemathesisConfig.from_path(Path(__file__).parents[1] / "schemathesis.toml")
    schema = schemathesis.openapi.from_path(contracts_dir() / contract, config=config)
    schema.app = build_app()
    schema.config.update(base_url="http://localhost/gateway")
    schema.config.generation.update(max_examples=25)
    return schema


def literal_siblings(schema: OpenApiSchema) -> set[str]:
    """The last segments of literal paths that sit beside a templated one under the same
    parent (`filter` of `/roleassignments/filter` beside `/roleassignments/{identifier}`)."""
    parents: dict[str, set[str]] = {}
    for path in schema.raw_schema["paths"]:
        parent, _, last = path.rpartition("/")
        parents.setdefault(parent, set()).add(last)
    return {
        last
        for lasts in parents.values()
        if any(last.startswith("{") for last in lasts)
        for last in lasts
        if not last.startswith("{")
    }


def conformance_test(schema: OpenApiSchema) -> Callable[[schemathesis.Case], None]:
    """Every operation, from a reset state, with schemathesis's default checks; the
    invariants must hold after each case."""
    simulator: Simulator = schema.app.state.simulator

    @schema.parametrize()  # type: ignore[misc]
    def test_every_operation_conforms(case: schemathesis.Case) -> None:
        simulator.reset()
        case.call_and_validate()
        assert simulator.invariants() == []

    return test_every_operation_conforms  # type: ignore[no-any-return]


def state_machine(
    schema: OpenApiSchema, simulator: Simulator, pin: Callable[[schemathesis.Case], None]
) -> Any:
    """The state machine's TestCase; `pin` fixes what schemathesis.toml's [parameters]
    would (the state machine does not apply them)."""
    statuses: list[int] = []

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

    class ContractStateful(ContractStateMachine.TestCase):  # type: ignore[misc]
        settings = hypothesis.settings(
            ContractStateMachine.TestCase.settings, max_examples=15, stateful_step_count=6
        )

        def runTest(self) -> None:
            statuses.clear()
            super().runTest()
            successes = sum(200 <= status < 300 for status in statuses)
            assert successes >= 5, f"only {successes} of {len(statuses)} calls succeeded"

        runTest.is_hypothesis_test = True  # type: ignore[attr-defined]

    return ContractStateful
