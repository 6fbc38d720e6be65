"""The Terraform provider's FirstGen resources against the default fixture, call for call.

terraform-provider-harness (internal/service/cd/user, internal/service/cd/sso) drives
CurrentGen through harness-go-sdk; `go_sdk.CdClient` sends the SDK's own documents and
variables. Each test runs one resource's life the way Terraform runs it: create, a
refresh (read), update, `terraform import`, delete, and the refresh after the delete,
which must find the resource gone (the SDK reads Harness's "not found" messages as
absent). The provider's expand and flatten rules are restated here, so a read-back that
would make `terraform plan` show a diff fails the test.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx
import pytest

from simulator.runtime import Simulator
from tests.harness_cg.conftest import (
    ENGINEERING,
    LDAP_PROVIDER,
    RELEASE_MANAGERS,
    SAML_PROVIDER,
    SARA,
    STOREFRONT,
    ng_user_ids,
)
from tests.harness_cg.go_sdk import CdClient, GoSdkError
from tests.ids import ACCOUNT, SECOND_ACCOUNT, SECOND_KEY

Block = tuple[str, dict[str, list[str]]]

# The provider's docs example for harness_user_group (docs/resources/user_group.md):
# every kind of app permission block, a `template` one among them, and two identical
# `service` blocks that a Terraform set keeps once.
DOCS_EXAMPLE_ACCOUNT = ["ADMINISTER_OTHER_ACCOUNT_FUNCTIONS", "MANAGE_API_KEYS"]
DOCS_EXAMPLE_APPS: list[Block] = [
    ("all", {"actions": ["CREATE", "READ", "UPDATE", "DELETE"]}),
    (
        "deployment",
        {
            "actions": ["READ", "ROLLBACK_WORKFLOW", "EXECUTE_PIPELINE", "EXECUTE_WORKFLOW"],
            "filters": ["NON_PRODUCTION_ENVIRONMENTS"],
        },
    ),
    ("deployment", {"actions": ["READ"], "filters": ["PRODUCTION_ENVIRONMENTS"]}),
    (
        "environment",
        {
            "actions": ["CREATE", "READ", "UPDATE", "DELETE"],
            "filters": ["NON_PRODUCTION_ENVIRONMENTS"],
        },
    ),
    ("environment", {"actions": ["READ"], "filters": ["PRODUCTION_ENVIRONMENTS"]}),
    (
        "pipeline",
        {
            "actions": ["CREATE", "READ", "UPDATE", "DELETE"],
            "filters": ["NON_PRODUCTION_PIPELINES"],
        },
    ),
    ("pipeline", {"actions": ["READ"], "filters": ["PRODUCTION_PIPELINES"]}),
    ("provisioner", {"actions": ["UPDATE", "DELETE"]}),
    ("provisioner", {"actions": ["CREATE", "READ"]}),
    ("service", {"actions": ["UPDATE", "DELETE"]}),
    ("service", {"actions": ["UPDATE", "DELETE"]}),
    ("template", {"actions": ["CREATE", "READ", "UPDATE", "DELETE"]}),
    ("workflow", {"actions": ["UPDATE", "DELETE"], "filters": ["NON_PRODUCTION_WORKFLOWS"]}),
    (
        "workflow",
        {"actions": ["CREATE", "READ"], "filters": ["PRODUCTION_WORKFLOWS", "WORKFLOW_TEMPLATES"]},
    ),
]

PERMISSION_TYPES = {
    "all": "ALL",
    "deployment": "DEPLOYMENT",
    "environment": "ENV",
    "pipeline": "PIPELINE",
    "provisioner": "PROVISIONER",
    "service": "SERVICE",
    "template": "TEMPLATE",
    "workflow": "WORKFLOW",
}
BLOCK_KINDS = {permission_type: kind for kind, permission_type in PERMISSION_TYPES.items()}
# Blocks whose entities are chosen by filters (and, but for workflows, environment ids).
FILTERED = {
    "deployment": "deployments",
    "environment": "environments",
    "pipeline": "pipelines",
    "workflow": "workflows",
}
# Blocks whose entities are chosen by id, or all of them: (field, attribute, ids field).
BY_ID = {
    "provisioner": ("provisioners", "provisioner_ids", "provisionerIds"),
    "service": ("services", "service_ids", "serviceIds"),
    "template": ("templates", "template_ids", "templateIds"),
}


def as_set(blocks: Iterable[Block]) -> set[tuple[str, frozenset[tuple[str, frozenset[str]]]]]:
    """Blocks as a Terraform set compares them (empty attributes are unset)."""
    return {
        (kind, frozenset((name, frozenset(values)) for name, values in attrs.items() if values))
        for kind, attrs in blocks
    }


def expand(blocks: list[Block]) -> list[dict[str, Any]]:
    """expand*AppPermissions: one SDK AppPermission per distinct block."""
    permissions = []
    for kind, attributes in sorted(as_set(blocks), key=repr):
        attrs = {name: sorted(values) for name, values in attributes}
        app_ids = attrs.get("app_ids", [])
        permission: dict[str, Any] = {
            "permissionType": PERMISSION_TYPES[kind],
            "applications": {"appIds": app_ids} if app_ids else {"filterType": "ALL"},
            "actions": attrs["actions"],
        }
        if kind in FILTERED:
            env_ids = [] if kind == "workflow" else attrs.get("env_ids", [])
            permission[FILTERED[kind]] = {
                "envIds": env_ids,
                "filterTypes": attrs.get("filters", []),
            }
        elif kind in BY_ID:
            field, attribute, ids_field = BY_ID[kind]
            ids = attrs.get(attribute, [])
            permission[field] = {ids_field: ids} if ids else {"filterType": "ALL"}
        permissions.append(permission)
    return permissions


def flatten(permissions: dict[str, Any]) -> set[tuple[str, frozenset[tuple[str, frozenset[str]]]]]:
    """flattenAppPermissions: what Terraform's state holds after a read."""
    blocks: list[Block] = []
    for permission in permissions.get("appPermissions") or ():
        kind = BLOCK_KINDS[permission["permissionType"]]
        attrs = {
            "app_ids": permission["applications"].get("appIds", []),
            "actions": permission.get("actions", []),
        }
        if kind in FILTERED:
            entity = permission.get(FILTERED[kind], {})
            attrs["filters"] = entity.get("filterTypes", [])
            if kind != "workflow":
                attrs["env_ids"] = entity.get("envIds", [])
        elif kind in BY_ID:
            field, attribute, ids_field = BY_ID[kind]
            attrs[attribute] = permission.get(field, {}).get(ids_field, [])
        blocks.append((kind, attrs))
    return as_set(blocks)


def account_permissions(permissions: dict[str, Any]) -> set[str]:
    """flattenAccountPermissions."""
    return set(permissions.get("accountPermissions", {}).get("accountPermissionTypes", []))


def permissions(account: list[str], apps: list[Block]) -> dict[str, Any]:
    """expandPermissions (account permissions only when some are set)."""
    expanded: dict[str, Any] = {"appPermissions": expand(apps)}
    if account:
        expanded["accountPermissions"] = {"accountPermissionTypes": account}
    return expanded


@pytest.fixture
def cd(http: httpx.Client) -> CdClient:
    return CdClient(http)


# -- harness_user --------------------------------------------------------------------------


@pytest.mark.parametrize("group_ids", [[], [ENGINEERING]], ids=["docs-example", "with-groups"])
def test_harness_user(cd: CdClient, http: httpx.Client, group_ids: list[str]) -> None:
    # create: CreateUser, the state read from its payload
    created = cd.create_user(
        {"name": "John Doe", "email": "John.Doe@example.com", "userGroupIds": group_ids}
    )
    assert created["email"].lower() == "john.doe@example.com"
    assert (created["name"], created["isEmailVerified"], created["isUserLocked"]) == (
        "John Doe",
        False,
        False,
    )
    user_id = created["id"]
    assert user_id in ng_user_ids(http)
    assert [cd.is_user_in_group(user_id, ENGINEERING)] == [bool(group_ids)]
    # refresh: by the email in the state, which the SDK lower-cases
    assert cd.get_user_by_email("John.Doe@example.com") == created
    # update: UpdateUser with the new name and the id
    renamed = cd.update_user({"name": "Johnny Doe", "id": user_id})
    assert renamed == {**created, "name": "Johnny Doe"}
    # import by email, then the data source by id
    assert cd.get_user_by_email("john.doe@example.com") == renamed
    assert cd.get_user_by_id(user_id) == renamed
    # delete, and the refresh that finds the user gone
    cd.delete_user(user_id)
    assert cd.get_user_by_email("john.doe@example.com") is None
    assert cd.get_user_by_id(user_id) is None
    assert user_id not in ng_user_ids(http)


def test_harness_user_refusals_reach_terraform_as_errors(cd: CdClient) -> None:
    with pytest.raises(GoSdkError, match=r"User with email sruiz@example\.com already exists"):
        cd.create_user({"name": "Sara again", "email": "SRuiz@example.com"})
    with pytest.raises(GoSdkError, match="Invalid request: User not found"):
        cd.delete_user("NoSuchUser000000000000")


# -- harness_user_group --------------------------------------------------------------------


def test_harness_user_group_docs_example(cd: CdClient, sim: Simulator) -> None:
    config = permissions(DOCS_EXAMPLE_ACCOUNT, DOCS_EXAMPLE_APPS)
    description = "This group demonstrates account level and resource level permissions."
    # create: CreateUserGroup; only the computed fields are read from the payload
    created = cd.create_user_group(
        {"name": "example-group", "description": description, "permissions": config}
    )
    group_id = created["id"]
    assert (created.get("importedByScim", False), created.get("isSSOLinked", False)) == (
        False,
        False,
    )
    # refresh: nothing differs from the configuration
    read = cd.get_user_group_by_id(group_id)
    assert (read["name"], read["description"]) == ("example-group", description)
    assert account_permissions(read["permissions"]) == set(DOCS_EXAMPLE_ACCOUNT)
    assert flatten(read["permissions"]) == as_set(DOCS_EXAMPLE_APPS)
    assert len(read["permissions"]["appPermissions"]) == 13
    # update: the template block goes, VIEW_AUDITS comes
    apps = [block for block in DOCS_EXAMPLE_APPS if block[0] != "template"]
    account = [*DOCS_EXAMPLE_ACCOUNT, "VIEW_AUDITS"]
    updated = cd.update_user_group(
        {"id": group_id, "name": "example-group", "permissions": permissions(account, apps)}
    )
    assert account_permissions(updated["permissions"]) == set(account)
    assert flatten(updated["permissions"]) == as_set(apps)
    # import by id, and the data source by name
    assert cd.get_user_group_by_id(group_id) == updated
    assert cd.get_user_group_by_name("example-group") == updated
    # delete, and the refresh that finds the group gone
    cd.delete_user_group(group_id)
    assert cd.get_user_group_by_id(group_id) is None
    assert sim.harness.groups.find(ACCOUNT, group_id) is None


@pytest.mark.parametrize(
    ("provider", "settings"),
    [
        (
            "Corporate LDAP",
            {"ldapSettings": {"groupDN": "cn=devs,dc=example", "groupName": "devs"}},
        ),
        ("Okta SAML", {"samlSettings": {"groupName": "okta-devs"}}),
    ],
    ids=["ldap", "saml"],
)
def test_harness_user_group_linked_to_an_sso_provider(
    cd: CdClient, provider: str, settings: dict[str, dict[str, str]]
) -> None:
    """The usual configuration: the harness_sso_provider data source by name, then a group
    whose ldap_settings or saml_settings name it."""
    found = cd.get_sso_provider_by_name(provider)
    [(kind, link)] = settings.items()
    link = {**link, "ssoProviderId": found["id"]}
    created = cd.create_user_group({"name": "devs", kind: link})
    assert created["isSSOLinked"] is True
    read = cd.get_user_group_by_id(created["id"])
    assert read[kind] == link
    other = "samlSettings" if kind == "ldapSettings" else "ldapSettings"
    assert read[other] == {}  # the other fragment does not match: IsEmpty, so not set
    # An update sends no SSO settings (the SDK does not copy them): the link stays.
    renamed = cd.update_user_group({"id": created["id"], "name": "devs", kind: link})
    assert renamed[kind] == link
    cd.delete_user_group(created["id"])


# -- harness_add_user_to_group -------------------------------------------------------------


def test_harness_add_user_to_group(cd: CdClient, sim: Simulator) -> None:
    group_id = cd.create_user_group({"name": "admin"})["id"]
    # create: IsUserInGroup, then AddUserToGroup; the id is "<user>:<group>"
    assert cd.is_user_in_group(SARA, group_id) is False
    cd.add_user_to_group(SARA, group_id)
    # refresh
    assert cd.is_user_in_group(SARA, group_id) is True
    # import "<user_id>/<group_id>"
    user_id, imported_group = f"{SARA}/{group_id}".split("/")
    assert cd.is_user_in_group(user_id, imported_group) is True
    # delete: RemoveUserFromGroup; the refresh then drops it from the state
    cd.remove_user_from_group(SARA, group_id)
    assert cd.is_user_in_group(SARA, group_id) is False
    assert SARA not in sim.harness.groups.get(ACCOUNT, group_id).member_ids


def test_harness_add_user_to_group_when_already_a_member(cd: CdClient) -> None:
    """Create finds Sara in Engineering on the first page and adds nothing."""
    assert cd.is_user_in_group(SARA, ENGINEERING) is True
    assert len(cd.sent) == 1


def test_group_membership_is_found_past_the_first_page(cd: CdClient) -> None:
    """IsUserInGroup pages by 10 until a page comes back short."""
    group_ids = [cd.create_user_group({"name": f"Team {n:02}"})["id"] for n in range(12)]
    for group_id in group_ids:
        cd.add_user_to_group(SARA, group_id)
    cd.sent.clear()
    assert cd.is_user_in_group(SARA, group_ids[-1]) is True
    assert [variables["offset"] for _, variables in cd.sent] == [0, 10]
    cd.sent.clear()
    assert cd.is_user_in_group(SARA, RELEASE_MANAGERS) is False
    assert [variables["offset"] for _, variables in cd.sent] == [0, 10]


# -- harness_user_group_permissions --------------------------------------------------------

PERMISSIONS_APPS: list[Block] = [
    ("all", {"app_ids": [STOREFRONT], "actions": ["READ"]}),
    ("template", {"actions": ["READ"], "template_ids": ["t1", "t2"], "app_ids": [STOREFRONT]}),
    ("deployment", {"actions": ["READ", "ABORT_WORKFLOW"], "filters": ["PRODUCTION_ENVIRONMENTS"]}),
]


@pytest.mark.parametrize("group", [RELEASE_MANAGERS, None], ids=["fixture-group", "new-group"])
def test_harness_user_group_permissions(cd: CdClient, sim: Simulator, group: str | None) -> None:
    group_id = group or cd.create_user_group({"name": "admin"})["id"]
    # create: GetUserGroupById, then UpdateUserGroup with the id and the permissions
    before = cd.get_user_group_by_id(group_id)
    assert before is not None
    created = cd.update_user_group(
        {"id": group_id, "permissions": permissions(["READ_USERS_AND_GROUPS"], PERMISSIONS_APPS)}
    )
    assert account_permissions(created["permissions"]) == {"READ_USERS_AND_GROUPS"}
    # The SDK does not read `templates`: the template block's ids are not in the state.
    read_back = {block for block in as_set(PERMISSIONS_APPS) if block[0] != "template"}
    template = (
        "template",
        frozenset({("actions", frozenset({"READ"})), ("app_ids", frozenset({STOREFRONT}))}),
    )
    assert flatten(created["permissions"]) == {*read_back, template}
    # refresh and import (user_group_id = the id)
    assert cd.get_user_group_by_id(group_id) == created
    # update: the same calls with other permissions
    updated = cd.update_user_group(
        {"id": group_id, "permissions": permissions([], PERMISSIONS_APPS[:1])}
    )
    assert account_permissions(updated["permissions"]) == set()
    assert flatten(updated["permissions"]) == as_set(PERMISSIONS_APPS[:1])
    # delete: the group as read, permissions emptied, sent back whole
    current = cd.get_user_group_by_id(group_id)
    current["permissions"]["accountPermissions"] = {}
    current["permissions"]["appPermissions"] = []
    cleared = cd.update_user_group(current)
    # The provider reads these without checking for null (a null crashes terraform destroy).
    assert "accountPermissions" in cleared["permissions"]
    assert cleared["permissions"]["accountPermissions"].get("accountPermissionTypes", []) == []
    assert cleared["permissions"].get("appPermissions", []) == []
    # The rest of the group went out and came back: names and notification settings stay
    # (a Slack setting absent before comes back blank, as Harness converts it).
    after = cd.get_user_group_by_id(group_id)
    for key in ("id", "name", "description"):
        assert after.get(key) == before.get(key)
    kept = before["notificationSettings"]
    assert {key: after["notificationSettings"].get(key) for key in kept} == kept
    assert sim.harness.groups.get(ACCOUNT, group_id).permissions["appPermissions"] is None


# -- the harness_sso_provider data source --------------------------------------------------


def test_sso_provider_data_source(cd: CdClient) -> None:
    ldap = {"id": LDAP_PROVIDER, "name": "Corporate LDAP", "ssoType": "LDAP"}
    saml = {"id": SAML_PROVIDER, "name": "Okta SAML", "ssoType": "SAML"}
    assert cd.get_sso_provider_by_id(LDAP_PROVIDER) == ldap
    assert cd.get_sso_provider_by_id("NoSuchProvider00000000") is None
    assert cd.get_sso_provider_by_name("Okta SAML") == saml
    cd.sent.clear()
    with pytest.raises(GoSdkError, match="could not find SSO Provider with name: Nope"):
        cd.get_sso_provider_by_name("Nope")
    # hasMore is total > offset and the offset moves by one: three calls for two providers.
    assert [variables["offset"] for _, variables in cd.sent] == [0, 1, 2]


def test_another_accounts_provider_is_not_found(http: httpx.Client) -> None:
    second = CdClient(http, key=SECOND_KEY, account=SECOND_ACCOUNT)
    assert second.get_sso_provider_by_id(LDAP_PROVIDER) is None
    assert second.list_sso_providers(100, 0)[0] == []
