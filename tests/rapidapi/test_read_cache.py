"""Reused answers to repeated queries must never be stale, nor cross contexts."""

from __future__ import annotations

from tests.rapidapi.conftest import ADMIN_KEY, TEAM_KEY, USER_KEY, Api

STATUS = "{ user(id: 7344540) { status } }"


def test_a_repeated_query_sees_a_mutation(api: Api) -> None:
    assert api.data(STATUS)["user"]["status"] == "ACTIVE"
    assert api.data(STATUS)["user"]["status"] == "ACTIVE"
    api.data('mutation { updateUser(input: {id: "7344540", status: "DEACTIVATED"}) { status } }')
    assert api.data(STATUS)["user"]["status"] == "DEACTIVATED"


def test_the_same_query_in_another_context_is_not_served_from_the_first(api: Api) -> None:
    assert api.data(STATUS, key=ADMIN_KEY)["user"]["status"] == "ACTIVE"
    refused = api.post(STATUS, key=USER_KEY).json()  # not an Environment Admin
    assert (
        refused["data"]["user"] is None
        and refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    )
    in_team = api.post(STATUS, key=TEAM_KEY, identity=ADMIN_KEY).json()  # a team context
    assert in_team["errors"][0]["extensions"]["code"] == "FORBIDDEN"
