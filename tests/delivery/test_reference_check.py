"""`make reference-check`, bounded: schemathesis with Harness's published NextGen contract
against a server with the default fixture, as the README tells a new user to run it.

Its generated wrong passwords must not lock the admin out (lockout is off by default, as
in Harness), so every operation answers something other than 401/403 at least once and
schemathesis never warns that authentication failed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from simulator.testing.server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
# The reference material lies beside the checkout (../shared), as the Makefile expects.
REFERENCE = Path(
    os.environ.get(
        "USERSIM_REFERENCE", ROOT.parent / "shared" / "reference" / "harness-ng-user.openapi.yaml"
    )
)
pytestmark = pytest.mark.skipif(
    not REFERENCE.is_file() or shutil.which("make") is None,
    reason=f"no reference contract at {REFERENCE} (set USERSIM_REFERENCE) or no make",
)


def reference_operations() -> set[str]:
    document = yaml.safe_load(REFERENCE.read_text())
    return {
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }


def test_every_reference_operation_gets_past_authentication() -> None:
    with LiveServer() as live:
        result = subprocess.run(
            [
                "make",
                "--no-print-directory",
                "reference-check",
                f"URL={live.url}/gateway",
                f"REFERENCE={REFERENCE}",
                "REFERENCE_EXAMPLES=5",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=400,
            check=False,
        )
        entries = live.simulator.journal.entries(face="harness-ng")
    output = result.stdout + result.stderr
    assert "Coverage" in output and "Fuzzing" in output, output[-3000:]
    assert "Authentication failed" not in output
    statuses: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        statuses[entry["operation"]].add(entry["status"])
    operations = reference_operations()
    assert operations <= set(statuses), sorted(operations - set(statuses))
    only_refused = sorted(op for op in operations if statuses[op] <= {401, 403})
    assert only_refused == []
