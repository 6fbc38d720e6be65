"""Harness's generated Python client (harness-python-sdk 1.0.5) against a real server.

It drives every access-control operation it has (it lacks getUserGroupV2, sendInvite
and the invite link's accept) and parses every answer into its models, which refuse a
response that lacks a required field or has a value outside an enum.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import harness_python_sdk as sdk
import pytest
from harness_python_sdk.api.authentication_settings_api import AuthenticationSettingsApi
from harness_python_sdk.api.harness_resource_group_api import HarnessResourceGroupApi
from harness_python_sdk.api.invite_api import InviteApi
from harness_python_sdk.api.role_assignments_api import RoleAssignmentsApi
from harness_python_sdk.api.roles_api import RolesApi
from harness_python_sdk.api.user_group_api import UserGroupApi
from harness_python_sdk.rest import ApiException

from simulator.runtime import Simulator
from simulator.store.harness.models import Scope
from simulator.testing.server import LiveServer
from tests.ids import ACCOUNT, ADMIN_KEY, GARY, SECOND_ACCOUNT, SECOND_KEY

SCOPE = {"org_identifier": "default", "project_identifier": "checkout"}
SARA, WEI = "SArz5MsSS8y2PNbwhc8INw", "W_zq_nwvTCm50wX3cI6Nhw"


def _client(server: LiveServer, key: str) -> sdk.ApiClient:
    configuration = sdk.Configuration()
    configuration.host = f"{server.url}/gateway"
    configuration.api_key["x-api-key"] = key
    return sdk.ApiClient(configuration)


@pytest.fixture
def client(server: LiveServer, sim: Simulator) -> Iterator[sdk.ApiClient]:
    api_client = _client(server, ADMIN_KEY)
    yield api_client
    api_client.pool.close()
    api_client.pool.join()


def test_user_groups_v1_and_v2_with_members(client: sdk.ApiClient, sim: Simulator) -> None:
    groups = UserGroupApi(client)
    created = groups.post_user_group(
        sdk.UserGroup(
            identifier="sdk_group",
            name="SDK Group",
            users=[SARA, GARY],  # Gary is not in the project: dropped, as Harness does
            tags={"team": "payments"},
            notification_configs=[sdk.NotificationSettingConfigDTO(type="EMAIL")],
        ),
        ACCOUNT,
        **SCOPE,
    ).data
    assert created.identifier == "sdk_group" and created.users == [SARA]
    assert created.harness_managed is False and created.tags == {"team": "payments"}
    assert groups.get_user_group(ACCOUNT, "sdk_group", **SCOPE).data.name == "SDK Group"
    updated = groups.put_user_group(
        sdk.UserGroup(identifier="sdk_group", name="SDK Group 2", users=[SARA, WEI]),
        ACCOUNT,
        **SCOPE,
    ).data
    assert updated.name == "SDK Group 2" and sorted(updated.users) == sorted([SARA, WEI])
    assert groups.get_member(ACCOUNT, "sdk_group", WEI, **SCOPE).data is True
    assert WEI not in groups.delete_member(ACCOUNT, "sdk_group", WEI, **SCOPE).data.users
    assert WEI in groups.put_member(ACCOUNT, "sdk_group", WEI, **SCOPE).data.users
    members = groups.get_user_list_in_user_group(
        ACCOUNT, "sdk_group", body=sdk.UserFilter(search_term="wei"), **SCOPE
    ).data
    assert [member.uuid for member in members.content] == [WEI]
    page = groups.get_user_group_list(ACCOUNT, search_term="sdk", **SCOPE).data
    assert [group.identifier for group in page.content] == ["sdk_group"]
    batch = groups.get_batch_users_group_list(
        sdk.UserGroupFilter(account_identifier=ACCOUNT, identifier_filter=["sdk_group"], **SCOPE),
        ACCOUNT,
    ).data
    assert [group.identifier for group in batch] == ["sdk_group"]
    filtered = groups.get_filtered_user_groups_list(
        sdk.UserGroupFilter(account_identifier=ACCOUNT, user_identifier_filter=[SARA], **SCOPE),
        ACCOUNT,
    ).data
    assert "sdk_group" in [group.identifier for group in filtered.content]
    v2 = groups.post_user_group_v2(
        sdk.UserGroupRequestV2(
            identifier="sdk_v2", name="SDK v2", users=["sruiz@example.com", "nobody@example.com"]
        ),
        ACCOUNT,
        **SCOPE,
    ).data
    assert [user.email for user in v2.users] == ["sruiz@example.com"]
    v2 = groups.put_user_group_v2(
        sdk.UserGroupRequestV2(identifier="sdk_v2", name="SDK v2", users=[]), ACCOUNT, **SCOPE
    ).data
    assert v2.users == []
    assert groups.delete_user_group(ACCOUNT, "sdk_v2", **SCOPE).data.identifier == "sdk_v2"


def test_role_assignments_roles_and_resource_groups(client: sdk.ApiClient) -> None:
    assignments = RoleAssignmentsApi(client)
    made = assignments.post_role_assignment(
        sdk.AuthzRoleAssignment(
            identifier="sdk_assignment",
            role_identifier="_project_viewer",
            resource_group_identifier="_all_project_level_resources",
            principal=sdk.AuthzPrincipal(identifier=SARA, type="USER"),
        ),
        ACCOUNT,
        **SCOPE,
    ).data
    assert made.role_assignment.identifier == "sdk_assignment"
    assert made.scope.project_identifier == "checkout"
    fetched = assignments.get_role_assignment(ACCOUNT, "sdk_assignment", **SCOPE).data
    assert fetched.role_assignment.principal.identifier == SARA
    listed = assignments.get_role_assignment_list(ACCOUNT, **SCOPE).data
    assert "sdk_assignment" in [item.role_assignment.identifier for item in listed.content]
    filtered = assignments.get_filtered_role_assignment_list(
        sdk.RoleAssignmentFilter(role_filter=["_project_viewer"], principal_type_filter=["USER"]),
        ACCOUNT,
        **SCOPE,
    ).data
    assert {item.role_assignment.role_identifier for item in filtered.content} == {
        "_project_viewer"
    }
    many = assignments.post_role_assignments(
        sdk.RoleAssignmentCreateRequest(
            role_assignments=[
                sdk.AuthzRoleAssignment(
                    role_identifier="_project_admin",
                    resource_group_identifier="_all_project_level_resources",
                    principal=sdk.AuthzPrincipal(identifier=WEI, type="USER"),
                ),
                sdk.AuthzRoleAssignment(  # no such role: skipped without a word
                    role_identifier="no_such_role",
                    resource_group_identifier="_all_project_level_resources",
                    principal=sdk.AuthzPrincipal(identifier=WEI, type="USER"),
                ),
            ]
        ),
        ACCOUNT,
        **SCOPE,
    ).data
    assert [item.role_assignment.role_identifier for item in many] == ["_project_admin"]
    deleted = assignments.delete_role_assignment(ACCOUNT, "sdk_assignment", **SCOPE).data
    assert deleted.role_assignment.identifier == "sdk_assignment"

    roles = RolesApi(client)
    page = roles.get_role_list(ACCOUNT, **SCOPE).data
    counts = {item.role.identifier: item.role_assigned_to_user_count for item in page.content}
    assert counts["_project_admin"] == 2  # Sara's from the fixture, Wei's made above
    assert roles.get_role("_project_viewer", ACCOUNT, **SCOPE).data.role.allowed_scope_levels == [
        "project"
    ]
    resource_groups = HarnessResourceGroupApi(client)
    listed_groups = resource_groups.get_resource_group_list_v2(ACCOUNT).data
    assert "users_only" in [item.resource_group.identifier for item in listed_groups.content]
    group = resource_groups.get_resource_group_v2("users_only", ACCOUNT).data
    assert group.resource_group.name == "Users Only"


def test_invites_pending_resend_and_delete(server: LiveServer, sim: Simulator) -> None:
    """On the second account (password login) an invite stays pending."""
    second = _client(server, SECOND_KEY)
    try:
        scope = {"org_identifier": "default"}
        sim.harness.users.add_to_scope(
            Scope(SECOND_ACCOUNT, "default"), ["pending@example.com"], [], []
        )
        invites = InviteApi(second)
        pending = invites.get_invites(SECOND_ACCOUNT, **scope).data.content
        assert [invite.email for invite in pending] == ["pending@example.com"]
        invite_id = pending[0].id
        aggregated = invites.get_pending_users_aggregated(
            SECOND_ACCOUNT, search_term="pending", **scope
        ).data
        assert [invite.id for invite in aggregated.content] == [invite_id]
        assert invites.get_invite(SECOND_ACCOUNT, invite_id=invite_id).data.email == (
            "pending@example.com"
        )
        resent = invites.update_invite(
            sdk.Invite(
                email="pending@example.com",
                invite_type="ADMIN_INITIATED_INVITE",
                role_bindings=[
                    sdk.RoleBinding(
                        role_identifier="_organization_viewer",
                        resource_group_identifier="_all_organization_level_resources",
                    )
                ],
            ),
            SECOND_ACCOUNT,
            invite_id,
        ).data
        assert resent.role_bindings[0].role_identifier == "_organization_viewer"
        assert invites.delete_invite(SECOND_ACCOUNT, invite_id).data.id == invite_id
        assert invites.delete_invite(SECOND_ACCOUNT, invite_id).data is None
        assert invites.get_invites(SECOND_ACCOUNT, **scope).data.content == []
    finally:
        second.pool.close()
        second.pool.join()


def test_authentication_settings_parse_but_for_the_clients_own_bug(
    client: sdk.ApiClient,
) -> None:
    """The client cannot read a non-empty ngAuthSettings (it looks up `settings_type` in
    the JSON); Harness always lists at least the password settings, so every real answer
    trips it. Read raw, the answer parses into the client's model once that list is out."""
    api = AuthenticationSettingsApi(client)
    with pytest.raises(KeyError, match="settings_type"):
        api.get_authentication_settings(ACCOUNT)
    raw = api.get_authentication_settings(ACCOUNT, _preload_content=False)
    body: dict[str, Any] = json.loads(raw.data)
    ways = body["resource"].pop("ngAuthSettings")
    assert [way["settingsType"] for way in ways] == ["LDAP", "SAML", "USER_PASSWORD"]

    class Raw:
        data = json.dumps(body)

    parsed = client.deserialize(Raw(), "RestResponseAuthenticationSettingsResponse")
    assert parsed.resource.authentication_mechanism == "SAML"


def test_errors_are_raised_with_harness_bodies(client: sdk.ApiClient) -> None:
    with pytest.raises(ApiException) as refused:
        UserGroupApi(client).get_user_group(ACCOUNT, "no_such_group")
    assert refused.value.status == 400
    assert json.loads(refused.value.body)["code"] == "RESOURCE_NOT_FOUND_EXCEPTION"
