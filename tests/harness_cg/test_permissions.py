"""Permissions one at a time (addAccountPermission, addAppPermission), TEMPLATE permissions,
and permissions read back the way Harness saves them."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.runtime import Simulator
from tests.harness_cg.conftest import (
    ENGINEERING,
    PAYMENTS,
    RELEASE_MANAGERS,
    STOREFRONT,
    SUPPORT,
    Cg,
    message,
)
from tests.ids import ACCOUNT, VIEWER_KEY

PERMISSIONS = """
permissions {
  accountPermissions { accountPermissionTypes }
  appPermissions {
    permissionType
    applications { filterType appIds }
    templates { filterType templateIds }
    services { filterType serviceIds }
    actions
  }
}"""
ADD_ACCOUNT = f"""mutation($i: AddAccountPermissionInput!) {{
  addAccountPermission(input: $i) {{ clientMutationId userGroup {{ id {PERMISSIONS} }} }}
}}"""
ADD_APP = f"""mutation($i: AddAppPermissionInput!) {{
  addAppPermission(input: $i) {{ clientMutationId userGroup {{ id {PERMISSIONS} }} }}
}}"""
SET = f"""mutation($i: UpdateUserGroupPermissionsInput!) {{
  updateUserGroupPermissions(input: $i) {{ {PERMISSIONS} }}
}}"""
READ = f"query($id: String!) {{ userGroup(userGroupId: $id) {{ {PERMISSIONS} }} }}"

ALL_TEMPLATES = {
    "permissionType": "TEMPLATE",
    "applications": {"filterType": "ALL"},
    "templates": {"filterType": "ALL"},
    "actions": ["READ", "UPDATE"],
}


def read(cg: Cg, group: str) -> dict[str, Any]:
    permissions: dict[str, Any] = cg.data(READ, {"id": group})["userGroup"]["permissions"]
    return permissions


def add_account(cg: Cg, group: str, permission: str | None, **extra: Any) -> Any:
    return cg.post(
        ADD_ACCOUNT, {"i": {"userGroupId": group, "accountPermission": permission, **extra}}
    )


def add_app(cg: Cg, group: str, permission: dict[str, Any] | None, **extra: Any) -> Any:
    return cg.post(ADD_APP, {"i": {"userGroupId": group, "appPermission": permission, **extra}})


# -- addAccountPermission ------------------------------------------------------------------


def test_add_account_permission_keeps_the_others(cg: Cg) -> None:
    before = read(cg, ENGINEERING)
    response = add_account(cg, ENGINEERING, "VIEW_AUDITS", clientMutationId="a1")
    payload = response.json()["data"]["addAccountPermission"]
    assert payload["clientMutationId"] == "a1"
    assert payload["userGroup"]["id"] == ENGINEERING
    assert payload["userGroup"]["permissions"] == {
        "accountPermissions": {"accountPermissionTypes": ["READ_USERS_AND_GROUPS", "VIEW_AUDITS"]},
        "appPermissions": before["appPermissions"],
    }
    assert read(cg, ENGINEERING) == payload["userGroup"]["permissions"]


def test_add_account_permission_grants_what_it_names(cg: Cg) -> None:
    """Wei is in Engineering: MANAGE_USERS_AND_GROUPS added there lets him create groups."""
    create = 'mutation { createUserGroup(input: {name: "Wei made this"}) { userGroup { id } } }'
    assert message(cg.post(create, key=VIEWER_KEY)) == "User not authorized"
    assert add_account(cg, ENGINEERING, "MANAGE_USERS_AND_GROUPS").status_code == 200
    assert cg.data(create, key=VIEWER_KEY)["createUserGroup"]["userGroup"]["id"]


@pytest.mark.parametrize(
    ("group", "permission", "expected"),
    [
        (
            ENGINEERING,
            "READ_USERS_AND_GROUPS",
            "The account permission already exists in the user group",
        ),
        (SUPPORT, "MANAGE_USERS_AND_GROUPS", "Invalid account permission"),
        ("nope", "VIEW_AUDITS", "No user group exists with the id nope"),
        ("nope", None, "No user group exists with the id nope"),
        (SUPPORT, None, "An error has occurred. Please contact the Harness support team."),
    ],
    ids=["already-there", "manage-without-read", "unknown-group", "unknown-group-first", "null"],
)
def test_add_account_permission_refusals_change_nothing(
    cg: Cg, sim: Simulator, group: str, permission: str | None, expected: str
) -> None:
    before = sim.harness.export()
    assert message(add_account(cg, group, permission)) == expected
    assert sim.harness.export() == before


def test_add_account_permission_needs_manage_users_and_groups(cg: Cg, sim: Simulator) -> None:
    before = sim.harness.export()
    response = cg.post(
        ADD_ACCOUNT,
        {"i": {"userGroupId": ENGINEERING, "accountPermission": "VIEW_AUDITS"}},
        key=VIEWER_KEY,
    )
    assert message(response) == "User not authorized"
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert sim.harness.export() == before


# -- addAppPermission ----------------------------------------------------------------------


def test_add_app_permission_appends_to_those_the_group_has(cg: Cg) -> None:
    first = add_app(cg, SUPPORT, ALL_TEMPLATES, clientMutationId="p1").json()["data"]
    assert first["addAppPermission"]["clientMutationId"] == "p1"
    services = {
        "permissionType": "SERVICE",
        "applications": {"appIds": [STOREFRONT]},
        "services": {"serviceIds": ["svc1"]},
        "actions": ["READ"],
    }
    second = add_app(cg, SUPPORT, services).json()["data"]["addAppPermission"]
    assert second["userGroup"]["permissions"] == {
        "accountPermissions": {"accountPermissionTypes": []},
        "appPermissions": [
            {
                "permissionType": "TEMPLATE",
                "applications": {"filterType": "ALL", "appIds": None},
                "templates": {"filterType": "ALL", "templateIds": None},
                "services": None,
                "actions": ["READ", "UPDATE"],
            },
            {
                "permissionType": "SERVICE",
                "applications": {"filterType": "SELECTED", "appIds": [STOREFRONT]},
                "templates": None,
                "services": {"filterType": None, "serviceIds": ["svc1"]},
                "actions": ["READ"],
            },
        ],
    }
    assert read(cg, SUPPORT) == second["userGroup"]["permissions"]


@pytest.mark.parametrize(
    "same",
    [
        ALL_TEMPLATES,
        {**ALL_TEMPLATES, "actions": ["UPDATE", "READ", "READ"]},
        {**ALL_TEMPLATES, "templates": {"filterType": "ALL", "templateIds": None}},
    ],
    ids=["identical", "actions-in-another-order", "null-template-ids"],
)
def test_an_app_permission_the_group_has_is_refused(
    cg: Cg, sim: Simulator, same: dict[str, Any]
) -> None:
    assert add_app(cg, SUPPORT, ALL_TEMPLATES).status_code == 200
    before = sim.harness.export()
    assert message(add_app(cg, SUPPORT, same)) == (
        "The application permission already exists in the user group"
    )
    assert sim.harness.export() == before


def test_an_app_permission_that_differs_in_any_part_is_added(cg: Cg) -> None:
    assert add_app(cg, SUPPORT, ALL_TEMPLATES).status_code == 200
    for variant in (
        {**ALL_TEMPLATES, "actions": ["READ"]},
        {**ALL_TEMPLATES, "applications": {"appIds": [PAYMENTS]}},
        {
            **ALL_TEMPLATES,
            "applications": {"appIds": [PAYMENTS]},
            "templates": {"templateIds": ["t1"]},
        },
    ):
        assert "errors" not in add_app(cg, SUPPORT, variant).json()
    assert len(read(cg, SUPPORT)["appPermissions"]) == 4


@pytest.mark.parametrize(
    ("group", "permission", "expected"),
    [
        ("nope", ALL_TEMPLATES, "No user group exists with the id nope"),
        ("nope", None, "No user group exists with the id nope"),
        (SUPPORT, None, "An error has occurred. Please contact the Harness support team."),
        (
            SUPPORT,
            {**ALL_TEMPLATES, "templates": None},
            "No TEMPLATE filter provided with the permission with type TEMPLATE",
        ),
        (
            SUPPORT,
            {**ALL_TEMPLATES, "actions": ["READ", "EXECUTE"]},
            "Invalid action EXECUTE  for the TEMPLATE permission type",
        ),
        (
            SUPPORT,
            {**ALL_TEMPLATES, "actions": ["ABORT_WORKFLOW"]},
            "Invalid action EXECUTE  for the TEMPLATE permission type",
        ),
        (
            SUPPORT,
            {**ALL_TEMPLATES, "templates": {"templateIds": ["t1"]}},
            'TEMPLATE Ids should not be supplied with AppFilter="ALL Applications"'
            " for filterType TEMPLATE",
        ),
        (
            SUPPORT,
            {**ALL_TEMPLATES, "applications": {"appIds": ["nope"]}},
            "Invalid app id/s nope provided in the request",
        ),
    ],
    ids=[
        "unknown-group",
        "unknown-group-first",
        "null",
        "no-filter",
        "execute",
        "abort",
        "ids-with-all-apps",
        "unknown-app",
    ],
)
def test_add_app_permission_refusals_change_nothing(
    cg: Cg, sim: Simulator, group: str, permission: dict[str, Any] | None, expected: str
) -> None:
    before = sim.harness.export()
    assert message(add_app(cg, group, permission)) == expected
    assert sim.harness.export() == before


# -- TEMPLATE in a whole permissions block -------------------------------------------------


@pytest.mark.parametrize(
    ("templates", "applications", "expected"),
    [
        ({"filterType": "ALL"}, {"filterType": "ALL"}, {"filterType": "ALL", "templateIds": None}),
        (
            {"templateIds": ["t1", "t2", "t1"]},
            {"appIds": [STOREFRONT]},
            {"filterType": None, "templateIds": ["t1", "t2"]},
        ),
    ],
    ids=["all-templates", "chosen-templates"],
)
def test_template_permissions_read_back_as_harness_renders_them(
    cg: Cg, templates: dict[str, Any], applications: dict[str, Any], expected: dict[str, Any]
) -> None:
    permission = {
        "permissionType": "TEMPLATE",
        "applications": applications,
        "templates": templates,
        "actions": ["CREATE", "READ", "UPDATE", "DELETE"],
    }
    result = cg.data(
        SET, {"i": {"userGroupId": SUPPORT, "permissions": {"appPermissions": [permission]}}}
    )
    [rendered] = result["updateUserGroupPermissions"]["permissions"]["appPermissions"]
    assert rendered["templates"] == expected
    assert rendered["actions"] == ["CREATE", "READ", "UPDATE", "DELETE"]
    assert read(cg, SUPPORT)["appPermissions"] == [rendered]


# -- what a read shows ---------------------------------------------------------------------


def test_cleared_permissions_read_back_as_an_object(cg: Cg) -> None:
    """Harness saves account permissions as an object whatever it is given, and unsets the
    application permissions an update leaves out (the Terraform provider's destroy reads
    `accountPermissions.accountPermissionTypes` straight after)."""
    update = (
        "mutation($i: UpdateUserGroupInput!) { updateUserGroup(input: $i) {"
        f" userGroup {{ {PERMISSIONS} }} }} }}"
    )
    admins = "NvZ1zIHnTvXo4l2UDtkEdQ"
    cleared = cg.data(
        update, {"i": {"userGroupId": admins, "permissions": {"accountPermissions": {}}}}
    )
    assert cleared["updateUserGroup"]["userGroup"]["permissions"] == {
        "accountPermissions": {"accountPermissionTypes": []},
        "appPermissions": None,
    }
    emptied = cg.data(update, {"i": {"userGroupId": admins, "permissions": None}})
    assert emptied["updateUserGroup"]["userGroup"]["permissions"] == {
        "accountPermissions": {"accountPermissionTypes": []},
        "appPermissions": [],
    }
    created = cg.data(
        f'mutation {{ createUserGroup(input: {{name: "Bare"}}) {{ userGroup {{ {PERMISSIONS} }} }} }}'
    )
    assert created["createUserGroup"]["userGroup"]["permissions"] == {
        "accountPermissions": {"accountPermissionTypes": []},
        "appPermissions": [],
    }
    # A fixture group that never had permissions reads the same way.
    assert read(cg, RELEASE_MANAGERS)["accountPermissions"] == {"accountPermissionTypes": []}


def test_cloud_cost_permissions_are_kept_but_not_shown(cg: Cg, sim: Simulator) -> None:
    """Accounts without Cloud Cost get ADMINISTER_CE and VIEW_CE masked on every read."""
    types = ["VIEW_CE", "READ_USERS_AND_GROUPS", "ADMINISTER_CE"]
    result = cg.data(
        SET,
        {
            "i": {
                "userGroupId": SUPPORT,
                "permissions": {"accountPermissions": {"accountPermissionTypes": types}},
            }
        },
    )
    shown = {"accountPermissionTypes": ["READ_USERS_AND_GROUPS"]}
    assert result["updateUserGroupPermissions"]["permissions"]["accountPermissions"] == shown
    assert read(cg, SUPPORT)["accountPermissions"] == shown
    stored = sim.harness.groups.get(ACCOUNT, SUPPORT).permissions
    assert set(stored["accountPermissions"]["accountPermissionTypes"]) == set(types)
