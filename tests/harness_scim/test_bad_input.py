"""Input Harness refuses, ignores or reads its own way: answered as Harness does.

A refusal changes nothing (the whole exported state is compared); input Harness
ignores (schema URNs, attributes it does not read, filters it cannot read) is served as
if it had not been sent.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from simulator.runtime import Simulator
from tests.harness_scim.faces import (
    BEARER,
    ERROR_SCHEMA,
    SCIM,
    USER_SCHEMA,
    patch_ops,
    scim,
)
from tests.ids import ADMIN_ID, ENGINEERING, ERIN, GARY

NEW_USER = {"schemas": [USER_SCHEMA], "userName": "kay@example.com", "displayName": "Kay Nygaard"}


def scim_error(response: httpx.Response, http_status: int, body_status: int | None = None) -> str:
    assert response.status_code == http_status, response.text
    assert response.headers["content-type"] == "application/scim+json"
    body = response.json()
    assert set(body) == {"schemas", "status", "detail"}, body
    assert body["schemas"] == [ERROR_SCHEMA]
    assert body["status"] == (http_status if body_status is None else body_status)
    detail: str = body["detail"]
    return detail


REFUSED: dict[str, tuple[str, str, bytes, dict[str, str], int, int | None]] = {
    "malformed JSON": ("POST", "/Users", b'{"userName": "kay@example.com"', {}, 400, None),
    "a JSON array": ("POST", "/Users", b"[]", {}, 400, None),
    "no body": ("POST", "/Users", b"", {}, 400, None),
    "a string for active": (
        "POST",
        "/Users",
        b'{"userName": "kay@example.com", "active": "maybe"}',
        {},
        400,
        None,
    ),
    "a number for userName": ("POST", "/Users", b'{"userName": 5}', {}, 400, None),
    "no userName": ("POST", "/Users", b'{"displayName": "Kay"}', {}, 409, 404),
    "userName not an email": ("POST", "/Users", b'{"userName": "kay"}', {}, 409, 404),
    "a text body": ("POST", "/Users", b"userName=kay", {"content-type": "text/plain"}, 415, None),
    "a PATCH without Operations": ("PATCH", f"/Users/{GARY}", b'{"schemas": []}', {}, 400, None),
    "an unknown PATCH op": (
        "PATCH",
        f"/Users/{GARY}",
        b'{"Operations": [{"op": "merge", "value": {"active": false}}]}',
        {},
        400,
        None,
    ),
    "active that is no boolean": (
        "PATCH",
        f"/Users/{GARY}",
        b'{"Operations": [{"op": "replace", "path": "active", "value": "nope"}]}',
        {},
        400,
        None,
    ),
    "a group name that makes no identifier": (
        "POST",
        "/Groups",
        b'{"displayName": "9 lives"}',
        {},
        409,
        404,
    ),
    "a group at a project that does not exist": (
        "POST",
        "/Groups",
        b'{"displayName": "Ghosts", "harnessScopes": "UsersimAccount00000001:default:nowhere"}',
        {},
        409,
        404,
    ),
    "a PUT of a group SCIM did not create": (
        "PUT",
        "/Groups/Engineering",
        b'{"displayName": "Engineering", "members": []}',
        {},
        412,
        404,
    ),
    "a PATCH of a group SCIM did not create": (
        "PATCH",
        f"/Groups/{ENGINEERING}",
        b'{"Operations": [{"op": "add", "path": "members", "value": [{"value": "'
        + GARY.encode()
        + b'"}]}]}',
        {},
        400,
        None,
    ),
    "deactivating the last admin": (
        "PATCH",
        f"/Users/{ADMIN_ID}",
        b'{"Operations": [{"op": "replace", "value": {"active": false}}]}',
        {},
        409,
        None,
    ),
    "an unknown user": ("PATCH", "/Users/nobody", b'{"Operations": []}', {}, 404, None),
    "an unknown group": ("DELETE", "/Groups/nobody", b"", {}, 404, None),
    "a count that is no number": ("GET", "/Users?count=many", b"", {}, 404, None),
    "a count beyond int32": ("GET", "/Users?count=99999999999", b"", {}, 404, None),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_input_changes_nothing(http: httpx.Client, sim: Simulator, case: str) -> None:
    method, path, body, headers, status, body_status = REFUSED[case]
    before = sim.export()
    response = http.request(
        method,
        SCIM + path,
        content=body,
        headers={**BEARER, "content-type": "application/scim+json", **headers},
    )
    scim_error(response, status, body_status)
    assert sim.export() == before


def test_a_put_for_an_unknown_user_is_a_bare_404(http: httpx.Client, sim: Simulator) -> None:
    before = sim.export()
    response = scim(http, "PUT", "/Users/nobody", NEW_USER)
    assert (response.status_code, response.content) == (404, b"")
    assert sim.export() == before


def test_schema_urns_are_not_read(http: httpx.Client, sim: Simulator) -> None:
    """Harness ignores `schemas`: a wrong URN is served as the right one would be."""
    wrong = scim(http, "POST", "/Users", {**NEW_USER, "schemas": ["urn:example:not:a:user"]})
    assert wrong.status_code == 201
    again = scim(http, "POST", "/Users", NEW_USER)
    assert again.status_code == 201 and again.json()["id"] == wrong.json()["id"]
    patched = scim(
        http,
        "PATCH",
        f"/Users/{wrong.json()['id']}",
        {
            "schemas": ["urn:example:wrong"],
            "Operations": [{"op": "replace", "path": "displayName", "value": "Kay N."}],
        },
    )
    assert patched.status_code == 200 and patched.json()["displayName"] == "Kay N."


def test_unknown_attributes_are_ignored(http: httpx.Client, sim: Simulator) -> None:
    created = scim(
        http,
        "POST",
        "/Users",
        {**NEW_USER, "nickName": "kay", "title": "Professor", "phoneNumbers": [{"value": "1"}]},
    )
    assert created.status_code == 201
    body = created.json()
    assert not {"nickName", "title", "phoneNumbers"} & set(body)
    before = sim.export()
    ignored = scim(
        http,
        "PATCH",
        f"/Users/{body['id']}",
        patch_ops(
            {"op": "replace", "path": "title", "value": "Dean"},
            {"op": "add", "value": {"nickName": "k", "preferredLanguage": "no"}},
            {"op": "remove", "path": "emails"},
        ),
    )
    assert ignored.status_code == 200 and ignored.json() == body
    assert sim.export() == before


def _provisioned(http: httpx.Client, **params: Any) -> list[str]:
    response = scim(http, "GET", "/Users", **params)
    assert response.status_code == 200, response.text
    return [user["id"] for user in response.json()["Resources"]]


@pytest.mark.parametrize(
    "filter_text",
    [
        'userName sw "e"',
        'userName co "okafor"',
        'userName eq "x" and active eq true'.replace(" eq ", " EQ "),
        "garbage",
    ],
)
def test_a_user_filter_harness_cannot_read_lists_everyone(
    http: httpx.Client, sim: Simulator, filter_text: str
) -> None:
    assert _provisioned(http, filter=filter_text) == _provisioned(http) == [ERIN]


def test_the_attribute_of_an_eq_filter_is_ignored(http: httpx.Client, sim: Simulator) -> None:
    assert _provisioned(http, filter='externalId eq "EOKAFOR@example.com"') == [ERIN]
    assert _provisioned(http, filter='userName eq "okta-00u1erin"') == []


@pytest.mark.parametrize(
    "params",
    [{}, {"filter": 'displayName co "Eng"'}, {"filter": 'externalId eq "Engineering"'}],
    ids=["no filter", "another operator", "another attribute"],
)
def test_a_group_list_without_a_name_filter_is_empty(
    http: httpx.Client, sim: Simulator, params: dict[str, str]
) -> None:
    response = scim(http, "GET", "/Groups", **params)
    assert response.status_code == 200
    assert response.json()["Resources"] == [] and response.json()["totalResults"] == 0
    found = scim(http, "GET", "/Groups", filter='displayName eq "Engineering"').json()
    assert [g["displayName"] for g in found["Resources"]] == ["Engineering"]


def test_a_huge_count_is_served_as_the_most_a_page_holds(
    http: httpx.Client, sim: Simulator
) -> None:
    for n in range(3):
        scim(http, "POST", "/Users", {"userName": f"bulk{n}@example.com"})
    page = scim(http, "GET", "/Users", count=2_000_000_000).json()
    assert (page["itemsPerPage"], page["totalResults"], page["startIndex"]) == (1000, 4, 0)
    second = scim(http, "GET", "/Users", count=2, startIndex=3).json()
    assert (second["totalResults"], second["itemsPerPage"], second["startIndex"]) == (2, 2, 3)
    assert scim(http, "GET", "/Users", count=-4).json()["Resources"] == []
    assert _provisioned(http, startIndex=0) == _provisioned(http)
