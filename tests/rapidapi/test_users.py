"""Users beyond the samples: deleting them by mashapeId, passwords and pictures, and the
lookups of who is calling and who has an email."""

from __future__ import annotations

from dataclasses import replace

import pytest

from simulator.store import credentials
from simulator.store.rapidapi import RapidApiStore
from tests.rapidapi.conftest import (
    ACME,
    ACME_TEAM_KEY,
    ADA,
    ADMIN_KEY,
    DEV,
    GQL_2023_08,
    LENA,
    LENA_KEY,
    OMAR,
    ORG_ADMIN_KEY,
    PAT,
    TEAM_KEY,
    TOM,
    USER_KEY,
    Api,
)

DELETE = "mutation($id: ID!, $m: String!) { deleteUser(id: $id, mashapeId: $m) }"
UPDATE = "mutation($i: UserUpdateInput!) { updateUser(input: $i) { status } }"
ME = "{ activeUser { id email thumbnail activeOrganizationRole billingType } }"
PASSWORD = "usersim-password"  # Ada's, Mina's and Dev's in the default fixture; Lena has none


def mashape(user_id: int) -> str:
    return f"{user_id:024x}"


# -- deleteUser --------------------------------------------------------------------------


def test_every_user_has_a_mashape_id(api: Api) -> None:
    data = api.data("query { users(where: {limit: 100}) { nodes { id mashapeId } } }")
    ids = {u["id"]: u["mashapeId"] for u in data["users"]["nodes"]}
    assert ids[str(LENA)] == "5f3a9c2e7b1d4a0012345678"  # the fixture's
    assert ids[str(TOM)] == mashape(TOM) == "00000000000000000070119c"


@pytest.mark.parametrize("user_id", [TOM, OMAR, PAT], ids=["active", "deactivated", "pending"])
def test_delete_user(api: Api, store: RapidApiStore, user_id: int) -> None:
    assert api.data(DELETE, {"id": str(user_id), "m": mashape(user_id)}) == {"deleteUser": True}
    user = store.users.get(user_id)
    assert user is not None and user.status == "DELETED" and user.deleted_at is not None
    assert store.state.org_users.find_all("user", user_id) == []
    assert store.state.team_members.find_all("user", user_id) == []
    assert [a.parent_id for a in store.state.entity_roles.find_all("entity", user_id)] == [None]


@pytest.mark.parametrize(
    ("user_id", "mashape_id", "key", "code"),
    [
        (str(TOM), mashape(DEV), ADMIN_KEY, "BAD_USER_INPUT"),
        (str(TOM), "", ADMIN_KEY, "BAD_USER_INPUT"),
        ("7344542", mashape(7344542), ADMIN_KEY, "BAD_USER_INPUT"),  # deleted already
        ("99", mashape(99), ADMIN_KEY, "BAD_USER_INPUT"),
        ("\u0667\u0663\u0664\u0664\u0665\u0664\u0660", mashape(TOM), ADMIN_KEY, "BAD_USER_INPUT"),
        (str(TOM), mashape(TOM), USER_KEY, "FORBIDDEN"),
        (str(TOM), mashape(TOM), ORG_ADMIN_KEY, "FORBIDDEN"),
        (str(ADA), mashape(ADA), ADMIN_KEY, "BAD_USER_INPUT"),  # the only admin of 7669830
    ],
    ids=[
        "another user's mashapeId",
        "an empty mashapeId",
        "a deleted user",
        "an unknown user",
        "an id in other digits",
        "a user",
        "an organization admin",
        "a single admin",
    ],
)
def test_delete_user_refusals_change_nothing(
    api: Api, store: RapidApiStore, user_id: str, mashape_id: str, key: str, code: str
) -> None:
    before = store.export()
    api.error(DELETE, {"id": user_id, "m": mashape_id}, key=key, code=code)
    assert store.export() == before


def test_delete_user_is_for_the_personal_context(api: Api, store: RapidApiStore) -> None:
    before = store.export()
    body = api.error(
        DELETE,
        {"id": str(TOM), "m": mashape(TOM)},
        key=TEAM_KEY,
        identity=ADMIN_KEY,
        code="FORBIDDEN",
    )
    assert "personal context" in body["errors"][0]["message"]
    assert store.export() == before


def test_a_deleted_users_email_is_free_again(api: Api, store: RapidApiStore) -> None:
    api.data(DELETE, {"id": str(TOM), "m": mashape(TOM)})
    assert api.data('{ userByEmail(email: "tom.rivers@example.com") { id } }') == {
        "userByEmail": None
    }
    api.data(UPDATE, {"i": {"email": "tom.rivers@example.com"}}, key=LENA_KEY)
    found = api.data('{ userByEmail(email: "TOM.RIVERS@example.com") { id } }')
    assert found == {"userByEmail": {"id": str(LENA)}}


# -- passwords and pictures --------------------------------------------------------------


def test_a_user_changes_their_password_with_the_current_one(api: Api, store: RapidApiStore) -> None:
    change = {"currentPassword": PASSWORD, "newPassword": "a-much-better-one"}
    assert api.data(UPDATE, {"i": change}, key=USER_KEY) == {"updateUser": {"status": "ACTIVE"}}
    user = store.users.get(DEV)
    assert user is not None and credentials.verify_password("a-much-better-one", user.password_hash)
    exported = api.client.get("/_usersim/state").text
    assert "a-much-better-one" not in exported and "passwordHash" in exported


@pytest.mark.parametrize(
    ("change", "key", "code", "message"),
    [
        (
            {"newPassword": "a-much-better-one"},
            USER_KEY,
            "BAD_USER_INPUT",
            "currentPassword: is required",
        ),
        (
            {"currentPassword": "wrong-password", "newPassword": "a-much-better-one"},
            USER_KEY,
            "BAD_USER_INPUT",
            "currentPassword: is not",
        ),
        ({"currentPassword": PASSWORD}, USER_KEY, "BAD_USER_INPUT", "newPassword: is required"),
        (
            {"currentPassword": PASSWORD, "newPassword": "short"},
            USER_KEY,
            "BAD_USER_INPUT",
            "newPassword: must be 8 to 64",
        ),
        (
            {"id": str(DEV), "currentPassword": PASSWORD, "newPassword": "a-much-better-one"},
            ADMIN_KEY,
            "FORBIDDEN",
            "Only the user",
        ),
        (
            {"imageFile": "ftp://example.com/me.png"},
            USER_KEY,
            "BAD_USER_INPUT",
            "imageFile: must be a URL",
        ),
    ],
    ids=[
        "no current password",
        "a wrong one",
        "no new one",
        "too short",
        "someone else's",
        "a bad picture",
    ],
)
def test_password_and_picture_refusals_change_nothing(
    api: Api, store: RapidApiStore, change: dict, key: str, code: str, message: str
) -> None:
    before = store.export()
    body = api.error(UPDATE, {"i": {"bio": "changed", **change}}, key=key, code=code)
    assert body["errors"][0]["message"].startswith(message), body
    assert store.export() == before


def test_a_user_without_a_password_sets_one(api: Api, store: RapidApiStore) -> None:
    api.data(UPDATE, {"i": {"newPassword": "a-first-password"}}, key=LENA_KEY)
    user = store.users.get(LENA)
    assert user is not None and credentials.verify_password("a-first-password", user.password_hash)


def test_image_file_becomes_the_thumbnail(api: Api) -> None:
    for picture in ("https://cdn.example.com/lena.png", "/static-assets/default/user.svg"):
        api.data(UPDATE, {"i": {"imageFile": f"  {picture} "}}, key=LENA_KEY)
        assert api.data(ME, key=LENA_KEY)["activeUser"]["thumbnail"] == picture


# -- who is calling, who has an email ----------------------------------------------------


def test_ping_answers_any_caller(api: Api) -> None:
    for headers in ({"key": ADMIN_KEY}, {"key": TEAM_KEY, "identity": USER_KEY}):
        assert api.data("{ ping }", **headers) == {"ping": "pong"}
    assert api.post("{ ping }", key=None).status_code == 401


def test_active_user_is_whoever_acts(api: Api) -> None:
    assert api.data(ME, key=LENA_KEY) == {
        "activeUser": {
            "id": str(LENA),
            "email": "lena.fischer@example.com",
            "thumbnail": "https://rapidapi.example.com/avatars/7344547.png",
            "activeOrganizationRole": None,  # a personal context acts in no organization
            "billingType": None,
        }
    }
    in_team = api.data(ME, key=ACME_TEAM_KEY, identity=ORG_ADMIN_KEY)["activeUser"]
    assert (in_team["email"], in_team["activeOrganizationRole"]) == (
        "mina.park@example.com",
        "ADMIN",
    )
    team_users = "{ team(id: 6631475) { users { id userData { activeOrganizationRole } } } }"
    rows = api.data(team_users, key=ACME_TEAM_KEY, identity=LENA_KEY)["team"]["users"]
    roles = {row["id"]: row["userData"]["activeOrganizationRole"] for row in rows}
    assert roles == {5713300: "ADMIN", TOM: "DEVELOPER", LENA: "DEVELOPER"}


def test_user_by_email_finds_live_users_in_any_case(api: Api) -> None:
    query = "query($e: String) { userByEmail(email: $e) { id status } }"
    assert api.data(query, {"e": " Omar.Haddad@example.com "}, key=USER_KEY) == {
        "userByEmail": {"id": str(OMAR), "status": "DEACTIVATED"}
    }
    for email in ("gwen.mills@example.com", "nobody@example.com", None):
        assert api.data(query, {"e": email}) == {"userByEmail": None}
    listed = api.data(
        "query($w: UserWhereInput!) { users(where: $w) { id } }",
        {"w": {"email": "dev.patel@example.com", "includeUserAttributes": True}},
        path=GQL_2023_08,
    )
    assert listed == {"users": [{"id": str(DEV)}]}


def test_billing_types_come_from_the_fixture(api: Api, store: RapidApiStore) -> None:
    org = store.organizations.get(ACME)
    user = store.users.get(LENA)
    assert org is not None and user is not None
    with store.transaction():
        store.state.db.put(store.state.organizations, replace(org, billing_type="INVOICE"))
        store.state.db.put(store.state.users, replace(user, billing_type="CREDIT_CARD"))
    data = api.data(
        "{ organization(id: 5755578) { billingType users { id billingType } } }", key=ORG_ADMIN_KEY
    )
    assert data["organization"]["billingType"] == "INVOICE"
    assert {u["id"]: u["billingType"] for u in data["organization"]["users"]}[
        str(LENA)
    ] == "CREDIT_CARD"
