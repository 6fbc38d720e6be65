"""Reused answers to repeated queries must never be stale."""

from __future__ import annotations

import httpx

from tests.ids import ACCOUNT

CG = f"/gateway/api/graphql?accountId={ACCOUNT}"
ADMIN = {"x-api-key": "usersim-admin-key"}
NAME_OF_GARY = '{ user(id: "Gh4P71mhQkCydNbKtUIiJg") { name } }'
LOCKED = '{ user(id: "W_zq_nwvTCm50wX3cI6Nhw") { isUserLocked } }'


def ask(http: httpx.Client, query: str, headers: dict[str, str] = ADMIN) -> dict:
    return http.post(CG, json={"query": query}, headers=headers).json()


def test_a_repeated_query_sees_a_change_made_through_any_face(http: httpx.Client) -> None:
    assert ask(http, NAME_OF_GARY)["data"]["user"]["name"] == "Gary Hughes"
    assert ask(http, NAME_OF_GARY)["data"]["user"]["name"] == "Gary Hughes"
    http.put(
        "/gateway/ng/api/user/Gh4P71mhQkCydNbKtUIiJg",
        params={"accountIdentifier": ACCOUNT},
        json={"name": "Gary Changed"},
        headers=ADMIN,
    )
    assert ask(http, NAME_OF_GARY)["data"]["user"]["name"] == "Gary Changed"


def test_a_lockout_ending_on_the_clock_is_seen_by_a_repeated_query(http: httpx.Client) -> None:
    http.put(
        "/_usersim/policies", json={"lockout": {"max_failed_attempts": 1, "lockout_seconds": 60}}
    )
    http.post("/_usersim/harness/users/W_zq_nwvTCm50wX3cI6Nhw/failed-login")
    assert ask(http, LOCKED)["data"]["user"]["isUserLocked"] is True
    assert ask(http, LOCKED)["data"]["user"]["isUserLocked"] is True
    http.post("/_usersim/clock", json={"advance_seconds": 61})
    assert ask(http, LOCKED)["data"]["user"]["isUserLocked"] is False


def test_a_pagination_policy_change_is_seen_by_a_repeated_query(http: httpx.Client) -> None:
    """Policies change no record, so the state's version stays: the policy is in the key."""
    query = "{ users(limit: 5) { nodes { id } } }"
    assert len(ask(http, query)["data"]["users"]["nodes"]) == 5
    http.put("/_usersim/policies", json={"pagination": {"harness-cg": {"forced_page_size": 2}}})
    assert len(ask(http, query)["data"]["users"]["nodes"]) == 2
