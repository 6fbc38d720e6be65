"""Team membership, invites and roles: what each mutation changes, and that a failed
mutation changes nothing at all."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.store.rapidapi import RapidApiStore
from tests.rapidapi import samples
from tests.rapidapi.conftest import (
    ACME,
    ACME_DEFAULT_TEAM,
    ACME_TEAM,
    ADA,
    ADMIN_KEY,
    DATA_TEAM,
    DEV,
    DEVELOPER_ROLE,
    GQL_2023_08,
    LENA,
    MINA,
    ORG_ADMIN_KEY,
    ORG_ADMIN_ROLE,
    PLATFORM,
    PLATFORM_TEAM,
    TEAM_DEVELOPER_ROLE,
    TEAM_KEY,
    TEAM_VIEWER_ROLE,
    TOM,
    USER_KEY,
    Api,
    org_role,
)

CREATE_TEAM = """mutation($input: TeamCreateInput!) {
  createTeam(input: $input) { id name slugifiedName usersCount ProjectAcls { Project { name } } }
}"""
DELETE_TEAM = "mutation($id: ID!) { deleteTeam(id: $id) }"
ADD_TO_TEAMS = "mutation($u: Int!, $t: [Int]!) { addUserToTeams(userId: $u, teamIds: $t) }"
KEYS_OF_TEAM = """query($id: ID!) { team(id: $id) {
  ProjectAcls { Project { applicationAuthorizations { key } } } } }"""


def explicit_teams(store: RapidApiStore, user_id: int) -> set[int]:
    return {m.team_id for m in store.state.team_members.find_all("user", user_id)}


# -- all or nothing ----------------------------------------------------------------------

FAILING: list[tuple[str, str, dict[str, Any] | None]] = [
    (
        "update team user: valid add, invalid remove",
        samples.UPDATE_TEAM_USER,
        {
            "input": {
                "orgId": PLATFORM,
                "teamUserId": DEV,
                "teamToAdd": DATA_TEAM,
                "teamToRemove": ACME_TEAM,
            }
        },
    ),
    (
        "update team user: move teams, unknown role",
        samples.UPDATE_TEAM_USER,
        {
            "input": {
                "orgId": PLATFORM,
                "teamUserId": DEV,
                "teamToAdd": DATA_TEAM,
                "teamToRemove": PLATFORM_TEAM,
                "newRole": "OWNER",
            }
        },
    ),
    (
        "update team user: join a team, then demote the only admin (refused at commit)",
        samples.UPDATE_TEAM_USER,
        {
            "input": {
                "orgId": ACME,
                "teamUserId": MINA,
                "teamToAdd": ACME_DEFAULT_TEAM,
                "newRole": "DEVELOPER",
            }
        },
    ),
    (
        "add to teams: one good team, one of an organization the user is not in",
        ADD_TO_TEAMS,
        {"u": LENA, "t": [ACME_DEFAULT_TEAM, DATA_TEAM]},
    ),
    (
        "add to teams: a null team id",
        ADD_TO_TEAMS,
        {"u": DEV, "t": [DATA_TEAM, None]},
    ),
    (
        "invite: a team of another organization",
        samples.CREATE_USER_INVITES,
        {"input": {"email": "a@example.com", "teamIds": [ACME_TEAM], "organizationId": PLATFORM}},
    ),
    (
        "invite: a member",
        samples.CREATE_USER_INVITES,
        {"input": {"email": "dev.patel@example.com", "teamIds": [], "organizationId": PLATFORM}},
    ),
    (
        "invite: an id and another user's email",
        samples.CREATE_USER_INVITES,
        {
            "input": {
                "id": LENA,
                "email": "tom.rivers@example.com",
                "teamIds": [],
                "organizationId": PLATFORM,
            }
        },
    ),
    (
        "update user: an email that is not one",
        "mutation($i: UserUpdateInput!) { updateUser(input: $i) { status } }",
        {"i": {"id": str(TOM), "name": "Tom R.", "email": "not-an-email"}},
    ),
    (
        "upsert team role: not a member of the team",
        samples.UPSERT_ENTITY_ROLE,
        {"input": {"entityId": LENA, "roleId": TEAM_VIEWER_ROLE, "parentId": PLATFORM_TEAM}},
    ),
    (
        "upsert: a team role for an organization scope",
        samples.UPSERT_ENTITY_ROLE,
        {"input": {"entityId": DEV, "roleId": TEAM_VIEWER_ROLE, "orgId": PLATFORM}},
    ),
    (
        "upsert: an unknown assignment id",
        samples.UPSERT_ENTITY_ROLE,
        {"input": {"id": "1.2", "roleId": TEAM_VIEWER_ROLE}},
    ),
    (
        "update user roles: a team role",
        samples.UPDATE_USER_ROLES,
        {"input": {"entityId": DEV, "roleId": TEAM_VIEWER_ROLE, "orgId": PLATFORM}},
    ),
    (
        "update user roles: not a member",
        samples.UPDATE_USER_ROLES,
        {"input": {"entityId": LENA, "roleId": ORG_ADMIN_ROLE, "orgId": PLATFORM}},
    ),
    ("update user roles: no input", samples.UPDATE_USER_ROLES, None),
    (
        "create team: a name taken in the organization",
        CREATE_TEAM,
        {"input": {"organizationId": PLATFORM, "name": "data team"}},
    ),
    (
        "create team: an empty name",
        CREATE_TEAM,
        {"input": {"organizationId": PLATFORM, "name": "  "}},
    ),
    ("delete team: unknown", DELETE_TEAM, {"id": "123"}),
]


@pytest.mark.parametrize(("label", "query", "variables"), FAILING, ids=[f[0] for f in FAILING])
def test_a_failed_mutation_changes_nothing(
    api: Api, store: RapidApiStore, label: str, query: str, variables: dict | None
) -> None:
    before = store.export()
    body = api.error(query, variables, code="BAD_USER_INPUT")
    assert body["errors"][0]["path"]
    assert store.export() == before
    assert store.invariants() == []


def test_a_mutation_with_badly_typed_variables_is_refused_before_execution(
    api: Api, store: RapidApiStore
) -> None:
    before = store.export()
    variables = {"input": {"orgId": "seven", "teamUserId": DEV}}
    body = api.error(samples.UPDATE_TEAM_USER, variables, code="BAD_USER_INPUT", status=400)
    assert "data" not in body
    assert store.export() == before


# -- teams -------------------------------------------------------------------------------


def test_create_team_gives_it_a_default_app_and_a_working_team_key(
    api: Api, store: RapidApiStore
) -> None:
    data = api.data(CREATE_TEAM, {"input": {"organizationId": PLATFORM, "name": "Growth Team!"}})
    team = data["createTeam"]
    assert team["name"] == "Growth Team!" and team["slugifiedName"] == "growth-team"
    assert team["usersCount"] == 1  # Ada, the organization's admin
    assert team["ProjectAcls"] == [{"Project": {"name": f"default-application_{team['id']}"}}]
    key = api.data(KEYS_OF_TEAM, {"id": team["id"]})["team"]["ProjectAcls"][0]["Project"][
        "applicationAuthorizations"
    ][0]["key"]
    # The new key is a team context; Ada, admin of the organization, is a member.
    data = api.data(samples.TEAMS, {"where": {"orgId": PLATFORM}}, key=key, identity=ADMIN_KEY)
    assert [t["name"] for t in data["teams"]] == ["Platform Team", "Data Team", "Growth Team!"]
    api.error(
        samples.TEAMS, {"where": {"orgId": PLATFORM}}, key=key, identity=USER_KEY, code="FORBIDDEN"
    )


def test_new_ids_continue_the_sequence_and_repeat_after_a_reset(api: Api, sim: Any) -> None:
    first = api.data(CREATE_TEAM, {"input": {"organizationId": PLATFORM, "name": "One"}})
    second = api.data(CREATE_TEAM, {"input": {"organizationId": PLATFORM, "name": "Two"}})
    assert int(second["createTeam"]["id"]) == int(first["createTeam"]["id"]) + 1
    sim.reset()
    again = api.data(CREATE_TEAM, {"input": {"organizationId": PLATFORM, "name": "One"}})
    assert again == first


def test_delete_team_removes_members_roles_apps_and_invite_references(
    api: Api, store: RapidApiStore
) -> None:
    assert api.data(DELETE_TEAM, {"id": str(ACME_TEAM)}, key=ORG_ADMIN_KEY) == {"deleteTeam": True}
    assert store.teams.get(ACME_TEAM) is None
    assert store.state.team_members.find_all("team", ACME_TEAM) == []
    assert store.access.assignment(LENA, ACME_TEAM) is None
    assert (
        api.post("{ organizations { id } }", key="usersim-rapidapi-acme-team-key").status_code
        == 401
    )
    invite = store.state.org_users.get((ACME, 7700001))
    assert invite.team_ids == ()


def test_add_user_to_teams_is_idempotent(api: Api, store: RapidApiStore) -> None:
    for _ in range(2):
        assert api.data(ADD_TO_TEAMS, {"u": DEV, "t": [DATA_TEAM, PLATFORM_TEAM]}) == {
            "addUserToTeams": True
        }
    assert explicit_teams(store, DEV) == {PLATFORM_TEAM, DATA_TEAM}
    assert store.access.assignment(DEV, DATA_TEAM).role_id == TEAM_DEVELOPER_ROLE
    assert store.access.assignment(DEV, PLATFORM_TEAM).role_id == TEAM_DEVELOPER_ROLE


def test_only_organization_members_join_its_teams(api: Api) -> None:
    body = api.error(ADD_TO_TEAMS, {"u": LENA, "t": [DATA_TEAM]}, code="BAD_USER_INPUT")
    assert "not a member of organization 7669830" in body["errors"][0]["message"]


# -- updateTeamUser ----------------------------------------------------------------------


def test_update_team_user_adds_removes_and_re_roles_in_one_call(
    api: Api, store: RapidApiStore
) -> None:
    variables = {
        "input": {
            "orgId": ACME,
            "teamUserId": TOM,
            "teamToAdd": ACME_DEFAULT_TEAM,
            "teamToRemove": ACME_TEAM,
            "newRole": "ADMIN",
        }
    }
    api.data(samples.UPDATE_TEAM_USER, variables, key=ORG_ADMIN_KEY)
    assert explicit_teams(store, TOM) == {ACME_DEFAULT_TEAM}
    assert org_role(store, TOM, ACME) == ORG_ADMIN_ROLE
    rows = api.data(
        samples.TEAM_USERS,
        {"orgId": ACME, "pagingArgs": {"searchTerm": "trivers"}},
        key="usersim-rapidapi-acme-team-key",
        identity=ORG_ADMIN_KEY,
    )["paginatedTeamUsersByOrganizationIdV2"]["data"]
    assert rows[0]["role"] == "ADMIN"


def test_organization_admins_cannot_be_removed_from_a_team_they_belong_to_implicitly(
    api: Api,
) -> None:
    variables = {"input": {"orgId": ACME, "teamUserId": MINA, "teamToRemove": ACME_TEAM}}
    body = api.error(samples.UPDATE_TEAM_USER, variables, key=ORG_ADMIN_KEY, code="BAD_USER_INPUT")
    assert "organization admins belong to every team" in body["errors"][0]["message"]


def test_update_team_user_edits_a_pending_invite(api: Api, store: RapidApiStore) -> None:
    variables = {
        "input": {
            "orgId": ACME,
            "teamUserId": 7700001,
            "teamToRemove": ACME_TEAM,
            "teamToAdd": ACME_DEFAULT_TEAM,
            "newRole": "ADMIN",
        }
    }
    api.data(samples.UPDATE_TEAM_USER, variables, key=ORG_ADMIN_KEY)
    invite = store.state.org_users.get((ACME, 7700001))
    assert invite.team_ids == (ACME_DEFAULT_TEAM,) and invite.role_id == ORG_ADMIN_ROLE
    assert not invite.accepted


# -- invites -----------------------------------------------------------------------------


def test_inviting_again_updates_the_invite(api: Api, store: RapidApiStore) -> None:
    invite = {
        "input": {
            "email": "NewHire@acme.example.com",
            "teamIds": [ACME_DEFAULT_TEAM],
            "organizationId": ACME,
            "role": "ADMIN",
        }
    }
    api.data(samples.CREATE_USER_INVITES, invite, key=ORG_ADMIN_KEY)
    row = store.state.org_users.get((ACME, 7700001))
    assert row.team_ids == (ACME_DEFAULT_TEAM,) and row.role_id == ORG_ADMIN_ROLE
    assert row.inviter_id == MINA
    assert len(store.state.org_users.ordered("id", ACME)) == 7


def test_invite_roles_are_organization_role_keys(api: Api) -> None:
    invite = {
        "input": {
            "email": "x@example.com",
            "teamIds": [],
            "organizationId": PLATFORM,
            "role": "admin",
        }
    }
    body = api.error(samples.CREATE_USER_INVITES, invite, code="BAD_USER_INPUT")
    assert body["errors"][0]["message"] == "role: must be one of ADMIN, DEVELOPER"


def test_invites_show_in_the_organization_user_list_and_default_to_developer(api: Api) -> None:
    invite = {
        "input": {"email": "fresh@example.com", "teamIds": [DATA_TEAM], "organizationId": PLATFORM}
    }
    api.data(samples.CREATE_USER_INVITES, invite)
    query = """query($id: ID!) { team(id: $id) { users { id } } }"""
    assert [u["id"] for u in api.data(query, {"id": str(DATA_TEAM)})["team"]["users"]] == [ADA]
    page = api.data(samples.TEAM_USERS, {"orgId": PLATFORM}, key=TEAM_KEY, identity=USER_KEY)
    rows = page["paginatedTeamUsersByOrganizationIdV2"]
    assert rows["total"] == 3 and rows["totalActive"] == 2
    assert rows["data"][-1]["inviteStatus"] == "PENDING" and rows["data"][-1]["role"] == "DEVELOPER"


# -- roles -------------------------------------------------------------------------------


def test_role_changes_show_in_user_role_and_organization_views(
    api: Api, store: RapidApiStore
) -> None:
    api.data(
        samples.UPDATE_USER_ROLES, {"input": {"entityId": DEV, "roleId": 577, "orgId": PLATFORM}}
    )
    assert api.data("query { user(id: 6049746) { role { roleId role { key } } } }") == {
        "user": {"role": {"roleId": 577, "role": {"key": "READ_ONLY_USER"}}}
    }
    org = "query { organization(id: 7669830) { isOrganizationAdmin role { id roleId parentId orgId } } }"
    assert api.data(org, key=USER_KEY)["organization"] == {
        "isOrganizationAdmin": False,
        "role": {
            "id": "6049746.7669830",
            "roleId": DEVELOPER_ROLE,
            "parentId": PLATFORM,
            "orgId": PLATFORM,
        },
    }
    api.data(samples.UPDATE_USER_ROLES, samples.UPDATE_USER_ROLES_VARS)
    assert api.data(org, key=USER_KEY)["organization"]["isOrganizationAdmin"] is True


def test_upsert_entity_role_by_assignment_id(api: Api, store: RapidApiStore) -> None:
    variables = {"input": {"id": f"{DEV}.{PLATFORM_TEAM}", "roleId": TEAM_VIEWER_ROLE}}
    assert api.data(samples.UPSERT_ENTITY_ROLE, variables) == {"upsertEntityRole": True}
    assert store.access.assignment(DEV, PLATFORM_TEAM).role_id == TEAM_VIEWER_ROLE


def test_upsert_entity_role_of_an_organization_itself(api: Api, store: RapidApiStore) -> None:
    variables = {"input": {"entityId": PLATFORM, "roleId": 590}}
    assert api.data(samples.UPSERT_ENTITY_ROLE, variables) == {"upsertEntityRole": True}
    assert store.access.assignment(PLATFORM, None).role_id == 590
    api.error(samples.UPSERT_ENTITY_ROLE, variables, key=USER_KEY, code="FORBIDDEN")


def test_the_older_contract_serves_users_as_a_list_everywhere(api: Api) -> None:
    data = api.data(samples.USERS_LIST, {"where": {"userIds": [DEV]}}, path=GQL_2023_08)
    assert [u["id"] for u in data["users"]] == [str(DEV)]
