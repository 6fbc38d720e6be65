"""The Harness store used directly, as a test thread would while uvicorn serves."""

from __future__ import annotations

import threading
from dataclasses import fields
from typing import Any

import pytest

from simulator.fixtures.loader import load_fixtures
from simulator.resources import default_fixture
from simulator.store.errors import AlreadyExists, ConstraintViolation, NotFound
from simulator.store.harness import HarnessStore
from simulator.store.harness.models import Scope
from simulator.store.harness.role_assignments import AssignmentSpec
from tests.ids import ACCOUNT, GARY, SARA


@pytest.fixture
def store() -> HarnessStore:
    harness = HarnessStore(seed=7)
    harness.load(load_fixtures([default_fixture()]).harness)
    return harness


def test_ids_are_harness_shaped_and_repeat_after_reset(store: HarnessStore) -> None:
    first = store.users.create(ACCOUNT, name="A", email="a@example.com").id
    assert len(first) == 22 and set(first) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    store.reset()
    assert store.users.create(ACCOUNT, name="A", email="a@example.com").id == first


def test_emails_are_unique_per_account_case_insensitively(store: HarnessStore) -> None:
    with pytest.raises(AlreadyExists):
        store.users.create(ACCOUNT, name="Dup", email="SRUIZ@example.com")
    assert store.users.by_email(ACCOUNT, "SRuiz@Example.com").id == "SArz5MsSS8y2PNbwhc8INw"
    # The same email in the other account is a different user.
    other = store.users.by_email("UsersimAccount00000002", "sruiz@example.com")
    assert other is not None and other.id != "SArz5MsSS8y2PNbwhc8INw"


def test_deleting_a_user_removes_every_reference(store: HarnessStore) -> None:
    store.users.delete(ACCOUNT, "SArz5MsSS8y2PNbwhc8INw")
    assert store.invariants() == []
    with pytest.raises(NotFound):
        store.users.get(ACCOUNT, "SArz5MsSS8y2PNbwhc8INw")


def test_the_last_admin_stays(store: HarnessStore) -> None:
    before = store.export()
    with pytest.raises(ConstraintViolation):
        store.users.delete(ACCOUNT, "UsersimAdminUser000001")
    assert store.export() == before
    assert store.invariants() == []


def test_invariants_report_a_broken_state(store: HarnessStore) -> None:
    from dataclasses import replace

    group = store.state.groups.get("7mejLPDtRvOCF8K3roIEVg")
    with store.transaction():
        store.state.db.put(store.state.groups, replace(group, member_ids=("ghost",)))
    assert any("ghost" in problem for problem in store.invariants())


def test_concurrent_writers_never_break_invariants(store: HarnessStore) -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(40):
                user = store.users.create(ACCOUNT, name=f"T{n}-{i}", email=f"t{n}-{i}@example.com")
                store.users.add_to_scope(
                    Scope(ACCOUNT, "default", "checkout"), [user.email], [], []
                )
                if i % 2:
                    store.users.delete(ACCOUNT, user.id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.invariants() == []
    assert store.users.page_by_name(ACCOUNT, 0, 1000, include_disabled=True).total == 8 + 6 * 20


def test_export_is_a_fixture_that_loads_back_identically(store: HarnessStore) -> None:
    from simulator.fixtures.loader import build, parse_document

    store.users.create(ACCOUNT, name="Exported", email="exported@example.com")
    exported = store.export()
    problems: list[str] = []
    document = parse_document("snapshot", {"harness": exported}, problems)
    assert problems == []
    reloaded = HarnessStore()
    reloaded.load(build([("snapshot", document)]).harness)
    assert reloaded.export() == exported
    assert "usersim-admin-key" not in str(exported) and "usersim-password" not in str(exported)


def test_a_generated_assignment_identifier_skips_one_a_record_has(store: HarnessStore) -> None:
    """The identifier the generator would draw next is taken (as a fixture or a client
    may take it): the create draws another instead of answering 'already exists'."""
    ids = store.state.ids
    before = ids.snapshot()
    next_identifier = f"role_assignment_{ids.token(15)}"
    ids.restore(before)
    scope = Scope(ACCOUNT)
    viewer = {"role": "_account_viewer", "resource_group": "_all_account_level_resources"}
    taken = store.role_assignments.create(
        scope, AssignmentSpec("USER", GARY, identifier=next_identifier, **viewer)
    )
    ids.restore(before)  # an explicit identifier draws nothing; make sure of it anyway
    drawn = store.role_assignments.create(scope, AssignmentSpec("USER", SARA, **viewer))
    assert taken.identifier == next_identifier
    assert drawn.identifier.startswith("role_assignment_") and drawn.identifier != next_identifier
    assert store.invariants() == []


def _fixture_user(**given: object) -> Any:
    """The record of user U1, given `given` (fixture keys) beside its id, name and email."""
    from simulator.fixtures.loader import build, parse_document

    admin = {"id": "A1", "name": "Admin", "email": "admin@example.com"}
    user = {"id": "U1", "name": "One", "email": "one@example.com", **given}
    account = {
        "id": "Acc",
        "name": "Acc",
        "users": [admin, user],
        "roleAssignments": [
            {
                "principal": {"type": "USER", "id": "A1"},
                "role": "_account_admin",
                "resourceGroup": "_all_resources_including_child_scopes",
            }
        ],
    }
    problems: list[str] = []
    document = parse_document("test", {"harness": {"accounts": [account]}}, problems)
    assert problems == [] and document is not None
    records = build([("test", document)]).harness.tables["users"]
    return next(record for record in records if record.id == "U1")


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("name", "Other", "name"),
        ("email", "Other@Example.com", "email"),
        ("givenName", "Given", "given_name"),
        ("familyName", "Family", "family_name"),
        ("emailVerified", False, "email_verified"),
        ("locked", True, "locked"),
        ("lockedUntil", 1_800_000_000_000, "locked_until"),
        ("failedAttempts", 3, "failed_attempts"),
        ("disabled", True, "disabled"),
        ("externallyManaged", True, "externally_managed"),
        ("externalId", "ext-1", "external_id"),
        ("importedByScim", True, "imported_by_scim"),
        ("passwordExpired", True, "password_expired"),
        ("twoFactorEnabled", True, "two_factor_enabled"),
        ("totpSecret", "JBSWY3DPEHPK3PXP", "totp_secret"),
        ("lastUpdatedAt", 1_700_000_001_000, "last_updated_at"),
        ("lastLogin", 1_700_000_002_000, "last_login"),
    ],
)
def test_each_fixture_user_key_sets_its_own_field(key: str, value: object, field: str) -> None:
    """The builder passes a user's fields by position: a key landing in another field
    shows here as a second changed field."""
    before, after = _fixture_user(), _fixture_user(**{key: value})
    changed = {
        f.name
        for f in fields(before)
        if f.name != "search_text" and getattr(before, f.name) != getattr(after, f.name)
    }
    expected = value.lower() if isinstance(value, str) and key == "email" else value
    assert changed == {field} and getattr(after, field) == expected


def test_a_fixture_users_times_and_password_reach_their_fields() -> None:
    user = _fixture_user(createdAt=1_700_000_000_000, password="usersim-password")
    assert (user.created_at, user.last_updated_at) == (1_700_000_000_000, 1_700_000_000_000)
    assert user.password_hash is not None and "usersim-password" not in user.password_hash
