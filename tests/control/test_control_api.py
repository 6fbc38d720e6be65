"""The control API: reset, state snapshots, clock, invariants, journal and its token."""

from __future__ import annotations

import httpx
import pytest

from simulator.runtime import Simulator
from simulator.testing.server import LiveServer
from tests.ids import ACCOUNT, ADMIN_KEY

NG = "/gateway/ng/api/user"
ADMIN = {"x-api-key": ADMIN_KEY}


def test_health_and_ready(http: httpx.Client) -> None:
    assert http.get("/_usersim/health").json() == {"status": "ok"}
    ready = http.get("/_usersim/ready").json()
    assert ready["status"] == "ready"
    assert ready["counts"]["harness.users"] == 10


def test_reset_restores_the_fixtures_quickly(http: httpx.Client, sim: Simulator) -> None:
    before = sim.export()
    http.delete(
        f"{NG}/SArz5MsSS8y2PNbwhc8INw", params={"accountIdentifier": ACCOUNT}, headers=ADMIN
    )
    assert sim.export() != before
    result = http.post("/_usersim/reset").json()
    assert result["reset"] is True and result["changedRecords"] > 0
    assert result["durationMs"] < 50
    assert sim.export() == before


def test_state_export_and_replace_round_trip(http: httpx.Client, sim: Simulator) -> None:
    snapshot = http.get("/_usersim/state").json()
    assert "usersim-password" not in str(snapshot)
    snapshot["harness"]["accounts"][0]["users"][1]["name"] = "Gary Renamed"
    assert http.put("/_usersim/state", json=snapshot).json() == {"replaced": True}
    assert sim.harness.users.get(ACCOUNT, "Gh4P71mhQkCydNbKtUIiJg").name == "Gary Renamed"
    assert http.get("/_usersim/state").json() == snapshot
    # Reset still returns to the fixtures loaded at start.
    http.post("/_usersim/reset")
    assert sim.harness.users.get(ACCOUNT, "Gh4P71mhQkCydNbKtUIiJg").name == "Gary Hughes"


def test_a_bad_snapshot_is_refused_and_changes_nothing(http: httpx.Client, sim: Simulator) -> None:
    before = sim.export()
    snapshot = http.get("/_usersim/state").json()
    users = snapshot["harness"]["accounts"][0]["users"]
    users.append(dict(users[1], id="Another00000000000000A"))  # same email as Gary
    snapshot["harness"]["accounts"][0]["userGroups"][0]["members"].append("ghost")
    response = http.put("/_usersim/state", json=snapshot)
    assert response.status_code == 400
    body = response.json()
    assert len(body["problems"]) == 2
    assert any("already used" in p for p in body["problems"])
    assert any("ghost" in p for p in body["problems"])
    assert sim.export() == before


def test_the_clock_moves_forward_only(http: httpx.Client) -> None:
    before = http.get("/_usersim/clock").json()
    after = http.post("/_usersim/clock", json={"advance_seconds": 3600}).json()
    assert after["offset_seconds"] == 3600
    assert after["now"] - before["now"] >= 3_600_000
    assert http.post("/_usersim/clock", json={"advance_seconds": -5}).status_code == 400


def test_invariants(http: httpx.Client) -> None:
    assert http.get("/_usersim/invariants").json() == {"ok": True, "violations": []}


def test_failed_logins_lock_a_user(http: httpx.Client) -> None:
    http.put("/_usersim/policies", json={"lockout": {"max_failed_attempts": 2}})
    first = http.post("/_usersim/harness/users/W_zq_nwvTCm50wX3cI6Nhw/failed-login").json()
    assert (first["locked"], first["failedAttempts"]) == (False, 1)
    second = http.post("/_usersim/harness/users/W_zq_nwvTCm50wX3cI6Nhw/failed-login").json()
    assert second["locked"] is True
    response = http.get(f"{NG}/currentUser", headers={"x-api-key": "usersim-viewer-key"})
    assert response.status_code == 401 and response.json()["code"] == "USER_LOCKED"
    unlocked = http.post("/_usersim/harness/users/W_zq_nwvTCm50wX3cI6Nhw/unlock").json()
    assert unlocked["locked"] is False
    assert http.post("/_usersim/harness/users/nobody/failed-login").status_code == 404


def test_the_journal_records_face_requests_with_secrets_redacted(http: httpx.Client) -> None:
    http.put(
        f"{NG}/password",
        headers=ADMIN,
        json={"currentPassword": "usersim-password", "newPassword": "a-new-password-1"},
    )
    http.post(f"{NG}/batch", params={"accountIdentifier": ACCOUNT}, headers={"x-api-key": "wrong"})
    entries = http.get("/_usersim/journal").json()["entries"]
    assert [(e["operation"], e["status"]) for e in entries] == [
        ("changeUserPassword", 200),
        ("getUsers", 401),
    ]
    first = entries[0]
    assert first["face"] == "harness-ng" and first["account"] == ACCOUNT
    assert first["request"]["headers"]["x-api-key"] == "[redacted]"
    assert first["request"]["body"] == {
        "currentPassword": "[redacted]",
        "newPassword": "[redacted]",
    }
    text = str(entries)
    assert (
        "usersim-password" not in text and "a-new-password-1" not in text and ADMIN_KEY not in text
    )
    only = http.get("/_usersim/journal", params={"status": 401}).json()["entries"]
    assert [e["operation"] for e in only] == ["getUsers"]
    later = http.get("/_usersim/journal", params={"since": first["id"]}).json()["entries"]
    assert [e["id"] for e in later] == [entries[1]["id"]]
    assert http.delete("/_usersim/journal").json() == {"cleared": 2}
    assert http.get("/_usersim/journal").json()["entries"] == []


def test_the_journal_keeps_a_bounded_number_of_entries() -> None:
    from simulator.journal import Journal

    journal = Journal(size=3)
    for n in range(5):
        journal.record(
            0, "harness-ng", f"op{n}", None, None, "GET", "/", b"", 200, 0.0, None, [], b"", 0
        )
    assert [e["operation"] for e in journal.entries()] == ["op2", "op3", "op4"]


def test_the_journal_redacts_secret_query_parameters_and_notes_large_bodies() -> None:
    from simulator.journal import BODY_LIMIT, Journal

    journal = Journal()
    query = b"accountIdentifier=A1&apiKey=k-123&token=t"
    journal.record(
        0,
        "rapidapi",
        "users",
        None,
        None,
        "POST",
        "/",
        query,
        200,
        0.0,
        None,
        [],
        b"",
        BODY_LIMIT + 1,
    )
    entry = journal.entries()[0]
    assert entry["query"] == "accountIdentifier=A1&apiKey=%5Bredacted%5D&token=%5Bredacted%5D"
    assert entry["request"]["body"] == f"[{BODY_LIMIT + 1} bytes, not kept]"


@pytest.fixture(scope="module")
def guarded() -> LiveServer:
    from simulator.app import build_app

    with LiveServer(build_app(control_token="s3cret")) as live:
        yield live


def test_a_control_token_guards_everything_but_health(guarded: LiveServer) -> None:
    with httpx.Client(base_url=guarded.url) as client:
        assert client.get("/_usersim/health").status_code == 200
        assert client.get("/_usersim/contracts/usersim-control.openapi.yaml").status_code == 200
        refused = client.post("/_usersim/reset")
        assert refused.status_code == 401 and refused.json()["problems"] == []
        assert (
            client.post("/_usersim/reset", headers={"X-Usersim-Token": "nope"}).status_code == 401
        )
        assert (
            client.post("/_usersim/reset", headers={"X-Usersim-Token": "s3cret"}).status_code == 200
        )
        bearer = {"Authorization": "Bearer s3cret"}
        assert client.get("/_usersim/journal", headers=bearer).status_code == 200


def test_a_snapshot_covers_both_vendors_and_a_missing_section_is_kept(
    http: httpx.Client, sim: Simulator
) -> None:
    snapshot = http.get("/_usersim/state").json()
    assert set(snapshot) == {"harness", "rapidapi"}
    user = next(u for u in snapshot["rapidapi"]["users"] if u["id"] == 6049746)
    user["name"] = "Renamed Through A Snapshot"
    assert http.put("/_usersim/state", json={"rapidapi": snapshot["rapidapi"]}).status_code == 200
    assert sim.rapidapi.users.get(6049746).name == "Renamed Through A Snapshot"
    assert http.get("/_usersim/state").json()["harness"] == snapshot["harness"]
    http.post("/_usersim/reset")
    assert sim.rapidapi.users.get(6049746).name != "Renamed Through A Snapshot"


def test_the_explorer_files_are_served_with_their_licences(http: httpx.Client) -> None:
    script = http.get("/_usersim/explorer/graphiql.min.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith(
        "text/javascript"
    )
    assert (
        http.get("/_usersim/explorer/graphiql.min.css")
        .headers["content-type"]
        .startswith("text/css")
    )
    for name in ("LICENSE-graphiql", "LICENSE-react", "LICENSE-react-dom"):
        assert "MIT License" in http.get(f"/_usersim/explorer/{name}").text
    for missing in ("nothing.js", "..%2Fexplorer.py", "%2E%2E"):
        assert http.get(f"/_usersim/explorer/{missing}").status_code == 404
