"""`make fuzz`: the suite's contract tests for every contract, with a larger budget.

Nothing is redefined here: each name below is the suite's own test, collected again
after `fuzz.targets` raised its budget and put a request counter in front of its app.
"""

from __future__ import annotations

from fuzz.targets import control, harness_cg, harness_ng, harness_ng_access, harness_scim, rapidapi

# Which contract each test belongs to (the summary groups by it).
OWNERS = {
    "test_harness_ng_operations": "harness_ng",
    "TestHarnessNgStateful": "harness_ng",
    "test_harness_ng_access_operations": "harness_ng_access",
    "TestHarnessNgAccessStateful": "harness_ng_access",
    "test_harness_scim_operations": "harness_scim",
    "TestHarnessScimStateful": "harness_scim",
    "test_harness_cg_operations": "harness_cg",
    "test_rapidapi_operations": "rapidapi",
    "TestRapidApiStateful": "rapidapi",
    "test_control_operations": "control",
}

# Longest-running last: if FUZZ_MAX_TIME runs out, what is skipped is the tail of the
# NextGen operations, and every contract has been fuzzed.
TestHarnessNgStateful = harness_ng.TestNgStateful
TestHarnessNgAccessStateful = harness_ng_access.TestAccessStateful
TestHarnessScimStateful = harness_scim.TestScimStateful
TestRapidApiStateful = rapidapi.TestRapidApiStateful
test_control_operations = control.test_every_control_operation_conforms
test_harness_cg_operations = harness_cg.test_every_operation_conforms
test_harness_ng_access_operations = harness_ng_access.test_every_operation_conforms
answered = harness_ng_access.answered  # the fixture that operation test asks for
test_harness_scim_operations = harness_scim.test_every_operation_conforms
test_rapidapi_operations = rapidapi.test_every_operation_conforms
test_harness_ng_operations = harness_ng.test_every_operation_conforms
