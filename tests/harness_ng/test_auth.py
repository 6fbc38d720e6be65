"""Who may call: keys, accounts, permissions and isolation between accounts."""

from __future__ import annotations

import httpx
import pytest

from tests.harness_ng.conftest import NG, emails, error, ok, q
from tests.ids import (
    ACCOUNT,
    ADMIN_ID,
    ADMIN_KEY,
    LOCKED_KEY,
    SECOND_ACCOUNT,
    SECOND_KEY,
    VIEWER_KEY,
)


def test_missing_key_is_401_invalid_token(http: httpx.Client) -> None:
    body = error(http.get(f"{NG}/currentUser"), 401, "INVALID_TOKEN")
    assert body["message"] == "Token is not valid."


def test_unknown_key_is_401(http: httpx.Client) -> None:
    error(http.get(f"{NG}/currentUser", headers={"x-api-key": "nope"}), 401, "INVALID_TOKEN")


def test_key_header_name_is_case_insensitive(http: httpx.Client) -> None:
    data = ok(http.get(f"{NG}/currentUser", headers={"X-API-KEY": ADMIN_KEY}))
    assert data["uuid"] == ADMIN_ID


@pytest.mark.parametrize("prefix", ["/ng/api/user", "/gateway/ng/api/user"])
def test_both_url_prefixes_serve_the_api(http: httpx.Client, prefix: str) -> None:
    data = ok(http.get(f"{prefix}/currentUser", headers={"x-api-key": ADMIN_KEY}))
    assert data["email"] == "admin@example.com"
    assert data["admin"] is True
    assert data["defaultAccountId"] == ACCOUNT


def test_account_is_required_where_the_contract_says_so(http: httpx.Client) -> None:
    response = http.post(f"{NG}/batch", headers={"x-api-key": ADMIN_KEY})
    body = error(response, 400, "INVALID_REQUEST")
    assert body["message"] == "Invalid request: Account detail is not present in the request"


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({"accountIdentifier": ACCOUNT}, {}),
        ({"accountId": ACCOUNT}, {}),
        ({}, {"Harness-Account": ACCOUNT}),
    ],
)
def test_account_can_be_named_three_ways(http: httpx.Client, params: dict, headers: dict) -> None:
    response = http.post(f"{NG}/batch", params=params, headers={"x-api-key": ADMIN_KEY, **headers})
    assert ok(response)["totalItems"] == 8


def test_a_key_of_another_account_is_refused(http: httpx.Client) -> None:
    response = http.post(f"{NG}/batch", params=q(), headers={"x-api-key": SECOND_KEY})
    error(response, 401, "INVALID_TOKEN")


def test_accounts_are_isolated(http: httpx.Client) -> None:
    """The second account sees its own users, including its own sruiz@example.com."""
    response = http.post(
        f"{NG}/batch",
        params={"accountIdentifier": SECOND_ACCOUNT},
        headers={"x-api-key": SECOND_KEY},
    )
    page = ok(response)
    assert emails(page) == ["admin@second.example.com", "sruiz@example.com"]
    first_account_user = "SArz5MsSS8y2PNbwhc8INw"
    response = http.get(
        f"{NG}/aggregate/{first_account_user}",
        params={"accountIdentifier": SECOND_ACCOUNT},
        headers={"x-api-key": SECOND_KEY},
    )
    error(response, 404, "ENTITY_NOT_FOUND")
    response = http.delete(
        f"{NG}/{first_account_user}",
        params={"accountIdentifier": SECOND_ACCOUNT},
        headers={"x-api-key": SECOND_KEY},
    )
    error(response, 404, "ENTITY_NOT_FOUND")
    assert (
        http.post(f"{NG}/batch", params=q(), headers={"x-api-key": ADMIN_KEY}).json()["data"][
            "totalItems"
        ]
        == 8
    )


def test_current_user_is_the_owner_of_the_key(http: httpx.Client) -> None:
    data = ok(http.get(f"{NG}/currentUser", headers={"x-api-key": VIEWER_KEY}))
    assert data["uuid"] == "W_zq_nwvTCm50wX3cI6Nhw"
    assert data["admin"] is False


def test_a_viewer_can_list_but_not_manage(http: httpx.Client) -> None:
    headers = {"x-api-key": VIEWER_KEY}
    assert ok(http.post(f"{NG}/batch", params=q(), headers=headers))["totalItems"] == 8
    response = http.post(
        f"{NG}/users", params=q(), headers=headers, json={"emails": ["a@b.example.com"]}
    )
    body = error(response, 403, "NG_ACCESS_DENIED")
    assert "Missing permission core_user_manage on user" in body["message"]
    check = body["failedPermissionChecks"][0]
    assert check["permission"] == "core_user_manage"
    assert check["resourceScope"] == {"accountIdentifier": ACCOUNT}


def test_a_viewer_cannot_update_someone_else(http: httpx.Client) -> None:
    response = http.put(
        f"{NG}/{ADMIN_ID}", params=q(), headers={"x-api-key": VIEWER_KEY}, json={"name": "Mallory"}
    )
    error(response, 403, "NG_ACCESS_DENIED")


def test_a_locked_users_key_is_refused(http: httpx.Client) -> None:
    body = error(
        http.get(f"{NG}/currentUser", headers={"x-api-key": LOCKED_KEY}), 401, "USER_LOCKED"
    )
    assert "locked" in body["message"]
