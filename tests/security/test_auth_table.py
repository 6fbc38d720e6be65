"""Every operation of every face, refused the vendor's way to callers without the right to it.

The tables below hold one well-formed call per operation, aimed at the default account's
data (Harness account 1, RapidAPI organization 7669830). Each table is checked against
its contract first: an operation added to a contract without a row here fails the suite.
Then every row is sent with no credentials, a wrong key and another account's key (and,
for RapidAPI, a team context without an identity key or with a non-member's): each gets
the vendor's own refusal, the state does not change and nothing of the account shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from simulator.app import build_app
from simulator.runtime import Simulator
from simulator.store.rapidapi.invites import Invitee
from simulator.testing.server import LiveServer
from tests.ids import (
    ACCOUNT,
    ACME,
    ADA,
    ADMIN_KEY,
    DATA_TEAM,
    DEV,
    ENGINEERING,
    GARY,
    LDAP_PROVIDER,
    MINA,
    PLATFORM,
    PLATFORM_TEAM,
    SECOND_ACCOUNT,
    SECOND_KEY,
    SUPPORT,
)
from tests.ids import RAPIDAPI_ACME_TEAM_KEY as RAPID_ACME_TEAM_KEY
from tests.ids import RAPIDAPI_ADMIN_KEY as RAPID_ADMIN_KEY
from tests.ids import RAPIDAPI_LENA_KEY as RAPID_LENA_KEY
from tests.ids import RAPIDAPI_ORG_ADMIN_KEY as RAPID_OTHER_ORG_KEY
from tests.ids import RAPIDAPI_TEAM_KEY as RAPID_TEAM_KEY
from tests.security.conftest import (
    CG_CONTRACT,
    CONTROL_CONTRACT,
    NG_CONTRACT,
    RAPIDAPI_2023_CONTRACT,
    RAPIDAPI_CONTRACT,
    assert_up,
    graphql_non_null_root_fields,
    graphql_root_fields,
    harness_account,
    identifiers_of,
    leaked,
    openapi_operations,
)

WRONG_KEY = "usersim-not-a-key"

# Default fixture: a user and a group of account 1 that nothing special protects.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"
# Refusals may echo the ids a request named; any other id of account 1 would be a leak.
NAMED = {GARY, SUPPORT, ENGINEERING}


def correlated(body: dict[str, Any]) -> dict[str, Any]:
    """An NG envelope with its (random) correlationId checked and taken out."""
    assert isinstance(body.pop("correlationId"), str)
    return body


# -- Harness NextGen ---------------------------------------------------------------------

NG = "/gateway"


@dataclass(frozen=True)
class NgCall:
    method: str
    path: str  # as in the contract, `{userId}` filled with GARY
    json: Any = None
    account_param: str = "accountIdentifier"
    params: dict[str, str] = field(default_factory=dict)
    # Another account's key, on its own account, aiming at GARY: (status, code) of the
    # refusal, or None when the operation serves the caller's own account instead.
    cross_account: tuple[int, str] | None = (404, "ENTITY_NOT_FOUND")


NOT_FOUND = (404, "ENTITY_NOT_FOUND")
NG_CALLS: dict[str, NgCall] = {
    "updateUserInfo": NgCall("PUT", "/ng/api/user", {"uuid": GARY, "name": "Renamed"}),
    "addUserToUserGroups": NgCall(
        "PUT", "/ng/api/user/add-user-to-groups/{userId}", {"userGroupIdsToAdd": [SUPPORT]}
    ),
    "getAggregatedUsers": NgCall("POST", "/ng/api/user/aggregate", {}, cross_account=None),
    "getAggregatedUser": NgCall("GET", "/ng/api/user/aggregate/{userId}"),
    "getUserAllProjectsInfo": NgCall(
        "GET", "/ng/api/user/all-projects", account_param="accountId", params={"userId": GARY}
    ),
    "getUsers": NgCall("POST", "/ng/api/user/batch", {"identifiers": [GARY]}, cross_account=None),
    "getCurrentUserInfo": NgCall("GET", "/ng/api/user/currentUser", cross_account=None),
    "getCurrentGenUsers": NgCall("GET", "/ng/api/user/currentgen", cross_account=None),
    "disableTTwoFactorAuth": NgCall(
        "PUT", "/ng/api/user/disable-two-factor-auth", cross_account=None
    ),
    "enableTwoFactorAuth": NgCall(
        "PUT",
        "/ng/api/user/enable-two-factor-auth",
        {"totpSecretKey": TOTP_SECRET},
        cross_account=None,
    ),
    "checkIfLastAdmin": NgCall("GET", "/ng/api/user/last-admin", params={"userId": GARY}),
    "changeUserPassword": NgCall(
        "PUT",
        "/ng/api/user/password",
        {"currentPassword": "usersim-password", "newPassword": "a-much-better-one"},
        cross_account=None,
    ),
    "getUserProjectInfo": NgCall(
        "GET", "/ng/api/user/projects", account_param="accountId", cross_account=None
    ),
    "getAccessibleProjectsCount": NgCall(
        "GET", "/ng/api/user/projects-count", params={"userId": GARY}
    ),
    "reset2fa": NgCall("GET", "/ng/api/user/reset-two-factor-auth/{userId}"),
    "getTwoFactorAuthSettings": NgCall(
        "GET", "/ng/api/user/two-factor-auth/TOTP", cross_account=None
    ),
    "unlockUser": NgCall("PUT", "/ng/api/user/unlock-user/{userId}"),
    "addUsers": NgCall(
        "POST", "/ng/api/user/users", {"emails": ["new.person@example.com"]}, cross_account=None
    ),
    "removeUser": NgCall("DELETE", "/ng/api/user/{userId}"),
    "updateUserInfo1": NgCall("PUT", "/ng/api/user/{userId}", {"name": "Renamed"}),
}


def ng_send(
    http: httpx.Client, call: NgCall, *, key: str | None, account: str = ACCOUNT
) -> httpx.Response:
    headers = {} if key is None else {"x-api-key": key}
    params = {call.account_param: account, **call.params}
    path = NG + call.path.replace("{userId}", GARY)
    return http.request(call.method, path, params=params, json=call.json, headers=headers)


def test_the_nextgen_table_is_the_contract() -> None:
    declared = openapi_operations(NG_CONTRACT)
    assert set(NG_CALLS) == set(declared)
    for operation_id, call in NG_CALLS.items():
        method, path = declared[operation_id]
        concrete = path.replace("{authMechanism}", "TOTP")
        assert (call.method, call.path) == (method, concrete), operation_id


@pytest.mark.parametrize("operation", sorted(NG_CALLS))
def test_each_nextgen_call_is_served_to_the_accounts_admin(
    client: httpx.Client, sim: Simulator, operation: str
) -> None:
    """The rows are real calls: refusals below come from the caller, not from the call."""
    response = ng_send(client, NG_CALLS[operation], key=ADMIN_KEY)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("operation", sorted(NG_CALLS))
@pytest.mark.parametrize(
    "key", [None, WRONG_KEY, SECOND_KEY], ids=["no key", "wrong key", "other account's key"]
)
def test_nextgen_refuses_callers_without_a_key_for_the_account(
    client: httpx.Client, sim: Simulator, operation: str, key: str | None
) -> None:
    before = sim.export()
    response = ng_send(client, NG_CALLS[operation], key=key)
    assert response.status_code == 401, response.text
    assert correlated(response.json()) == {
        "status": "ERROR",
        "code": "INVALID_TOKEN",
        "message": "Token is not valid.",
        "responseMessages": [
            {
                "code": "INVALID_TOKEN",
                "level": "ERROR",
                "message": "Token is not valid.",
                "failureTypes": [],
            }
        ],
    }
    assert sim.export() == before
    assert_up(client)


@pytest.mark.parametrize("operation", sorted(NG_CALLS))
def test_nextgen_shows_and_changes_nothing_of_another_account(
    client: httpx.Client, sim: Simulator, operation: str
) -> None:
    """The second account's admin, on its own account, naming account 1's user."""
    call = NG_CALLS[operation]
    before = harness_account(sim.export(), ACCOUNT)
    response = ng_send(client, call, key=SECOND_KEY, account=SECOND_ACCOUNT)
    if call.cross_account is None:
        assert response.status_code == 200, response.text
    else:
        status, code = call.cross_account
        assert response.status_code == status, response.text
        body = correlated(response.json())
        assert (body["status"], body["code"]) == ("ERROR", code), body
        assert body["message"] == f"User with id {GARY} not found in the given scope"
    assert leaked(response, identifiers_of(before) - NAMED) == set()
    assert harness_account(sim.export(), ACCOUNT) == before
    assert_up(client)


# -- Harness CurrentGen ------------------------------------------------------------------

CG = "/gateway/api/graphql"

# One document per root field; `refused` says whether account 2's admin, on its own
# account, is refused (the field names account 1's user or group) or served its own data.
CG_CALLS: dict[str, tuple[str, bool]] = {
    "Query.user": (f'{{ user(id: "{GARY}") {{ id name }} }}', True),
    "Query.users": ("{ users(limit: 100) { nodes { id email } } }", False),
    "Query.userByName": ('{ userByName(name: "Gary Hughes") { id } }', True),
    "Query.userByEmail": ('{ userByEmail(email: "ghughes@example.com") { id } }', True),
    "Query.userGroup": (f'{{ userGroup(userGroupId: "{SUPPORT}") {{ id name }} }}', True),
    "Query.userGroups": ("{ userGroups(limit: 100) { nodes { id name } } }", False),
    "Query.userGroupByName": ('{ userGroupByName(name: "Support") { id } }', True),
    "Mutation.createUser": (
        'mutation { createUser(input: {name: "New Person", email: "new.person@example.com"})'
        " { user { id } } }",
        False,
    ),
    "Mutation.updateUser": (
        f'mutation {{ updateUser(input: {{id: "{GARY}", name: "Renamed"}}) {{ user {{ id }} }} }}',
        True,
    ),
    "Mutation.deleteUser": (
        f'mutation {{ deleteUser(input: {{id: "{GARY}"}}) {{ clientMutationId }} }}',
        True,
    ),
    "Mutation.createUserGroup": (
        'mutation { createUserGroup(input: {name: "New Group"}) { userGroup { id } } }',
        False,
    ),
    "Mutation.updateUserGroup": (
        f'mutation {{ updateUserGroup(input: {{userGroupId: "{SUPPORT}", name: "Renamed"}})'
        " { userGroup { id } } }",
        True,
    ),
    "Mutation.updateUserGroupPermissions": (
        f'mutation {{ updateUserGroupPermissions(input: {{userGroupId: "{SUPPORT}",'
        " permissions: {accountPermissions: {accountPermissionTypes: [READ_USERS_AND_GROUPS]}}})"
        " { permissions { accountPermissions { accountPermissionTypes } } } }",
        True,
    ),
    "Mutation.deleteUserGroup": (
        f'mutation {{ deleteUserGroup(input: {{userGroupId: "{SUPPORT}"}}) {{ clientMutationId }} }}',
        True,
    ),
    "Mutation.addUserToUserGroup": (
        f'mutation {{ addUserToUserGroup(input: {{userGroupId: "{ENGINEERING}", userId: "{GARY}"}})'
        " { userGroup { id } } }",
        True,
    ),
    "Mutation.removeUserFromUserGroup": (
        "mutation { removeUserFromUserGroup("
        f'input: {{userGroupId: "{SUPPORT}", userId: "{GARY}"}}) {{ userGroup {{ id }} }} }}',
        True,
    ),
    "Mutation.addAccountPermission": (
        "mutation { addAccountPermission("
        f'input: {{userGroupId: "{SUPPORT}", accountPermission: VIEW_AUDITS}}) {{ userGroup {{ id }} }} }}',
        True,
    ),
    "Mutation.addAppPermission": (
        f'mutation {{ addAppPermission(input: {{userGroupId: "{SUPPORT}", appPermission:'
        " {permissionType: ALL, applications: {filterType: ALL}, actions: [READ]}})"
        " { userGroup { id } } }",
        True,
    ),
    "Query.ssoProvider": (f'{{ ssoProvider(ssoProviderId: "{LDAP_PROVIDER}") {{ id }} }}', True),
    "Query.ssoProviders": ("{ ssoProviders(limit: 10) { nodes { id name } } }", False),
}


def cg_send(
    http: httpx.Client, field_name: str, *, key: str | None, account: str | None = ACCOUNT
) -> httpx.Response:
    headers = {} if key is None else {"x-api-key": key}
    params = {} if account is None else {"accountId": account}
    return http.post(CG, params=params, json={"query": CG_CALLS[field_name][0]}, headers=headers)


def test_the_currentgen_table_is_the_contract() -> None:
    assert set(CG_CALLS) == graphql_root_fields(CG_CONTRACT)


@pytest.mark.parametrize("field_name", sorted(CG_CALLS))
def test_each_currentgen_call_is_served_to_the_accounts_admin(
    client: httpx.Client, sim: Simulator, field_name: str
) -> None:
    response = cg_send(client, field_name, key=ADMIN_KEY)
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.text


@pytest.mark.parametrize("field_name", sorted(CG_CALLS))
@pytest.mark.parametrize(
    "key", [None, WRONG_KEY, SECOND_KEY], ids=["no key", "wrong key", "other account's key"]
)
def test_currentgen_refuses_callers_without_a_key_for_the_account(
    client: httpx.Client, sim: Simulator, field_name: str, key: str | None
) -> None:
    before = sim.export()
    response = cg_send(client, field_name, key=key)
    assert response.status_code == 401, response.text
    assert response.json() == {"errors": [{"message": "Invalid Api Key"}]}
    assert sim.export() == before
    assert_up(client)


@pytest.mark.parametrize("field_name", sorted(CG_CALLS))
def test_currentgen_shows_and_changes_nothing_of_another_account(
    client: httpx.Client, sim: Simulator, field_name: str
) -> None:
    before = harness_account(sim.export(), ACCOUNT)
    response = cg_send(client, field_name, key=SECOND_KEY, account=None)
    assert response.status_code == 200, response.text
    body = response.json()
    root = field_name.split(".", 1)[1]
    if CG_CALLS[field_name][1]:
        assert body["data"] == {root: None}, body
        [error] = body["errors"]
        assert error["path"] == [root]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert error["message"].startswith(
            f"Exception while fetching data (/{root}) : Invalid request: "
        ), error
    else:
        assert "errors" not in body, body
    assert leaked(response, identifiers_of(before) - NAMED) == set()
    assert harness_account(sim.export(), ACCOUNT) == before
    assert_up(client)


# -- RapidAPI ----------------------------------------------------------------------------

RAPIDAPI_PATHS = {
    RAPIDAPI_CONTRACT: "/rapidapi/graphql",
    RAPIDAPI_2023_CONTRACT: "/rapidapi/2023-08/graphql",
}

# One call per root field, aimed at organization 7669830 (Mina administers another one).
# Selections hold only fields both contract versions share. Variables are a dict, or a
# setup that prepares what the call needs (an invitation and its token) and returns them.
Variables = dict[str, Any] | Callable[[Simulator], dict[str, Any]]
NEW_PERSON = "new.person@example.com"


def platform_invite(sim: Simulator) -> str:
    """A pending invitation of someone new to 7669830; its token."""
    store = sim.rapidapi
    ada = store.users.get(ADA)
    assert ada is not None
    row = store.invites.create(ada, PLATFORM, Invitee(email=NEW_PERSON), team_ids=[], role_key=None)
    [mail] = store.invites.mails(PLATFORM, NEW_PERSON)
    assert mail.invite_id == row.id
    return mail.token


def new_person_invited(sim: Simulator) -> dict[str, Any]:
    """The input naming the pending invitation `platform_invite` sends."""
    platform_invite(sim)
    return {"i": {"emails": [NEW_PERSON], "orgId": PLATFORM}}


def invitation_of_ada(sim: Simulator) -> dict[str, Any]:
    """Ada, invited to Mina's organization: her token to accept."""
    store = sim.rapidapi
    mina = store.users.get(MINA)
    assert mina is not None
    store.invites.create(mina, ACME, Invitee(user_id=ADA), team_ids=[], role_key=None)
    [mail] = store.invites.mails(ACME, "ada.admin@example.com")
    return {"t": mail.token}


RAPIDAPI_CALLS: dict[str, tuple[str, Variables | None]] = {
    "Query.ping": ("query { ping }", None),
    "Query.users": ("query($w: UserWhereInput!) { users(where: $w) { __typename } }", {"w": {}}),
    "Query.user": ("query($id: ID!) { user(id: $id) { id email } }", {"id": str(DEV)}),
    "Query.activeUser": ("query { activeUser { id email } }", None),
    "Query.userByEmail": (
        "query($e: String) { userByEmail(email: $e) { id email } }",
        {"e": "dev.patel@example.com"},
    ),
    "Query.paginatedTeamUsersByOrganizationIdV2": (
        "query($o: Int!) { paginatedTeamUsersByOrganizationIdV2(orgId: $o) { total } }",
        {"o": PLATFORM},
    ),
    "Query.paginatedTeamUsersByOrganizationId": (
        "query($o: Int!) { paginatedTeamUsersByOrganizationId(orgId: $o) { total } }",
        {"o": PLATFORM},
    ),
    "Query.teamUser": (
        "query($w: TeamUserWhereInput!) { teamUser(where: $w) { id email role } }",
        {"w": {"email": "dev.patel@example.com", "orgId": PLATFORM}},
    ),
    "Query.findUsersInOrganization": (
        "query($o: Int) { findUsersInOrganization(orgId: $o) { id email } }",
        {"o": PLATFORM},
    ),
    "Query.team": ("query($id: ID!) { team(id: $id) { id name } }", {"id": str(PLATFORM_TEAM)}),
    "Query.teams": (
        "query($w: TeamWhereInput) { teams(where: $w) { id name } }",
        {"w": {"orgId": PLATFORM}},
    ),
    "Query.teamsByOrganizationId": (
        "query($o: Int) { teamsByOrganizationId(orgId: $o) { id name } }",
        {"o": PLATFORM},
    ),
    "Query.organization": (
        "query($id: ID!) { organization(id: $id) { id name } }",
        {"id": str(PLATFORM)},
    ),
    "Query.organizations": (
        "query($w: OrganizationWhereInput) { organizations(where: $w) { id name } }",
        {"w": {"userId": "5500001"}},
    ),
    "Query.roles": (
        "query($w: RoleWhereInput!) { roles(where: $w) { nodes { id key } } }",
        {"w": {"roleLevels": ["USER_ORGANIZATION"]}},
    ),
    "Query.getRoles": ("query { getRoles(roleLevels: [USER_TEAM]) { id key } }", None),
    "Query.entitiesRoles": (
        "query($w: EntityRoleWhereInput!) { entitiesRoles(where: $w) { nodes { id roleId } } }",
        {"w": {"entityIds": [DEV], "orgId": PLATFORM}},
    ),
    "Query.getEntitiesRoles": (
        "query($e: [Int], $o: Int) { getEntitiesRoles(entityIds: $e, orgId: $o) { id roleId } }",
        {"e": [DEV], "o": PLATFORM},
    ),
    "Query.virtualPermissions": (
        "query { virtualPermissions(where: {permissionLevel: [USER_TEAM]}) { id key } }",
        None,
    ),
    "Query.getUserInviteByToken": (
        "query($t: String!) { getUserInviteByToken(token: $t) { id email organizationId } }",
        lambda sim: {"t": platform_invite(sim)},
    ),
    "Mutation.updateUser": (
        "mutation($i: UserUpdateInput!) { updateUser(input: $i) { status } }",
        {"i": {"id": str(DEV), "bio": "Renamed"}},
    ),
    "Mutation.deleteUser": (
        "mutation($id: ID!, $m: String!) { deleteUser(id: $id, mashapeId: $m) }",
        {"id": str(DEV), "m": f"{DEV:024x}"},
    ),
    "Mutation.updateUserRoles": (
        "mutation($i: UserRolesUpdateInput) { updateUserRoles(input: $i) }",
        {"i": {"entityId": DEV, "roleId": 580, "orgId": PLATFORM}},
    ),
    "Mutation.upsertEntityRole": (
        "mutation($i: EntityRoleInput) { upsertEntityRole(input: $i) }",
        {"i": {"entityId": DEV, "roleId": 627, "orgId": PLATFORM, "parentId": PLATFORM_TEAM}},
    ),
    "Mutation.createEntitiesRoles": (
        "mutation($i: EntityRoleCreateInput) { createEntitiesRoles(input: $i) }",
        {
            "i": {
                "entitiesRoles": [
                    {"entityId": DEV, "roleId": 627, "orgId": PLATFORM, "parentId": PLATFORM_TEAM}
                ]
            }
        },
    ),
    "Mutation.createUserInvites": (
        "mutation($i: UserInvitesInput) { createUserInvites(input: $i) }",
        {"i": {"email": NEW_PERSON, "teamIds": [], "organizationId": PLATFORM}},
    ),
    "Mutation.acceptUserInvite": (
        "mutation($t: String!) { acceptUserInvite(token: $t) }",
        invitation_of_ada,
    ),
    "Mutation.deleteUserInvites": (
        "mutation($i: UserInvitesDeleteInput!) { deleteUserInvites(input: $i) }",
        new_person_invited,
    ),
    "Mutation.reactivateUserInvites": (
        "mutation($i: UserInvitesReactivateInput!) { reactivateUserInvites(input: $i) }",
        new_person_invited,
    ),
    "Mutation.updateTeamUser": (
        "mutation($i: TeamUserUpdateInput) { updateTeamUser(input: $i) }",
        {"i": {"orgId": PLATFORM, "teamUserId": DEV, "teamToAdd": DATA_TEAM}},
    ),
    "Mutation.addUserToTeams": (
        "mutation($u: Int!, $t: [Int]!) { addUserToTeams(userId: $u, teamIds: $t) }",
        {"u": DEV, "t": [DATA_TEAM]},
    ),
    "Mutation.removeTeamUserFromAllOrgTeams": (
        "mutation($o: Int!, $e: String!) { removeTeamUserFromAllOrgTeams(orgId: $o, email: $e) }",
        {"o": PLATFORM, "e": "dev.patel@example.com"},
    ),
    "Mutation.createTeam": (
        "mutation($i: TeamCreateInput!) { createTeam(input: $i) { id } }",
        {"i": {"organizationId": PLATFORM, "name": "Rogue"}},
    ),
    "Mutation.updateTeam": (
        "mutation($i: TeamUpdateInput!) { updateTeam(input: $i) { id } }",
        {"i": {"id": DATA_TEAM, "name": "Renamed"}},
    ),
    "Mutation.deleteTeam": ("mutation($id: ID!) { deleteTeam(id: $id) }", {"id": str(DATA_TEAM)}),
    "Mutation.createOrganization": (
        "mutation($i: OrganizationCreateInput!) { createOrganization(input: $i) { id } }",
        {"i": {"name": "Rogue Org", "email": "billing@example.com", "seats": 3}},
    ),
    "Mutation.updateOrganization": (
        "mutation($i: OrganizationUpdateInput!) { updateOrganization(input: $i) { id } }",
        {"i": {"organizationId": PLATFORM, "description": "Renamed"}},
    ),
    "Mutation.deleteOrganization": (
        "mutation($id: ID!) { deleteOrganization(id: $id) }",
        {"id": str(PLATFORM)},
    ),
}
# Operations whose answer is the same for every caller: nothing in it belongs to an
# organization (the catalog of roles and permissions, any user by email) or the caller
# holds what it names (an invitation's token).
CATALOG = {
    "Query.ping",
    "Query.roles",
    "Query.getRoles",
    "Query.virtualPermissions",
    "Query.userByEmail",
    "Query.getUserInviteByToken",
}
# Operations that serve the caller itself: another organization's admin is served, and
# nothing of 7669830 changes.
OWN = {"Query.activeUser", "Mutation.createOrganization"}
# Served only in a team context: (team key, identity) for the admin of 7669830 and for the
# admin of another organization, in a team of their own.
TEAM_ONLY = {
    "Query.paginatedTeamUsersByOrganizationIdV2",
    "Query.paginatedTeamUsersByOrganizationId",
}
INVALID_API_KEY = "Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info."


def rapid_variables(sim: Simulator, field_name: str) -> dict[str, Any] | None:
    """A row's variables, after its setup (run on the freshly reset state) if it has one."""
    variables = RAPIDAPI_CALLS[field_name][1]
    return variables(sim) if callable(variables) else variables


def rapid_send(
    http: httpx.Client,
    field_name: str,
    variables: dict[str, Any] | None,
    *,
    key: str | None,
    identity: str | None = None,
    contract: str = RAPIDAPI_CONTRACT,
) -> httpx.Response:
    headers = {}
    if key is not None:
        headers["x-rapidapi-key"] = key
    if identity is not None:
        headers["x-rapidapi-identity-key"] = identity
    query = RAPIDAPI_CALLS[field_name][0]
    return http.post(
        RAPIDAPI_PATHS[contract], json={"query": query, "variables": variables}, headers=headers
    )


def platform_section(export: dict[str, Any]) -> tuple[Any, Any]:
    """What belongs to 7669830 in a state export: its organization and the hub's users."""
    rapidapi = export["rapidapi"]
    org = next(o for o in rapidapi["organizations"] if o["id"] == PLATFORM)
    return org, rapidapi["users"]


@pytest.mark.parametrize("contract", sorted(RAPIDAPI_PATHS))
def test_the_rapidapi_table_is_the_contract(contract: str) -> None:
    assert set(RAPIDAPI_CALLS) == graphql_root_fields(contract)


@pytest.mark.parametrize("field_name", sorted(RAPIDAPI_CALLS))
def test_each_rapidapi_call_is_served_to_the_organizations_admin(
    client: httpx.Client, sim: Simulator, field_name: str
) -> None:
    variables = rapid_variables(sim, field_name)
    if field_name in TEAM_ONLY:
        response = rapid_send(
            client, field_name, variables, key=RAPID_TEAM_KEY, identity=RAPID_ADMIN_KEY
        )
    else:
        response = rapid_send(client, field_name, variables, key=RAPID_ADMIN_KEY)
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.text


@pytest.mark.parametrize("contract", sorted(RAPIDAPI_PATHS))
@pytest.mark.parametrize("field_name", sorted(RAPIDAPI_CALLS))
@pytest.mark.parametrize("key", [None, WRONG_KEY], ids=["no key", "wrong key"])
def test_the_rapid_gateway_refuses_a_missing_or_wrong_key(
    client: httpx.Client, sim: Simulator, field_name: str, key: str | None, contract: str
) -> None:
    variables = rapid_variables(sim, field_name)
    before = sim.export()
    response = rapid_send(client, field_name, variables, key=key, contract=contract)
    assert response.status_code == 401, response.text
    assert response.json() == {"message": INVALID_API_KEY}
    assert sim.export() == before
    assert_up(client)


TEAM_REFUSALS = {
    "without identity": (
        None,
        "UNAUTHENTICATED",
        "Calls from a team context need the x-rapidapi-identity-key header: the personal"
        " API key of a member of the team.",
    ),
    "non-member identity": (
        RAPID_LENA_KEY,
        "FORBIDDEN",
        "User 7344547 is not a member of team 7669831.",
    ),
}


@pytest.mark.parametrize("contract", sorted(RAPIDAPI_PATHS))
@pytest.mark.parametrize("field_name", sorted(RAPIDAPI_CALLS))
@pytest.mark.parametrize("case", sorted(TEAM_REFUSALS))
def test_a_team_context_needs_a_members_identity_key(
    client: httpx.Client, sim: Simulator, field_name: str, case: str, contract: str
) -> None:
    identity, code, message = TEAM_REFUSALS[case]
    variables = rapid_variables(sim, field_name)
    before = sim.export()
    response = rapid_send(
        client, field_name, variables, key=RAPID_TEAM_KEY, identity=identity, contract=contract
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "data": None,
        "errors": [{"message": message, "extensions": {"code": code}}],
    }
    assert sim.export() == before
    assert_up(client)


@pytest.mark.parametrize("field_name", sorted(RAPIDAPI_CALLS))
def test_another_organizations_admin_sees_and_changes_nothing(
    client: httpx.Client, sim: Simulator, field_name: str
) -> None:
    variables = rapid_variables(sim, field_name)
    before = sim.export()
    if field_name in TEAM_ONLY:
        response = rapid_send(
            client, field_name, variables, key=RAPID_ACME_TEAM_KEY, identity=RAPID_OTHER_ORG_KEY
        )
    else:
        response = rapid_send(client, field_name, variables, key=RAPID_OTHER_ORG_KEY)
    assert response.status_code == 200, response.text
    body = response.json()
    root = field_name.split(".", 1)[1]
    if field_name in CATALOG:
        # The same for every caller.
        assert body == rapid_send(client, field_name, variables, key=RAPID_ADMIN_KEY).json()
    elif field_name in OWN:
        assert "errors" not in body, body
        assert str(PLATFORM) not in response.text
        assert platform_section(sim.export()) == platform_section(before)
        return
    else:
        # An error on a non-null root field nulls the whole `data`, as GraphQL says.
        nullable = field_name not in graphql_non_null_root_fields(RAPIDAPI_CONTRACT)
        assert body["data"] == ({root: None} if nullable else None), body
        [error] = body["errors"]
        assert error["path"] == [root]
        assert error["extensions"]["code"] == "FORBIDDEN", error
    assert sim.export() == before
    assert_up(client)


# -- control API (with a control token) --------------------------------------------------

CONTROL_TOKEN = "usersim-security-token"
PUBLIC_CONTROL_OPERATIONS = {"health", "getContract", "getExplorerAsset"}


@pytest.fixture(scope="module")
def guarded() -> Iterator[tuple[Simulator, httpx.Client]]:
    """A second server, started with --control-token, and a client for it."""
    with (
        LiveServer(build_app(control_token=CONTROL_TOKEN)) as live,
        httpx.Client(base_url=live.url, timeout=10.0) as guarded_client,
    ):
        yield live.simulator, guarded_client


@pytest.mark.parametrize("operation", sorted(openapi_operations(CONTROL_CONTRACT)))
@pytest.mark.parametrize(
    "headers",
    [{}, {"x-usersim-token": "wrong"}, {"authorization": "Bearer wrong"}],
    ids=["no token", "wrong token", "wrong bearer"],
)
def test_the_control_api_needs_its_token(
    guarded: tuple[Simulator, httpx.Client], operation: str, headers: dict[str, str]
) -> None:
    simulator, control = guarded
    method, path = openapi_operations(CONTROL_CONTRACT)[operation]
    path = path.replace("{ruleId}", "1").replace("{name}", "harness-cg.graphql")
    path = path.replace("{userId}", GARY).replace("{asset}", "graphiql.min.css")
    before = simulator.export()
    response = control.request(method, path, json={}, headers=headers)
    if operation in PUBLIC_CONTROL_OPERATIONS:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 401, response.text
        assert response.json() == {
            "message": "the control token is missing or wrong",
            "problems": [],
        }
    assert simulator.export() == before
    assert_up(control)
