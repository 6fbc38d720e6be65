"""The shared store machinery: transactions, indexes, orderings and reset."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest

from simulator.store.database import Database, Index, Ordering, Table
from simulator.store.errors import IntegrityError, StoreError


@dataclass(frozen=True)
class Person:
    id: int
    team: str
    email: str
    tags: tuple[str, ...] = ()


def make_db() -> tuple[Database, Table[Person]]:
    db = Database()
    people: Table[Person] = db.add_table(
        Table(
            "people",
            lambda p: p.id,
            indexes=[
                Index("email", lambda p: p.email, unique=True),
                Index("tag", lambda p: p.tags, multi=True),
            ],
            orderings=[Ordering("by_email", lambda p: p.team, lambda p: p.email)],
        )
    )
    db.load(
        {"people": [Person(1, "a", "x@a"), Person(2, "a", "w@a", ("t",)), Person(3, "b", "z@b")]}
    )
    return db, people


def test_a_failed_transaction_changes_nothing() -> None:
    db, people = make_db()
    before = {p.id: p for p in people.values()}
    with pytest.raises(StoreError), db.transaction():
        db.put(people, replace(people.get(1), email="new@a"))
        db.delete(people, 2)
        db.insert(people, Person(4, "b", "y@b"))
        raise StoreError("refused half-way")
    assert {p.id: p for p in people.values()} == before
    assert people.find("email", "new@a") is None and people.find("email", "w@a").id == 2
    assert [p.id for p in people.ordered("by_email", "a")] == [2, 1]
    assert db.verify_indexes() == []


def test_a_commit_check_can_refuse_the_result() -> None:
    db, people = make_db()

    def no_team_b(changes: list) -> None:
        if any(c.after is not None and c.after.team == "b" for c in changes):
            raise StoreError("team b is closed")

    db.add_check(no_team_b)
    with pytest.raises(StoreError), db.transaction():
        db.insert(people, Person(5, "b", "v@b"))
    assert 5 not in people
    with db.transaction():
        db.insert(people, Person(5, "a", "v@a"))
    assert 5 in people


def test_unique_indexes_are_enforced() -> None:
    db, people = make_db()
    with pytest.raises(IntegrityError), db.transaction():
        db.insert(people, Person(9, "a", "x@a"))
    assert 9 not in people
    with pytest.raises(RuntimeError):
        db.insert(people, Person(9, "a", "q@a"))  # outside a transaction


def test_orderings_and_multi_indexes_follow_writes() -> None:
    db, people = make_db()
    with db.transaction():
        db.put(people, replace(people.get(3), team="a", tags=("t", "u")))
    assert [p.email for p in people.ordered("by_email", "a")] == ["w@a", "x@a", "z@b"]
    assert people.count("by_email", "b") == 0
    assert [p.id for p in people.slice("by_email", "a", 1, 5)] == [1, 3]
    assert [p.id for p in people.find_all("tag", "t")] == [2, 3]
    assert db.verify_indexes() == []


def test_an_update_moves_only_what_changed_and_keeps_every_index_in_step() -> None:
    db, people = make_db()
    assert [p.id for p in people.ordered("by_email", "a")] == [2, 1]  # built here
    with db.transaction():
        db.put(people, replace(people[1], tags=("u",)))  # a multi index only
        db.put(people, replace(people[2], email="y@a"))  # unique index and sort key
        db.put(people, people[3])  # nothing at all
    assert [p.id for p in people.find_all("tag", "u")] == [1]
    assert people.find("email", "w@a") is None and people.find("email", "y@a").id == 2
    assert [p.id for p in people.ordered("by_email", "a")] == [1, 2]
    assert db.verify_indexes() == []
    with pytest.raises(StoreError), db.transaction():
        db.put(people, replace(people[1], tags=()))
        raise StoreError("refused")
    assert [p.id for p in people.find_all("tag", "u")] == [1]
    db.reset()
    assert people.find("email", "w@a").id == 2 and people.find_all("tag", "u") == []
    assert [p.id for p in people.ordered("by_email", "a")] == [2, 1]
    assert db.verify_indexes() == []


def test_an_ordering_built_on_first_read_is_kept_in_step_afterwards() -> None:
    db, people = make_db()
    assert [p.id for p in people.ordered("by_email", "a")] == [2, 1]  # built here
    with db.transaction():
        db.put(people, Person(4, "a", "a@a"))
        db.delete(people, 2)
    assert [p.id for p in people.slice("by_email", "a", 0, 5)] == [4, 1]
    db.reset()
    assert [p.id for p in people.slice("by_email", "a", 0, 5)] == [2, 1]
    assert db.verify_indexes() == []


def test_reset_returns_to_the_baseline_in_order_of_changes() -> None:
    db, people = make_db()
    baseline = sorted(people.values(), key=lambda p: p.id)
    with db.transaction():
        db.put(people, replace(people.get(1), email="moved@a"))
        db.insert(people, Person(7, "a", "x@a"))  # takes the email person 1 gave up
        db.delete(people, 3)
    assert db.changed_keys == 3
    assert db.reset() == 3
    assert sorted(people.values(), key=lambda p: p.id) == baseline
    assert people.find("email", "x@a").id == 1
    assert db.verify_indexes() == []
    assert db.changed_keys == 0


class Counter:
    """State outside the tables that a reset or a replay rewinds (as the id generators are)."""

    def __init__(self) -> None:
        self.value = 0

    def snapshot(self) -> int:
        return self.value

    def restore(self, state: int) -> None:
        self.value = state


def test_reset_rewinds_snapshottable_parts() -> None:
    db, _ = make_db()
    counter = Counter()
    db.add_stateful(counter)
    db.mark_baseline()
    counter.value = 42
    db.reset()
    assert counter.value == 0


def test_a_replay_takes_back_what_it_committed() -> None:
    db, people = make_db()
    counter = Counter()
    db.add_stateful(counter)
    db.mark_baseline()
    with db.transaction():
        db.put(people, replace(people[3], email="kept@b"))  # before the replay: stays
    before = {p.id: p for p in people.values()}
    version = db.version
    with db.replay() as rewind:
        with db.transaction():
            db.insert(people, Person(4, "b", "y@b"))
            counter.value += 1
        with db.transaction():
            db.put(people, replace(people[1], email="moved@a"))
            db.delete(people, 2)
        with pytest.raises(StoreError), db.transaction():  # refused: nothing to take back
            db.insert(people, Person(5, "b", "v@b"))
            raise StoreError("refused")
        rewind()
        assert {p.id: p for p in people.values()} == before
        assert counter.value == 0
        assert db.version > version + 2  # forward: nothing memoised in between is reused
        with db.transaction():  # after the rewind, commits stay
            db.insert(people, Person(6, "a", "u@a"))
    assert 6 in people and 4 not in people
    assert db.verify_indexes() == []
    assert db.reset() and {p.id for p in people.values()} == {1, 2, 3}
    assert people[3].email == "z@b"  # the reset still knows the baseline


def test_a_replay_that_commits_nothing_leaves_the_version_alone() -> None:
    db, people = make_db()
    version = db.version
    with db.replay() as rewind:
        people.get(1)
        rewind()
    assert db.version == version
