"""Every request sample of seed 004, verbatim, through real HTTP: data and state.

Queries and concrete variables come from `samples.py` unchanged. Placeholders
(USER_EMAIL, 'USER_NAME', YOUR_ORG_ID and the type names of the last two samples) are
filled with values of the default fixture.
"""

from __future__ import annotations

import pytest

from simulator.store.rapidapi import RapidApiStore
from simulator.store.rapidapi.models import DEACTIVATED
from tests.rapidapi import samples
from tests.rapidapi.conftest import (
    ACME,
    ACME_TEAM,
    ACME_TEAM_KEY,
    ADA,
    DATA_TEAM,
    DEV,
    GQL_2023_08,
    LENA,
    MINA,
    ORG_ADMIN_KEY,
    ORG_ADMIN_ROLE,
    PLATFORM,
    PLATFORM_HOST,
    PLATFORM_TEAM,
    TEAM_DEVELOPER_ROLE,
    TEAM_VIEWER_ROLE,
    TOM,
    Api,
    org_role,
)

MINA_NODE = {
    "id": "5713300",
    "username": "mpark",
    "name": "Mina Park",
    "email": "mina.park@example.com",
    "createdAt": "2020-06-02T10:30:00.000Z",
    "status": "ACTIVE",
    # The only admin of 5755578 belongs to each of its teams.
    "Teams": [
        {"id": "5755579", "name": "Acme Default"},
        {"id": "6631475", "name": "Acme Integrations"},
    ],
}
DEV_NODE = {
    "id": "6049746",
    "username": "dpatel",
    "name": "Dev Patel",
    "email": "dev.patel@example.com",
    "createdAt": "2021-02-10T12:00:00.000Z",
    "status": "ACTIVE",
    "Teams": [{"id": "7669831", "name": "Platform Team"}],
}


def test_users_by_ids(api: Api, store: RapidApiStore) -> None:
    before = store.export()
    data = api.data(samples.USERS_NODES, samples.USERS_BY_IDS)
    assert data == {"users": {"nodes": [MINA_NODE, DEV_NODE]}}
    assert store.export() == before


@pytest.mark.parametrize(
    "where",
    [{"email": "dev.patel@example.com"}, {"username": "dpatel"}],
    ids=["USER_EMAIL", "USER_NAME"],
)
def test_users_by_email_and_by_username(api: Api, where: dict) -> None:
    assert api.data(samples.USERS_NODES, {"where": where}) == {"users": {"nodes": [DEV_NODE]}}


def test_node_sample_with_only_the_base_url_changed(api: Api) -> None:
    """The axios sample posts to the API's root with X-RapidAPI-Host and X-RapidAPI-Key."""
    variables = {"where": {"email": "dev.patel@example.com"}}
    data = api.data(
        samples.USERS_NODES,
        variables,
        path="/",
        headers={"X-RapidAPI-Host": PLATFORM_HOST},
    )
    assert data == {"users": {"nodes": [DEV_NODE]}}


def test_users_with_apps_in_the_2023_08_shape(api: Api) -> None:
    data = api.data(samples.USERS_LIST, samples.USERS_LIST_BY_IDS, path=GQL_2023_08)
    mina, dev = data["users"]
    assert mina["id"] == "5713300" and dev["id"] == "6049746"
    assert mina["ProjectAcls"] == [
        {"Project": {"name": "default-application_5713300", "id": 9100002, "description": None}}
    ]
    assert dev["ProjectAcls"] == [
        {
            "Project": {
                "name": "default-application_6049746",
                "id": 9100003,
                "description": "Dev's personal app",
            }
        }
    ]
    acme = {t["id"]: t for t in mina["Teams"]}["6631475"]
    assert acme["ProjectAcls"] == [
        {
            "Project": {
                "name": "Acme Integrations App",
                "id": 9100201,
                "description": "Calls partner APIs",
            }
        }
    ]
    assert dev["Teams"][0]["ProjectAcls"][0]["Project"]["name"] == "default-application_7669831"


def test_users_with_apps_by_email_in_the_2023_08_shape(api: Api) -> None:
    data = api.data(
        samples.USERS_LIST, {"where": {"email": "lena.fischer@example.com"}}, path=GQL_2023_08
    )
    assert [u["username"] for u in data["users"]] == ["lfischer"]
    assert data["users"][0]["ProjectAcls"][0]["Project"]["name"] == "Weather Dashboard"


def test_admin_user_details(api: Api) -> None:
    data = api.data(samples.ADMIN_USER, samples.ADMIN_USER_VARS)
    assert data == {
        "user": {
            "id": "7344547",
            "name": "Lena Fischer",
            "thumbnail": "https://rapidapi.example.com/avatars/7344547.png",
            "mashapeId": "5f3a9c2e7b1d4a0012345678",
            "createdAt": "2022-09-05T14:20:00.000Z",
            "updatedAt": "2023-11-20T10:00:00.000Z",
            "email": "lena.fischer@example.com",
            "status": "ACTIVE",
            "username": "lfischer",
            "verified": True,
            "apisCount": 3,
            "singleAdminOrgs": [],
            "organizations": [
                {
                    "id": "5755578",
                    "name": "Acme Partners",
                    "description": "Acme's partner integrations",
                }
            ],
            "role": {"roleId": 576},
            "protected": False,
            "Teams": [
                {
                    "id": "6631475",
                    "name": "Acme Integrations",
                    "createdAt": "2021-09-14T13:00:00.000Z",
                    "thumbnail": None,
                }
            ],
            "ProjectAcls": [
                {
                    "id": 9300007,
                    "createdAt": "2022-09-05T14:20:00.000Z",
                    "Project": {
                        "id": 9100007,
                        "name": "Weather Dashboard",
                        "applicationAuthorizations": [
                            {"id": "8807", "key": "usersim-rapidapi-lena-key"}
                        ],
                    },
                }
            ],
        }
    }


def test_admin_users_listing(api: Api) -> None:
    data = api.data(samples.ADMIN_USERS, samples.ADMIN_USERS_VARS)
    users = data["users"]
    assert users["totalCount"] == 8
    assert [u["username"] for u in users["nodes"]] == [
        "ada-admin",
        "mpark",
        "dpatel",
        "trivers",
        "ohaddad",
        "gmills",
        "plee",
        "lfischer",
    ]
    assert [u["status"] for u in users["nodes"]][4:7] == ["DEACTIVATED", "DELETED", "PENDING"]
    assert users["nodes"][0] == {
        "name": "Ada Admin",
        "username": "ada-admin",
        "id": "5500001",
        "thumbnail": None,
        "email": "ada.admin@example.com",
        "createdAt": "2020-01-15T09:00:00.000Z",
        "lastActive": "2024-05-02T08:15:00.000Z",
        "apisCount": 0,
        "status": "ACTIVE",
    }


def test_update_user_deactivates(api: Api, store: RapidApiStore) -> None:
    data = api.data(samples.UPDATE_USER, samples.UPDATE_USER_VARS)
    assert data == {"updateUser": {"status": "DEACTIVATED"}}
    tom = store.users.get(TOM)
    assert tom is not None and tom.status == DEACTIVATED
    # Deactivated, not gone: still a member (with the same teams) until reactivated.
    assert store.access.membership(ACME, TOM) is not None
    assert (ACME_TEAM, TOM) in store.state.team_members
    listing = api.data(
        samples.ADMIN_USERS, {"where": {"filters": {"status": "DEACTIVATED"}, "limit": 50}}
    )
    assert {u["id"] for u in listing["users"]["nodes"]} == {"7344540", "7344541"}


def test_organization_users(api: Api) -> None:
    """Team context (team 6631475) with the identity of the organization's admin."""
    data = api.data(
        samples.TEAM_USERS, samples.TEAM_USERS_VARS, key=ACME_TEAM_KEY, identity=ORG_ADMIN_KEY
    )
    page = data["paginatedTeamUsersByOrganizationIdV2"]
    assert page["total"] == 7
    assert page["totalActive"] == 4  # Omar is deactivated; invites are not members yet
    assert [row["id"] for row in page["data"]] == [
        7700002,
        7700001,
        7344547,
        7344541,
        7344540,
        6049746,
        5713300,
    ]
    assert page["data"][0] == {
        "id": 7700002,
        "name": None,
        "username": None,
        "email": "contractor@example.com",
        "role": "DEVELOPER",
        "inviteStatus": "PENDING",
    }
    assert page["data"][-1] == {
        "id": 5713300,
        "name": "Mina Park",
        "username": "mpark",
        "email": "mina.park@example.com",
        "role": "ADMIN",
        "inviteStatus": "ACCEPTED",
    }


def test_team_details(api: Api) -> None:
    assert api.data(samples.TEAM, samples.TEAM_VARS) == {
        "team": {
            "id": "6631475",
            "slugifiedName": "acme-integrations",
            "name": "Acme Integrations",
            "createdAt": "2021-09-14T13:00:00.000Z",
            "ProjectAcls": [{"Project": {"id": 9100201, "name": "Acme Integrations App"}}],
        }
    }


def test_environment_roles(api: Api) -> None:
    roles = api.data(samples.ROLES, samples.ROLES_VARS)["roles"]
    nodes = [edge["node"] for edge in roles["edges"]]
    assert [(n["id"], n["name"]) for n in nodes] == [
        ("575", "Admin"),
        ("576", "Default User"),
        ("577", "Read Only User"),
    ]
    assert nodes[2]["permissions"] == [
        {"id": "1", "rolePermission": {"granted": False, "readOnly": False}},
        {"id": "2", "rolePermission": {"granted": True, "readOnly": True}},
        {"id": "3", "rolePermission": {"granted": False, "readOnly": False}},
    ]
    cursors = [edge["cursor"] for edge in roles["edges"]]
    assert len(set(cursors)) == 3
    assert roles["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": False,
        "startCursor": cursors[0],
        "endCursor": cursors[-1],
    }


def test_update_user_organization_role(api: Api, store: RapidApiStore) -> None:
    before = api.data(samples.ADMIN_USER, {"id": str(ADA)})["user"]["singleAdminOrgs"]
    assert before == ["7669830"]
    data = api.data(samples.UPDATE_USER_ROLES, samples.UPDATE_USER_ROLES_VARS)
    assert data == {"updateUserRoles": True}
    assert org_role(store, DEV, PLATFORM) == ORG_ADMIN_ROLE
    # Now an Organization Admin: in every team of 7669830, and Ada no longer the only admin.
    dev = api.data(samples.USERS_NODES, {"where": {"userIds": [DEV]}})["users"]["nodes"][0]
    assert [t["id"] for t in dev["Teams"]] == [str(PLATFORM_TEAM), str(DATA_TEAM)]
    assert api.data(samples.ADMIN_USER, {"id": str(ADA)})["user"]["singleAdminOrgs"] == []


def test_update_user_team_role(api: Api, store: RapidApiStore) -> None:
    assert store.access.assignment(DEV, PLATFORM_TEAM).role_id == TEAM_DEVELOPER_ROLE
    data = api.data(samples.UPSERT_ENTITY_ROLE, samples.UPSERT_ENTITY_ROLE_VARS)
    assert data == {"upsertEntityRole": True}
    assignment = store.access.assignment(DEV, PLATFORM_TEAM)
    assert assignment.role_id == TEAM_VIEWER_ROLE and assignment.org_id == PLATFORM


def test_teams_of_an_organization(api: Api) -> None:
    data = api.data(samples.TEAMS, {"where": {"orgId": PLATFORM}})
    assert data == {
        "teams": [
            {"name": "Platform Team", "id": "7669831", "slugifiedName": "platform-team"},
            {"name": "Data Team", "id": "7669832", "slugifiedName": "data-team"},
        ]
    }


def test_invite_a_user(api: Api, store: RapidApiStore) -> None:
    variables = {
        "input": {
            "email": "new.engineer@example.com",
            "teamIds": [PLATFORM_TEAM],
            "organizationId": PLATFORM,
            "role": "DEVELOPER",
            "inviterId": ADA,
        }
    }
    assert api.data(samples.CREATE_USER_INVITES, variables) == {"createUserInvites": True}
    invite = store.state.org_users.find("email", (PLATFORM, "new.engineer@example.com"))
    assert invite is not None and not invite.accepted
    assert invite.team_ids == (PLATFORM_TEAM,) and invite.inviter_id == ADA
    rows = api.data(
        samples.TEAM_USERS,
        {"orgId": PLATFORM, "pagingArgs": {"searchTerm": "new.engineer"}},
        key="usersim-rapidapi-team-key",
        identity="usersim-rapidapi-key",
    )["paginatedTeamUsersByOrganizationIdV2"]["data"]
    assert rows == [
        {
            "id": invite.id,
            "name": None,
            "username": None,
            "email": "new.engineer@example.com",
            "role": "DEVELOPER",
            "inviteStatus": "PENDING",
        }
    ]


def test_invite_an_existing_user_by_id(api: Api, store: RapidApiStore) -> None:
    variables = {
        "input": {
            "teamIds": [],
            "organizationId": PLATFORM,
            "role": "ADMIN",
            "id": LENA,
            "inviterId": ADA,
        }
    }
    assert api.data(samples.CREATE_USER_INVITES, variables) == {"createUserInvites": True}
    invite = store.state.org_users.get((PLATFORM, LENA))
    assert invite is not None and invite.invite_status == "PENDING" and invite.user_id == LENA
    assert store.access.membership(PLATFORM, LENA) is None  # not a member until accepted


def test_manage_team_users(api: Api, store: RapidApiStore) -> None:
    variables = {
        "input": {
            "orgId": PLATFORM,
            "teamUserId": DEV,
            "teamToRemove": PLATFORM_TEAM,
            "teamToAdd": DATA_TEAM,
            "newRole": "DEVELOPER",
        }
    }
    assert api.data(samples.UPDATE_TEAM_USER, variables) == {"updateTeamUser": True}
    teams = api.data(samples.USERS_NODES, {"where": {"userIds": [DEV]}})["users"]["nodes"][0][
        "Teams"
    ]
    assert teams == [{"id": "7669832", "name": "Data Team"}]
    assert store.access.assignment(DEV, PLATFORM_TEAM) is None
    assert store.access.assignment(DEV, DATA_TEAM).role_id == TEAM_DEVELOPER_ROLE


def test_manage_team_users_changes_the_organization_role(api: Api, store: RapidApiStore) -> None:
    variables = {"input": {"orgId": ACME, "teamUserId": LENA, "newRole": "ADMIN"}}
    assert api.data(samples.UPDATE_TEAM_USER, variables, key=ORG_ADMIN_KEY) == {
        "updateTeamUser": True
    }
    assert org_role(store, LENA, ACME) == ORG_ADMIN_ROLE
    assert store.access.single_admin_orgs(MINA) == []
