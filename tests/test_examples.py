"""The examples under examples/ pass, against a real server and in-process.

Each example is a client a team would write, with the tests it would keep next to it;
they are documentation, so they must keep working. Each runs in its own pytest session
as `python -m pytest examples/<name> [--usersim-mode inprocess]` would run it, but inline
(pytester), to skip the second or so a fresh interpreter spends importing plugins.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NAMES = sorted(path.parent.name for path in EXAMPLES.glob("*/test_*.py"))


def test_every_example_is_found() -> None:
    assert {"harness_onboarding", "harness_offboarding_requests", "rapidapi_team_sync"} <= set(
        NAMES
    )


@pytest.mark.parametrize("mode", ["server", "inprocess"])
@pytest.mark.parametrize("name", NAMES)
def test_example_passes(pytester: pytest.Pytester, name: str, mode: str) -> None:
    result = pytester.runpytest_inprocess(
        str(EXAMPLES / name), "-p", "no:cacheprovider", f"--usersim-mode={mode}"
    )
    outcomes = result.parseoutcomes()
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert outcomes.get("passed", 0) >= 3, outcomes
    assert set(outcomes) <= {"passed", "warnings"}, outcomes  # nothing skipped
