"""schemathesis against our own NextGen contract, in-process, with its default checks."""

from __future__ import annotations

import schemathesis
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode

from tests import wire_arrays  # noqa: F401  (registers its schemathesis hook)
from tests.ids import ACCOUNT
from tests.openapi_contract import conformance_test, contract_schema, state_machine

schema = contract_schema("harness-ng-user.openapi.yaml")
app = schema.app
simulator = app.state.simulator
test_every_operation_conforms = conformance_test(schema)


def pin_account(case: schemathesis.Case) -> None:
    """A query generated to be invalid stays as generated: replacing its account could undo
    the very mutation the negative check then expects to be refused."""
    query_mode = case.meta.components.get(ParameterLocation.QUERY) if case.meta else None
    negative = query_mode is not None and query_mode.mode == GenerationMode.NEGATIVE
    if case.operation.get_parameter("accountIdentifier", "query") is not None and not negative:
        case.query = {**(case.query or {}), "accountIdentifier": ACCOUNT}


TestNgStateful = state_machine(schema, simulator, pin_account)
