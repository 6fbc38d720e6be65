"""GET /_usersim/coverage and its reset, the journal as HAR, and the dashboard's table."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from simulator.registry import FACES
from tests.ids import ACCOUNT, ADMIN_KEY

NG = "/gateway/ng/api/user"
ADMIN = {"x-api-key": ADMIN_KEY}
CG = f"/gateway/api/graphql?accountId={ACCOUNT}"


@pytest.fixture
def coverage(http: httpx.Client) -> httpx.Client:
    """The session's server has counted every earlier test's requests: start afresh."""
    assert http.post("/_usersim/coverage/reset").json() == {"reset": True}
    return http


def report(http: httpx.Client) -> dict[str, Any]:
    response = http.get("/_usersim/coverage")
    assert response.status_code == 200
    return response.json()


def test_nothing_is_counted_after_a_reset(coverage: httpx.Client) -> None:
    body = report(coverage)
    served = {face.name for face in FACES if face.journaled}  # not the control API
    assert set(body["faces"]) == served and "harness-ng" in served
    ng = body["faces"]["harness-ng"]
    assert ng["requests"] == 0 and ng["totals"]["operations"]["covered"] == 0
    assert ng["operations"]["getCurrentUserInfo"]["answers"]["200"] == 0
    assert "ENTITY_NOT_FOUND" in ng["codes"]
    assert body["totals"]["faces_called"] == 0
    assert body["totals"]["operations"]["percent"] is None


def test_counts_outlive_the_state_reset_and_are_cleared_by_their_own(
    coverage: httpx.Client,
) -> None:
    coverage.get(f"{NG}/currentUser", headers=ADMIN)
    coverage.post("/_usersim/reset")
    assert report(coverage)["faces"]["harness-ng"]["operations"]["getCurrentUserInfo"]["calls"] == 1
    coverage.post("/_usersim/coverage/reset")
    assert report(coverage)["faces"]["harness-ng"]["requests"] == 0


def test_undocumented_answers_and_answers_before_an_operation(coverage: httpx.Client) -> None:
    coverage.post(
        "/_usersim/faults", json={"operation": "getCurrentUserInfo", "error": {"status": 503}}
    )
    assert coverage.get(f"{NG}/currentUser", headers=ADMIN).status_code == 503
    assert coverage.delete(f"{NG}/currentUser", headers=ADMIN).status_code == 405
    ng = report(coverage)["faces"]["harness-ng"]
    current = ng["operations"]["getCurrentUserInfo"]
    assert current["statuses"] == {"503": 1} and current["undocumented"] == ["503"]
    assert current["codes"] == {"HTTP_SERVICE_UNAVAILABLE": 1}
    assert ng["outside_operations"]["statuses"] == {"405": 1}
    assert ng["codes"]["HTTP_SERVICE_UNAVAILABLE"] == 1


def test_graphql_codes_are_counted_for_answers_served_from_the_cache(
    coverage: httpx.Client,
) -> None:
    query = {"query": '{ user(id: "nobody") { id } userGroups(limit: 1) { nodes { id } } }'}
    for _ in range(2):
        body = coverage.post(CG, json=query, headers=ADMIN).json()
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    coverage.post(CG, json={"query": "{ nope }"}, headers=ADMIN)
    cg = report(coverage)["faces"]["harness-cg"]
    assert cg["codes"]["BAD_USER_INPUT"] == 2
    assert cg["codes"]["GRAPHQL_VALIDATION_FAILED"] == 1
    called = {name: op["calls"] for name, op in cg["operations"].items() if op["calls"]}
    assert called == {"user": 2, "userGroups": 2}
    assert cg["outside_operations"]["statuses"] == {"200": 1}  # the document never ran


def test_scenario_switches_that_fired(coverage: httpx.Client) -> None:
    coverage.post("/_usersim/scenarios/outage")
    coverage.get(f"{NG}/currentUser", headers=ADMIN)
    coverage.delete("/_usersim/faults")
    coverage.put("/_usersim/policies", json={"pagination": {"rapidapi": {"forced_page_size": 1}}})
    coverage.post(
        "/rapidapi/graphql",
        json={"query": "{ roles(where: {roleLevels: [USER_TEAM]}) { nodes { id } } }"},
        headers={"x-rapidapi-key": "usersim-rapidapi-key"},
    )
    coverage.get(f"{NG}/currentUser", headers={**ADMIN, "X-Usersim-Fault": "status=429"})
    scenarios = report(coverage)["scenarios"]
    assert scenarios["presets"]["outage"] == {"applied": 1, "fired": 1}
    assert scenarios["presets"]["flaky"] == {"applied": 0, "fired": 0}
    assert scenarios["faults"] == {
        "outage: any face any operation: error 503": {"added": 1, "fired": 1},
        "X-Usersim-Fault: status=429": {"added": 0, "fired": 1},
    }
    # The policy was in force for the RapidAPI request alone (it pages RapidAPI only).
    assert scenarios["policies"]["pagination.rapidapi"] == {"set": 1, "requests": 1}
    assert scenarios["policies"]["lockout"] == {"set": 0, "requests": 0}


def test_the_dashboard_shows_the_gaps_first(coverage: httpx.Client) -> None:
    coverage.get(f"{NG}/currentUser", headers=ADMIN)
    page = coverage.get("/_usersim/").text
    section = page[page.index("<section id='coverage'>") :]
    rows = section.split("<tr>")[2:]
    assert "<code>getCurrentUserInfo</code>" in rows[-1]  # the one called comes last
    assert "<td>0</td>" in rows[0]
    assert "harness-ng: 1/" in section


def test_the_journal_as_har_with_secrets_redacted(http: httpx.Client) -> None:
    http.put(
        f"{NG}/password",
        json={"currentPassword": "usersim-password", "newPassword": "another-long-one"},
        headers=ADMIN,
    )
    http.get(f"{NG}/currentUser", params={"accountIdentifier": ACCOUNT}, headers=ADMIN)
    response = http.get("/_usersim/journal", params={"format": "har"})
    assert response.status_code == 200
    log = response.json()["log"]
    assert log["version"] == "1.2" and log["creator"]["name"] == "usersim"
    first, second = log["entries"]
    assert first["request"]["method"] == "PUT"
    assert first["request"]["url"].endswith("/gateway/ng/api/user/password")
    headers = {h["name"]: h["value"] for h in first["request"]["headers"]}
    assert headers["x-api-key"] == "[redacted]"
    assert ADMIN_KEY not in response.text and "usersim-password" not in response.text
    assert '"newPassword":"[redacted]"' in first["request"]["postData"]["text"]
    assert first["response"]["status"] == 200 and first["response"]["statusText"] == "OK"
    assert second["request"]["queryString"] == [{"name": "accountIdentifier", "value": ACCOUNT}]
    assert second["_usersim"]["operation"] == "getCurrentUserInfo"
    assert first["startedDateTime"].endswith("+00:00") and second["time"] >= 0
