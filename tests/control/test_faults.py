"""Fault rules, the fault header, presets and their determinism, through the NextGen face."""

from __future__ import annotations

import httpx
import pytest

from simulator.runtime import Simulator
from tests.ids import ACCOUNT, ADMIN_KEY

NG = "/gateway/ng/api/user"
ADMIN = {"x-api-key": ADMIN_KEY}


def add_fault(http: httpx.Client, **rule: object) -> dict:
    response = http.post("/_usersim/faults", json=rule)
    assert response.status_code == 201, response.text
    return response.json()["faults"][0]


def test_an_error_rule_fires_once_in_the_ng_envelope(http: httpx.Client) -> None:
    add_fault(
        http,
        face="harness-ng",
        operation="getCurrentUserInfo",
        error={"status": 500, "code": "UNKNOWN_ERROR", "message": "boom"},
        times=1,
    )
    failed = http.get(f"{NG}/currentUser", headers=ADMIN)
    assert failed.status_code == 500
    body = failed.json()
    assert (body["status"], body["code"], body["message"]) == ("ERROR", "UNKNOWN_ERROR", "boom")
    assert http.get(f"{NG}/currentUser", headers=ADMIN).status_code == 200
    rule = http.get("/_usersim/faults").json()["faults"][0]
    assert (rule["fired"], rule["exhausted"]) == (1, True)
    journal = http.get("/_usersim/journal").json()["entries"]
    assert [e["fault"] for e in journal] == [rule["id"], None]


def test_an_injected_error_changes_nothing(http: httpx.Client, sim: Simulator) -> None:
    before = sim.export()
    add_fault(http, operation="removeUser", error={"status": 503})
    response = http.delete(
        f"{NG}/SArz5MsSS8y2PNbwhc8INw", params={"accountIdentifier": ACCOUNT}, headers=ADMIN
    )
    assert response.status_code == 503 and response.json()["code"] == "HTTP_SERVICE_UNAVAILABLE"
    assert sim.export() == before


def test_rules_match_by_face_operation_and_account(http: httpx.Client) -> None:
    add_fault(http, face="harness-cg", error={"status": 500}, times="unlimited")
    add_fault(http, operation="getUsers", error={"status": 500}, times="unlimited")
    add_fault(http, account="UsersimAccount00000002", error={"status": 502}, times="unlimited")
    assert http.get(f"{NG}/currentUser", headers=ADMIN).status_code == 200
    assert (
        http.post(f"{NG}/batch", params={"accountIdentifier": ACCOUNT}, headers=ADMIN).status_code
        == 500
    )
    second = http.get(f"{NG}/currentUser", headers={"x-api-key": "usersim-second-key"})
    assert second.status_code == 502


def test_a_rate_limit_answers_429_with_retry_after_until_the_window_passes(
    http: httpx.Client,
) -> None:
    add_fault(http, face="harness-ng", rate_limit={"requests": 2, "per_seconds": 60})
    statuses = [http.get(f"{NG}/currentUser", headers=ADMIN).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = http.get(f"{NG}/currentUser", headers=ADMIN)
    assert limited.json()["code"] == "TOO_MANY_REQUESTS"
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    # Another key has its own window.
    assert (
        http.get(f"{NG}/currentUser", headers={"x-api-key": "usersim-viewer-key"}).status_code
        == 200
    )
    http.post("/_usersim/clock", json={"advance_seconds": 61})
    assert http.get(f"{NG}/currentUser", headers=ADMIN).status_code == 200


def test_latency(http: httpx.Client) -> None:
    add_fault(http, operation="getCurrentUserInfo", latency_ms=300, times=1)
    response = http.get(f"{NG}/currentUser", headers=ADMIN)
    assert response.status_code == 200
    assert response.elapsed.total_seconds() >= 0.3


def test_a_dropped_connection(http: httpx.Client) -> None:
    add_fault(http, operation="getCurrentUserInfo", drop=True)
    with pytest.raises(httpx.RemoteProtocolError):
        http.get(f"{NG}/currentUser", headers=ADMIN)
    assert http.get(f"{NG}/currentUser", headers=ADMIN).status_code == 200
    entries = http.get("/_usersim/journal").json()["entries"]
    assert [e["status"] for e in entries] == [0, 200]


def test_the_fault_header_fires_for_that_request_alone(http: httpx.Client) -> None:
    response = http.get(f"{NG}/currentUser", headers={**ADMIN, "X-Usersim-Fault": "status=503"})
    assert response.status_code == 503 and response.json()["status"] == "ERROR"
    limited = http.get(
        f"{NG}/currentUser", headers={**ADMIN, "X-Usersim-Fault": "status=429,retry_after=7"}
    )
    assert limited.status_code == 429 and limited.headers["retry-after"] == "7"
    preset = http.get(f"{NG}/currentUser", headers={**ADMIN, "X-Usersim-Fault": "outage"})
    assert preset.status_code == 503
    assert http.get(f"{NG}/currentUser", headers=ADMIN).status_code == 200
    bad = http.get(f"{NG}/currentUser", headers={**ADMIN, "X-Usersim-Fault": "volume=11"})
    assert bad.status_code == 400 and "volume" in bad.json()["message"]


def test_bad_rules_are_refused_with_every_problem(http: httpx.Client) -> None:
    response = http.post(
        "/_usersim/faults",
        json={"face": "nope", "error": {"status": 302}, "probability": 2, "color": "red"},
    )
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert len(problems) == 4
    batch = http.post(
        "/_usersim/faults", json={"rules": [{"error": {"status": 500}}, {"latency_ms": -1}]}
    )
    assert batch.status_code == 400
    assert http.get("/_usersim/faults").json()["faults"] == []


def test_delete_one_rule_and_all_rules(http: httpx.Client) -> None:
    first = add_fault(http, error={"status": 500}, times="unlimited")
    add_fault(http, latency_ms=1)
    assert http.delete(f"/_usersim/faults/{first['id']}").json() == {"removed": 1}
    assert http.delete(f"/_usersim/faults/{first['id']}").status_code == 404
    assert http.delete("/_usersim/faults").json() == {"removed": 1}


def test_presets_list_and_apply(http: httpx.Client) -> None:
    names = [p["name"] for p in http.get("/_usersim/scenarios").json()["scenarios"]]
    assert {"flaky", "outage", "rate-limited", "slow", "small-pages"} <= set(names)
    applied = http.post("/_usersim/scenarios/outage").json()["faults"]
    assert applied[0]["error"]["status"] == 503
    assert http.get(f"{NG}/currentUser", headers=ADMIN).status_code == 503
    assert http.post("/_usersim/scenarios/no-such-thing").status_code == 404


def fault_sequence(http: httpx.Client) -> list[int]:
    http.post("/_usersim/reset")
    add_fault(http, error={"status": 503}, probability=0.3, times="unlimited")
    return [http.get(f"{NG}/currentUser", headers=ADMIN).status_code for _ in range(40)]


def test_the_same_seed_and_rules_give_the_same_faults(http: httpx.Client) -> None:
    first = fault_sequence(http)
    assert 0 < first.count(503) < 40
    assert fault_sequence(http) == first
