"""schemathesis against our own SCIM contract, in-process, with its default checks."""

from __future__ import annotations

import schemathesis

from tests.ids import ACCOUNT
from tests.openapi_contract import conformance_test, contract_schema, state_machine

# SCIM bodies are JSON under their own media type.
schemathesis.serializer.alias("application/scim+json", "application/json")

schema = contract_schema("harness-scim.openapi.yaml")
app = schema.app
simulator = app.state.simulator
test_every_operation_conforms = conformance_test(schema)


def pin_account(case: schemathesis.Case) -> None:
    case.path_parameters = {**(case.path_parameters or {}), "accountIdentifier": ACCOUNT}


TestScimStateful = state_machine(schema, simulator, pin_account)
