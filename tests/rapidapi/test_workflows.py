"""The scripts consumers write against the Platform API, end to end over HTTP.

Each workflow is driven the way a consumer's script drives it: named operations with
variables (and `operationName`), keys in headers, the invitation token read from the
invitee's email (the control API's read). After each step the state is checked through
other operations, as the script's own checks would, and through `GET /_usersim/state`.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.rapidapi.conftest import (
    ACME,
    ACME_DEFAULT_TEAM,
    ACME_TEAM,
    ACME_TEAM_KEY,
    ADA,
    ADMIN_KEY,
    DEV,
    DEVELOPER_ROLE,
    LENA,
    LENA_KEY,
    MINA,
    ORG_ADMIN_KEY,
    ORG_ADMIN_ROLE,
    TEAM_DEVELOPER_ROLE,
    TEAM_VIEWER_ROLE,
    USER_KEY,
    Api,
)

LENA_EMAIL = "lena.fischer@example.com"
MINA_EMAIL = "mina.park@example.com"
_NAME = re.compile(r"^\s*(?:query|mutation)\s+(\w+)")


class Script:
    """A consumer's GraphQL client: one named operation per request, as gql or
    graphql-request send them, and the control API for what an email would carry."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.http: httpx.Client = api.client

    def run(self, document: str, variables: dict[str, Any] | None = None, **keys: Any) -> Any:
        name = _NAME.match(document)
        assert name is not None, "consumer scripts name their operations"
        headers = {"content-type": "application/json", "x-rapidapi-key": keys.get("key", ADMIN_KEY)}
        if keys.get("identity") is not None:
            headers["x-rapidapi-identity-key"] = keys["identity"]
        body = {"query": document, "variables": variables or {}, "operationName": name.group(1)}
        response = self.http.post("/rapidapi/graphql", json=body, headers=headers)
        assert response.status_code == 200, response.text
        payload = response.json()
        assert "errors" not in payload, payload
        return payload["data"]

    def refused(self, document: str, variables: dict[str, Any], code: str, **keys: Any) -> str:
        """Run an operation that must fail with `code`; its message."""
        response = self.api.post(document, variables, **keys)
        errors = response.json()["errors"]
        assert [e["extensions"]["code"] for e in errors] == [code], errors
        return str(errors[0]["message"])

    def state(self) -> dict[str, Any]:
        response = self.http.get("/_usersim/state")
        assert response.status_code == 200
        rapidapi: dict[str, Any] = response.json()["rapidapi"]
        return rapidapi

    def invitation_token(self, org_id: int, email: str) -> str:
        """The token in the invitee's invitation email."""
        response = self.http.get(
            "/_usersim/rapidapi/invitations", params={"organizationId": org_id, "email": email}
        )
        assert response.status_code == 200, response.text
        [mail] = response.json()["invitations"]
        return str(mail["token"])


@pytest.fixture
def script(api: Api) -> Script:
    return Script(api)


def organization_of(state: dict[str, Any], org_id: int | str) -> dict[str, Any] | None:
    return next((o for o in state["organizations"] if o["id"] == int(org_id)), None)


def user_of(state: dict[str, Any], user_id: int | str) -> dict[str, Any]:
    return next(u for u in state["users"] if u["id"] == int(user_id))


def status_of(state: dict[str, Any], user_id: int) -> str:
    """A user's status in an export (which leaves out the default, ACTIVE)."""
    return str(user_of(state, user_id).get("status", "ACTIVE"))


def members_of(org: dict[str, Any]) -> dict[int, int]:
    return {m["user"]: m["role"] for m in org.get("members", ())}


def team_members(org: dict[str, Any], team_id: int | str) -> dict[int, int]:
    team = next(t for t in org["teams"] if t["id"] == int(team_id))
    return {m["user"]: m["role"] for m in team.get("members", ())}


def invited(org: dict[str, Any]) -> list[Any]:
    return [i.get("email") or i.get("user") for i in org.get("invites", ())]


# -- offboarding: find a user by email, take them out of every team, delete them ---------

FIND_USER = """query FindUser($email: String) {
  userByEmail(email: $email) { id mashapeId status organizations { id } Teams { id } }
}"""
REMOVE_FROM_ORGANIZATION = """mutation RemoveFromOrganization($orgId: Int!, $email: String!) {
  removeTeamUserFromAllOrgTeams(orgId: $orgId, email: $email)
}"""
TEAM_USER = """query TeamUser($where: TeamUserWhereInput!) {
  teamUser(where: $where) { id email role inviteStatus }
}"""
TEAM_MEMBERS = "query TeamMembers($id: ID!) { team(id: $id) { id users { id } usersCount } }"
DELETE_USER = """mutation DeleteUser($id: ID!, $mashapeId: String!) {
  deleteUser(id: $id, mashapeId: $mashapeId)
}"""
USER_DETAILS = """query UserDetails($id: ID!) {
  user(id: $id) { id status deletedAt organizations { id } Teams { id } singleAdminOrgs }
}"""
AUDIT = """query Audit($where: EntityRoleWhereInput!, $pagination: PaginationInput) {
  entitiesRoles(where: $where, pagination: $pagination) {
    nodes { id entityId roleId parentId orgId role { key } }
    edges { cursor }
    pageInfo { hasNextPage endCursor }
  }
}"""


def test_offboarding(script: Script) -> None:
    # 1. Find the leaver by email.
    found = script.run(FIND_USER, {"email": LENA_EMAIL})["userByEmail"]
    assert found["id"] == str(LENA) and found["status"] == "ACTIVE"
    assert [o["id"] for o in found["organizations"]] == [str(ACME)]
    assert [t["id"] for t in found["Teams"]] == [str(ACME_TEAM)]

    # 2. Remove them from every team of each organization (the organization with them).
    for org in found["organizations"]:
        done = script.run(REMOVE_FROM_ORGANIZATION, {"orgId": int(org["id"]), "email": LENA_EMAIL})
        assert done == {"removeTeamUserFromAllOrgTeams": True}
    row = script.run(TEAM_USER, {"where": {"email": LENA_EMAIL, "orgId": ACME}})
    assert row == {"teamUser": None}
    team = script.run(TEAM_MEMBERS, {"id": str(ACME_TEAM)})["team"]
    assert str(LENA) not in {u["id"] for u in team["users"]}
    roles = script.run(AUDIT, {"where": {"entityIds": [LENA]}})["entitiesRoles"]["nodes"]
    assert [(r["roleId"], r["parentId"]) for r in roles] == [(576, None)]  # her hub role only
    acme = organization_of(script.state(), ACME)
    assert acme is not None
    assert LENA not in members_of(acme) and LENA not in team_members(acme, ACME_TEAM)
    assert status_of(script.state(), LENA) == "ACTIVE"  # still a user of the hub

    # 3. Delete the user, confirming with the mashapeId.
    wrong = script.refused(DELETE_USER, {"id": str(LENA), "mashapeId": "0" * 24}, "BAD_USER_INPUT")
    assert "mashapeId" in wrong
    assert status_of(script.state(), LENA) == "ACTIVE"
    deleted = script.run(DELETE_USER, {"id": found["id"], "mashapeId": found["mashapeId"]})
    assert deleted == {"deleteUser": True}
    details = script.run(USER_DETAILS, {"id": str(LENA)})["user"]
    assert details["status"] == "DELETED" and details["deletedAt"] is not None
    assert details["organizations"] == [] and details["Teams"] == []
    assert script.run(FIND_USER, {"email": LENA_EMAIL}) == {"userByEmail": None}
    assert script.api.post(FIND_USER, {"email": LENA_EMAIL}, key=LENA_KEY).status_code == 403
    lena = user_of(script.state(), LENA)
    assert lena["status"] == "DELETED" and "deletedAt" in lena
    again = script.refused(
        DELETE_USER, {"id": found["id"], "mashapeId": found["mashapeId"]}, "BAD_USER_INPUT"
    )
    assert "already DELETED" in again


def test_offboarding_stops_at_the_last_admin(script: Script) -> None:
    """Mina is the only admin of 5755578: she can neither leave it nor be deleted."""
    found = script.run(FIND_USER, {"email": MINA_EMAIL})["userByEmail"]
    before = script.state()
    message = script.refused(
        REMOVE_FROM_ORGANIZATION, {"orgId": ACME, "email": MINA_EMAIL}, "BAD_USER_INPUT"
    )
    assert "must keep at least one active admin" in message
    message = script.refused(
        DELETE_USER, {"id": found["id"], "mashapeId": found["mashapeId"]}, "BAD_USER_INPUT"
    )
    assert "singleAdminOrgs" in message
    assert script.state() == before


# -- organization setup: create it and its teams, invite, accept, assign roles -----------

CREATE_ORGANIZATION = """mutation CreateOrganization($input: OrganizationCreateInput!) {
  createOrganization(input: $input) {
    id name slugifiedName isOrganizationAdmin numOfUsers occupiedSeats
    teams { id name ProjectAcls { Project { applicationAuthorizations { key } } } }
  }
}"""
CREATE_TEAM = """mutation CreateTeam($input: TeamCreateInput!) {
  createTeam(input: $input) { id name slugifiedName }
}"""
INVITE = "mutation Invite($input: UserInvitesInput) { createUserInvites(input: $input) }"
READ_INVITE = """query ReadInvite($token: String!) {
  getUserInviteByToken(token: $token) { id email organizationId teamId role }
}"""
ACCEPT = "mutation Accept($token: String!) { acceptUserInvite(token: $token) }"
ORGANIZATION_USERS = """query OrganizationUsers($orgId: Int!, $pagingArgs: PagingArgs) {
  paginatedTeamUsersByOrganizationIdV2(orgId: $orgId, pagingArgs: $pagingArgs) {
    data { id email role inviteStatus teams { id } }
    total
    totalActive
  }
}"""
UPDATE_USER_ROLES = """mutation UpdateUserRoles($input: UserRolesUpdateInput) {
  updateUserRoles(input: $input)
}"""
UPSERT_ENTITY_ROLE = """mutation UpsertEntityRole($input: EntityRoleInput) {
  upsertEntityRole(input: $input)
}"""
ENTITY_ROLES = """query EntityRoles($entityIds: [Int], $orgId: Int) {
  getEntitiesRoles(entityIds: $entityIds, orgId: $orgId) { id entityId roleId parentId orgId }
}"""
MY_ORGANIZATIONS = """query MyOrganizations($where: OrganizationWhereInput) {
  organizations(where: $where) { id name }
}"""


def test_organization_setup(script: Script) -> None:
    # 1. Dev creates an organization, inviting Lena; he is its admin.
    created = script.run(
        CREATE_ORGANIZATION,
        {
            "input": {
                "name": "Dev Tools",
                "email": "billing@devtools.example.com",
                "seats": 5,
                "users": [{"email": LENA_EMAIL, "role": "DEVELOPER"}],
            }
        },
        key=USER_KEY,
    )["createOrganization"]
    org_id = int(created["id"])
    assert org_id == 7_700_003  # next after the highest entity id of the fixture (an invite)
    assert created["slugifiedName"] == "dev-tools" and created["isOrganizationAdmin"] is True
    assert created["numOfUsers"] == 1 and created["occupiedSeats"] == 2  # Dev and the invite
    [default_team] = created["teams"]
    team_key = default_team["ProjectAcls"][0]["Project"]["applicationAuthorizations"][0]["key"]
    mine = script.run(MY_ORGANIZATIONS, {"where": None}, key=USER_KEY)["organizations"]
    assert {"id": str(org_id), "name": "Dev Tools"} in mine
    org = organization_of(script.state(), org_id)
    assert org is not None and members_of(org) == {DEV: ORG_ADMIN_ROLE}
    assert invited(org) == [LENA] and org["seats"] == 5

    # 2. Two teams.
    teams = [
        script.run(CREATE_TEAM, {"input": {"organizationId": org_id, "name": name}}, key=USER_KEY)[
            "createTeam"
        ]
        for name in ("Backend", "Frontend")
    ]
    assert [t["slugifiedName"] for t in teams] == ["backend", "frontend"]
    backend = int(teams[0]["id"])
    org = organization_of(script.state(), org_id)
    assert org is not None and {t["name"] for t in org["teams"]} == {
        "Default Team",
        "Backend",
        "Frontend",
    }

    # 3. Invite Mina to the backend team.
    invite = {
        "email": MINA_EMAIL,
        "teamIds": [backend],
        "organizationId": org_id,
        "role": "DEVELOPER",
    }
    assert script.run(INVITE, {"input": invite}, key=USER_KEY) == {"createUserInvites": True}
    listing = script.run(
        ORGANIZATION_USERS,
        {"orgId": org_id, "pagingArgs": {"orderBy": "email"}},
        key=team_key,
        identity=USER_KEY,
    )["paginatedTeamUsersByOrganizationIdV2"]
    assert [(r["email"], r["inviteStatus"]) for r in listing["data"]] == [
        ("dev.patel@example.com", "ACCEPTED"),
        (LENA_EMAIL, "PENDING"),
        (MINA_EMAIL, "PENDING"),
    ]
    assert (listing["total"], listing["totalActive"]) == (3, 1)

    # 4. Each invitee opens the email, reads the invite and accepts it.
    for email, key in ((LENA_EMAIL, LENA_KEY), (MINA_EMAIL, ORG_ADMIN_KEY)):
        token = script.invitation_token(org_id, email)
        seen = script.run(READ_INVITE, {"token": token}, key=key)["getUserInviteByToken"]
        assert seen["organizationId"] == org_id and seen["email"] == email
        assert seen["role"] == "DEVELOPER"
        assert script.run(ACCEPT, {"token": token}, key=key) == {"acceptUserInvite": True}
        assert script.run(READ_INVITE, {"token": token}, key=key) == {"getUserInviteByToken": None}
        assert "no pending invitation" in script.refused(
            ACCEPT, {"token": token}, "BAD_USER_INPUT", key=key
        )
    listing = script.run(ORGANIZATION_USERS, {"orgId": org_id}, key=team_key, identity=USER_KEY)[
        "paginatedTeamUsersByOrganizationIdV2"
    ]
    rows = {row["email"]: row for row in listing["data"]}
    assert {email: row["inviteStatus"] for email, row in rows.items()} == {
        "dev.patel@example.com": "ACCEPTED",
        LENA_EMAIL: "ACCEPTED",
        MINA_EMAIL: "ACCEPTED",
    }
    assert [t["id"] for t in rows[MINA_EMAIL]["teams"]] == [str(backend)]
    assert [t["id"] for t in rows[LENA_EMAIL]["teams"]] == [default_team["id"]]
    org = organization_of(script.state(), org_id)
    assert org is not None and org.get("invites", []) == []
    assert members_of(org) == {DEV: ORG_ADMIN_ROLE, LENA: DEVELOPER_ROLE, MINA: DEVELOPER_ROLE}
    assert team_members(org, backend) == {MINA: TEAM_DEVELOPER_ROLE}

    # 5. Roles: Lena administers the organization, Mina only views the backend team.
    grant = {"entityId": LENA, "roleId": ORG_ADMIN_ROLE, "orgId": org_id}
    assert script.run(UPDATE_USER_ROLES, {"input": grant}, key=USER_KEY) == {
        "updateUserRoles": True
    }
    viewer = {"entityId": MINA, "roleId": TEAM_VIEWER_ROLE, "orgId": org_id, "parentId": backend}
    assert script.run(UPSERT_ENTITY_ROLE, {"input": viewer}, key=USER_KEY) == {
        "upsertEntityRole": True
    }
    roles = script.run(ENTITY_ROLES, {"entityIds": [LENA, MINA], "orgId": org_id}, key=USER_KEY)
    default_team_id = int(default_team["id"])
    assert [(r["entityId"], r["roleId"], r["parentId"]) for r in roles["getEntitiesRoles"]] == [
        (MINA, DEVELOPER_ROLE, org_id),
        (MINA, TEAM_VIEWER_ROLE, backend),
        (LENA, ORG_ADMIN_ROLE, org_id),
        (LENA, TEAM_DEVELOPER_ROLE, default_team_id),  # invited with the organization
    ]
    org = organization_of(script.state(), org_id)
    assert org is not None and members_of(org)[LENA] == ORG_ADMIN_ROLE
    assert team_members(org, backend) == {MINA: TEAM_VIEWER_ROLE}
    # Lena, now an admin, is a member of every team (a team context works for her).
    lena_teams = script.run(FIND_USER, {"email": LENA_EMAIL})["userByEmail"]["Teams"]
    assert {int(t["id"]) for t in lena_teams} >= {backend, int(teams[1]["id"])}


def test_organization_setup_refusals_change_nothing(script: Script) -> None:
    before = script.state()
    taken = {"name": "acme partners", "email": "x@example.com", "seats": 3}
    assert "already exists" in script.refused(
        CREATE_ORGANIZATION, {"input": taken}, "BAD_USER_INPUT", key=USER_KEY
    )
    bad_invitee = {
        "name": "Fresh",
        "email": "x@example.com",
        "seats": 3,
        "users": [{"email": "not-an-email", "role": "DEVELOPER"}],
    }
    assert "not an email address" in script.refused(
        CREATE_ORGANIZATION, {"input": bad_invitee}, "BAD_USER_INPUT", key=USER_KEY
    )
    someone_else = script.invitation_token(ACME, "newhire@acme.example.com")
    assert "another user" in script.refused(
        ACCEPT, {"token": someone_else}, "FORBIDDEN", key=USER_KEY
    )
    assert script.state() == before


# -- invite housekeeping: list, delete, reactivate ---------------------------------------

DELETE_INVITES = """mutation DeleteInvites($input: UserInvitesDeleteInput!) {
  deleteUserInvites(input: $input)
}"""
REACTIVATE_INVITES = """mutation ReactivateInvites($input: UserInvitesReactivateInput!) {
  reactivateUserInvites(input: $input)
}"""
FIND_IN_ORGANIZATION = """query FindInOrganization($orgId: Int, $term: String) {
  findUsersInOrganization(orgId: $orgId, term: $term) { id email inviteStatus }
}"""


def test_invite_housekeeping(script: Script) -> None:
    team_context = {"key": ACME_TEAM_KEY, "identity": ORG_ADMIN_KEY}
    # 1. List the organization's pending invites.
    listing = script.run(
        ORGANIZATION_USERS,
        {"orgId": ACME, "pagingArgs": {"orderBy": "inviteStatus", "orderDirection": "DESC"}},
        **team_context,
    )["paginatedTeamUsersByOrganizationIdV2"]
    pending = [row["email"] for row in listing["data"] if row["inviteStatus"] == "PENDING"]
    assert pending == ["contractor@example.com", "newhire@acme.example.com"]
    found = script.run(
        FIND_IN_ORGANIZATION, {"orgId": ACME, "term": "contractor"}, key=ORG_ADMIN_KEY
    )
    assert found["findUsersInOrganization"] == [
        {"id": 7700002, "email": "contractor@example.com", "inviteStatus": "PENDING"}
    ]

    # 2. Reactivate the contractor's invite: a new email, a new token.
    old_token = script.invitation_token(ACME, "contractor@example.com")
    reactivate = {"emails": ["Contractor@Example.com"], "orgId": ACME}
    assert script.run(REACTIVATE_INVITES, {"input": reactivate}, key=ORG_ADMIN_KEY) == {
        "reactivateUserInvites": True
    }
    new_token = script.invitation_token(ACME, "contractor@example.com")
    assert new_token != old_token
    assert script.run(READ_INVITE, {"token": old_token}) == {"getUserInviteByToken": None}
    read = script.run(READ_INVITE, {"token": new_token})["getUserInviteByToken"]
    assert read == {
        "id": "7700002",
        "email": "contractor@example.com",
        "organizationId": ACME,
        "teamId": None,
        "role": "DEVELOPER",
    }

    # 3. Delete the new hire's invite.
    withdrawn = script.run(
        DELETE_INVITES,
        {"input": {"emails": ["newhire@acme.example.com"], "orgId": ACME}},
        key=ORG_ADMIN_KEY,
    )
    assert withdrawn == {"deleteUserInvites": 1}
    listing = script.run(ORGANIZATION_USERS, {"orgId": ACME}, **team_context)[
        "paginatedTeamUsersByOrganizationIdV2"
    ]
    assert [r["email"] for r in listing["data"] if r["inviteStatus"] == "PENDING"] == [
        "contractor@example.com"
    ]
    assert listing["total"] == 6
    acme = organization_of(script.state(), ACME)
    assert acme is not None and invited(acme) == ["contractor@example.com"]
    response = script.http.get("/_usersim/rapidapi/invitations", params={"organizationId": ACME})
    assert [m["email"] for m in response.json()["invitations"]] == ["contractor@example.com"]

    # 4. Housekeeping that names the wrong people changes nothing.
    before = script.state()
    for emails, expected in (
        (["contractor@example.com", "nobody@example.com"], "has no pending invitation"),
        ([LENA_EMAIL], "is a member, not a pending invitation"),
    ):
        for operation in (DELETE_INVITES, REACTIVATE_INVITES):
            message = script.refused(
                operation,
                {"input": {"emails": emails, "orgId": ACME}},
                "BAD_USER_INPUT",
                key=ORG_ADMIN_KEY,
            )
            assert expected in message
    assert script.state() == before
    assert script.invitation_token(ACME, "contractor@example.com") == new_token


# -- role audits -------------------------------------------------------------------------

GET_ROLES = "query GetRoles($levels: [RoleLevel]) { getRoles(roleLevels: $levels) { id key name } }"
PERMISSIONS = """query Permissions($where: VirtualPermissionWhereInput!) {
  virtualPermissions(where: $where) { id key permissionLevel rolePermission { granted readOnly } }
}"""


def test_role_audit(script: Script) -> None:
    """Mina audits her organization: which roles exist, what they allow, who holds what."""
    roles = script.run(GET_ROLES, {"levels": ["USER_ORGANIZATION", "USER_TEAM"]}, key=ORG_ADMIN_KEY)
    assert [(r["id"], r["key"]) for r in roles["getRoles"]] == [
        ("580", "ADMIN"),
        ("581", "DEVELOPER"),
        ("626", "TEAM_DEVELOPER"),
        ("627", "TEAM_VIEWER"),
    ]
    permissions = script.run(
        PERMISSIONS, {"where": {"permissionLevel": ["USER_TEAM"]}}, key=ORG_ADMIN_KEY
    )
    assert [p["key"] for p in permissions["virtualPermissions"]] == [
        "VIEW_KEYS",
        "EDIT_APPS",
        "EDIT_APIS",
    ]
    assert {str(p["rolePermission"]) for p in permissions["virtualPermissions"]} == {
        "{'granted': None, 'readOnly': None}"
    }

    # Everyone of the organization, page by page (two assignments a page).
    members = [
        u["id"]
        for u in script.run(FIND_IN_ORGANIZATION, {"orgId": ACME}, key=ORG_ADMIN_KEY)[
            "findUsersInOrganization"
        ]
        if u["inviteStatus"] == "ACCEPTED"
    ]
    where = {"entityIds": [*members, ACME, ACME_TEAM], "orgId": ACME}
    seen, after = [], None
    while True:
        page = script.run(
            AUDIT, {"where": where, "pagination": {"first": 2, "after": after}}, key=ORG_ADMIN_KEY
        )
        connection = page["entitiesRoles"]
        assert len(connection["nodes"]) <= 2
        seen.extend(connection["nodes"])
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    whole = script.run(
        ENTITY_ROLES, {"entityIds": where["entityIds"], "orgId": ACME}, key=ORG_ADMIN_KEY
    )
    assert [r["id"] for r in seen] == [r["id"] for r in whole["getEntitiesRoles"]]
    holders = {(r["entityId"], r["parentId"]): r["role"]["key"] for r in seen}
    assert holders[(MINA, ACME)] == "ADMIN" and holders[(DEV, ACME)] == "DEVELOPER"
    assert holders[(LENA, ACME_TEAM)] == "TEAM_VIEWER"
    assert holders[(ACME, None)] == "DEFAULT_ORGANIZATION"
    assert all(r["orgId"] == ACME for r in seen)
    # The export agrees with the audit.
    acme = organization_of(script.state(), ACME)
    assert acme is not None
    assert {user: role for user, role in members_of(acme).items()} == {
        entity: role
        for (entity, parent), role in (((r["entityId"], r["parentId"]), r["roleId"]) for r in seen)
        if parent == ACME
    }
    assert team_members(acme, ACME_TEAM)[LENA] == TEAM_VIEWER_ROLE
    assert ACME_DEFAULT_TEAM not in {r["entityId"] for r in seen}
    # Another organization stays closed to her.
    assert "not a member" in script.refused(
        AUDIT, {"where": {"entityIds": [ADA], "orgId": 7669830}}, "FORBIDDEN", key=ORG_ADMIN_KEY
    )
