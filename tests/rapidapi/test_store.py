"""The RapidAPI store without HTTP: fixture checks, export round trips, reset, invariants."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.fixtures.loader import FixtureError, build, load_fixtures, parse_document
from simulator.resources import default_fixture
from simulator.store.rapidapi import RapidApiStore
from simulator.store.rapidapi.loading import RapidApiRecords
from tests.rapidapi.conftest import ACME, ADA, DEV, PLATFORM, TOM

ROLES = [
    {"id": 1, "key": "ADMIN", "name": "Admin", "level": "USER_ENVIRONMENT"},
    {
        "id": 2,
        "key": "DEFAULT_USER",
        "name": "User",
        "level": "USER_ENVIRONMENT",
        "isDefault": True,
    },
    {"id": 3, "key": "ADMIN", "name": "Org Admin", "level": "USER_ORGANIZATION"},
    {"id": 4, "key": "DEVELOPER", "name": "Dev", "level": "USER_ORGANIZATION", "isDefault": True},
    {"id": 5, "key": "MEMBER", "name": "Member", "level": "USER_TEAM", "isDefault": True},
]


def hub(**sections: Any) -> dict[str, Any]:
    """A small valid hub: an admin (10) and a user (11) in organization 20, team 21."""
    base: dict[str, Any] = {
        "roles": ROLES,
        "users": [
            {
                "id": 10,
                "username": "admin",
                "name": "Admin",
                "email": "admin@example.com",
                "role": 1,
            },
            {"id": 11, "username": "user", "name": "User", "email": "user@example.com"},
        ],
        "organizations": [
            {
                "id": 20,
                "name": "Org",
                "members": [{"user": 10, "role": 3}, {"user": 11}],
                "teams": [{"id": 21, "name": "Team", "members": [{"user": 11}]}],
            }
        ],
    }
    base.update(sections)
    return base


def records(document: dict[str, Any]) -> RapidApiRecords:
    problems: list[str] = []
    parsed = parse_document("test.yaml", {"rapidapi": document}, problems)
    if parsed is None:
        raise FixtureError(problems)
    return build([("test.yaml", parsed)]).rapidapi


def problems_of(document: dict[str, Any]) -> list[str]:
    with pytest.raises(FixtureError) as caught:
        records(document)
    return caught.value.problems


def test_a_small_hub_loads_and_holds_its_invariants() -> None:
    store = RapidApiStore()
    store.load(records(hub()))
    assert store.invariants() == []
    assert store.access.org_admins(20) == [10]
    assert store.access.team_member_ids(store.teams.get(21)) == [10, 11]


def _org_inviting(invite: dict[str, Any]) -> dict[str, Any]:
    """Organization 20 of `hub()` with admin 10 as its only member, and one invite."""
    return {"id": 20, "name": "Org", "members": [{"user": 10, "role": 3}], "invites": [invite]}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"users": [{"id": 10, "username": "a", "name": "A", "email": "a@example.com"}]},
            "the hub has no active environment admin",
        ),
        (
            {"organizations": [{"id": 20, "name": "Org", "members": [{"user": 11}]}]},
            "rapidapi.organizations[0].members: organization 20 has no active admin",
        ),
        (
            {"organizations": [{"id": 10, "name": "Org", "members": [{"user": 10, "role": 3}]}]},
            "rapidapi.organizations[0].id: id 10 is already used at",
        ),
        (
            {"organizations": [{"id": 20, "name": "Org", "members": [{"user": 10, "role": 5}]}]},
            "rapidapi.organizations[0].members[0].role: role 5 is a USER_TEAM role, not USER_ORGANIZATION",
        ),
        (
            {
                "organizations": [
                    {
                        "id": 20,
                        "name": "Org",
                        "members": [{"user": 10, "role": 3}],
                        "teams": [{"id": 21, "name": "T", "members": [{"user": 11}]}],
                    }
                ]
            },
            "rapidapi.organizations[0].teams[0].members[0].user: user 11 is not a member of organization 20",
        ),
        (
            {
                "organizations": [
                    {
                        "id": 20,
                        "name": "Org",
                        "members": [{"user": 10, "role": 3}],
                        "invites": [{"email": "user@example.com"}],
                    }
                ]
            },
            "rapidapi.organizations[0].invites[0].email: user@example.com belongs to the user at",
        ),
        (
            {
                "users": [
                    {
                        "id": 10,
                        "username": "admin",
                        "name": "A",
                        "email": "a@example.com",
                        "role": 1,
                    },
                    {"id": 11, "username": "ADMIN", "name": "B", "email": "b@example.com"},
                ]
            },
            "rapidapi.users[1].username: username admin is already used at",
        ),
        (
            {
                "roles": [
                    *ROLES,
                    {
                        "id": 6,
                        "key": "X",
                        "name": "X",
                        "level": "USER_TEAM",
                        "permissions": [{"permission": 9}],
                    },
                ]
            },
            "rapidapi.roles[5].permissions[0]: permission 9 does not exist",
        ),
        (
            {
                "users": [
                    {
                        "id": 10,
                        "username": "admin",
                        "name": "A",
                        "email": "admin@example.com",
                        "role": 1,
                        "password": "secret-password",
                        "passwordHash": "x",
                    },
                    {"id": 11, "username": "user", "name": "User", "email": "user@example.com"},
                ]
            },
            "rapidapi.users[0]: give either password or passwordHash, not both",
        ),
        (
            {"organizations": [_org_inviting({"user": 11, "email": "x@example.com"})]},
            "rapidapi.organizations[0].invites[0]: give exactly one of user or email",
        ),
        (
            {"organizations": [_org_inviting({})]},
            "rapidapi.organizations[0].invites[0]: give exactly one of user or email",
        ),
        (
            {"organizations": [_org_inviting({"user": 11, "id": 30})]},
            "rapidapi.organizations[0].invites[0].id: an invite to an existing user is"
            " identified by the user's id",
        ),
        (
            {
                "organizations": [
                    _org_inviting(
                        {"email": "x@example.com", "token": "t" * 16, "tokenHash": "0" * 64}
                    )
                ]
            },
            "rapidapi.organizations[0].invites[0]: give either token or tokenHash, not both",
        ),
    ],
    ids=[
        "no environment admin",
        "organization without admin",
        "shared entity id",
        "role of the wrong level",
        "team member outside the organization",
        "invite to a user's email",
        "username taken",
        "unknown permission",
        "both password forms",
        "invite to a user and an email",
        "invite to nobody",
        "invite to a user with its own id",
        "both token forms",
    ],
)
def test_fixture_problems_name_file_and_path(change: dict[str, Any], expected: str) -> None:
    problems = problems_of(hub(**change))
    assert any(p.startswith("test.yaml: ") and expected in p for p in problems), problems


def _fixture_user(**given: object) -> Any:
    """The record of user 11 of `hub()`, given `given` (fixture keys) beside its own."""
    document = hub()
    document["users"][1].update(given)
    return next(u for u in records(document).tables["users"] if u.id == 11)


@pytest.mark.parametrize(
    ("key", "value", "field", "expected"),
    [
        ("username", "other", "username", "other"),
        ("name", "Other", "name", "Other"),
        ("email", " other@example.com ", "email", "other@example.com"),
        ("status", "DEACTIVATED", "status", "DEACTIVATED"),
        ("createdAt", "2024-02-01T00:00:00Z", "created_at", 1_706_745_600_000),
        ("thumbnail", "https://example.com/t.png", "thumbnail", "https://example.com/t.png"),
        ("mashapeId", "m-1", "mashape_id", "m-1"),
        ("company", "Acme", "company", "Acme"),
        ("position", "Engineer", "position", "Engineer"),
        ("location", "Lisbon", "location", "Lisbon"),
        ("bio", "Writes tests.", "bio", "Writes tests."),
        ("lastActive", "2024-02-03T00:00:00Z", "last_active", 1_706_918_400_000),
        ("apisCount", 7, "apis_count", 7),
        ("verified", False, "verified", False),
        ("protected", True, "protected", True),
        ("createdBySso", True, "created_by_sso", True),
        ("billingType", "INVOICE", "billing_type", "INVOICE"),
    ],
)
def test_each_fixture_user_key_sets_its_own_field(
    key: str, value: object, field: str, expected: object
) -> None:
    """The builder passes a user's fields by position: a key landing in another field
    shows here as a second changed field (`updatedAt` follows `createdAt`)."""
    before, after = _fixture_user(), _fixture_user(**{key: value})
    changed = {
        f.name
        for f in fields(before)
        if f.name not in ("search_text", "updated_at")
        and getattr(before, f.name) != getattr(after, f.name)
    }
    assert changed == {field} and getattr(after, field) == expected


def test_a_fixture_users_update_deletion_and_password_reach_their_fields() -> None:
    gone = {"id": 12, "username": "gone", "name": "Gone", "email": "gone@example.com"}
    gone |= {"updatedAt": "2024-02-02T00:00:00Z", "status": "DELETED"}
    gone |= {"deletedAt": "2024-03-01T00:00:00Z", "password": "usersim-password"}
    document = hub()
    document["users"].append(gone)
    user = next(u for u in records(document).tables["users"] if u.id == 12)
    assert (user.updated_at, user.deleted_at) == (1_706_832_000_000, 1_709_251_200_000)
    assert user.password_hash is not None and "usersim-password" not in user.password_hash


def test_a_deleted_users_email_is_free_in_fixtures_too() -> None:
    users = [
        {"id": 10, "username": "admin", "name": "A", "email": "admin@example.com", "role": 1},
        {"id": 11, "username": "user", "name": "U", "email": "user@example.com"},
        {
            "id": 12,
            "username": "old",
            "name": "O",
            "email": "USER@example.com",
            "status": "DELETED",
        },
    ]
    store = RapidApiStore()
    store.load(records(hub(users=users)))
    assert store.users.by_email("user@example.com").id == 11


def test_an_export_is_a_fixture_that_rebuilds_the_same_records(sim: Any) -> None:
    store: RapidApiStore = sim.rapidapi
    with store.transaction():
        store.teams.create(store.users.get(ADA), PLATFORM, "Exported Team")
    exported = store.export()
    rebuilt = records(yaml.safe_load(yaml.safe_dump(exported)))
    for name, table in store.state.db.tables.items():
        if name == "invite_mails":  # tokens in clear: never exported (the invites keep hashes)
            assert "invite_mails" not in rebuilt.tables
            continue
        assert sorted(map(repr, table.values())) == sorted(map(repr, rebuilt.tables[name])), name


def test_reset_returns_to_the_fixture_and_rewinds_ids(sim: Any) -> None:
    store: RapidApiStore = sim.rapidapi
    baseline = store.export()
    ada = store.users.get(ADA)
    first = store.teams.create(ada, PLATFORM, "Temporary")
    store.users.update(ada, TOM, {"status": "DEACTIVATED"})
    assert sim.reset() > 0
    assert store.export() == baseline
    assert store.teams.create(ada, PLATFORM, "Temporary").id == first.id


def test_replace_makes_the_state_equal_to_a_snapshot_and_reset_still_returns(sim: Any) -> None:
    store: RapidApiStore = sim.rapidapi
    baseline = store.export()
    snapshot = yaml.safe_load(yaml.safe_dump(baseline))
    snapshot["organizations"][0]["members"] = [
        m for m in snapshot["organizations"][0]["members"] if m["user"] != DEV
    ]
    store.replace(records(snapshot))
    assert store.access.membership(ACME, DEV) is None
    assert store.invariants() == []
    sim.reset()
    assert store.export() == baseline


def test_the_default_fixture_validates_from_the_cli_loader() -> None:
    loaded = load_fixtures([Path(default_fixture())])
    assert loaded.rapidapi.problems == []
    assert len(loaded.rapidapi.tables["users"]) == 8
