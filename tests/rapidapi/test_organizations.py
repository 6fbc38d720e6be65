"""Organizations and teams coming and going: create, update and delete them, and take
people out of them, leaving nothing orphaned."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.store.rapidapi import RapidApiStore
from tests.rapidapi.conftest import (
    ACME,
    ACME_TEAM,
    ACME_TEAM_KEY,
    ADA,
    ADMIN_KEY,
    DATA_TEAM,
    DEV,
    LENA,
    LENA_KEY,
    MINA,
    ORG_ADMIN_KEY,
    ORG_ADMIN_ROLE,
    PLATFORM,
    TEAM_KEY,
    TOM,
    USER_KEY,
    Api,
)

CREATE = """mutation($i: OrganizationCreateInput!) {
  createOrganization(input: $i) {
    id name email slugifiedName description thumbnail status numOfTeams numOfUsers
    occupiedSeats isOrganizationAdmin role { roleId } teams { id name role { roleId } }
  }
}"""
UPDATE = """mutation($i: OrganizationUpdateInput!) {
  updateOrganization(input: $i) { id name email slugifiedName description thumbnail }
}"""
DELETE = "mutation($id: ID!) { deleteOrganization(id: $id) }"
UPDATE_TEAM = """mutation($i: TeamUpdateInput!) {
  updateTeam(input: $i) { id name slugifiedName description thumbnail status deletedAt }
}"""
REMOVE = "mutation($o: Int!, $e: String!) { removeTeamUserFromAllOrgTeams(orgId: $o, email: $e) }"
NEW = {"name": "Data Science", "email": "ds@example.com", "seats": 4}
ARABIC_LENA = "\u0667\u0663\u0664\u0664\u0665\u0664\u0667"  # 7344547 in Arabic-Indic digits


def read_only_user(store: RapidApiStore, user_id: int) -> None:
    """Give a user the Read Only User environment role (no CREATE_ORGANIZATIONS)."""
    admin = store.users.get(ADA)
    assert admin is not None
    store.roles.update_user_role(admin, user_id, 577, 0)


def test_create_an_organization(api: Api, store: RapidApiStore) -> None:
    data = api.data(CREATE, {"i": {**NEW, "description": "Models", "thumbnail": "/static/ds.svg"}})
    org = data["createOrganization"]
    org_id = int(org["id"])
    assert org == {
        "id": str(org_id),
        "name": "Data Science",
        "email": "ds@example.com",
        "slugifiedName": "data-science",
        "description": "Models",
        "thumbnail": "/static/ds.svg",
        "status": "ACTIVE",
        "numOfTeams": 1,
        "numOfUsers": 1,
        "occupiedSeats": 1,
        "isOrganizationAdmin": True,
        "role": {"roleId": ORG_ADMIN_ROLE},
        "teams": [{"id": str(org_id + 1), "name": "Default Team", "role": None}],
    }
    assert store.access.org_admins(org_id) == [ADA]
    assert store.access.assignment(org_id, None).role_id == 590  # the default organization role
    assert store.access.assignment(org_id + 1, None).role_id == 600  # the default team role
    [app] = store.apps.of_owner(org_id + 1)
    [key] = store.apps.keys(app.id)
    assert int(key.id) > 8821  # past the fixture's key ids
    # The default team's key is a team context of the new organization.
    teams = api.data(
        '{ teams(where: {slugifiedName: "data-science"}) { id } }', key=key.key, identity=ADMIN_KEY
    )
    assert teams == {"teams": [{"id": str(org_id + 1)}]}


def test_organization_names_are_unique_and_slugs_follow_them(api: Api) -> None:
    api.data(CREATE, {"i": NEW})
    body = api.error(CREATE, {"i": {**NEW, "name": " DATA science "}}, code="BAD_USER_INPUT")
    assert body["errors"][0]["message"] == "name: an organization named DATA science already exists"
    second = api.data(CREATE, {"i": {**NEW, "name": "Data-Science!"}})["createOrganization"]
    assert second["slugifiedName"] == "data-science-2"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "  "}, "name: must not be empty"),
        ({"email": "billing"}, "email: billing is not an email address"),
        ({"seats": 0}, "seats: must be at least 1"),
        ({"apis": ["1"]}, "apis: usersim simulates no APIs to move: leave apis empty"),
        ({"users": [{"email": "ada.admin@example.com", "role": "ADMIN"}]}, "users[0]: the creator"),
        ({"users": [{"email": "x@example.com", "role": "OWNER"}]}, "role: must be one of"),
        ({"users": [{"id": ARABIC_LENA}]}, f"users[0].id: user {ARABIC_LENA} does not exist"),
        ({"users": [None]}, "users: must not contain null"),
    ],
)
def test_create_organization_refusals_change_nothing(
    api: Api, store: RapidApiStore, change: dict[str, Any], message: str
) -> None:
    before = store.export()
    body = api.error(CREATE, {"i": {**NEW, **change}}, code="BAD_USER_INPUT")
    assert body["errors"][0]["message"].startswith(message), body
    assert store.export() == before


def test_creating_organizations_takes_the_environment_permission(
    api: Api, store: RapidApiStore
) -> None:
    """Default Users may (CREATE_ORGANIZATIONS), Read Only Users may not."""
    assert api.data(CREATE, {"i": NEW}, key=LENA_KEY)["createOrganization"]["isOrganizationAdmin"]
    read_only_user(store, DEV)
    before = store.export()
    body = api.error(CREATE, {"i": {**NEW, "name": "Other"}}, key=USER_KEY, code="FORBIDDEN")
    assert "does not allow creating organizations" in body["errors"][0]["message"]
    assert store.export() == before


def test_invitees_of_a_new_organization_are_invited_to_its_default_team(
    api: Api, store: RapidApiStore
) -> None:
    users = [{"email": "fresh@example.com", "role": "ADMIN"}, {"id": str(LENA)}]
    org = api.data(CREATE, {"i": {**NEW, "users": users}}, key=USER_KEY)["createOrganization"]
    org_id, team_id = int(org["id"]), int(org["teams"][0]["id"])
    rows = [r for r in store.state.org_users.ordered("id", org_id) if not r.accepted]
    assert [(r.email, r.user_id, r.team_ids, r.inviter_id) for r in rows] == [
        (None, LENA, (team_id,), DEV),
        ("fresh@example.com", None, (team_id,), DEV),
    ]
    assert org["occupiedSeats"] == 3


def test_update_an_organization(api: Api, store: RapidApiStore) -> None:
    change = {"organizationId": ACME, "name": "Acme Partners Ltd", "thumbnail": None, "seats": 9}
    org = api.data(UPDATE, {"i": change}, key=ORG_ADMIN_KEY)["updateOrganization"]
    assert org == {
        "id": str(ACME),
        "name": "Acme Partners Ltd",
        "email": "partners@acme.example.com",
        "slugifiedName": "acme-partners",  # kept: links keep working
        "description": "Acme's partner integrations",
        "thumbnail": None,
    }
    updated = store.organizations.get(ACME)
    assert updated is not None and updated.seats == 9
    unchanged = api.data(UPDATE, {"i": {"organizationId": ACME}}, key=ORG_ADMIN_KEY)
    assert unchanged["updateOrganization"] == org


@pytest.mark.parametrize(
    ("change", "key", "code"),
    [
        ({"organizationId": ACME, "name": "Usersim Platform"}, ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        ({"organizationId": ACME, "email": None}, ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        ({"organizationId": ACME, "seats": None}, ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        ({"organizationId": 1, "name": "X"}, ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        ({"organizationId": ACME, "name": "X"}, LENA_KEY, "FORBIDDEN"),
        ({"organizationId": PLATFORM, "name": "X"}, ORG_ADMIN_KEY, "FORBIDDEN"),
    ],
)
def test_update_organization_refusals_change_nothing(
    api: Api, store: RapidApiStore, change: dict[str, Any], key: str, code: str
) -> None:
    before = store.export()
    api.error(UPDATE, {"i": change}, key=key, code=code)
    assert store.export() == before


def test_delete_an_organization_with_everything_that_hangs_on_it(
    api: Api, store: RapidApiStore
) -> None:
    state = store.state
    teams = [t.id for t in store.teams.of_org(ACME)]
    apps = [p.id for team_id in teams for p in store.apps.of_owner(team_id)]
    assert api.data(DELETE, {"id": str(ACME)}, key=ORG_ADMIN_KEY) == {"deleteOrganization": True}
    assert store.organizations.get(ACME) is None
    assert state.org_users.ordered("id", ACME) == []
    assert all(state.teams.get(t) is None for t in teams)
    assert all(state.projects.get(p) is None for p in apps)
    assert not [k for k in state.app_keys.values() if k.project_id in apps]
    assert not [a for a in state.entity_roles.values() if a.org_id == ACME]
    assert store.invites.mails(ACME) == []
    assert store.invariants() == []
    # Its members stay users of the hub; its team key is gone.
    assert api.data("{ activeUser { id organizations { id } } }", key=LENA_KEY) == {
        "activeUser": {"id": str(LENA), "organizations": []}
    }
    assert api.post("{ ping }", key=ACME_TEAM_KEY).status_code == 401
    assert store.access.single_admin_orgs(MINA) == []


@pytest.mark.parametrize(
    ("org", "key", "code"),
    [
        (str(ACME), LENA_KEY, "FORBIDDEN"),
        (str(PLATFORM), ORG_ADMIN_KEY, "FORBIDDEN"),
        ("1", ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        ("acme", ORG_ADMIN_KEY, "BAD_USER_INPUT"),
    ],
)
def test_delete_organization_refusals_change_nothing(
    api: Api, store: RapidApiStore, org: str, key: str, code: str
) -> None:
    before = store.export()
    body = api.error(DELETE, {"id": org}, key=key, code=code)
    assert body["data"] is None  # deleteOrganization is Boolean!: the error nulls `data`
    assert store.export() == before


def test_environment_admins_may_delete_any_organization(api: Api, store: RapidApiStore) -> None:
    assert api.data(DELETE, {"id": str(ACME)}) == {"deleteOrganization": True}
    assert store.invariants() == []


# -- teams -------------------------------------------------------------------------------


def test_update_a_team(api: Api, store: RapidApiStore) -> None:
    change = {"id": ACME_TEAM, "name": "Integrations", "description": None}
    team = api.data(UPDATE_TEAM, {"i": change}, key=ORG_ADMIN_KEY)["updateTeam"]
    assert team == {
        "id": str(ACME_TEAM),
        "name": "Integrations",
        "slugifiedName": "acme-integrations",
        "description": None,
        "thumbnail": None,
        "status": "ACTIVE",
        "deletedAt": None,
    }
    assert api.data(UPDATE_TEAM, {"i": {"id": ACME_TEAM}}, key=ORG_ADMIN_KEY)["updateTeam"] == team


@pytest.mark.parametrize(
    ("change", "key", "code"),
    [
        ({"id": ACME_TEAM, "name": "acme default"}, ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        ({"id": ACME_TEAM, "name": None}, ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        ({"id": 1, "name": "X"}, ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        ({"id": ACME_TEAM, "name": "X"}, LENA_KEY, "FORBIDDEN"),
        ({"id": DATA_TEAM, "name": "X"}, ORG_ADMIN_KEY, "FORBIDDEN"),
    ],
)
def test_update_team_refusals_change_nothing(
    api: Api, store: RapidApiStore, change: dict[str, Any], key: str, code: str
) -> None:
    before = store.export()
    api.error(UPDATE_TEAM, {"i": change}, key=key, code=code)
    assert store.export() == before


# -- removeTeamUserFromAllOrgTeams ------------------------------------------------------


def test_removing_a_user_from_an_organization_takes_them_out_of_every_team(
    api: Api, store: RapidApiStore
) -> None:
    api.data("mutation { addUserToTeams(userId: 6049746, teamIds: [5755579]) }", key=ORG_ADMIN_KEY)
    assert api.data(REMOVE, {"o": ACME, "e": "DEV.PATEL@example.com"}, key=ORG_ADMIN_KEY) == {
        "removeTeamUserFromAllOrgTeams": True
    }
    assert store.access.membership(ACME, DEV) is None
    assert [m.team_id for m in store.state.team_members.find_all("user", DEV)] == [7669831]
    assert {a.parent_id for a in store.state.entity_roles.find_all("entity", DEV)} == {
        None,
        PLATFORM,
        7669831,
    }
    assert store.invariants() == []


def test_a_member_may_leave_an_organization(api: Api, store: RapidApiStore) -> None:
    assert api.data(REMOVE, {"o": ACME, "e": "lena.fischer@example.com"}, key=LENA_KEY) == {
        "removeTeamUserFromAllOrgTeams": True
    }
    assert store.access.membership(ACME, LENA) is None
    assert store.access.assignment(LENA, ACME_TEAM) is None


def test_removing_a_pending_invitee_withdraws_the_invite(api: Api, store: RapidApiStore) -> None:
    api.data(REMOVE, {"o": ACME, "e": "contractor@example.com"}, key=ORG_ADMIN_KEY)
    assert store.state.org_users.get((ACME, 7700002)) is None
    assert [m.email for m in store.invites.mails(ACME)] == ["newhire@acme.example.com"]


@pytest.mark.parametrize(
    ("org", "email", "key", "code"),
    [
        (ACME, "tom.rivers@example.com", LENA_KEY, "FORBIDDEN"),
        (ACME, "nobody@example.com", LENA_KEY, "FORBIDDEN"),
        (ACME, "nobody@example.com", ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        (ACME, "ada.admin@example.com", ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        (1, "tom.rivers@example.com", ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        (ACME, "mina.park@example.com", ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        (PLATFORM, "dev.patel@example.com", ORG_ADMIN_KEY, "FORBIDDEN"),
    ],
    ids=[
        "a member removing another",
        "a member naming a stranger",
        "a stranger",
        "a user of another organization",
        "an unknown organization",
        "the last admin",
        "another organization's admin",
    ],
)
def test_remove_refusals_change_nothing(
    api: Api, store: RapidApiStore, org: int, email: str, key: str, code: str
) -> None:
    before = store.export()
    api.error(REMOVE, {"o": org, "e": email}, key=key, code=code)
    assert store.export() == before


def test_the_identity_of_a_team_context_acts(api: Api, store: RapidApiStore) -> None:
    """From team 7669831's context, Ada (an Environment Admin) removes Tom from 5755578."""
    variables = {"o": ACME, "e": "tom.rivers@example.com"}
    api.data(REMOVE, variables, key=TEAM_KEY, identity=ADMIN_KEY)
    assert store.access.membership(ACME, TOM) is None


# -- ids after a restore -----------------------------------------------------------------

KEYS = "query($id: ID!) { team(id: $id) { ProjectAcls { Project { id applicationAuthorizations { id key } } } } }"


def team_key(api: Api, team_id: str) -> tuple[int, str, str]:
    [acl] = api.data(KEYS, {"id": team_id})["team"]["ProjectAcls"]
    [key] = acl["Project"]["applicationAuthorizations"]
    return acl["Project"]["id"], key["id"], key["key"]


def test_creates_after_a_reset_and_a_restored_state_take_new_ids(
    api: Api, store: RapidApiStore
) -> None:
    """The id sequences and the seeded key generator rewind on reset; a restored state
    still holds what they gave out before, so new records must go past it."""
    create_team = "mutation($i: TeamCreateInput!) { createTeam(input: $i) { id } }"
    first = api.data(create_team, {"i": {"organizationId": PLATFORM, "name": "One"}})["createTeam"]
    created = api.data(CREATE, {"i": NEW})["createOrganization"]
    snapshot = api.client.get("/_usersim/state").json()
    assert api.client.post("/_usersim/reset").status_code == 200
    assert api.client.put("/_usersim/state", json=snapshot).status_code == 200
    second = api.data(create_team, {"i": {"organizationId": PLATFORM, "name": "Two"}})["createTeam"]
    other = api.data(CREATE, {"i": {**NEW, "name": "Other"}})["createOrganization"]
    ids = [int(first["id"]), int(created["id"]), int(created["teams"][0]["id"])]
    assert int(second["id"]) > max(ids) and int(other["id"]) > int(second["id"])
    keys = [
        team_key(api, team_id) for team_id in (first["id"], second["id"], other["teams"][0]["id"])
    ]
    assert len({app for app, _, _ in keys}) == len({key_id for _, key_id, _ in keys}) == 3
    assert len({secret for _, _, secret in keys}) == 3
    assert all(key_id.isascii() and key_id.isdigit() for _, key_id, _ in keys)
    assert store.invariants() == []
