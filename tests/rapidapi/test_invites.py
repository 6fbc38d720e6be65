"""Invitations as a lifecycle: the token an email carries, reading and accepting with it,
resending and withdrawing, and how tokens survive (as hashes) a snapshot."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from simulator.fixtures.loader import build, load_fixtures, parse_document
from simulator.runtime import Simulator
from simulator.store.credentials import hash_token
from simulator.store.rapidapi import RapidApiStore
from tests.rapidapi import samples
from tests.rapidapi.conftest import (
    ACME,
    ACME_DEFAULT_TEAM,
    ACME_TEAM,
    ADA,
    ADMIN_KEY,
    DATA_TEAM,
    DEVELOPER_ROLE,
    LENA,
    LENA_KEY,
    ORG_ADMIN_KEY,
    ORG_ADMIN_ROLE,
    PLATFORM,
    TEAM_DEVELOPER_ROLE,
    USER_KEY,
    Api,
)

READ = """query($t: String!) {
  getUserInviteByToken(token: $t) { id token email teamId organizationId role }
}"""
ACCEPT = "mutation($t: String!) { acceptUserInvite(token: $t) }"
DELETE = "mutation($i: UserInvitesDeleteInput!) { deleteUserInvites(input: $i) }"
REACTIVATE = "mutation($i: UserInvitesReactivateInput!) { reactivateUserInvites(input: $i) }"
UPDATE_ME = "mutation($i: UserUpdateInput!) { updateUser(input: $i) { status } }"
INVITATIONS = "/_usersim/rapidapi/invitations"


def invitations(http: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = http.get(INVITATIONS, params=params)
    assert response.status_code == 200, response.text
    mails: list[dict[str, Any]] = response.json()["invitations"]
    return mails


def token_of(http: httpx.Client, org_id: int, email: str) -> str:
    [mail] = invitations(http, organizationId=org_id, email=email)
    return str(mail["token"])


def invite_lena_to_platform(api: Api, teams: list[int] | None = None) -> str:
    invite = {
        "input": {
            "email": "lena.fischer@example.com",
            "teamIds": [DATA_TEAM] if teams is None else teams,
            "organizationId": PLATFORM,
            "role": "ADMIN",
        }
    }
    assert api.data(samples.CREATE_USER_INVITES, invite) == {"createUserInvites": True}
    return token_of(api.client, PLATFORM, "lena.fischer@example.com")


def test_an_invitation_email_carries_a_token_the_state_keeps_only_as_a_hash(
    api: Api, store: RapidApiStore
) -> None:
    token = invite_lena_to_platform(api)
    row = store.state.org_users.get((PLATFORM, LENA))
    assert row is not None and row.token_hash == hash_token(token)
    [mail] = invitations(api.client, organizationId=PLATFORM)
    assert mail["teamUserId"] == LENA and mail["email"] == "lena.fischer@example.com"
    exported = api.client.get("/_usersim/state").text
    assert token not in exported and hash_token(token) in exported
    read = "query Read($token: String!) { getUserInviteByToken(token: $token) { id } }"
    api.data(read, {"token": token}, key=LENA_KEY)
    api.data(f'mutation {{ acceptUserInvite(token: "{token}") }}', key=LENA_KEY)
    journal = api.client.get("/_usersim/journal").text
    assert "getUserInviteByToken" in journal and "acceptUserInvite" in journal
    assert token not in journal


def test_the_invitee_reads_the_invite_by_its_token(api: Api) -> None:
    token = invite_lena_to_platform(api)
    assert api.data(READ, {"t": token}, key=LENA_KEY) == {
        "getUserInviteByToken": {
            "id": str(LENA),
            "token": token,
            "email": "lena.fischer@example.com",
            "teamId": DATA_TEAM,
            "organizationId": PLATFORM,
            "role": "ADMIN",
        }
    }
    for unknown in ("", "not-a-token", token.upper()):
        assert api.data(READ, {"t": unknown}) == {"getUserInviteByToken": None}


def test_accepting_makes_the_invitee_a_member_with_the_role_and_teams(
    api: Api, store: RapidApiStore
) -> None:
    token = invite_lena_to_platform(api)
    assert api.data(ACCEPT, {"t": token}, key=LENA_KEY) == {"acceptUserInvite": True}
    assert store.access.membership(PLATFORM, LENA) is not None
    assert store.access.assignment(LENA, PLATFORM).role_id == ORG_ADMIN_ROLE
    assert store.access.assignment(LENA, DATA_TEAM).role_id == TEAM_DEVELOPER_ROLE
    assert store.state.invite_mails.get((PLATFORM, LENA)) is None
    assert invitations(api.client, organizationId=PLATFORM) == []
    orgs = api.data("{ activeUser { organizations { id } } }", key=LENA_KEY)["activeUser"]
    assert {o["id"] for o in orgs["organizations"]} == {str(ACME), str(PLATFORM)}


def test_only_the_invitee_accepts(api: Api, store: RapidApiStore) -> None:
    token = invite_lena_to_platform(api)
    before = store.export()
    for key in (USER_KEY, ORG_ADMIN_KEY):
        body = api.error(ACCEPT, {"t": token}, key=key, code="FORBIDDEN")
        assert body["errors"][0]["message"] == "This invitation is for another user."
    assert store.export() == before


def test_an_invite_to_an_email_is_accepted_by_the_user_who_has_that_email(
    api: Api, store: RapidApiStore
) -> None:
    """The invitee of 7700001 has no account; once a user holds the email, they accept."""
    token = token_of(api.client, ACME, "newhire@acme.example.com")
    api.error(ACCEPT, {"t": token}, key=LENA_KEY, code="FORBIDDEN")
    # Dev takes the email, but he is a member of 5755578 already.
    api.data(UPDATE_ME, {"i": {"email": "NewHire@acme.example.com"}}, key=USER_KEY)
    body = api.error(ACCEPT, {"t": token}, key=USER_KEY, code="BAD_USER_INPUT")
    assert "already a member" in body["errors"][0]["message"]
    api.data(UPDATE_ME, {"i": {"email": "dev.patel@example.com"}}, key=USER_KEY)
    # Ada is not: with the email, the invite is hers.
    api.data(UPDATE_ME, {"i": {"email": "newhire@acme.example.com"}}, key=ADMIN_KEY)
    assert api.data(ACCEPT, {"t": token}, key=ADMIN_KEY) == {"acceptUserInvite": True}
    assert store.state.org_users.get((ACME, 7700001)) is None
    member = store.state.org_users.get((ACME, ADA))
    assert member is not None and member.accepted and member.inviter_id == 5713300
    assert store.access.assignment(ADA, ACME).role_id == DEVELOPER_ROLE
    assert (ACME_TEAM, ADA) in store.state.team_members


def test_a_second_invite_sends_a_new_token(api: Api) -> None:
    first = invite_lena_to_platform(api)
    second = invite_lena_to_platform(api, teams=[])
    assert first != second
    assert api.data(READ, {"t": first}) == {"getUserInviteByToken": None}
    assert api.data(READ, {"t": second})["getUserInviteByToken"]["teamId"] is None


def test_delete_invites_answers_how_many_and_forgets_their_emails(
    api: Api, store: RapidApiStore
) -> None:
    emails = ["newhire@acme.example.com", "CONTRACTOR@example.com", "contractor@example.com"]
    data = api.data(DELETE, {"i": {"emails": emails, "orgId": ACME}}, key=ORG_ADMIN_KEY)
    assert data == {"deleteUserInvites": 2}
    assert [r.id for r in store.state.org_users.ordered("id", ACME) if not r.accepted] == []
    assert invitations(api.client) == []


@pytest.mark.parametrize("mutation", [DELETE, REACTIVATE], ids=["delete", "reactivate"])
@pytest.mark.parametrize(
    ("variables", "key", "code"),
    [
        ({"emails": [], "orgId": ACME}, ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        ({"emails": [None], "orgId": ACME}, ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        ({"emails": ["contractor@example.com"], "orgId": 1}, ORG_ADMIN_KEY, "BAD_USER_INPUT"),
        ({"emails": ["contractor@example.com"], "orgId": ACME}, USER_KEY, "FORBIDDEN"),
        ({"emails": ["contractor@example.com"], "orgId": ACME}, LENA_KEY, "FORBIDDEN"),
    ],
    ids=["no email", "null email", "unknown organization", "a member", "another member"],
)
def test_invite_housekeeping_refusals_change_nothing(
    api: Api, store: RapidApiStore, mutation: str, variables: dict, key: str, code: str
) -> None:
    before = store.export()
    mails = invitations(api.client)
    api.error(mutation, {"i": variables}, key=key, code=code)
    assert store.export() == before
    assert invitations(api.client) == mails


def test_reactivating_sends_each_invite_again(api: Api, sim: Simulator) -> None:
    before = {m["email"]: m for m in invitations(api.client, organizationId=ACME)}
    sim.clock.advance(3600)
    emails = ["newhire@acme.example.com", "contractor@example.com"]
    data = api.data(REACTIVATE, {"i": {"emails": emails, "orgId": ACME}}, key=ORG_ADMIN_KEY)
    assert data == {"reactivateUserInvites": True}
    after = {m["email"]: m for m in invitations(api.client, organizationId=ACME)}
    for email in emails:
        assert after[email]["token"] != before[email]["token"]
        assert after[email]["sentAt"] >= before[email]["sentAt"] + 3_600_000
        assert api.data(READ, {"t": before[email]["token"]}) == {"getUserInviteByToken": None}


def test_the_invitation_read_filters_by_organization_and_email(api: Api) -> None:
    invite_lena_to_platform(api)
    assert {m["organizationId"] for m in invitations(api.client)} == {ACME, PLATFORM}
    assert [m["email"] for m in invitations(api.client, organizationId=ACME)] == [
        "newhire@acme.example.com",
        "contractor@example.com",
    ]
    assert invitations(api.client, email="nobody@example.com") == []
    response = api.client.get(INVITATIONS, params={"organizationId": "acme"})
    assert response.status_code == 400


def test_a_restored_state_keeps_tokens_working_and_their_emails_while_unchanged(
    api: Api,
) -> None:
    token = invite_lena_to_platform(api)
    snapshot = api.client.get("/_usersim/state").json()
    assert api.client.put("/_usersim/state", json=snapshot).status_code == 200
    assert token_of(api.client, PLATFORM, "lena.fischer@example.com") == token
    # Another process restoring the snapshot knows the hash only: the token works, and
    # no email is there to read until the invite is sent again.
    problems: list[str] = []
    document = parse_document("state", snapshot, problems)
    assert document is not None, problems
    elsewhere = RapidApiStore()
    elsewhere.load(build([("state", document)]).rapidapi)
    assert elsewhere.invariants() == []
    assert elsewhere.invites.mails(PLATFORM) == []
    entry = elsewhere.invites.by_token(token)
    assert entry is not None and entry.id == LENA
    lena = elsewhere.users.get(LENA)
    assert lena is not None and elsewhere.invites.accept(lena, token).accepted


def test_fixture_invites_may_give_their_token_or_its_hash(tmp_path: Any) -> None:
    base = json.loads(json.dumps(_small_hub()))
    base["organizations"][0]["invites"] = [
        {"email": "given@example.com", "token": "a-token-given-in-clear"},
        {"email": "hashed@example.com", "tokenHash": hash_token("a-token-given-as-hash")},
        {"email": "issued@example.com"},
    ]
    path = tmp_path / "hub.json"
    path.write_text(json.dumps({"rapidapi": base}))
    store = RapidApiStore()
    store.load(load_fixtures([path]).rapidapi)
    assert store.invariants() == []
    mails = {m.email: m.token for m in store.invites.mails()}
    assert mails["given@example.com"] == "a-token-given-in-clear"
    assert "hashed@example.com" not in mails and len(mails["issued@example.com"]) == 32
    for token in ("a-token-given-in-clear", "a-token-given-as-hash", mails["issued@example.com"]):
        assert store.invites.by_token(token) is not None
    exported = json.dumps(store.export())
    assert "a-token-given-in-clear" not in exported and mails["issued@example.com"] not in exported


def _small_hub() -> dict[str, Any]:
    return {
        "roles": [
            {"id": 1, "key": "ADMIN", "name": "Admin", "level": "USER_ENVIRONMENT"},
            {"id": 2, "key": "ADMIN", "name": "Org Admin", "level": "USER_ORGANIZATION"},
            {
                "id": 3,
                "key": "DEVELOPER",
                "name": "Dev",
                "level": "USER_ORGANIZATION",
                "isDefault": True,
            },
        ],
        "users": [{"id": 10, "username": "a", "name": "A", "email": "a@example.com", "role": 1}],
        "organizations": [{"id": 20, "name": "Org", "members": [{"user": 10, "role": 2}]}],
    }


def test_deleting_a_team_keeps_its_invites_to_other_teams(api: Api, store: RapidApiStore) -> None:
    api.data(
        samples.CREATE_USER_INVITES,
        {
            "input": {
                "email": "both@example.com",
                "teamIds": [ACME_TEAM, ACME_DEFAULT_TEAM],
                "organizationId": ACME,
            }
        },
        key=ORG_ADMIN_KEY,
    )
    token = token_of(api.client, ACME, "both@example.com")
    api.data("mutation { deleteTeam(id: 6631475) }", key=ORG_ADMIN_KEY)
    read = api.data(READ, {"t": token})["getUserInviteByToken"]
    assert read["teamId"] == ACME_DEFAULT_TEAM and read["role"] == "DEVELOPER"
    assert store.access.role(DEVELOPER_ROLE) is not None
