"""The three paging styles and their edge cases.

Relay cursors (`roles`), `pagingArgs` offset paging with `total`/`totalActive`
(`paginatedTeamUsersByOrganizationIdV2`), and limit/offset/term/order inside the admin
`users(where:)`.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.rapidapi import samples
from tests.rapidapi.conftest import ACME_TEAM_KEY, ORG_ADMIN_KEY, Api

ROLES = """query($where: RoleWhereInput!, $orderBy: RoleOrderByInput, $pagination: PaginationInput) {
  roles(where: $where, orderBy: $orderBy, pagination: $pagination) {
    nodes { id }
    edges { node { id name } cursor }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""
ALL_ROLE_IDS = ["575", "576", "577", "580", "581", "590", "600", "626", "627"]


def roles(api: Api, **variables: Any) -> dict[str, Any]:
    return api.data(ROLES, {"where": {}, **variables})["roles"]


# -- Relay cursors -----------------------------------------------------------------------


def test_walking_the_cursors_visits_every_role_once(api: Api) -> None:
    seen, after, pages = [], None, 0
    while True:
        page = roles(api, pagination={"first": 2, "after": after})
        seen += [edge["node"]["id"] for edge in page["edges"]]
        assert [n["id"] for n in page["nodes"]] == [e["node"]["id"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ALL_ROLE_IDS
    assert pages == 5


def test_without_first_every_role_after_the_cursor_comes(api: Api) -> None:
    everything = roles(api)
    assert [e["node"]["id"] for e in everything["edges"]] == ALL_ROLE_IDS
    assert everything["pageInfo"]["hasNextPage"] is False
    rest = roles(api, pagination={"after": everything["edges"][6]["cursor"]})
    assert [e["node"]["id"] for e in rest["edges"]] == ["626", "627"]


def test_first_zero_is_an_empty_page(api: Api) -> None:
    page = roles(api, pagination={"first": 0})
    assert page["edges"] == [] and page["nodes"] == []
    assert page["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    }


def test_after_the_last_item_is_an_empty_page(api: Api) -> None:
    last = roles(api)["pageInfo"]["endCursor"]
    page = roles(api, pagination={"first": 5, "after": last})
    assert page["edges"] == []
    assert page["pageInfo"]["hasNextPage"] is False
    assert page["pageInfo"]["hasPreviousPage"] is True


def test_cursors_are_opaque(api: Api) -> None:
    cursors = [e["cursor"] for e in roles(api)["edges"]]
    assert all(cursor not in ALL_ROLE_IDS and "575" not in cursor for cursor in cursors)


@pytest.mark.parametrize(
    "after",
    ["nope", "", "cm9sZTp4", "!!!"],
    ids=["garbage", "empty", "not a number inside", "not base64"],
)
def test_a_bad_cursor_is_a_clear_error(api: Api, after: str) -> None:
    body = api.error(ROLES, {"where": {}, "pagination": {"after": after}}, code="BAD_USER_INPUT")
    assert body["data"] is None  # roles is non-null: the error nulls the whole result
    assert "cursor" in body["errors"][0]["message"]
    assert body["errors"][0]["path"] == ["roles"]


def test_a_cursor_from_another_list_is_refused(api: Api) -> None:
    team_role_cursor = roles(api, where={"roleLevels": ["USER_TEAM"]})["edges"][0]["cursor"]
    variables = {
        "where": {"roleLevels": ["USER_ENVIRONMENT"]},
        "pagination": {"after": team_role_cursor},
    }
    api.error(ROLES, variables, code="BAD_USER_INPUT")


def test_negative_first_is_refused(api: Api) -> None:
    api.error(ROLES, {"where": {}, "pagination": {"first": -1}}, code="BAD_USER_INPUT")


def test_last_and_before_are_accepted_and_ignored(api: Api) -> None:
    page = roles(api, pagination={"first": 1, "last": 3, "before": "whatever"})
    assert [e["node"]["id"] for e in page["edges"]] == ["575"]


@pytest.mark.parametrize(("by", "reverse"), [("ASC", False), ("DESC", True)])
def test_roles_sort_by_name(api: Api, by: str, reverse: bool) -> None:
    order = {"sortingFields": [{"fieldName": "NAME", "by": by}]}
    names = [e["node"]["name"] for e in roles(api, orderBy=order)["edges"]]
    assert names == sorted(names, key=str.lower, reverse=reverse)
    assert len(names) == 9


def test_cursors_follow_the_requested_order(api: Api) -> None:
    order = {"sortingFields": [{"fieldName": "NAME", "by": "ASC"}]}
    first = roles(api, orderBy=order, pagination={"first": 3})
    rest = roles(api, orderBy=order, pagination={"after": first["pageInfo"]["endCursor"]})
    names = [e["node"]["name"] for e in first["edges"] + rest["edges"]]
    assert names == sorted(names, key=str.lower) and len(names) == 9


# -- pagingArgs --------------------------------------------------------------------------


def org_users(api: Api, **paging: Any) -> dict[str, Any]:
    variables = {"orgId": 5755578, "pagingArgs": paging or None}
    data = api.data(samples.TEAM_USERS, variables, key=ACME_TEAM_KEY, identity=ORG_ADMIN_KEY)
    return data["paginatedTeamUsersByOrganizationIdV2"]


ORG_IDS = [5713300, 6049746, 7344540, 7344541, 7344547, 7700001, 7700002]


def test_without_paging_args_every_row_comes_by_id(api: Api) -> None:
    page = org_users(api)
    assert [r["id"] for r in page["data"]] == ORG_IDS
    assert (page["total"], page["totalActive"]) == (7, 4)


@pytest.mark.parametrize("direction", ["asc", "ASC", "desc", "DESC"])
def test_offset_windows_cover_the_list_in_either_direction(api: Api, direction: str) -> None:
    ids = []
    for offset in range(0, 8, 3):
        page = org_users(api, offset=offset, limit=3, orderDirection=direction)
        assert (page["total"], page["totalActive"]) == (7, 4)
        ids += [r["id"] for r in page["data"]]
    assert ids == (ORG_IDS if direction.lower() == "asc" else ORG_IDS[::-1])


def test_an_offset_past_the_end_is_an_empty_page(api: Api) -> None:
    page = org_users(api, offset=100, limit=10)
    assert page == {"data": [], "total": 7, "totalActive": 4}


def test_limit_zero_counts_without_rows(api: Api) -> None:
    assert org_users(api, limit=0) == {"data": [], "total": 7, "totalActive": 4}


def test_search_term_filters_and_counts(api: Api) -> None:
    page = org_users(api, searchTerm="ACME.EXAMPLE")  # the newhire invite's email
    assert [r["email"] for r in page["data"]] == ["newhire@acme.example.com"]
    assert (page["total"], page["totalActive"]) == (1, 0)
    page = org_users(api, searchTerm="a", orderBy="name", limit=2)
    assert page["total"] > 2 and len(page["data"]) == 2


@pytest.mark.parametrize(
    ("order_by", "key"),
    [("email", "email"), ("name", "name"), ("username", "username"), ("role", "role")],
)
def test_order_by_a_column(api: Api, order_by: str, key: str) -> None:
    rows = org_users(api, orderBy=order_by)["data"]
    values = [(r[key] or "").lower() for r in rows]
    assert values == sorted(values)


@pytest.mark.parametrize(
    "paging",
    [{"offset": -1}, {"limit": -5}, {"orderBy": "password"}],
    ids=["negative offset", "negative limit", "unknown column"],
)
def test_bad_paging_args_are_refused(api: Api, paging: dict) -> None:
    variables = {"orgId": 5755578, "pagingArgs": paging}
    body = api.error(
        samples.TEAM_USERS,
        variables,
        key=ACME_TEAM_KEY,
        identity=ORG_ADMIN_KEY,
        code="BAD_USER_INPUT",
    )
    assert "pagingArgs" in body["errors"][0]["message"]


# -- limit/offset/term/order inside the admin `where` ------------------------------------


def listing(api: Api, **where: Any) -> dict[str, Any]:
    return api.data(samples.ADMIN_USERS, {"where": where})["users"]


BY_CREATION = [
    "5500001",
    "5713300",
    "6049746",
    "7344540",
    "7344541",
    "7344542",
    "7344543",
    "7344547",
]


@pytest.mark.parametrize("order", ["createdAt,ASC", "createdAt", "createdAt,asc", None])
def test_windows_in_creation_order(api: Api, order: str | None) -> None:
    ids = []
    for offset in (0, 3, 6, 9):
        page = listing(api, limit=3, offset=offset, order=order)
        assert page["totalCount"] == 8
        ids += [u["id"] for u in page["nodes"]]
    assert ids == BY_CREATION


def test_descending_windows(api: Api) -> None:
    first = listing(api, limit=3, offset=0, order="createdAt,DESC")
    second = listing(api, limit=3, offset=3, order="createdAt,DESC")
    assert [u["id"] for u in first["nodes"] + second["nodes"]] == BY_CREATION[::-1][:6]
    assert listing(api, limit=3, offset=8, order="createdAt,DESC")["nodes"] == []


@pytest.mark.parametrize("field", ["name", "email", "username", "id"])
def test_order_by_other_fields(api: Api, field: str) -> None:
    asc = [u[field] for u in listing(api, order=f"{field},ASC")["nodes"]]
    desc = [u[field] for u in listing(api, order=f"{field},DESC")["nodes"]]
    key = int if field == "id" else str.lower
    assert asc == sorted(asc, key=key) and desc == asc[::-1]


@pytest.mark.parametrize(
    ("term", "by_field", "expected"),
    [
        ("pat", "name", {"6049746", "7344543"}),  # Dev Patel, Pat Lee
        ("pat", "username", {"6049746"}),  # dpatel
        ("73445", "id", {"7344540", "7344541", "7344542", "7344543", "7344547"}),
        ("ACME", "id,name,email,username", set()),
        ("lena.fischer@", "email", {"7344547"}),
        ("", "id", set(BY_CREATION)),
    ],
)
def test_term_searches_the_named_fields(
    api: Api, term: str, by_field: str, expected: set[str]
) -> None:
    page = listing(api, term=term, byField=by_field)
    assert {u["id"] for u in page["nodes"]} == expected
    assert page["totalCount"] == len(expected)


def test_term_with_a_window_counts_all_matches(api: Api) -> None:
    page = listing(api, term="example.com", byField="email", limit=2, offset=1)
    assert page["totalCount"] == 8
    assert [u["id"] for u in page["nodes"]] == BY_CREATION[1:3]


@pytest.mark.parametrize(
    ("status", "expected"),
    [("ACTIVE", 5), ("DEACTIVATED", 1), ("DELETED", 1), ("PENDING", 1)],
)
def test_status_filter(api: Api, status: str, expected: int) -> None:
    page = listing(api, filters={"status": status}, limit=2)
    assert page["totalCount"] == expected
    assert {u["status"] for u in page["nodes"]} == {status}


@pytest.mark.parametrize(
    "where",
    [
        {"order": "password,ASC"},
        {"order": "createdAt,SIDEWAYS"},
        {"byField": "password"},
        {"filters": {"status": "GONE"}},
        {"limit": -1},
        {"offset": -1},
    ],
    ids=["order field", "direction", "byField", "status", "limit", "offset"],
)
def test_bad_listing_arguments_are_refused(api: Api, where: dict) -> None:
    api.error(samples.ADMIN_USERS, {"where": where}, code="BAD_USER_INPUT")
