"""Every request sample of the vendor page (seed 000/001), sent verbatim over real HTTP.

Each test checks the answer, the state behind it, and what the NextGen face sees of it:
one Harness account, two ways in.
"""

from __future__ import annotations

import httpx

from simulator.runtime import Simulator
from tests.harness_cg.conftest import (
    ENGINEERING,
    GARY,
    PAYMENTS,
    PRIYA,
    PRODUCTION,
    RELEASE_MANAGERS,
    SARA,
    STAGING,
    STOREFRONT,
    SUPPORT,
    WEI,
    Cg,
    ng_user_ids,
    sample,
    sample_variables,
)
from tests.ids import ACCOUNT, ADMIN_KEY

CRUD = ["CREATE", "READ", "UPDATE", "DELETE"]


def test_create_user_sample(cg: Cg, sim: Simulator, http: httpx.Client) -> None:
    result = cg.data(sample("create_user.graphql"), sample_variables("create_user.json"))

    payload = result["createUser"]
    user = payload["user"]
    assert payload["clientMutationId"] == "ssdsdsecved"
    assert len(user["id"]) == 22
    assert user == {
        "id": user["id"],
        "email": "jsilva@example.com",
        "name": "Joyce Silva",
        "userGroups": {"nodes": [{"id": ENGINEERING, "name": "Engineering"}]},
    }
    stored = sim.harness.users.get(ACCOUNT, user["id"])
    assert (stored.name, stored.email) == ("Joyce Silva", "jsilva@example.com")
    assert user["id"] in sim.harness.state.groups.get(ENGINEERING).member_ids
    # The invited user has not verified the email yet.
    assert stored.email_verified is False
    assert user["id"] in ng_user_ids(http)


def test_delete_user_sample(cg: Cg, sim: Simulator, http: httpx.Client) -> None:
    variables = sample_variables("delete_user.json", user_ID=GARY)
    assert variables == {"input": {"id": GARY}}

    result = cg.data(sample("delete_user.graphql"), variables)

    assert result == {"deleteUser": {"clientMutationId": None}}
    assert sim.harness.users.find(ACCOUNT, GARY) is None
    assert GARY not in sim.harness.state.groups.get(SUPPORT).member_ids
    assert GARY not in ng_user_ids(http)


def test_create_user_group_sample(cg: Cg, sim: Simulator, http: httpx.Client) -> None:
    result = cg.data(
        sample("create_user_group.graphql"), sample_variables("create_user_group.json")
    )

    group = result["createUserGroup"]["userGroup"]
    assert len(group["id"]) == 22
    assert group == {
        "id": group["id"],
        "name": "Notification",
        "description": None,
        "isSSOLinked": False,
        "importedByScim": False,
        "users": {
            "pageInfo": {"total": 3},
            "nodes": [
                {"name": "Priya Bose", "email": "pbose@example.com"},
                {"name": "Sara Ruiz", "email": "sruiz@example.com"},
                {"name": "Wei Zhang", "email": "wzhang@example.com"},
            ],
        },
        "notificationSettings": {
            "sendNotificationToMembers": False,
            "sendMailToNewMembers": False,
            "slackNotificationSetting": None,
            "groupEmailAddresses": [],
        },
    }
    stored = sim.harness.groups.get(ACCOUNT, group["id"])
    assert stored.member_ids == (SARA, WEI, PRIYA)
    assert stored.org is None  # an account-level group, which NextGen sees too

    # NextGen's add-user-to-groups can put a user into the new group.
    response = http.put(
        f"/ng/api/user/add-user-to-groups/{GARY}",
        params={"accountIdentifier": ACCOUNT},
        headers={"x-api-key": ADMIN_KEY},
        json={"userGroupIdsToAdd": [group["id"]]},
    )
    assert response.status_code == 200, response.text
    members = cg.data(
        "query($id: String!) { userGroup(userGroupId: $id) { users(limit: 10) {"
        " pageInfo { total } nodes { id } } } }",
        {"id": group["id"]},
    )["userGroup"]["users"]
    assert members["pageInfo"]["total"] == 4
    assert GARY in {node["id"] for node in members["nodes"]}


def test_assign_permissions_sample(cg: Cg, sim: Simulator) -> None:
    result = cg.data(
        sample("assign_permissions.graphql"), sample_variables("assign_permissions.json")
    )

    permissions = result["updateUserGroupPermissions"]["permissions"]
    assert permissions["accountPermissions"] == {
        "accountPermissionTypes": [
            "READ_USERS_AND_GROUPS",
            "MANAGE_USERS_AND_GROUPS",
            "MANAGE_TEMPLATE_LIBRARY",
            "ADMINISTER_OTHER_ACCOUNT_FUNCTIONS",
            "VIEW_AUDITS",
            "MANAGE_TAGS",
        ]
    }
    absent = {
        "services": None,
        "environments": None,
        "workflows": None,
        "deployments": None,
        "pipelines": None,
        "provisioners": None,
    }
    assert permissions["appPermissions"] == [
        {
            **absent,
            "permissionType": "ALL",
            "applications": {"filterType": "SELECTED", "appIds": [STOREFRONT, PAYMENTS]},
            "actions": CRUD,
        },
        {
            **absent,
            "permissionType": "SERVICE",
            "applications": {"filterType": "ALL", "appIds": None},
            "services": {"filterType": "ALL", "serviceIds": None},
            "actions": CRUD,
        },
        {
            **absent,
            "permissionType": "ENV",
            "applications": {"filterType": "SELECTED", "appIds": [STOREFRONT, PAYMENTS]},
            "environments": {"filterTypes": None, "envIds": [PRODUCTION, STAGING]},
            "actions": ["READ", "UPDATE"],
        },
    ]
    # Stored on the group, and read back the same way through a query.
    stored = sim.harness.groups.get(ACCOUNT, RELEASE_MANAGERS).permissions
    assert stored["accountPermissions"]["accountPermissionTypes"][0] == "READ_USERS_AND_GROUPS"
    assert len(stored["appPermissions"]) == 3
    read_back = cg.data(
        sample("assign_permissions.graphql")
        .replace("mutation($userGroup: UpdateUserGroupPermissionsInput!)", "query")
        .replace("updateUserGroupPermissions (input:$userGroup)", 'userGroup(userGroupId: "%s")')
        % RELEASE_MANAGERS
    )
    assert read_back["userGroup"]["permissions"] == permissions


def test_query_users_sample(cg: Cg) -> None:
    result = cg.data(sample("query_users.graphql"))

    nodes = result["users"]["nodes"]
    assert [node["name"] for node in nodes] == [
        "Ada Admin",
        "Erin Okafor",
        "Gary Hughes",
        "Liam Locke",
        "Priya Bose",
        "Sara Ruiz",
        "Tomas Novak",
        "Wei Zhang",
    ]
    by_name = {node["name"]: node for node in nodes}
    assert by_name["Sara Ruiz"] == {
        "email": "sruiz@example.com",
        "id": SARA,
        "isEmailVerified": True,
        "isImportedFromIdentityProvider": False,
        "isPasswordExpired": False,
        "isTwoFactorAuthenticationEnabled": False,
        "isUserLocked": False,
        "name": "Sara Ruiz",
        "userGroups": {"nodes": [{"id": ENGINEERING, "name": "Engineering"}]},
    }
    assert by_name["Liam Locke"]["isUserLocked"] is True
    assert by_name["Tomas Novak"]["isTwoFactorAuthenticationEnabled"] is True
    assert by_name["Erin Okafor"]["isImportedFromIdentityProvider"] is True
    assert by_name["Priya Bose"]["userGroups"]["nodes"] == [
        {"id": RELEASE_MANAGERS, "name": "Release Managers"}
    ]


def test_query_users_paging_sample(cg: Cg, sim: Simulator) -> None:
    result = cg.data(sample("query_users_paging.graphql"))

    assert result["users"]["pageInfo"] == {"total": 8, "limit": 20, "hasMore": False, "offset": 0}
    names = [node["name"] for node in result["users"]["nodes"]]
    assert len(names) == 8 and names == sorted(names, key=str.lower)
    # A user created afterwards shows in the next answer, in name order.
    sim.harness.users.create(ACCOUNT, name="Bo Brand", email="bo@example.com")
    again = cg.data(sample("query_users_paging.graphql"))["users"]
    assert again["pageInfo"]["total"] == 9
    assert [node["name"] for node in again["nodes"]][1] == "Bo Brand"
