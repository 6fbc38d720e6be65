"""Who may call and what: gateway keys, calling contexts, identity keys, admin-only reads."""

from __future__ import annotations

import pytest

from simulator.store.rapidapi import RapidApiStore
from tests.rapidapi import samples
from tests.rapidapi.conftest import (
    ACME,
    ACME_TEAM,
    ACME_TEAM_KEY,
    ADMIN_KEY,
    DEACTIVATED_KEY,
    DEV,
    GQL,
    LENA_KEY,
    ORG_ADMIN_KEY,
    PLATFORM,
    PLATFORM_HOST,
    TEAM_KEY,
    USER_KEY,
    Api,
)

ME = "{ organizations { id } }"
INVALID_KEY = {
    "message": "Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info."
}


# -- gateway -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "", "not-a-key"])
def test_missing_or_unknown_key_is_the_gateways_401(api: Api, key: str | None) -> None:
    response = api.post(ME, key=key)
    assert response.status_code == 401
    assert response.json() == INVALID_KEY


def test_the_key_of_a_deactivated_user_is_refused_with_403(api: Api) -> None:
    response = api.post(ME, key=DEACTIVATED_KEY)
    assert response.status_code == 403
    assert response.json() == {"message": "You are not subscribed to this API."}


def test_header_names_are_case_insensitive(api: Api) -> None:
    data = api.data(ME, key=None, headers={"X-RapidAPI-Key": ORG_ADMIN_KEY})
    assert data == {"organizations": [{"id": str(ACME)}]}


@pytest.mark.parametrize(
    "host",
    [PLATFORM_HOST, "graphql-platform.acme-hub.rapidapi.com", "GraphQL-Platform.p.RapidAPI.com"],
)
def test_root_path_serves_the_platform_api_when_the_host_header_names_it(
    api: Api, host: str
) -> None:
    data = api.data(ME, path="/", headers={"x-rapidapi-host": host}, key=ORG_ADMIN_KEY)
    assert data == {"organizations": [{"id": str(ACME)}]}


@pytest.mark.parametrize("headers", [{}, {"x-rapidapi-host": "weatherapi-com.p.rapidapi.com"}])
def test_root_path_is_left_alone_for_other_hosts(api: Api, headers: dict) -> None:
    response = api.post(ME, path="/", headers=headers)
    assert response.status_code == 404
    assert "data" not in response.text


def test_another_apis_host_on_the_platform_path_is_the_gateways_404(api: Api) -> None:
    response = api.post(ME, headers={"x-rapidapi-host": "weatherapi-com.p.rapidapi.com"})
    assert response.status_code == 404
    assert response.json() == {"message": "API doesn't exists"}


def test_get_opens_the_explorer_and_other_methods_are_refused(api: Api) -> None:
    explorer = api.client.get(GQL)  # a browser sends no key
    assert explorer.status_code == 200 and "/_usersim/explorer/graphiql.min.js" in explorer.text
    response = api.client.put(GQL, headers={"x-rapidapi-key": ADMIN_KEY})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"


# -- team context and identity key -------------------------------------------------------


def test_team_context_without_identity_key_is_unauthenticated(api: Api) -> None:
    body = api.error(ME, key=TEAM_KEY, code="UNAUTHENTICATED")
    assert body["data"] is None
    assert "x-rapidapi-identity-key" in body["errors"][0]["message"]


@pytest.mark.parametrize("identity", ["not-a-key", ACME_TEAM_KEY, DEACTIVATED_KEY])
def test_identity_key_must_be_the_personal_key_of_an_active_user(api: Api, identity: str) -> None:
    body = api.error(ME, key=TEAM_KEY, identity=identity, code="UNAUTHENTICATED")
    assert body["data"] is None


def test_identity_must_belong_to_a_member_of_the_team(api: Api) -> None:
    body = api.error(ME, key=TEAM_KEY, identity=LENA_KEY, code="FORBIDDEN")
    assert body["data"] is None
    assert body["errors"][0]["message"] == "User 7344547 is not a member of team 7669831."


@pytest.mark.parametrize(
    ("identity", "administers"),
    [(USER_KEY, []), (ADMIN_KEY, [{"id": str(PLATFORM)}])],
    ids=["explicit member", "organization admin"],
)
def test_the_identity_is_who_acts_in_a_team_context(
    api: Api, identity: str, administers: list
) -> None:
    assert api.data(ME, key=TEAM_KEY, identity=identity) == {"organizations": administers}


def test_an_identity_key_is_ignored_in_a_personal_context(api: Api) -> None:
    data = api.data(ME, key=ORG_ADMIN_KEY, identity=ADMIN_KEY)
    assert data == {"organizations": [{"id": str(ACME)}]}


# -- Environment-Admin-only operations ---------------------------------------------------


def test_user_by_id_is_for_environment_admins(api: Api) -> None:
    body = api.error(samples.ADMIN_USER, samples.ADMIN_USER_VARS, key=USER_KEY, code="FORBIDDEN")
    assert body["data"] == {"user": None}
    assert body["errors"][0]["path"] == ["user"]


def test_user_by_id_needs_the_personal_context_even_for_admins(api: Api) -> None:
    body = api.error(
        samples.ADMIN_USER,
        samples.ADMIN_USER_VARS,
        key=TEAM_KEY,
        identity=ADMIN_KEY,
        code="FORBIDDEN",
    )
    assert "personal context" in body["errors"][0]["message"]


def test_user_by_id_of_an_unknown_user_is_null(api: Api) -> None:
    assert api.data(samples.ADMIN_USER, {"id": "1"}) == {"user": None}


@pytest.mark.parametrize(
    "where",
    [{}, {"limit": 5}, {"email": "dev.patel@example.com", "term": "dev"}],
    ids=["everyone", "limit", "term"],
)
def test_admin_listing_is_for_environment_admins(api: Api, where: dict) -> None:
    api.error(samples.ADMIN_USERS, {"where": where}, key=USER_KEY, code="FORBIDDEN")
    api.error(
        samples.ADMIN_USERS, {"where": where}, key=TEAM_KEY, identity=ADMIN_KEY, code="FORBIDDEN"
    )
    assert api.data(samples.ADMIN_USERS, {"where": where})["users"]["totalCount"] >= 1


@pytest.mark.parametrize("key", [USER_KEY, LENA_KEY])
def test_anyone_may_look_users_up_by_email_from_a_personal_context(api: Api, key: str) -> None:
    data = api.data(samples.USERS_NODES, {"where": {"email": "mina.park@example.com"}}, key=key)
    assert [n["id"] for n in data["users"]["nodes"]] == ["5713300"]


def test_lookups_work_from_a_team_context_with_identity(api: Api) -> None:
    data = api.data(
        samples.USERS_NODES, {"where": {"userIds": [DEV]}}, key=TEAM_KEY, identity=USER_KEY
    )
    assert [n["id"] for n in data["users"]["nodes"]] == ["6049746"]


def test_update_user_on_others_is_for_environment_admins(api: Api, store: RapidApiStore) -> None:
    before = store.export()
    api.error(samples.UPDATE_USER, samples.UPDATE_USER_VARS, key=USER_KEY, code="FORBIDDEN")
    api.error(
        samples.UPDATE_USER,
        samples.UPDATE_USER_VARS,
        key=TEAM_KEY,
        identity=ADMIN_KEY,
        code="FORBIDDEN",
    )
    assert store.export() == before


def test_users_may_edit_their_own_profile_but_not_their_status(
    api: Api, store: RapidApiStore
) -> None:
    update = "mutation($input: UserUpdateInput!) { updateUser(input: $input) { status } }"
    data = api.data(update, {"input": {"bio": "Builds things", "id": str(DEV)}}, key=USER_KEY)
    assert data == {"updateUser": {"status": "ACTIVE"}}
    assert store.users.get(DEV).bio == "Builds things"
    api.error(update, {"input": {"status": "DELETED"}}, key=USER_KEY, code="FORBIDDEN")
    assert store.users.get(DEV).status == "ACTIVE"


# -- membership rules --------------------------------------------------------------------


def test_organization_users_need_a_team_context(api: Api) -> None:
    body = api.error(
        samples.TEAM_USERS, samples.TEAM_USERS_VARS, key=ORG_ADMIN_KEY, code="FORBIDDEN"
    )
    assert body["data"] == {"paginatedTeamUsersByOrganizationIdV2": None}


def test_organization_users_need_a_member_of_the_organization(api: Api) -> None:
    variables = {"orgId": PLATFORM}
    api.error(samples.TEAM_USERS, variables, key=ACME_TEAM_KEY, identity=LENA_KEY, code="FORBIDDEN")
    data = api.data(samples.TEAM_USERS, variables, key=TEAM_KEY, identity=USER_KEY)
    assert data["paginatedTeamUsersByOrganizationIdV2"]["total"] == 2


def test_environment_admins_see_every_organizations_users(api: Api) -> None:
    data = api.data(samples.TEAM_USERS, samples.TEAM_USERS_VARS, key=TEAM_KEY, identity=ADMIN_KEY)
    assert data["paginatedTeamUsersByOrganizationIdV2"]["total"] == 7


@pytest.mark.parametrize(
    ("key", "allowed"),
    [(USER_KEY, False), (LENA_KEY, True), (ORG_ADMIN_KEY, True), (ADMIN_KEY, True)],
    ids=["outsider", "member", "organization admin", "environment admin"],
)
def test_team_details_are_for_members(api: Api, key: str, allowed: bool) -> None:
    variables = {"id": str(ACME_TEAM)}
    if allowed:
        assert api.data(samples.TEAM, variables, key=key)["team"]["id"] == str(ACME_TEAM)
    else:
        assert api.error(samples.TEAM, variables, key=key, code="FORBIDDEN")["data"] == {
            "team": None
        }


def test_teams_and_organization_are_for_members(api: Api) -> None:
    api.error(samples.TEAMS, {"where": {"orgId": PLATFORM}}, key=LENA_KEY, code="FORBIDDEN")
    org = "query($id: ID!) { organization(id: $id) { id name } }"
    api.error(org, {"id": str(PLATFORM)}, key=LENA_KEY, code="FORBIDDEN")
    assert api.data(org, {"id": str(ACME)}, key=LENA_KEY) == {
        "organization": {"id": str(ACME), "name": "Acme Partners"}
    }


def test_organizations_of_another_user_are_for_environment_admins(api: Api) -> None:
    query = "query($w: OrganizationWhereInput) { organizations(where: $w) { id } }"
    variables = {"w": {"userId": "5713300"}}
    api.error(query, variables, key=USER_KEY, code="FORBIDDEN")
    assert api.data(query, variables) == {"organizations": [{"id": str(ACME)}]}


def test_app_keys_are_for_their_owner_team_members_and_admins(api: Api) -> None:
    query = """query($w: UserWhereInput!) { users(where: $w) { nodes {
        ProjectAcls { Project { applicationAuthorizations { key } } } } } }"""
    lena = {"w": {"email": "lena.fischer@example.com"}}
    body = api.error(query, lena, key=USER_KEY, code="FORBIDDEN")
    assert body["errors"][0]["path"][-1] == "applicationAuthorizations"
    for key in (LENA_KEY, ADMIN_KEY):
        nodes = api.data(query, lena, key=key)["users"]["nodes"]
        assert nodes[0]["ProjectAcls"][0]["Project"]["applicationAuthorizations"] == [
            {"key": LENA_KEY}
        ]


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (
            "mutation($i: TeamCreateInput!) { createTeam(input: $i) { id } }",
            {"i": {"organizationId": PLATFORM, "name": "Rogue"}},
        ),
        (
            samples.CREATE_USER_INVITES,
            {"input": {"email": "x@example.com", "teamIds": [], "organizationId": PLATFORM}},
        ),
        (samples.UPDATE_USER_ROLES, samples.UPDATE_USER_ROLES_VARS),
        (samples.UPSERT_ENTITY_ROLE, samples.UPSERT_ENTITY_ROLE_VARS),
        ('mutation { deleteTeam(id: "7669832") }', None),
        ("mutation { addUserToTeams(userId: 6049746, teamIds: [7669832]) }", None),
    ],
    ids=[
        "createTeam",
        "createUserInvites",
        "updateUserRoles",
        "upsertEntityRole",
        "deleteTeam",
        "addUserToTeams",
    ],
)
def test_organization_changes_are_for_its_admins(
    api: Api, store: RapidApiStore, query: str, variables: dict | None
) -> None:
    before = store.export()
    for key in (USER_KEY, ORG_ADMIN_KEY):  # a member, and the admin of another organization
        api.error(query, variables, key=key, code="FORBIDDEN")
    assert store.export() == before


def test_environment_roles_are_for_environment_admins(api: Api, store: RapidApiStore) -> None:
    variables = {"input": {"entityId": 7344547, "roleId": 575, "orgId": ACME}}
    api.error(samples.UPDATE_USER_ROLES, variables, key=ORG_ADMIN_KEY, code="FORBIDDEN")
    assert store.access.assignment(7344547, None).role_id == 576
    assert api.data(samples.UPDATE_USER_ROLES, variables) == {"updateUserRoles": True}
    assert store.access.assignment(7344547, None).role_id == 575
