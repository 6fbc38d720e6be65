"""The contract coverage report of a pytest session, end to end in every plugin mode.

A session calls a few operations and provokes a few errors; the report must name exactly
those (and nothing the server did before the session), in the terminal and in the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from simulator.coverage.catalogue import face_catalogue
from simulator.registry import FACES
from simulator.testing.server import LiveServer
from tests.ids import ACCOUNT, ADMIN_KEY

pytest_plugins = ["pytester"]
# Only the plugins a session needs: loading every installed one (schemathesis, hypothesis...)
# costs each pytester subprocess seconds.
PLUGINS = ("-p", "no:cacheprovider", "-p", "simulator.testing.plugin")


@pytest.fixture(autouse=True)
def no_plugin_autoload(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


SESSION = """
def test_harness(usersim):
    admin = {"x-api-key": usersim.api_key}
    with usersim.client() as client:
        assert client.get("/ng/api/user/currentUser", headers=admin).status_code == 200
        assert client.get("/ng/api/user/currentUser", headers={"x-api-key": "wrong"}).status_code == 401
        missing = client.get(
            "/ng/api/user/aggregate/nobody",
            params={"accountIdentifier": usersim.account_id},
            headers=admin,
        )
        assert missing.status_code == 404
        refused = client.post(
            "/gateway/api/graphql",
            params={"accountId": usersim.account_id},
            json={"query": '{ user(id: "nobody") { id } }'},
            headers=admin,
        )
        assert refused.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_rapidapi_fault(usersim):
    query = {"query": "{ roles(where: {roleLevels: [USER_TEAM]}) { nodes { id } } }"}
    with usersim.client() as client, usersim.fault(face="rapidapi", error={"message": "injected"}):
        failed = client.post(
            "/rapidapi/graphql", json=query, headers={"x-rapidapi-key": usersim.rapidapi_key}
        )
        assert failed.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
"""


# Other faces and operations come and go: the totals are what the contracts document now.
OPERATIONS = sum(len(face.operations) for face in face_catalogue(FACES))
NG = next(face for face in face_catalogue(FACES) if face.name == "harness-ng")
NG_ANSWERS = sum(len(answers) for answers in NG.operations.values())
# The share of operations the session calls, as the report rounds it.
PERCENT = round(100 * 4 / OPERATIONS, 1)


def called(report: dict[str, Any], face: str) -> dict[str, dict[str, int]]:
    """Each operation of the face that was called, with the statuses it answered."""
    operations = report["faces"][face]["operations"]
    return {name: op["statuses"] for name, op in operations.items() if op["calls"]}


def codes(report: dict[str, Any], face: str) -> dict[str, int]:
    return {code: n for code, n in report["faces"][face]["codes"].items() if n}


def assert_exactly_the_session(report: dict[str, Any], times: int = 1) -> None:
    assert called(report, "harness-ng") == {
        "getCurrentUserInfo": {"200": times, "401": times},
        "getAggregatedUser": {"404": times},
    }
    assert codes(report, "harness-ng") == {"INVALID_TOKEN": times, "ENTITY_NOT_FOUND": times}
    answers = report["faces"]["harness-ng"]["operations"]["getCurrentUserInfo"]["answers"]
    assert {key for key, n in answers.items() if n} == {"200", "401"}
    assert called(report, "harness-cg") == {"user": {"200": times}}
    assert codes(report, "harness-cg") == {"BAD_USER_INPUT": times}
    assert called(report, "rapidapi") == {"roles": {"200": times}}
    assert codes(report, "rapidapi") == {"INTERNAL_SERVER_ERROR": times}
    faults = report["scenarios"]["faults"]
    assert faults == {"rapidapi any operation: error (natural)": {"added": times, "fired": times}}
    totals = report["totals"]
    assert totals["faces_called"] == 3
    assert (totals["operations"]["covered"], totals["operations"]["total"]) == (4, OPERATIONS)


def run(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, Any]]:
    pytester.makepyfile(test_session=SESSION)
    out = pytester.path / "coverage.json"
    result = pytester.runpytest_subprocess(*PLUGINS, f"--usersim-coverage={out}", *args)
    return result, json.loads(out.read_text())


@pytest.fixture
def busy_server() -> Iterator[LiveServer]:
    """A running server (a CI service container, say) that answered before the session."""
    with LiveServer() as live:
        httpx.get(f"{live.url}/gateway/ng/api/user/currentUser", headers={"x-api-key": ADMIN_KEY})
        httpx.post(
            f"{live.url}/gateway/api/graphql",
            params={"accountId": ACCOUNT},
            json={"query": "{ users(limit: 1) { nodes { id } } }"},
            headers={"x-api-key": ADMIN_KEY},
        )
        yield live


@pytest.mark.parametrize("mode", ["server", "inprocess"])
def test_a_session_reports_exactly_what_it_exercised(pytester: pytest.Pytester, mode: str) -> None:
    # Exactly at the threshold passes.
    result, report = run(
        pytester, f"--usersim-mode={mode}", f"--usersim-coverage-fail-under={PERCENT}"
    )
    result.assert_outcomes(passed=2)
    assert result.ret == 0
    assert_exactly_the_session(report)
    result.stdout.fnmatch_lines(
        [
            "*usersim contract coverage*",
            f"harness-ng * 2/{len(NG.operations)} * 3/{NG_ANSWERS} * 2/{len(NG.codes)} *",
            f"TOTAL * 4/{OPERATIONS} * (over the 3 faces called)",
        ]
    )


def test_against_a_running_server(pytester: pytest.Pytester, busy_server: LiveServer) -> None:
    result, report = run(pytester, f"--usersim-url={busy_server.url}")
    result.assert_outcomes(passed=2)
    assert_exactly_the_session(report)  # what the server did before the session is not in it


def test_xdist_workers_reports_are_merged(pytester: pytest.Pytester) -> None:
    # --dist each: both workers run both tests, each against its own server.
    result, report = run(pytester, "-p", "xdist.plugin", "-n", "2", "--dist", "each")
    result.assert_outcomes(passed=4)
    assert_exactly_the_session(report, times=2)


def test_markdown_and_fail_under(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_session=SESSION)
    out = pytester.path / "reports" / "coverage.md"
    result = pytester.runpytest_subprocess(
        *PLUGINS,
        "--usersim-mode=inprocess",
        f"--usersim-coverage={out}",
        "--usersim-coverage-fail-under=50",
    )
    result.assert_outcomes(passed=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [f"FAIL usersim coverage: {PERCENT}% of operations called, under *fail-under=50"]
    )
    text = out.read_text()
    assert f"| harness-ng | 3 | 2/{len(NG.operations)} (" in text
    # The gaps first: every operation never called comes before those that were.
    ng = text[text.index("## harness-ng") : text.index("## harness-cg")]
    lines = [line for line in ng.splitlines() if line.startswith("| `")]
    assert len(lines) == len(NG.operations)
    assert lines[-2:] == [
        "| `getAggregatedUser` | 1 | `404` | `200`, `400`, `401`, `403`, `429`, `500` | - | `ENTITY_NOT_FOUND` |",
        "| `getCurrentUserInfo` | 2 | `200`, `401` | `400`, `403`, `404`, `429`, `500` | - | `INVALID_TOKEN` |",
    ]


def test_a_bad_report_path_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_session=SESSION)
    result = pytester.runpytest_subprocess(*PLUGINS, "--usersim-coverage=out.txt")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--usersim-coverage must name a .json or a .md file*"])
