"""Paging as CurrentGen pages: limit required, offset 0 by default, PageInfo exact."""

from __future__ import annotations

import pytest

from simulator.runtime import Simulator
from tests.harness_cg.conftest import ENGINEERING, PRIYA, SARA, SUPPORT, Cg, message
from tests.ids import ACCOUNT

USERS = """query($limit: Int!, $offset: Int) {
  users(limit: $limit, offset: $offset) {
    pageInfo { total limit hasMore offset }
    nodes { name }
  }
}"""


def page(cg: Cg, limit: int, offset: int | None = None) -> dict:
    variables = {"limit": limit} if offset is None else {"limit": limit, "offset": offset}
    return cg.data(USERS, variables)["users"]


def names(result: dict) -> list[str]:
    return [node["name"] for node in result["nodes"]]


def test_pages_walk_the_whole_listing(cg: Cg) -> None:
    first, second, last = page(cg, 3, 0), page(cg, 3, 3), page(cg, 3, 6)
    assert first["pageInfo"] == {"total": 8, "limit": 3, "hasMore": True, "offset": 0}
    assert second["pageInfo"] == {"total": 8, "limit": 3, "hasMore": True, "offset": 3}
    assert last["pageInfo"] == {"total": 8, "limit": 3, "hasMore": False, "offset": 6}
    assert len(names(last)) == 2
    everyone = names(first) + names(second) + names(last)
    assert everyone == names(page(cg, 100))
    assert everyone == sorted(everyone, key=str.lower)


def test_a_page_that_ends_exactly_at_the_end_has_no_more(cg: Cg) -> None:
    assert page(cg, 4, 4)["pageInfo"] == {"total": 8, "limit": 4, "hasMore": False, "offset": 4}


def test_past_the_end_is_an_empty_page(cg: Cg) -> None:
    beyond = page(cg, 5, 50)
    assert beyond == {
        "pageInfo": {"total": 8, "limit": 5, "hasMore": False, "offset": 50},
        "nodes": [],
    }


def test_offset_defaults_to_zero_even_when_sent_as_null(cg: Cg) -> None:
    absent = cg.data("{ users(limit: 2) { pageInfo { offset } nodes { name } } }")["users"]
    null = cg.data("{ users(limit: 2, offset: null) { pageInfo { offset } nodes { name } } }")
    assert absent["pageInfo"]["offset"] == 0
    assert null["users"] == absent


def test_limit_zero_counts_without_listing(cg: Cg) -> None:
    assert page(cg, 0) == {
        "pageInfo": {"total": 8, "limit": 0, "hasMore": True, "offset": 0},
        "nodes": [],
    }


def test_limit_is_required(cg: Cg) -> None:
    response = cg.post("{ users { nodes { name } } }")
    assert response.status_code == 200
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "limit" in body["errors"][0]["message"]
    null = cg.post("{ users(limit: null) { nodes { name } } }").json()
    assert null["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize(
    ("limit", "offset", "expected"),
    [
        (-1, 0, "Limit argument accepts only non negative values"),
        (1, -1, "Offset argument accepts only non negative values"),
    ],
)
def test_negative_limit_or_offset_is_refused(
    cg: Cg, limit: int, offset: int, expected: str
) -> None:
    assert message(cg.post(USERS, {"limit": limit, "offset": offset})) == expected


def test_user_groups_page_by_name(cg: Cg) -> None:
    result = cg.data(
        "{ userGroups(limit: 2, offset: 1) { pageInfo { total limit hasMore offset }"
        " nodes { id name } } }"
    )["userGroups"]
    assert result == {
        "pageInfo": {"total": 4, "limit": 2, "hasMore": True, "offset": 1},
        "nodes": [
            {"id": ENGINEERING, "name": "Engineering"},
            {"id": "KYppi5LjSdCYH8DLT34exA", "name": "Release Managers"},
        ],
    }


def test_nested_user_groups_page_the_same_way(cg: Cg) -> None:
    cg.data(
        "mutation($i: AddUserToUserGroupInput!) { addUserToUserGroup(input: $i) { clientMutationId } }",
        {"i": {"userGroupId": SUPPORT, "userId": SARA}},
    )
    query = (
        "query($id: String!, $o: Int) { user(id: $id) { userGroups(limit: 1, offset: $o) {"
        " pageInfo { total limit hasMore offset } nodes { name } } } }"
    )
    first = cg.data(query, {"id": SARA, "o": 0})["user"]["userGroups"]
    last = cg.data(query, {"id": SARA, "o": 1})["user"]["userGroups"]
    beyond = cg.data(query, {"id": SARA, "o": 2})["user"]["userGroups"]
    assert first == {
        "pageInfo": {"total": 2, "limit": 1, "hasMore": True, "offset": 0},
        "nodes": [{"name": "Engineering"}],
    }
    assert last["pageInfo"] == {"total": 2, "limit": 1, "hasMore": False, "offset": 1}
    assert last["nodes"] == [{"name": "Support"}]
    assert beyond["nodes"] == [] and beyond["pageInfo"]["hasMore"] is False


def test_nested_group_members_page_the_same_way(cg: Cg) -> None:
    query = (
        "query($id: String!, $o: Int) { userGroup(userGroupId: $id) {"
        " users(limit: 1, offset: $o) { pageInfo { total limit hasMore offset } nodes { id } } } }"
    )
    first = cg.data(query, {"id": ENGINEERING, "o": 0})["userGroup"]["users"]
    last = cg.data(query, {"id": ENGINEERING, "o": 1})["userGroup"]["users"]
    assert first == {
        "pageInfo": {"total": 2, "limit": 1, "hasMore": True, "offset": 0},
        "nodes": [{"id": SARA}],
    }
    assert last["pageInfo"]["hasMore"] is False
    assert cg.data(query, {"id": ENGINEERING, "o": 5})["userGroup"]["users"]["nodes"] == []
    # A group without members lists nobody.
    empty = cg.data(
        'mutation { createUserGroup(input: {name: "Empty"}) { userGroup {'
        " users(limit: 10) { pageInfo { total hasMore } nodes { id } } } } }"
    )
    assert empty["createUserGroup"]["userGroup"]["users"] == {
        "pageInfo": {"total": 0, "hasMore": False},
        "nodes": [],
    }
    assert PRIYA not in {node["id"] for node in first["nodes"]}


def test_nested_paging_arguments_are_checked_where_they_are(cg: Cg) -> None:
    response = cg.post("{ users(limit: 1) { nodes { userGroups(limit: -5) { nodes { id } } } } }")
    body = response.json()
    assert body["data"] == {"users": {"nodes": [{"userGroups": None}]}}
    assert body["errors"][0]["path"] == ["users", "nodes", 0, "userGroups"]
    assert body["errors"][0]["message"] == (
        "Exception while fetching data (/users/nodes[0]/userGroups) : Invalid request:"
        " Limit argument accepts only non negative values"
    )


def test_a_limit_over_100_is_served_as_100(cg: Cg, sim: Simulator) -> None:
    """Harness's connection fetchers cap every page at 100 and report the cap."""
    for number in range(100):
        sim.harness.users.create(
            ACCOUNT, name=f"Bulk {number:03}", email=f"bulk{number}@example.com"
        )
    first, rest = page(cg, 150), page(cg, 150, 100)
    assert first["pageInfo"] == {"total": 108, "limit": 100, "hasMore": True, "offset": 0}
    assert len(first["nodes"]) == 100
    assert rest["pageInfo"] == {"total": 108, "limit": 100, "hasMore": False, "offset": 100}
    assert len(rest["nodes"]) == 8
    nested = cg.data(
        f'{{ user(id: "{SARA}") {{ userGroups(limit: 1000) {{ pageInfo {{ limit total }} }} }} }}'
    )
    assert nested["user"]["userGroups"]["pageInfo"] == {"limit": 100, "total": 1}
