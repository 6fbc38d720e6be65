"""Reading one account through every Harness face, for the SCIM tests.

A provisioning step is only done when SCIM, NextGen and CurrentGen agree on it: these
helpers ask each face the same question in its own words.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.ids import ACCOUNT, ADMIN_KEY

SCIM = f"/gateway/ng/api/scim/account/{ACCOUNT}"
BEARER = {"Authorization": f"Bearer {ADMIN_KEY}"}
SCIM_JSON = {**BEARER, "Content-Type": "application/scim+json"}
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


def scim(
    http: httpx.Client, method: str, path: str, body: Any = None, **params: Any
) -> httpx.Response:
    content = None if body is None else httpx.Request("POST", "/", json=body).content
    return http.request(method, SCIM + path, content=content, params=params, headers=SCIM_JSON)


def patch_ops(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_SCHEMA], "Operations": list(operations)}


def ng_member(http: httpx.Client, user_id: str) -> dict[str, Any] | None:
    """The user as NextGen's aggregate lists the account's members (None: not a member)."""
    response = http.post(
        "/gateway/ng/api/user/aggregate",
        params={"accountIdentifier": ACCOUNT, "pageSize": 100},
        json={},
        headers={"x-api-key": ADMIN_KEY},
    )
    assert response.status_code == 200, response.text
    for item in response.json()["data"]["content"]:
        if item["user"]["uuid"] == user_id:
            user: dict[str, Any] = item["user"]
            return user
    return None


def ng_group(http: httpx.Client, identifier: str) -> dict[str, Any] | None:
    """The account-level user group as NextGen reads it (None: no such group)."""
    response = http.get(
        f"/gateway/ng/api/user-groups/{identifier}",
        params={"accountIdentifier": ACCOUNT},
        headers={"x-api-key": ADMIN_KEY},
    )
    if response.status_code == 400 and response.json()["code"] == "RESOURCE_NOT_FOUND_EXCEPTION":
        return None
    assert response.status_code == 200, response.text
    group: dict[str, Any] = response.json()["data"]
    return group


def cg(http: httpx.Client, query: str) -> dict[str, Any]:
    response = http.post(
        "/gateway/api/graphql",
        params={"accountId": ACCOUNT},
        json={"query": query},
        headers={"x-api-key": ADMIN_KEY},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def cg_user(http: httpx.Client, user_id: str) -> dict[str, Any] | None:
    body = cg(
        http,
        f'{{ user(id: "{user_id}") {{ id name email isImportedFromIdentityProvider'
        " externalUserId userGroups(limit: 100) { nodes { id name } } } }",
    )
    user: dict[str, Any] | None = (body.get("data") or {}).get("user")
    return user


def cg_group(http: httpx.Client, name: str) -> dict[str, Any] | None:
    body = cg(
        http,
        f'{{ userGroupByName(name: "{name}") {{ id name importedByScim'
        " users(limit: 100) { nodes { id email } } } }",
    )
    group: dict[str, Any] | None = body["data"]["userGroupByName"]
    return group
