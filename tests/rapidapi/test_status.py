"""User status rules: ACTIVE, DEACTIVATED, DELETED (and PENDING), and what each allows."""

from __future__ import annotations

import pytest

from simulator.store.rapidapi import RapidApiStore
from tests.rapidapi import samples
from tests.rapidapi.conftest import (
    ACME,
    ACME_TEAM,
    ADA,
    DEV,
    GWEN,
    LENA,
    MINA,
    ORG_ADMIN_KEY,
    PAT,
    PLATFORM,
    TEAM_KEY,
    TOM,
    USER_KEY,
    Api,
)

UPDATE = "mutation($input: UserUpdateInput!) { updateUser(input: $input) { status } }"
SINGLE_ADMIN = "query($id: ID!) { user(id: $id) { status singleAdminOrgs } }"


def set_status(api: Api, user_id: int, status: str, **kw: object) -> dict:
    return api.data(UPDATE, {"input": {"id": str(user_id), "status": status}}, **kw)


def test_deactivated_users_can_be_reactivated_with_everything_they_had(
    api: Api, store: RapidApiStore
) -> None:
    assert set_status(api, TOM, "DEACTIVATED") == {"updateUser": {"status": "DEACTIVATED"}}
    assert set_status(api, TOM, "ACTIVE") == {"updateUser": {"status": "ACTIVE"}}
    tom = api.data(samples.USERS_NODES, {"where": {"userIds": [TOM]}})["users"]["nodes"][0]
    assert tom["status"] == "ACTIVE"
    assert tom["Teams"] == [{"id": str(ACME_TEAM), "name": "Acme Integrations"}]


def test_single_admin_orgs_names_the_organizations_a_user_alone_administers(api: Api) -> None:
    assert api.data(SINGLE_ADMIN, {"id": str(MINA)})["user"]["singleAdminOrgs"] == [str(ACME)]
    assert api.data(SINGLE_ADMIN, {"id": str(LENA)})["user"]["singleAdminOrgs"] == []


@pytest.mark.parametrize("status", ["DEACTIVATED", "DELETED"])
def test_the_only_admin_of_an_organization_cannot_be_deactivated_or_deleted(
    api: Api, store: RapidApiStore, status: str
) -> None:
    before = store.export()
    body = api.error(UPDATE, {"input": {"id": str(MINA), "status": status}}, code="BAD_USER_INPUT")
    assert body["data"] == {"updateUser": None}
    assert "only admin of organization 5755578" in body["errors"][0]["message"]
    assert "singleAdminOrgs" in body["errors"][0]["message"]
    assert store.export() == before


def test_with_a_second_admin_the_first_can_be_deactivated(api: Api) -> None:
    promote = {"input": {"orgId": ACME, "teamUserId": LENA, "newRole": "ADMIN"}}
    api.data(samples.UPDATE_TEAM_USER, promote, key=ORG_ADMIN_KEY)
    assert set_status(api, MINA, "DEACTIVATED") == {"updateUser": {"status": "DEACTIVATED"}}
    # Lena is now the only active admin: the rule protects her in turn.
    assert api.data(SINGLE_ADMIN, {"id": str(LENA)})["user"]["singleAdminOrgs"] == [str(ACME)]
    api.error(UPDATE, {"input": {"id": str(LENA), "status": "DEACTIVATED"}}, code="BAD_USER_INPUT")


def test_the_only_admin_cannot_be_demoted_either(api: Api, store: RapidApiStore) -> None:
    demote = {"input": {"orgId": ACME, "teamUserId": MINA, "newRole": "DEVELOPER"}}
    body = api.error(samples.UPDATE_TEAM_USER, demote, key=ORG_ADMIN_KEY, code="BAD_USER_INPUT")
    assert (
        body["errors"][0]["message"] == "Organization 5755578 must keep at least one active admin."
    )
    assert store.access.org_admins(ACME) == [MINA]


def test_the_last_environment_admin_cannot_be_deactivated(api: Api, store: RapidApiStore) -> None:
    api.data(
        samples.UPDATE_USER_ROLES, samples.UPDATE_USER_ROLES_VARS
    )  # Dev: second admin of 7669830
    body = api.error(
        UPDATE, {"input": {"id": str(ADA), "status": "DEACTIVATED"}}, code="BAD_USER_INPUT"
    )
    assert "Environment Admin" in body["errors"][0]["message"]
    assert store.users.get(ADA).status == "ACTIVE"


def test_a_deactivated_user_loses_api_access(api: Api) -> None:
    set_status(api, DEV, "DEACTIVATED")
    response = api.post("{ organizations { id } }", key=USER_KEY)
    assert response.status_code == 403
    api.error("{ organizations { id } }", key=TEAM_KEY, identity=USER_KEY, code="UNAUTHENTICATED")


def test_deleted_users_cannot_be_reactivated(api: Api, store: RapidApiStore) -> None:
    before = store.export()
    for status in ("ACTIVE", "DEACTIVATED"):
        body = api.error(
            UPDATE, {"input": {"id": str(GWEN), "status": status}}, code="BAD_USER_INPUT"
        )
        assert "DELETED" in body["errors"][0]["message"]
    assert store.export() == before


def test_deleting_a_user_removes_its_memberships_and_keeps_its_record(
    api: Api, store: RapidApiStore
) -> None:
    assert set_status(api, TOM, "DELETED") == {"updateUser": {"status": "DELETED"}}
    tom = store.users.get(TOM)
    assert tom.status == "DELETED" and tom.deleted_at is not None
    assert store.access.membership(ACME, TOM) is None
    assert (ACME_TEAM, TOM) not in store.state.team_members
    listing = api.data(samples.ADMIN_USERS, {"where": {"filters": {"status": "DELETED"}}})
    assert [u["id"] for u in listing["users"]["nodes"]] == [str(TOM), str(GWEN)]  # by createdAt


def test_a_deleted_users_email_can_be_reused(api: Api, store: RapidApiStore) -> None:
    taken = {"input": {"email": "lena.fischer@example.com"}}
    body = api.error(UPDATE, taken, key=USER_KEY, code="BAD_USER_INPUT")
    assert "already used" in body["errors"][0]["message"]
    # Gwen (7344542) is DELETED: her email is free again.
    api.data(UPDATE, {"input": {"email": "gwen.mills@example.com"}}, key=USER_KEY)
    data = api.data(samples.USERS_NODES, {"where": {"email": "gwen.mills@example.com"}})
    assert [n["id"] for n in data["users"]["nodes"]] == [str(DEV)]
    # Deleting Tom frees his email for an invite to a new person (a new TeamUser id).
    set_status(api, TOM, "DELETED")
    invite = {"input": {"email": "tom.rivers@example.com", "teamIds": [], "organizationId": ACME}}
    api.data(samples.CREATE_USER_INVITES, invite, key=ORG_ADMIN_KEY)
    row = store.state.org_users.find("email", (ACME, "tom.rivers@example.com"))
    assert row is not None and row.user_id is None and row.id != TOM


@pytest.mark.parametrize("status", ["PENDING", "SUSPENDED", "active", None])
def test_status_must_be_active_deactivated_or_deleted(
    api: Api, store: RapidApiStore, status: str | None
) -> None:
    body = api.error(UPDATE, {"input": {"id": str(TOM), "status": status}}, code="BAD_USER_INPUT")
    assert "ACTIVE, DEACTIVATED, DELETED" in body["errors"][0]["message"]
    assert store.users.get(TOM).status == "ACTIVE"


def test_a_pending_user_can_be_approved(api: Api) -> None:
    assert set_status(api, PAT, "ACTIVE") == {"updateUser": {"status": "ACTIVE"}}


def test_pending_and_deactivated_users_cannot_be_invited(api: Api, store: RapidApiStore) -> None:
    before = store.export()
    for email in ("pat.lee@example.com", "omar.haddad@example.com"):
        invite = {"input": {"email": email, "teamIds": [], "organizationId": PLATFORM}}
        api.error(samples.CREATE_USER_INVITES, invite, code="BAD_USER_INPUT")
    assert store.export() == before
