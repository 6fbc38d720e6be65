"""The Harness Terraform provider's call sequences, call for call, against the default fixture.

Each sequence is what terraform-provider-harness (internal/service/platform/...) sends
through harness-go-sdk for create, read, update, import and delete: the same paths,
query parameters and bodies (Go leaves out empty fields), reading the same response
fields. The default account signs in with SAML and auto-accepts invites, as Harness
documents harness_platform_user needs, so a new email gets an id at every scope.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.harness_ng.conftest import ok
from tests.ids import ACCOUNT, SARA

GATEWAY = "/gateway"
SCOPES = [
    pytest.param({}, id="account"),
    pytest.param({"orgIdentifier": "default"}, id="org"),
    pytest.param({"orgIdentifier": "default", "projectIdentifier": "checkout"}, id="project"),
]
_LEVEL = {0: "ACCOUNT", 1: "ORGANIZATION", 2: "PROJECT"}


def _query(scope: dict[str, str], **more: str) -> dict[str, str]:
    return {"accountIdentifier": ACCOUNT, **scope, **more}


def _all_users_group(scope: dict[str, str]) -> str:
    return {0: "_account_all_users", 1: "_organization_all_users", 2: "_project_all_users"}[
        len(scope)
    ]


# -- harness_platform_user ---------------------------------------------------------------


def _read_user(ng: httpx.Client, scope: dict[str, str], email: str) -> dict[str, Any] | None:
    """resourceUserRead: the aggregate searched by email; no content means no resource."""
    page = ok(ng.post(f"{GATEWAY}/ng/api/user/aggregate", params=_query(scope, searchTerm=email)))
    if page["empty"]:
        return None
    user: dict[str, Any] = page["content"][0]["user"]
    return user


@pytest.mark.parametrize("scope", SCOPES)
def test_harness_platform_user_for_a_new_email(ng: httpx.Client, scope: dict[str, str]) -> None:
    email = "tf.user@example.com"
    group = _all_users_group(scope)
    # create: AddUsers, then the aggregate read sets the id from the content.
    body = {"emails": [email], "userGroups": [group], "roleBindings": []}
    added = ok(ng.post(f"{GATEWAY}/ng/api/user/users", params=_query(scope), json=body))
    assert added["addUserResponseMap"] == {email: "USER_INVITED_SUCCESSFULLY"}
    user = _read_user(ng, scope, email)
    assert user is not None and user["email"] == email and user["uuid"]
    uuid = user["uuid"]
    # read (plan) and import ("email/org/project" sets email, org_id, project_id, then read)
    assert _read_user(ng, scope, email) == user
    # update: AddUserToUserGroups with the configured groups, then the aggregate read.
    put = ng.put(
        f"{GATEWAY}/ng/api/user/add-user-to-groups/{uuid}",
        params=_query(scope),
        json={"userGroupIdsToAdd": [group]},
    )
    assert ok(put) is True
    assert _read_user(ng, scope, email) == user
    # delete: RemoveUser at the scope.
    assert ok(ng.delete(f"{GATEWAY}/ng/api/user/{uuid}", params=_query(scope))) is True
    if not scope:
        assert _read_user(ng, scope, email) is None


def test_harness_platform_user_with_a_role_binding(ng: httpx.Client) -> None:
    scope = {"orgIdentifier": "default", "projectIdentifier": "checkout"}
    binding = {
        "resourceGroupIdentifier": "_all_project_level_resources",
        "roleIdentifier": "_project_admin",
        "roleName": "Project Admin",
        "managedRole": True,
    }
    body = {"emails": ["tf.admin@example.com"], "userGroups": [], "roleBindings": [binding]}
    ok(ng.post(f"{GATEWAY}/ng/api/user/users", params=_query(scope), json=body))
    page = ok(
        ng.post(
            f"{GATEWAY}/ng/api/user/aggregate",
            params=_query(scope, searchTerm="tf.admin@example.com"),
        )
    )
    roles = [item["roleIdentifier"] for item in page["content"][0]["roleAssignmentMetadata"]]
    assert roles == ["_project_admin"]


# -- harness_platform_usergroup ----------------------------------------------------------


def _read_group(ng: httpx.Client, scope: dict[str, str], identifier: str) -> dict[str, Any]:
    """resourceUserGroupRead: GET v2 first; the provider falls back to v1 only on an error."""
    data: dict[str, Any] = ok(
        ng.get(f"{GATEWAY}/ng/api/v2/user-groups/{identifier}", params=_query(scope))
    )
    return data


@pytest.mark.parametrize("scope", SCOPES)
def test_harness_platform_usergroup_with_user_ids(ng: httpx.Client, scope: dict[str, str]) -> None:
    body: dict[str, Any] = {
        "accountIdentifier": ACCOUNT,
        **scope,
        "identifier": "tf_group",
        "name": "TF Group",
        "users": [SARA],
        "notificationConfigs": [
            {"type": "EMAIL", "groupEmail": "team@example.com", "sendEmailToAllUsers": True},
            {"type": "SLACK", "slackWebhookUrl": "https://hooks.slack.com/x"},
        ],
        "description": "made by terraform",
        "tags": {"team": "platform"},
    }
    created = ok(ng.post(f"{GATEWAY}/ng/api/user-groups", params=_query(scope), json=body))
    assert created["identifier"] == "tf_group" and created["users"] == [SARA]
    assert created.get("orgIdentifier") == scope.get("orgIdentifier")
    read = _read_group(ng, scope, "tf_group")
    assert [user["id"] for user in read["users"]] == [SARA]
    assert read["notificationConfigs"] == body["notificationConfigs"]
    assert read["ssoLinked"] is False and read["tags"] == {"team": "platform"}
    # update: PUT with the whole group (users left out clear the members)
    update = {**body, "name": "TF Group renamed", "users": []}
    updated = ok(ng.put(f"{GATEWAY}/ng/api/user-groups", params=_query(scope), json=update))
    assert updated["name"] == "TF Group renamed" and updated["users"] == []
    # import: MultiLevelResourceImporter sets the id, then the same read
    assert _read_group(ng, scope, "tf_group")["name"] == "TF Group renamed"
    # the data source's lookup by name: pageSize 2, pageIndex 0, 2, 4... until empty
    found = None
    for index in range(0, 20, 2):
        page = ok(
            ng.get(
                f"{GATEWAY}/ng/api/user-groups",
                params=_query(
                    scope, searchTerm="TF Group renamed", pageIndex=str(index), pageSize="2"
                ),
            )
        )
        if not page["content"]:
            break
        found = next((g for g in page["content"] if g["name"] == "TF Group renamed"), None)
        if found:
            break
    assert found is not None and found["identifier"] == "tf_group"
    deleted = ok(ng.delete(f"{GATEWAY}/ng/api/user-groups/tf_group", params=_query(scope)))
    assert deleted["identifier"] == "tf_group"
    gone = ng.get(f"{GATEWAY}/ng/api/user-groups/tf_group", params=_query(scope))
    assert gone.status_code == 400 and gone.json()["code"] == "RESOURCE_NOT_FOUND_EXCEPTION"


def test_harness_platform_usergroup_with_user_emails(ng: httpx.Client) -> None:
    scope = {"orgIdentifier": "default", "projectIdentifier": "checkout"}
    body = {
        "accountIdentifier": ACCOUNT,
        **scope,
        "identifier": "tf_emails",
        "name": "TF Emails",
        "users": ["sruiz@example.com", "nobody@example.com"],
    }
    created = ok(ng.post(f"{GATEWAY}/ng/api/v2/user-groups", params=_query(scope), json=body))
    # an email of nobody is dropped without an error, as Harness does
    assert created["users"] == [{"id": SARA, "email": "sruiz@example.com"}]
    update = {**body, "users": ["sruiz@example.com", "wzhang@example.com"]}
    updated = ok(ng.put(f"{GATEWAY}/ng/api/v2/user-groups", params=_query(scope), json=update))
    assert sorted(user["email"] for user in updated["users"]) == [
        "sruiz@example.com",
        "wzhang@example.com",
    ]
    assert len(_read_group(ng, scope, "tf_emails")["users"]) == 2
    ok(ng.delete(f"{GATEWAY}/ng/api/user-groups/tf_emails", params=_query(scope)))


# -- harness_platform_role_assignments ---------------------------------------------------


@pytest.mark.parametrize("scope", SCOPES)
def test_harness_platform_role_assignments(ng: httpx.Client, scope: dict[str, str]) -> None:
    level = _LEVEL[len(scope)].lower()
    viewer = {"account": "_account_viewer", "organization": "_organization_viewer"}.get(
        level, "_project_viewer"
    )
    resource_group = {
        "account": "_all_account_level_resources",
        "organization": "_all_organization_level_resources",
    }.get(level, "_all_project_level_resources")
    group = {"accountIdentifier": ACCOUNT, **scope, "identifier": "tf_team", "name": "TF Team"}
    ok(ng.post(f"{GATEWAY}/ng/api/user-groups", params=_query(scope), json=group))
    body = {
        "identifier": "tf_assignment",
        "resourceGroupIdentifier": resource_group,
        "roleIdentifier": viewer,
        "principal": {"scopeLevel": level, "identifier": "tf_team", "type": "USER_GROUP"},
    }
    path = f"{GATEWAY}/authz/api/roleassignments"
    created = ok(ng.post(path, params=_query(scope), json=body))["roleAssignment"]
    assert created["identifier"] == "tf_assignment" and created["principal"]["scopeLevel"] == level
    read = ok(ng.get(f"{path}/tf_assignment", params=_query(scope)))["roleAssignment"]
    assert read == created
    # update: DELETE, then POST the same body
    ok(ng.delete(f"{path}/tf_assignment", params=_query(scope)))
    again = ok(ng.post(path, params=_query(scope), json={**body, "disabled": True}))
    assert again["roleAssignment"]["disabled"] is True
    # import: the identifier, then the same read; delete
    assert ok(ng.get(f"{path}/tf_assignment", params=_query(scope)))["roleAssignment"]["disabled"]
    ok(ng.delete(f"{path}/tf_assignment", params=_query(scope)))
    missing = ng.get(f"{path}/tf_assignment", params=_query(scope))
    assert missing.status_code == 400


def test_a_role_from_a_scope_above_by_role_reference(ng: httpx.Client) -> None:
    scope = {"orgIdentifier": "default", "projectIdentifier": "checkout"}
    body = {
        "resourceGroupIdentifier": "_all_project_level_resources",
        "roleReference": {"identifier": "user_support", "scopeLevel": "account"},
        "principal": {"identifier": SARA, "type": "USER"},
    }
    made = ok(ng.post(f"{GATEWAY}/authz/api/roleassignments", params=_query(scope), json=body))
    assignment = made["roleAssignment"]
    assert assignment["roleIdentifier"] == "user_support"
    assert assignment["roleReference"] == {"identifier": "user_support", "scopeLevel": "account"}
    assert "scopeLevel" not in assignment["principal"]  # a user has no principal scope
