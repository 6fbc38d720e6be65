"""Organization and team reads beyond the samples, and role audits: who may read them,
their scopes (`WhereOrgTeam`), their paging and their refusals."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.store.rapidapi import RapidApiStore
from tests.rapidapi.conftest import (
    ACME,
    ACME_DEFAULT_TEAM,
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
    PLATFORM,
    PLATFORM_TEAM,
    TEAM_KEY,
    TEAM_VIEWER_ROLE,
    TOM,
    USER_KEY,
    Api,
)

V1 = """query($o: Int!, $p: PagingArgs) {
  paginatedTeamUsersByOrganizationId(orgId: $o, pagingArgs: $p) { data { id } total totalActive }
}"""
V2 = V1.replace("paginatedTeamUsersByOrganizationId(", "paginatedTeamUsersByOrganizationIdV2(")
TEAM_USER = """query($w: TeamUserWhereInput!) {
  teamUser(where: $w) { id email inviteStatus role token teamsCount }
}"""
FIND = "query($o: Int, $t: String) { findUsersInOrganization(orgId: $o, term: $t) { id email } }"
BY_ORG = "query($o: Int) { teamsByOrganizationId(orgId: $o) { id name status deletedAt } }"
AUDIT = """query($w: EntityRoleWhereInput!, $s: EntityRoleOrderByInput, $p: PaginationInput) {
  entitiesRoles(where: $w, orderBy: $s, pagination: $p) {
    nodes { id }
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""
GET = """query($e: [Int], $o: Int, $p: [Int]) {
  getEntitiesRoles(entityIds: $e, orgId: $o, parentIds: $p) { id entityId roleId parentId orgId }
}"""
CREATE_ROLES = "mutation($i: EntityRoleCreateInput) { createEntitiesRoles(input: $i) }"


def ids(rows: list[dict[str, Any]]) -> list[Any]:
    return [row["id"] for row in rows]


# -- organization users ------------------------------------------------------------------


def test_the_first_organization_user_list_is_the_second(api: Api) -> None:
    variables = {"o": ACME, "p": {"orderBy": "email", "limit": 3, "offset": 1}}
    old = api.data(V1, variables, key=ACME_TEAM_KEY, identity=ORG_ADMIN_KEY)
    new = api.data(V2, variables, key=ACME_TEAM_KEY, identity=ORG_ADMIN_KEY)
    assert old["paginatedTeamUsersByOrganizationId"] == new["paginatedTeamUsersByOrganizationIdV2"]
    body = api.error(V1, {"o": ACME}, key=ORG_ADMIN_KEY, code="FORBIDDEN")
    assert body["errors"][0]["message"].startswith(
        "paginatedTeamUsersByOrganizationId must be called from a team context"
    )


def test_team_user_finds_a_member_or_an_invite_by_email(api: Api) -> None:
    where = {"email": "LENA.fischer@example.com", "orgId": ACME}
    assert api.data(TEAM_USER, {"w": where}, key=LENA_KEY) == {
        "teamUser": {
            "id": LENA,
            "email": "lena.fischer@example.com",
            "inviteStatus": "ACCEPTED",
            "role": "DEVELOPER",
            "token": None,
            "teamsCount": 1,
        }
    }
    invite = api.data(TEAM_USER, {"w": {"email": "newhire@acme.example.com", "orgId": ACME}})
    assert invite["teamUser"]["inviteStatus"] == "PENDING"
    assert invite["teamUser"]["token"] is None  # tokens travel only in the email
    stranger = {"email": "ada.admin@example.com", "orgId": ACME}
    assert api.data(TEAM_USER, {"w": stranger}, key=ORG_ADMIN_KEY) == {"teamUser": None}
    api.error(
        TEAM_USER,
        {"w": {"email": "dev.patel@example.com", "orgId": PLATFORM}},
        key=LENA_KEY,
        code="FORBIDDEN",
    )


def test_find_users_in_an_organization(api: Api) -> None:
    everyone = api.data(FIND, {"o": ACME}, key=LENA_KEY)["findUsersInOrganization"]
    assert len(everyone) == 7
    assert ids(
        api.data(FIND, {"o": ACME, "t": "ACME"}, key=LENA_KEY)["findUsersInOrganization"]
    ) == [7700001]
    assert ids(
        api.data(FIND, {"o": ACME, "t": "river"}, key=LENA_KEY)["findUsersInOrganization"]
    ) == [TOM]
    api.error(FIND, {"o": PLATFORM}, key=LENA_KEY, code="FORBIDDEN")
    body = api.error(FIND, {"t": "x"}, key=LENA_KEY, code="BAD_USER_INPUT")
    assert body["errors"][0]["message"] == "orgId: is required"


def test_teams_by_organization_id(api: Api) -> None:
    data = api.data(BY_ORG, {"o": ACME}, key=LENA_KEY)
    assert data == {
        "teamsByOrganizationId": [
            {
                "id": str(ACME_DEFAULT_TEAM),
                "name": "Acme Default",
                "status": "ACTIVE",
                "deletedAt": None,
            },
            {
                "id": str(ACME_TEAM),
                "name": "Acme Integrations",
                "status": "ACTIVE",
                "deletedAt": None,
            },
        ]
    }
    api.error(BY_ORG, {"o": PLATFORM}, key=LENA_KEY, code="FORBIDDEN")
    api.error(BY_ORG, {"o": 1}, key=LENA_KEY, code="FORBIDDEN")
    assert api.data(BY_ORG, {"o": 1}) == {"teamsByOrganizationId": []}  # Environment Admins
    api.error(BY_ORG, {}, code="BAD_USER_INPUT")


# -- scopes (WhereOrgTeam) ---------------------------------------------------------------

ORGANIZATION = """query($id: ID!, $w: WhereOrgTeam, $t: WhereOrgTeam) {
  organization(id: $id, where: $w) { id teams(where: $t) { id role(where: $t) { roleId } } }
}"""


def test_where_org_team_narrows_to_a_scope(api: Api) -> None:
    whole = api.data(ORGANIZATION, {"id": str(PLATFORM)}, key=USER_KEY)["organization"]
    assert whole["teams"] == [
        {"id": str(PLATFORM_TEAM), "role": {"roleId": 626}},  # Dev's role in the team
        {"id": str(DATA_TEAM), "role": None},
    ]
    narrowed = api.data(
        ORGANIZATION,
        {"id": str(PLATFORM), "w": {"orgId": str(PLATFORM)}, "t": {"parentId": str(DATA_TEAM)}},
        key=USER_KEY,
    )
    assert narrowed["organization"]["teams"] == [{"id": str(DATA_TEAM), "role": None}]
    elsewhere = {"id": str(PLATFORM), "w": {"orgId": str(ACME)}}
    assert api.data(ORGANIZATION, elsewhere, key=USER_KEY) == {"organization": None}
    other_org = {"id": str(PLATFORM), "t": {"orgId": str(ACME)}}
    assert api.data(ORGANIZATION, other_org, key=USER_KEY)["organization"]["teams"] == []
    role = "query($w: WhereOrgTeam) { team(id: 7669831) { role(where: $w) { roleId } } }"
    assert api.data(role, {"w": {"parentId": "7669831", "orgId": "7669830"}}, key=USER_KEY) == {
        "team": {"role": {"roleId": 626}}
    }
    assert api.data(role, {"w": {"parentId": "7669832"}}, key=USER_KEY) == {"team": {"role": None}}


# -- role catalog ------------------------------------------------------------------------


def test_get_roles_and_virtual_permissions_list_the_catalog(api: Api) -> None:
    every = api.data("{ getRoles { id } }", key=LENA_KEY)["getRoles"]
    assert ids(every) == ["575", "576", "577", "580", "581", "590", "600", "626", "627"]
    assert api.data("{ getRoles(roleLevels: [ORGANIZATION, null]) { key } }") == {
        "getRoles": [{"key": "DEFAULT_ORGANIZATION"}]
    }
    permissions = api.data("{ virtualPermissions(where: {}) { id } }", key=LENA_KEY)
    assert len(permissions["virtualPermissions"]) == 12
    levels = "{ virtualPermissions(where: {permissionLevel: [ORGANIZATION]}) { key dependsOn } }"
    assert api.data(levels) == {
        "virtualPermissions": [
            {"key": "CREATE_APIS", "dependsOn": None},
            {"key": "PUBLISH_APIS", "dependsOn": None},
        ]
    }


# -- role audits -------------------------------------------------------------------------


def test_entities_roles_pages_by_cursor_in_either_direction(api: Api) -> None:
    where = {"entityIds": [DEV, ADA, PLATFORM]}
    whole = api.data(GET, {"e": where["entityIds"]})["getEntitiesRoles"]
    assert ids(whole) == [
        "5500001",
        "5500001.7669830",
        "6049746",
        "6049746.5755578",
        "6049746.7669830",
        "6049746.7669831",
    ]
    first = api.data(AUDIT, {"w": where, "p": {"first": 4}})["entitiesRoles"]
    assert ids(first["nodes"]) == ids(whole)[:4]
    assert first["pageInfo"]["hasNextPage"] and not first["pageInfo"]["hasPreviousPage"]
    rest = api.data(AUDIT, {"w": where, "p": {"after": first["pageInfo"]["endCursor"]}})
    assert ids(rest["entitiesRoles"]["nodes"]) == ids(whole)[4:]
    assert rest["entitiesRoles"]["pageInfo"]["hasPreviousPage"]
    descending = {"sortingFields": [{"fieldName": "ID", "by": "DESC"}]}
    backwards = api.data(AUDIT, {"w": where, "s": descending})["entitiesRoles"]
    assert ids(backwards["nodes"]) == ids(whole)[::-1]
    empty = api.data(AUDIT, {"w": {"entityIds": []}})["entitiesRoles"]
    assert empty == {
        "nodes": [],
        "edges": [],
        "pageInfo": {
            "hasNextPage": False,
            "hasPreviousPage": False,
            "startCursor": None,
            "endCursor": None,
        },
    }


@pytest.mark.parametrize(
    "pagination",
    [{"after": "not-a-cursor"}, {"after": "cm9sZTo1NzU="}, {"first": -1}],
    ids=["garbage", "a roles cursor", "negative"],
)
def test_entities_roles_refuses_bad_paging(api: Api, pagination: dict[str, Any]) -> None:
    body = api.error(AUDIT, {"w": {"entityIds": [DEV]}, "p": pagination}, code="BAD_USER_INPUT")
    assert body["data"] is None  # entitiesRoles is non-null


def test_members_audit_their_organization_and_nothing_else(api: Api) -> None:
    in_acme = api.data(GET, {"e": [MINA, DEV, LENA], "o": ACME}, key=LENA_KEY)["getEntitiesRoles"]
    assert ids(in_acme) == [
        "5713300.5755578",
        "6049746.5755578",
        "7344547.5755578",
        "7344547.6631475",
    ]
    assert {row["orgId"] for row in in_acme} == {ACME}
    # Without an organization: entities she shares one with, in the organizations she is in.
    dev = api.data(GET, {"e": [DEV]}, key=LENA_KEY)["getEntitiesRoles"]
    assert ids(dev) == ["6049746", "6049746.5755578"]  # not his roles in 7669830
    scoped = api.data(GET, {"e": [DEV, LENA], "p": [ACME_TEAM]}, key=LENA_KEY)["getEntitiesRoles"]
    assert [(r["entityId"], r["roleId"]) for r in scoped] == [(LENA, TEAM_VIEWER_ROLE)]
    for variables in (
        {"e": [ADA]},
        {"e": [PLATFORM]},
        {"e": [DATA_TEAM]},
        {"e": [DEV], "o": PLATFORM},
    ):
        api.error(GET, variables, key=LENA_KEY, code="FORBIDDEN")
    api.error(GET, {"e": [DEV, None]}, key=LENA_KEY, code="BAD_USER_INPUT")
    api.error(GET, {"e": [DEV], "p": [None]}, key=LENA_KEY, code="BAD_USER_INPUT")


def test_without_entities_the_audit_is_of_the_caller(api: Api) -> None:
    mine = api.data("{ getEntitiesRoles { id } }", key=LENA_KEY)["getEntitiesRoles"]
    assert ids(mine) == ["7344547", "7344547.5755578", "7344547.6631475"]
    in_team = api.data("{ getEntitiesRoles { id } }", key=ACME_TEAM_KEY, identity=LENA_KEY)
    assert in_team["getEntitiesRoles"] == mine


# -- createEntitiesRoles -----------------------------------------------------------------


def test_create_entities_roles_assigns_them_all(api: Api, store: RapidApiStore) -> None:
    entries = [
        {"entityId": DEV, "roleId": TEAM_VIEWER_ROLE, "parentId": PLATFORM_TEAM},
        {"id": f"{DEV}.{PLATFORM}", "roleId": 580},
        {"entityId": PLATFORM, "roleId": 590},
    ]
    assert api.data(CREATE_ROLES, {"i": {"entitiesRoles": entries}}) == {
        "createEntitiesRoles": True
    }
    assert store.access.assignment(DEV, PLATFORM_TEAM).role_id == TEAM_VIEWER_ROLE
    assert store.access.assignment(DEV, PLATFORM).role_id == 580
    own = store.access.assignment(PLATFORM, None)
    assert own is not None and (own.role_id, own.org_id) == (590, PLATFORM)
    assert api.data(CREATE_ROLES, {"i": {"entitiesRoles": []}}) == {"createEntitiesRoles": True}


@pytest.mark.parametrize(
    ("variables", "key", "code"),
    [
        (
            {
                "i": {
                    "entitiesRoles": [
                        {"entityId": DEV, "roleId": 627, "parentId": 7669831},
                        {"entityId": LENA, "roleId": 627, "parentId": 7669831},
                    ]
                }
            },
            ADMIN_KEY,
            "BAD_USER_INPUT",
        ),
        (
            {"i": {"entitiesRoles": [{"entityId": DEV, "roleId": 627, "parentId": 7669831}, None]}},
            ADMIN_KEY,
            "BAD_USER_INPUT",
        ),
        ({}, ADMIN_KEY, "BAD_USER_INPUT"),
        (
            {
                "i": {
                    "entitiesRoles": [
                        {"entityId": TOM, "roleId": 627, "parentId": 6631475},
                        {"entityId": DEV, "roleId": 627, "parentId": 7669831},
                    ]
                }
            },
            ORG_ADMIN_KEY,
            "FORBIDDEN",
        ),
    ],
    ids=[
        "the second is not a team member",
        "a null entry",
        "no input",
        "the second in another organization",
    ],
)
def test_create_entities_roles_is_all_or_nothing(
    api: Api, store: RapidApiStore, variables: dict[str, Any], key: str, code: str
) -> None:
    before = store.export()
    api.error(CREATE_ROLES, variables, key=key, code=code)
    assert store.export() == before


def test_entity_roles_of_teams_and_organizations_belong_to_their_organization(
    api: Api, store: RapidApiStore
) -> None:
    api.data("mutation { upsertEntityRole(input: {entityId: 7669832, roleId: 600}) }")
    assignment = store.access.assignment(DATA_TEAM, None)
    assert assignment is not None and assignment.org_id == PLATFORM
    rows = api.data(GET, {"e": [ACME, DATA_TEAM]})["getEntitiesRoles"]
    assert [(r["entityId"], r["orgId"]) for r in rows] == [(ACME, ACME), (DATA_TEAM, PLATFORM)]
    from_team = api.data(GET, {"e": [DATA_TEAM], "o": PLATFORM}, key=TEAM_KEY, identity=USER_KEY)
    assert ids(from_team["getEntitiesRoles"]) == [str(DATA_TEAM)]
