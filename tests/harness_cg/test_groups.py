"""User group mutations and reads beyond the seed samples: SSO links, notifications, members."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.runtime import Simulator
from simulator.store.harness.models import UserGroup
from tests.harness_cg.conftest import (
    ENGINEERING,
    GARY,
    LDAP_PROVIDER,
    PRIYA,
    RELEASE_MANAGERS,
    SAML_PROVIDER,
    SARA,
    STOREFRONT,
    SUPPORT,
    WEI,
    Cg,
    message,
)
from tests.ids import ACCOUNT, VIEWER_KEY

GROUP_FIELDS = """
  id name description isSSOLinked importedByScim
  ssoSetting { __typename ssoProviderId ... on LDAPSettings { groupName groupDN } ... on SAMLSettings { groupName } }
  notificationSettings {
    sendNotificationToMembers sendMailToNewMembers groupEmailAddresses
    slackNotificationSetting { slackChannelName slackWebhookURL }
    microsoftTeamsWebhookUrl pagerDutyIntegrationKey
  }
  users(limit: 10) { nodes { id } }
"""
CREATE = f"mutation($i: CreateUserGroupInput!) {{ createUserGroup(input: $i) {{ userGroup {{ {GROUP_FIELDS} }} }} }}"
UPDATE = f"mutation($i: UpdateUserGroupInput!) {{ updateUserGroup(input: $i) {{ userGroup {{ {GROUP_FIELDS} }} }} }}"
ADD = "mutation($i: AddUserToUserGroupInput!) { addUserToUserGroup(input: $i) { userGroup { users(limit: 9) { nodes { id } } } } }"
REMOVE = "mutation($i: RemoveUserFromUserGroupInput!) { removeUserFromUserGroup(input: $i) { userGroup { users(limit: 9) { nodes { id } } } } }"
DELETE = "mutation($i: DeleteUserGroupInput!) { deleteUserGroup(input: $i) { clientMutationId } }"


def created(cg: Cg, **fields: Any) -> dict[str, Any]:
    return cg.data(CREATE, {"i": {"name": "Platform", **fields}})["createUserGroup"]["userGroup"]


def updated(cg: Cg, group: str, **fields: Any) -> dict[str, Any]:
    return cg.data(UPDATE, {"i": {"userGroupId": group, **fields}})["updateUserGroup"]["userGroup"]


def test_a_group_linked_to_ldap(cg: Cg) -> None:
    ldap = {"ssoProviderId": LDAP_PROVIDER, "groupName": "devs", "groupDN": "cn=devs,dc=example"}
    group = created(cg, ssoSetting={"ldapSettings": ldap}, description="LDAP devs")
    assert group["isSSOLinked"] is True
    assert group["description"] == "LDAP devs"
    assert group["ssoSetting"] == {"__typename": "LDAPSettings", **ldap}


def test_a_group_linked_to_saml_then_unlinked(cg: Cg) -> None:
    saml = {"ssoProviderId": SAML_PROVIDER, "groupName": "okta-devs"}
    group = created(cg, ssoSetting={"samlSettings": saml})
    assert group["ssoSetting"] == {"__typename": "SAMLSettings", **saml}
    unlinked = updated(cg, group["id"], ssoSetting={})
    assert (unlinked["isSSOLinked"], unlinked["ssoSetting"]) == (False, None)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (
            {
                "ldapSettings": {"ssoProviderId": LDAP_PROVIDER, "groupName": "a", "groupDN": "b"},
                "samlSettings": {"ssoProviderId": SAML_PROVIDER, "groupName": "a"},
            },
            "Only one of saml/ldap setting can be set for a user group",
        ),
        (
            {"samlSettings": {"ssoProviderId": "nope", "groupName": "a"}},
            "No sso settings exists for the id nope",
        ),
        (
            {"ldapSettings": {"ssoProviderId": SAML_PROVIDER, "groupName": "a", "groupDN": "b"}},
            f"No saml setting provided for the saml sso Provider with id {SAML_PROVIDER}",
        ),
        (
            {"samlSettings": {"ssoProviderId": " ", "groupName": "a"}},
            "Invalid sso provider id given in the request",
        ),
    ],
    ids=["both", "unknown", "wrong-kind", "blank"],
)
def test_sso_links_are_checked(
    cg: Cg, sim: Simulator, setting: dict[str, Any], expected: str
) -> None:
    before = sim.harness.export()
    assert message(cg.post(CREATE, {"i": {"name": "SSO", "ssoSetting": setting}})) == expected
    assert sim.harness.export() == before


def test_notification_settings_get_harness_defaults(cg: Cg) -> None:
    group = created(cg, notificationSettings={"groupEmailAddresses": ["ops@example.com"]})
    assert group["notificationSettings"] == {
        "sendNotificationToMembers": False,
        "sendMailToNewMembers": False,
        "groupEmailAddresses": ["ops@example.com"],
        "slackNotificationSetting": {"slackChannelName": "", "slackWebhookURL": ""},
        "microsoftTeamsWebhookUrl": None,
        "pagerDutyIntegrationKey": None,
    }
    plain = created(cg, name="Plain")
    assert plain["notificationSettings"]["microsoftTeamsWebhookUrl"] == ""
    assert plain["notificationSettings"]["slackNotificationSetting"] is None


def test_update_user_group_changes_only_the_fields_sent(cg: Cg, sim: Simulator) -> None:
    before = sim.harness.groups.get(ACCOUNT, RELEASE_MANAGERS)
    group = updated(cg, RELEASE_MANAGERS, description="Ships releases")
    assert group["description"] == "Ships releases"
    assert group["name"] == "Release Managers"
    assert group["users"]["nodes"] == [{"id": PRIYA}]
    assert group["notificationSettings"]["slackNotificationSetting"] == {
        "slackChannelName": "#releases",
        "slackWebhookURL": "https://hooks.slack.com/services/T000/B000/usersim",
    }
    after = sim.harness.groups.get(ACCOUNT, RELEASE_MANAGERS)
    assert after.notification_settings == before.notification_settings
    assert after.permissions == before.permissions


def test_update_user_group_replaces_lists_and_settings(cg: Cg) -> None:
    group = updated(
        cg,
        RELEASE_MANAGERS,
        name="  Release Captains ",
        userIds=[WEI, GARY],
        notificationSettings={"sendNotificationToMembers": True},
    )
    assert group["name"] == "Release Captains"
    assert group["users"]["nodes"] == [{"id": GARY}, {"id": WEI}]  # by name: Gary, Wei
    assert group["notificationSettings"]["sendNotificationToMembers"] is True
    assert group["notificationSettings"]["groupEmailAddresses"] == []
    cleared = updated(cg, RELEASE_MANAGERS, userIds=None, description=None)
    assert cleared["users"]["nodes"] == [] and cleared["description"] is None


def test_update_user_group_replaces_permissions(cg: Cg) -> None:
    cg.data(
        "mutation($i: UpdateUserGroupInput!) { updateUserGroup(input: $i) { clientMutationId } }",
        {
            "i": {
                "userGroupId": ENGINEERING,
                "permissions": {
                    "appPermissions": [
                        {
                            "permissionType": "ALL",
                            "applications": {"appIds": [STOREFRONT]},
                            "actions": ["READ"],
                        }
                    ]
                },
            }
        },
    )
    permissions = cg.data(
        "query($id: String!) { userGroup(userGroupId: $id) { permissions {"
        " accountPermissions { accountPermissionTypes } appPermissions { permissionType } } } }",
        {"id": ENGINEERING},
    )["userGroup"]["permissions"]
    assert permissions == {
        "accountPermissions": {"accountPermissionTypes": []},
        "appPermissions": [{"permissionType": "ALL"}],
    }


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"userGroupId": "nope", "name": "X"}, "No user group exists with the id nope"),
        (
            {"userGroupId": SUPPORT, "name": "  "},
            "The name supplied in the update user group request is blank",
        ),
        (
            {"userGroupId": SUPPORT, "userIds": [SARA, None]},
            "Invalid id/s null provided in the request",
        ),
    ],
    ids=["unknown", "blank-name", "null-user"],
)
def test_update_user_group_refusals(
    cg: Cg, sim: Simulator, fields: dict[str, Any], expected: str
) -> None:
    before = sim.harness.export()
    assert message(cg.post(UPDATE, {"i": fields})) == expected
    assert sim.harness.export() == before


def test_create_user_group_refuses_a_blank_name(cg: Cg) -> None:
    assert message(cg.post(CREATE, {"i": {"name": " "}})) == "The user group name cannot be blank"


def test_add_and_remove_members(cg: Cg, sim: Simulator) -> None:
    added = cg.data(ADD, {"i": {"userGroupId": SUPPORT, "userId": SARA}})
    assert added["addUserToUserGroup"]["userGroup"]["users"]["nodes"] == [
        {"id": GARY},
        {"id": SARA},
    ]
    assert message(cg.post(ADD, {"i": {"userGroupId": SUPPORT, "userId": SARA}})) == (
        f"A user with id {SARA} already exists in the user group"
    )
    removed = cg.data(REMOVE, {"i": {"userGroupId": SUPPORT, "userId": GARY}})
    assert removed["removeUserFromUserGroup"]["userGroup"]["users"]["nodes"] == [{"id": SARA}]
    assert message(cg.post(REMOVE, {"i": {"userGroupId": SUPPORT, "userId": GARY}})) == (
        f"No user with id {GARY} exists in the user group"
    )
    assert sim.harness.groups.get(ACCOUNT, SUPPORT).member_ids == (SARA,)


def test_delete_user_group_keeps_its_members_and_drops_its_roles(cg: Cg, sim: Simulator) -> None:
    """Support's role assignment lets Gary view users in NextGen; it goes with the group."""
    assert cg.data(DELETE, {"i": {"userGroupId": SUPPORT, "clientMutationId": "d1"}}) == {
        "deleteUserGroup": {"clientMutationId": "d1"}
    }
    assert sim.harness.groups.find(ACCOUNT, SUPPORT) is None
    assert sim.harness.users.find(ACCOUNT, GARY) is not None
    state = sim.harness.state
    assert state.role_assignments.find_all("principal", (ACCOUNT, "USER_GROUP", SUPPORT)) == []
    assert message(cg.post(DELETE, {"i": {"userGroupId": SUPPORT}})) == (
        f"No user group exists with the id {SUPPORT}"
    )
    assert cg.data("{ userGroups(limit: 9) { pageInfo { total } } }", key=VIEWER_KEY) == {
        "userGroups": {"pageInfo": {"total": 3}}
    }


def test_nextgen_scoped_groups_are_not_currentgen_groups(cg: Cg, sim: Simulator) -> None:
    """A group of an org lives in NextGen only: CurrentGen neither lists nor finds it."""
    with sim.harness.transaction():
        sim.harness.state.db.insert(
            sim.harness.state.groups,
            UserGroup(
                id="OrgGroup00000000000001",
                account_id=ACCOUNT,
                identifier="org_devs",
                name="Org Devs",
                created_at=0,
                org="default",
            ),
        )
    assert message(cg.post('{ userGroup(userGroupId: "OrgGroup00000000000001") { id } }')) == (
        "No User Group exists"
    )
    assert (
        message(cg.post('{ userGroupByName(name: "Org Devs") { id } }')) == "No User Group exists"
    )
    assert cg.data("{ userGroups(limit: 9) { pageInfo { total } } }")["userGroups"] == {
        "pageInfo": {"total": 4}
    }


@pytest.mark.parametrize(
    ("permission", "expected"),
    [
        (
            {"permissionType": "WORKFLOW", "workflows": {"filterTypes": ["PRODUCTION_WORKFLOWS"]}},
            {"filterTypes": ["PRODUCTION_WORKFLOWS"], "envIds": None, "workflowIds": None},
        ),
        (
            {
                "permissionType": "WORKFLOW",
                "workflows": {"filterTypes": ["ALL_WORKFLOWS", "WORKFLOW_TEMPLATES"]},
            },
            {"filterTypes": ["ALL_WORKFLOWS"], "envIds": None, "workflowIds": None},
        ),
        (
            {
                "permissionType": "PIPELINE",
                "pipelines": {"filterTypes": ["NON_PRODUCTION_PIPELINES"]},
            },
            {"filterTypes": ["NON_PRODUCTION_PIPELINES"], "envIds": None, "pipelineIds": None},
        ),
        (
            {
                "permissionType": "DEPLOYMENT",
                "deployments": {
                    "filterTypes": ["NON_PRODUCTION_ENVIRONMENTS", "PRODUCTION_ENVIRONMENTS"]
                },
            },
            {
                "filterTypes": ["PRODUCTION_ENVIRONMENTS", "NON_PRODUCTION_ENVIRONMENTS"],
                "envIds": None,
            },
        ),
        (
            {
                "permissionType": "PROVISIONER",
                "applications": {"appIds": [STOREFRONT]},
                "provisioners": {"provisionerIds": ["p1", "p1"]},
            },
            {"filterType": None, "provisionerIds": ["p1"]},
        ),
    ],
    ids=[
        "workflow-types",
        "all-workflows",
        "pipeline-types",
        "deployment-types",
        "provisioner-ids",
    ],
)
def test_entity_filters_read_back_as_harness_renders_them(
    cg: Cg, permission: dict[str, Any], expected: dict[str, Any]
) -> None:
    name = {
        "WORKFLOW": "workflows",
        "PIPELINE": "pipelines",
        "DEPLOYMENT": "deployments",
        "PROVISIONER": "provisioners",
    }[permission["permissionType"]]
    fields = {
        "workflows": "filterTypes envIds workflowIds",
        "pipelines": "filterTypes envIds pipelineIds",
        "deployments": "filterTypes envIds",
        "provisioners": "filterType provisionerIds",
    }[name]
    query = (
        "mutation($i: UpdateUserGroupPermissionsInput!) { updateUserGroupPermissions(input: $i) {"
        f" permissions {{ appPermissions {{ {name} {{ {fields} }} }} }} }} }}"
    )
    item = {"applications": {"filterType": "ALL"}, "actions": ["READ"], **permission}
    result = cg.data(
        query, {"i": {"userGroupId": SUPPORT, "permissions": {"appPermissions": [item]}}}
    )
    rendered = result["updateUserGroupPermissions"]["permissions"]["appPermissions"][0]
    assert rendered[name] == expected
