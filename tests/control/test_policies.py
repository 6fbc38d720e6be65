"""Lockout and pagination policies through the NextGen face."""

from __future__ import annotations

import httpx

from tests.ids import ACCOUNT, ADMIN_KEY

NG = "/gateway/ng/api/user"
ADMIN = {"x-api-key": ADMIN_KEY}
VIEWER = {"x-api-key": "usersim-viewer-key"}
WRONG = {"currentPassword": "nope", "newPassword": "long-enough-1"}


def users_page(http: httpx.Client, **params: object) -> dict:
    response = http.post(
        f"{NG}/batch", params={"accountIdentifier": ACCOUNT, **params}, headers=ADMIN
    )
    return response.json()


def test_defaults_reproduce_the_real_apis(http: httpx.Client) -> None:
    policies = http.get("/_usersim/policies").json()
    # Lockout follows each account's login settings (off in the default fixture, as Harness ships).
    assert policies["lockout"] == {
        "enabled": None,
        "max_failed_attempts": 5,
        "lockout_seconds": 86400,
    }
    assert policies["pagination"]["harness-ng"]["max_page_size"] == 100
    assert users_page(http, pageSize=101)["status"] == "FAILURE"


def test_a_partial_put_changes_only_what_it_names(http: httpx.Client) -> None:
    http.put("/_usersim/policies", json={"lockout": {"max_failed_attempts": 1}})
    policies = http.get("/_usersim/policies").json()
    assert policies["lockout"] == {
        "enabled": True,
        "max_failed_attempts": 1,
        "lockout_seconds": 86400,
    }
    assert policies["pagination"]["harness-ng"]["max_page_size"] == 100


def test_a_bad_policy_changes_nothing(http: httpx.Client) -> None:
    before = http.get("/_usersim/policies").json()
    response = http.put(
        "/_usersim/policies",
        json={
            "lockout": {"max_failed_attempts": 1},
            "pagination": {"harness-ng": {"over_max": "explode"}},
        },
    )
    assert response.status_code == 400
    assert http.get("/_usersim/policies").json() == before


def test_a_strict_lockout_locks_after_one_wrong_password_and_expires(http: httpx.Client) -> None:
    http.put(
        "/_usersim/policies", json={"lockout": {"max_failed_attempts": 1, "lockout_seconds": 60}}
    )
    assert (
        http.put(f"{NG}/password", json=WRONG, headers=VIEWER).json()["data"]
        == "INCORRECT_CURRENT_PASSWORD"
    )
    assert http.get(f"{NG}/currentUser", headers=VIEWER).status_code == 401
    http.post("/_usersim/clock", json={"advance_seconds": 61})
    assert http.get(f"{NG}/currentUser", headers=VIEWER).status_code == 200


def wrong_password(http: httpx.Client, headers: dict[str, str] = VIEWER) -> None:
    body = http.put(f"{NG}/password", json=WRONG, headers=headers).json()
    assert body["data"] == "INCORRECT_CURRENT_PASSWORD"


def test_lockout_is_off_by_default_as_in_harness(http: httpx.Client) -> None:
    for _ in range(20):
        wrong_password(http)
    assert http.get(f"{NG}/currentUser", headers=VIEWER).status_code == 200
    # A user the fixture locks stays locked whatever the policy.
    locked = http.get(f"{NG}/currentUser", headers={"x-api-key": "usersim-locked-key"})
    assert locked.status_code == 401 and locked.json()["code"] == "USER_LOCKED"


def test_the_strict_lockout_preset_turns_it_on(http: httpx.Client) -> None:
    http.post("/_usersim/scenarios/strict-lockout")
    wrong_password(http)
    assert http.get(f"{NG}/currentUser", headers=VIEWER).json()["code"] == "USER_LOCKED"


def test_lockout_can_be_switched_off_for_every_account_and_handed_back(
    http: httpx.Client,
) -> None:
    http.put("/_usersim/policies", json={"lockout": {"max_failed_attempts": 1}})
    http.put("/_usersim/policies", json={"lockout": {"enabled": False}})
    assert http.get("/_usersim/policies").json()["lockout"]["enabled"] is False
    wrong_password(http)
    assert http.get(f"{NG}/currentUser", headers=VIEWER).status_code == 200
    back = http.put("/_usersim/policies", json={"lockout": {"enabled": None}}).json()
    assert back["lockout"]["enabled"] is None
    refused = http.put("/_usersim/policies", json={"lockout": {"enabled": "yes"}})
    assert refused.status_code == 400
    assert refused.json()["problems"] == ["lockout.enabled: must be a boolean"]


def test_clamping_instead_of_the_vendor_error(http: httpx.Client) -> None:
    http.put(
        "/_usersim/policies",
        json={"pagination": {"harness-ng": {"max_page_size": 3, "over_max": "clamp"}}},
    )
    page = users_page(http, pageSize=50)["data"]
    assert (page["pageSize"], page["pageItemCount"], page["totalPages"]) == (3, 3, 3)


def test_a_lower_maximum_in_error_mode(http: httpx.Client) -> None:
    http.put("/_usersim/policies", json={"pagination": {"harness-ng": {"max_page_size": 5}}})
    body = users_page(http, pageSize=6)
    assert body["status"] == "FAILURE" and body["errors"][0]["fieldId"] == "pageSize"


def test_a_forced_page_size_makes_clients_page(http: httpx.Client) -> None:
    http.post("/_usersim/scenarios/small-pages")
    seen, index = [], 0
    while True:
        page = users_page(http, pageIndex=index, pageSize=50)["data"]
        assert page["pageSize"] == 2
        seen += [u["uuid"] for u in page["content"]]
        index += 1
        if index >= page["totalPages"]:
            break
    assert index == 4 and len(set(seen)) == 8


def test_drift_insert_makes_the_next_page_repeat_an_item(http: httpx.Client) -> None:
    http.put("/_usersim/policies", json={"pagination": {"harness-ng": {"drift": "insert"}}})
    first = [u["uuid"] for u in users_page(http, pageSize=4)["data"]["content"]]
    second = [u["uuid"] for u in users_page(http, pageSize=4, pageIndex=1)["data"]["content"]]
    assert second[0] == first[-1]  # everything shifted by one
    assert users_page(http, pageSize=100)["data"]["totalItems"] == 9


def test_drift_delete_makes_the_next_page_skip_an_item(http: httpx.Client) -> None:
    everyone = [u["uuid"] for u in users_page(http)["data"]["content"]]
    http.put("/_usersim/policies", json={"pagination": {"harness-ng": {"drift": "delete"}}})
    first = [u["uuid"] for u in users_page(http, pageSize=4)["data"]["content"]]
    second = [u["uuid"] for u in users_page(http, pageSize=4, pageIndex=1)["data"]["content"]]
    assert first == everyone[:4]
    assert second == everyone[5:9]  # one item moved up into page one and was never seen
