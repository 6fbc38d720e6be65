"""The rules the vendor page and Harness's server state, one test each."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.runtime import Simulator
from tests.harness_cg.conftest import (
    ENGINEERING,
    PAYMENTS,
    PRODUCTION,
    RELEASE_MANAGERS,
    SARA,
    STOREFRONT,
    SUPPORT,
    Cg,
    message,
)
from tests.ids import ACCOUNT

SET_PERMISSIONS = """
mutation($input: UpdateUserGroupPermissionsInput!) {
  updateUserGroupPermissions(input: $input) {
    clientMutationId
    permissions {
      accountPermissions { accountPermissionTypes }
      appPermissions {
        permissionType
        applications { filterType appIds }
        services { filterType serviceIds }
        environments { filterTypes envIds }
        actions
      }
    }
  }
}
"""


def set_permissions(cg: Cg, permissions: dict[str, Any], group: str = RELEASE_MANAGERS) -> Any:
    return cg.post(SET_PERMISSIONS, {"input": {"userGroupId": group, "permissions": permissions}})


def app_permission(applications: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"permissionType": "ALL", "applications": applications, "actions": ["READ"], **extra}


# -- updateUserGroupPermissions ------------------------------------------------------------


def test_update_permissions_overwrites_everything_set_before(cg: Cg, sim: Simulator) -> None:
    first = {
        "accountPermissions": {"accountPermissionTypes": ["VIEW_AUDITS", "MANAGE_TAGS"]},
        "appPermissions": [app_permission({"filterType": "ALL"})],
    }
    assert set_permissions(cg, first).status_code == 200
    second = {"accountPermissions": {"accountPermissionTypes": ["MANAGE_SECRETS"]}}

    result = set_permissions(cg, second).json()["data"]["updateUserGroupPermissions"]

    assert result["permissions"] == {
        "accountPermissions": {"accountPermissionTypes": ["MANAGE_SECRETS"]},
        "appPermissions": None,
    }
    stored = sim.harness.groups.get(ACCOUNT, RELEASE_MANAGERS).permissions
    assert stored["accountPermissions"] == {"accountPermissionTypes": ("MANAGE_SECRETS",)}
    assert stored["appPermissions"] is None


def test_app_permissions_scope_by_app_ids_or_filter_type(cg: Cg) -> None:
    by_ids = set_permissions(cg, {"appPermissions": [app_permission({"appIds": [STOREFRONT]})]})
    by_type = set_permissions(cg, {"appPermissions": [app_permission({"filterType": "ALL"})]})
    neither = set_permissions(cg, {"appPermissions": [app_permission({})]})
    both = set_permissions(
        cg, {"appPermissions": [app_permission({"filterType": "ALL", "appIds": [STOREFRONT]})]}
    )

    def applications(response: Any) -> Any:
        permissions = response.json()["data"]["updateUserGroupPermissions"]["permissions"]
        return permissions["appPermissions"][0]["applications"]

    assert applications(by_ids) == {"filterType": "SELECTED", "appIds": [STOREFRONT]}
    assert applications(by_type) == {"filterType": "ALL", "appIds": None}
    assert message(neither) == "No appIds or filterType provided in app filter"
    assert message(both) == "Cannot set both appIds and filterType ALL in app filter"


def test_entity_ids_need_selected_applications(cg: Cg) -> None:
    response = set_permissions(
        cg,
        {
            "appPermissions": [
                {
                    "permissionType": "ENV",
                    "applications": {"filterType": "ALL"},
                    "environments": {"envIds": [PRODUCTION]},
                    "actions": ["READ"],
                }
            ]
        },
    )
    assert message(response) == (
        'ENV Ids should not be supplied with AppFilter="ALL Applications" for filterType ENV'
    )


def test_manage_users_needs_read_users(cg: Cg, sim: Simulator) -> None:
    before = sim.harness.export()
    response = set_permissions(
        cg, {"accountPermissions": {"accountPermissionTypes": ["MANAGE_USERS_AND_GROUPS"]}}
    )
    assert message(response) == (
        "The permission MANAGE_USERS_AND_GROUPS cannot be set without setting READ_USERS_AND_GROUPS"
    )
    assert sim.harness.export() == before
    with_read = set_permissions(
        cg,
        {
            "accountPermissions": {
                "accountPermissionTypes": ["MANAGE_USERS_AND_GROUPS", "READ_USERS_AND_GROUPS"]
            }
        },
    )
    assert with_read.json()["data"]["updateUserGroupPermissions"]["permissions"][
        "accountPermissions"
    ] == {"accountPermissionTypes": ["READ_USERS_AND_GROUPS", "MANAGE_USERS_AND_GROUPS"]}


@pytest.mark.parametrize(
    ("permission", "expected"),
    [
        (
            {
                "permissionType": "SERVICE",
                "applications": {"filterType": "ALL"},
                "actions": ["READ"],
            },
            "No SERVICE filter provided with the permission with type SERVICE",
        ),
        (
            {
                "permissionType": "SERVICE",
                "applications": {"filterType": "ALL"},
                "services": {"filterType": "ALL"},
                "actions": [],
            },
            "No Actions Supplied for the SERVICE permission type",
        ),
        (
            {
                "permissionType": "ENV",
                "applications": {"filterType": "ALL"},
                "environments": {"filterTypes": ["PRODUCTION_ENVIRONMENTS"]},
                "actions": ["EXECUTE"],
            },
            "Invalid action EXECUTE  for the ENV permission type",
        ),
        (
            {
                "permissionType": "DEPLOYMENT",
                "applications": {"filterType": "ALL"},
                "deployments": {"filterTypes": ["PRODUCTION_ENVIRONMENTS"]},
                "actions": ["READ", "UPDATE"],
            },
            "Invalid action UPDATE for the DEPLOYMENT permission type",
        ),
        (
            {
                "permissionType": "ENV",
                "applications": {"appIds": [STOREFRONT]},
                "environments": {
                    "envIds": [PRODUCTION],
                    "filterTypes": ["PRODUCTION_ENVIRONMENTS"],
                },
                "actions": ["READ"],
            },
            "Cannot set both envIds and filterTypes in environment filter",
        ),
    ],
    ids=["no-filter", "no-actions", "execute-on-env", "update-deployment", "ids-and-types"],
)
def test_app_permission_validation(
    cg: Cg, sim: Simulator, permission: dict[str, Any], expected: str
) -> None:
    before = sim.harness.export()
    assert message(set_permissions(cg, {"appPermissions": [permission]})) == expected
    assert sim.harness.export() == before


def test_execute_grants_every_execution_right(cg: Cg) -> None:
    response = set_permissions(
        cg, {"appPermissions": [app_permission({"filterType": "ALL"}, actions=["EXECUTE"])]}
    )
    permissions = response.json()["data"]["updateUserGroupPermissions"]["permissions"]
    assert permissions["appPermissions"][0]["actions"] == [
        "EXECUTE",
        "EXECUTE_WORKFLOW",
        "EXECUTE_PIPELINE",
        "ROLLBACK_WORKFLOW",
        "ABORT_WORKFLOW",
    ]


# -- names and ids -------------------------------------------------------------------------


def test_group_names_are_unique_per_account(cg: Cg, sim: Simulator) -> None:
    create = "mutation($n: String!) { createUserGroup(input: {name: $n}) { userGroup { id } } }"
    rename = (
        "mutation($n: String!) { updateUserGroup(input: {userGroupId: "
        f'"{SUPPORT}", name: $n}}) {{ userGroup {{ id }} }} }}'
    )
    before = sim.harness.export()

    assert message(cg.post(create, {"n": "Engineering"})) == (
        "A user group already exists with the name Engineering"
    )
    assert message(cg.post(rename, {"n": " Engineering "})) == (
        "A user group already exists with the name Engineering"
    )
    assert sim.harness.export() == before
    # The other account has its own "Account Administrator"; this one may have another.
    assert cg.data(create, {"n": "Account Administrator (copy)"})["createUserGroup"]["userGroup"]


@pytest.mark.parametrize(
    ("query", "variables", "expected"),
    [
        ('{ user(id: "nope") { id } }', None, "User does not exist"),
        ('{ userByName(name: "Nobody") { id } }', None, "User does not exist"),
        ('{ userByEmail(email: "nobody@example.com") { id } }', None, "User does not exist"),
        ('{ userGroup(userGroupId: "nope") { id } }', None, "No User Group exists"),
        ('{ userGroupByName(name: "Nope") { id } }', None, "No User Group exists"),
        (
            "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }",
            {"i": {"name": "N", "email": "n@example.com", "userGroupIds": [ENGINEERING, "nope"]}},
            "Invalid userGroupId: nope provided in the request",
        ),
        (
            "mutation($i: CreateUserGroupInput!) { createUserGroup(input: $i) { clientMutationId } }",
            {"i": {"name": "New", "userIds": [SARA, "ghost1", "ghost2"]}},
            "Invalid id/s ghost1, ghost2 provided in the request",
        ),
        (
            "mutation($i: UpdateUserInput!) { updateUser(input: $i) { clientMutationId } }",
            {"i": {"id": "nope", "name": "X"}},
            "User not found",
        ),
        (
            "mutation($i: DeleteUserInput!) { deleteUser(input: $i) { clientMutationId } }",
            {"i": {"id": "nope"}},
            "User not found",
        ),
        (
            "mutation($i: DeleteUserGroupInput!) { deleteUserGroup(input: $i) { clientMutationId } }",
            {"i": {"userGroupId": "nope"}},
            "No user group exists with the id nope",
        ),
        (
            "mutation($i: AddUserToUserGroupInput!) { addUserToUserGroup(input: $i) { clientMutationId } }",
            {"i": {"userGroupId": SUPPORT, "userId": "nope"}},
            "No user exists with the id nope",
        ),
        (
            "mutation($i: AddUserToUserGroupInput!) { addUserToUserGroup(input: $i) { clientMutationId } }",
            {"i": {"userGroupId": "nope", "userId": SARA}},
            "No user group exists with the id nope",
        ),
        (
            SET_PERMISSIONS,
            {"input": {"userGroupId": "nope", "permissions": {}}},
            "No userGroup Exists with id nope",
        ),
        (
            SET_PERMISSIONS,
            {
                "input": {
                    "userGroupId": ENGINEERING,
                    "permissions": {"appPermissions": [app_permission({"appIds": ["abc"]})]},
                }
            },
            "Invalid app id/s abc provided in the request",
        ),
        (
            SET_PERMISSIONS,
            {
                "input": {
                    "userGroupId": ENGINEERING,
                    "permissions": {
                        "appPermissions": [
                            {
                                "permissionType": "ENV",
                                "applications": {"appIds": [PAYMENTS]},
                                "environments": {"envIds": [PRODUCTION, "env9"]},
                                "actions": ["READ"],
                            }
                        ]
                    },
                }
            },
            "Invalid env id/s env9 provided in the request",
        ),
    ],
    ids=[
        "user",
        "userByName",
        "userByEmail",
        "userGroup",
        "userGroupByName",
        "createUser-group",
        "createUserGroup-users",
        "updateUser",
        "deleteUser",
        "deleteUserGroup",
        "addUserToUserGroup-user",
        "addUserToUserGroup-group",
        "updateUserGroupPermissions-group",
        "permissions-app",
        "permissions-env",
    ],
)
def test_ids_that_do_not_exist_are_refused(
    cg: Cg, sim: Simulator, query: str, variables: dict[str, Any] | None, expected: str
) -> None:
    before = sim.harness.export()
    assert message(cg.post(query, variables)) == expected
    assert sim.harness.export() == before


def test_ids_of_another_account_do_not_exist_here(cg: Cg) -> None:
    other_admin = "D9Yw8fKdDamVP0jxoJ92tQ"
    other_group = "joGXPgvs17A4mNGQ-evazA"
    assert message(cg.post(f'{{ user(id: "{other_admin}") {{ id }} }}')) == "User does not exist"
    assert message(cg.post(f'{{ userGroup(userGroupId: "{other_group}") {{ id }} }}')) == (
        "No User Group exists"
    )


def test_emails_match_case_insensitively(cg: Cg, sim: Simulator) -> None:
    found = cg.data('{ userByEmail(email: "SRuiz@EXAMPLE.com") { id email } }')
    assert found == {"userByEmail": {"id": SARA, "email": "sruiz@example.com"}}

    before = sim.harness.export()
    duplicate = cg.post(
        'mutation { createUser(input: {name: "Sara Again", email: "SRUIZ@example.com"}) {'
        " user { id } } }"
    )
    assert message(duplicate) == "User with email sruiz@example.com already exists"
    assert sim.harness.export() == before

    created = cg.data(
        'mutation { createUser(input: {name: "Mixed Case", email: "Mixed.Case@Example.com"}) {'
        " user { email } } }"
    )
    assert created["createUser"]["user"]["email"] == "mixed.case@example.com"


# -- clientMutationId ----------------------------------------------------------------------

ECHO_CASES = {
    "createUser": ("CreateUserInput", {"name": "Echo", "email": "echo@example.com"}),
    "updateUser": ("UpdateUserInput", {"id": SARA, "name": "Sara R."}),
    "deleteUser": ("DeleteUserInput", {"id": SARA}),
    "createUserGroup": ("CreateUserGroupInput", {"name": "Echoes"}),
    "updateUserGroup": ("UpdateUserGroupInput", {"userGroupId": SUPPORT, "description": "x"}),
    "updateUserGroupPermissions": (
        "UpdateUserGroupPermissionsInput",
        {"userGroupId": SUPPORT, "permissions": {}},
    ),
    "deleteUserGroup": ("DeleteUserGroupInput", {"userGroupId": SUPPORT}),
    "addUserToUserGroup": ("AddUserToUserGroupInput", {"userGroupId": SUPPORT, "userId": SARA}),
    "removeUserFromUserGroup": (
        "RemoveUserFromUserGroupInput",
        {"userGroupId": ENGINEERING, "userId": SARA},
    ),
}


@pytest.mark.parametrize("mutation", sorted(ECHO_CASES))
def test_client_mutation_id_is_echoed(cg: Cg, mutation: str) -> None:
    input_type, value = ECHO_CASES[mutation]
    query = f"mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ clientMutationId }} }}"

    echoed = cg.data(query, {"i": {**value, "clientMutationId": "abc-123 ✓"}})
    assert echoed == {mutation: {"clientMutationId": "abc-123 ✓"}}


def test_client_mutation_id_is_null_when_not_sent(cg: Cg) -> None:
    result = cg.data(
        'mutation { createUserGroup(input: {name: "Quiet"}) { clientMutationId userGroup { name } } }'
    )
    assert result == {"createUserGroup": {"clientMutationId": None, "userGroup": {"name": "Quiet"}}}


# -- all or nothing ------------------------------------------------------------------------


def test_a_failed_mutation_changes_nothing(cg: Cg, sim: Simulator) -> None:
    """The group is valid up to its last permission: nothing of it may be left behind."""
    before = sim.harness.export()
    response = cg.post(
        "mutation($i: CreateUserGroupInput!) { createUserGroup(input: $i) { userGroup { id } } }",
        {
            "i": {
                "name": "Half Done",
                "userIds": [SARA],
                "permissions": {
                    "accountPermissions": {"accountPermissionTypes": ["VIEW_AUDITS"]},
                    "appPermissions": [
                        app_permission({"filterType": "ALL"}),
                        app_permission({"appIds": ["missing"]}),
                    ],
                },
            }
        },
    )
    assert message(response) == "Invalid app id/s missing provided in the request"
    assert sim.harness.export() == before
    # Nothing was used up either: the next group gets the id it gets after a reset.
    created = cg.data('mutation { createUserGroup(input: {name: "Next"}) { userGroup { id } } }')
    sim.reset()
    again = cg.data('mutation { createUserGroup(input: {name: "Next"}) { userGroup { id } } }')
    assert created == again
