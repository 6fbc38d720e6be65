"""Tables, indexes and all-or-nothing transactions over immutable records.

Every vendor store keeps its state in `Table`s owned by one `Database`. Records are
frozen dataclasses: a change replaces a record, it never edits one in place. That is
what makes the two guarantees below cheap:

* All or nothing. Every write inside `Database.transaction()` appends the record it
  replaced to an undo log. If the block raises (validation failed half-way, a commit
  check refused the result, or a bug), the log is replayed backwards and the tables
  and their indexes are exactly as before.
* Reset in O(changes). The first time a key is written after the baseline was marked,
  its baseline record is remembered. `reset()` puts those records back and forgets
  everything else, so resetting a 100k-user fixture after a test that touched three
  users costs three writes.

One re-entrant lock serialises transactions and reads. uvicorn's event loop and a test
thread calling the store directly both go through it, which is all the concurrency
control an in-memory simulator of this size needs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sortedcontainers import SortedList

from simulator.store.errors import IntegrityError

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Index:
    """A secondary lookup. `key(record)` is the indexed value; None means "not indexed".

    A unique index refuses a second record with the same value. A `multi` index takes
    an iterable of values per record (for example, a group indexed by each member).
    """

    name: str
    key: Callable[[Any], Any]
    unique: bool = False
    multi: bool = False


@dataclass(frozen=True, slots=True)
class Ordering:
    """Records kept sorted inside partitions, for paging without sorting per request.

    `partition(record)` picks the list (None: not listed), `sort_key(record)` the
    position. Ties are broken by primary key, so the order is total and repeatable.
    """

    name: str
    partition: Callable[[Any], Hashable | None]
    sort_key: Callable[[Any], Any]


class Table(Generic[R]):
    """Rows keyed by primary key, with the indexes and orderings declared for them.

    Reads are public. Writes go through the owning `Database`, which logs them.
    """

    def __init__(
        self,
        name: str,
        primary_key: Callable[[R], Hashable],
        *,
        indexes: Iterable[Index] = (),
        orderings: Iterable[Ordering] = (),
    ) -> None:
        self.name = name
        self.primary_key = primary_key
        self._rows: dict[Hashable, R] = {}
        self._indexes = {index.name: index for index in indexes}
        self._index_data: dict[str, dict[Any, Any]] = {name: {} for name in self._indexes}
        self._orderings = {ordering.name: ordering for ordering in orderings}
        # Whole partitions as lists, kept until the table next changes: scans (searches,
        # filters) over 100k records would otherwise rebuild the list on every request.
        self._changes = 0
        self._partition_lists: dict[tuple[str, Hashable], tuple[int, list[R]]] = {}
        # None: not built since the last bulk load; the first read builds it from the rows.
        self._ordered: dict[str, dict[Hashable, SortedList] | None] = {
            name: {} for name in self._orderings
        }

    # -- reads -------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._rows

    def get(self, key: Hashable) -> R | None:
        return self._rows.get(key)

    def __getitem__(self, key: Hashable) -> R:
        """A record that must exist (a reference the invariants guarantee); KeyError if not."""
        return self._rows[key]

    def values(self) -> list[R]:
        """All records, in no promised order (a copy: safe to hold while writing)."""
        return list(self._rows.values())

    def find(self, index: str, value: Any) -> R | None:
        """The record whose unique `index` has `value`, or None."""
        key = self._index_data[index].get(value)
        return None if key is None else self._rows[key]

    def find_all(self, index: str, value: Any) -> list[R]:
        """Every record a non-unique index maps `value` to, in primary-key order."""
        keys = self._index_data[index].get(value)
        if not keys:
            return []
        try:
            ordered = sorted(keys)
        except TypeError:  # tuple keys holding None (an absent org or project)
            ordered = sorted(keys, key=_comparable)
        return [self._rows[key] for key in ordered]

    def count(self, ordering: str, partition: Hashable) -> int:
        items = self._partitions(ordering).get(partition)
        return 0 if items is None else len(items)

    def slice(self, ordering: str, partition: Hashable, start: int, stop: int) -> list[R]:
        """Records `start` to `stop` of a partition, in order: O(log n + page)."""
        items = self._partitions(ordering).get(partition)
        if items is None:
            return []
        return [self._rows[key] for _, key in items[start:stop]]

    def ordered(self, ordering: str, partition: Hashable) -> list[R]:
        """A whole partition, in order (a shared list: callers must not change it)."""
        cached = self._partition_lists.get((ordering, partition))
        if cached is not None and cached[0] == self._changes:
            return cached[1]
        items = self._partitions(ordering).get(partition)
        records = [] if items is None else [self._rows[key] for _, key in items]
        self._partition_lists[(ordering, partition)] = (self._changes, records)
        return records

    def _partitions(self, name: str) -> dict[Hashable, SortedList]:
        """An ordering's sorted partitions, built from the rows on first use.

        A large fixture declares orderings most runs never read (ten sort orders of
        RapidAPI users alone); sorting them all at load time would cost most of it.
        """
        partitions = self._ordered[name]
        if partitions is None:
            ordering = self._orderings[name]
            grouped: dict[Hashable, list[tuple[Any, Hashable]]] = {}
            for key, record in self._rows.items():
                partition = ordering.partition(record)
                if partition is not None:
                    grouped.setdefault(partition, []).append((ordering.sort_key(record), key))
            partitions = {partition: SortedList(items) for partition, items in grouped.items()}
            self._ordered[name] = partitions
        return partitions

    # -- writes (called by Database only) ------------------------------------------------

    def _write(self, key: Hashable, new: R | None) -> R | None:
        """Replace the record at `key` (None deletes) and keep every index in step."""
        self._changes += 1
        old = self._rows.get(key)
        if new is not None:
            self._check_unique(key, new)
        if old is not None:
            del self._rows[key]
        if new is not None:
            self._rows[key] = new
        for name, index in self._indexes.items():
            before = () if old is None else _index_values(index, old)
            after = () if new is None else _index_values(index, new)
            if before != after:  # an update leaves most indexes as they were
                self._remove_from_index(name, index, key, before)
                self._add_to_index(name, index, key, after)
        for name, ordering in self._orderings.items():
            partitions = self._ordered[name]
            if partitions is None:  # built from the rows when first read
                continue
            place_before = None if old is None else _place(ordering, old)
            place_after = None if new is None else _place(ordering, new)
            if place_before != place_after:
                if place_before is not None:
                    _leave(partitions, place_before, key)
                if place_after is not None:
                    _enter(partitions, place_after, key)
        return old

    def _check_unique(self, key: Hashable, record: R) -> None:
        for name, index in self._indexes.items():
            if not index.unique:
                continue
            value = index.key(record)
            if value is None:
                continue
            holder = self._index_data[name].get(value)
            if holder is not None and holder != key:
                raise IntegrityError(
                    f"{self.name}.{name}: {value!r} is already taken by {holder!r}"
                )

    def _add_to_index(self, name: str, index: Index, key: Hashable, values: Iterable[Any]) -> None:
        data = self._index_data[name]
        for value in values:
            if index.unique:
                data[value] = key
            else:
                data.setdefault(value, set()).add(key)

    def _remove_from_index(
        self, name: str, index: Index, key: Hashable, values: Iterable[Any]
    ) -> None:
        data = self._index_data[name]
        for value in values:
            if index.unique:
                if data.get(value) == key:
                    del data[value]
                continue
            keys = data.get(value)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del data[value]

    def _bulk_load(self, records: Iterable[R]) -> None:
        """Fill an empty table at once; each ordering is sorted in one pass when first read."""
        self._changes += 1
        rows = self._rows
        for record in records:
            key = self.primary_key(record)
            if key in rows:
                raise IntegrityError(f"{self.name}: key {key!r} appears twice")
            rows[key] = record
        for name, index in self._indexes.items():
            data = self._index_data[name]
            key_of = index.key
            if index.unique:
                for key, record in rows.items():
                    value = key_of(record)
                    if value is None:
                        continue
                    if value in data:
                        raise IntegrityError(f"{self.name}.{name}: {value!r} is taken twice")
                    data[value] = key
                continue
            # `_index_values` inlined: a large fixture runs these loops millions of times.
            if not index.multi:
                for key, record in rows.items():
                    value = key_of(record)
                    if value is None:
                        continue
                    keys = data.get(value)
                    if keys is None:
                        data[value] = {key}
                    else:
                        keys.add(key)
                continue
            for key, record in rows.items():
                for value in key_of(record) or ():
                    keys = data.get(value)
                    if keys is None:
                        data[value] = {key}
                    else:
                        keys.add(key)
        for name in self._orderings:
            self._ordered[name] = None

    def _clear(self) -> None:
        self._changes += 1
        self._rows.clear()
        for data in self._index_data.values():
            data.clear()
        for name in self._orderings:
            self._ordered[name] = {}

    def _verify_indexes(self) -> list[str]:
        """Rebuild every index from the rows and report where the live ones differ."""
        shadow: Table[R] = Table(
            self.name,
            self.primary_key,
            indexes=self._indexes.values(),
            orderings=self._orderings.values(),
        )
        problems = []
        for key, record in self._rows.items():
            if self.primary_key(record) != key:
                problems.append(f"{self.name}: row stored under {key!r} has another key")
            try:
                shadow._write(key, record)
            except IntegrityError as exc:
                problems.append(str(exc))
        if shadow._index_data != self._index_data:
            problems.append(f"{self.name}: an index is out of step with the rows")
        for name in self._orderings:
            live = {p: list(items) for p, items in self._partitions(name).items()}
            rebuilt = {p: list(items) for p, items in shadow._partitions(name).items()}
            if live != rebuilt:
                problems.append(f"{self.name}: ordering {name} is out of step with the rows")
        return problems


def _comparable(key: Hashable) -> Any:
    """A sort key for primary keys, which may be tuples holding None (an absent scope)."""
    if isinstance(key, tuple):
        return tuple((part is None, "" if part is None else part) for part in key)
    return key


def _index_values(index: Index, record: Any) -> tuple[Any, ...]:
    """The values `index` maps `record` from (none when its key is None)."""
    if index.multi:
        return tuple(index.key(record) or ())
    value = index.key(record)
    return () if value is None else (value,)


def _place(ordering: Ordering, record: Any) -> tuple[Hashable, Any] | None:
    """Where `record` goes in `ordering`: its partition and sort key (None: not listed)."""
    partition = ordering.partition(record)
    return None if partition is None else (partition, ordering.sort_key(record))


def _enter(
    partitions: dict[Hashable, SortedList], place: tuple[Hashable, Any], key: Hashable
) -> None:
    partition, sort_key = place
    items = partitions.get(partition)
    if items is None:
        items = partitions[partition] = SortedList()
    items.add((sort_key, key))


def _leave(
    partitions: dict[Hashable, SortedList], place: tuple[Hashable, Any], key: Hashable
) -> None:
    partition, sort_key = place
    items = partitions[partition]
    items.remove((sort_key, key))
    if not items:
        del partitions[partition]


@dataclass(frozen=True, slots=True)
class Change:
    """One key written by a transaction: what it was before and what it is now."""

    table: str
    key: Hashable
    before: Any
    after: Any


_UndoEntry = tuple[Table[Any], Hashable, Any, bool]
"""(table, key, record before the write, whether it was the first write since the baseline)"""


class Snapshottable(Protocol):
    """State outside the tables (id generators, counters) that a reset must rewind."""

    def snapshot(self) -> Any: ...

    def restore(self, state: Any) -> None: ...


class IdSource(Snapshottable, Protocol):
    """An id generator: state a reset rewinds, that must move past records it did not make."""

    def follow(self, tables: Mapping[str, Table[Any]], written: int) -> None:
        """`written` records arrived from outside (a load, or a replace of the content)."""
        ...


class Database:
    """Owns a vendor's tables, the lock, the undo log and the reset baseline."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.version = 0
        self._tables: dict[str, Table[Any]] = {}
        self._undo: list[_UndoEntry] | None = None
        self._originals: dict[tuple[str, Hashable], Any] = {}
        self._checks: list[Callable[[list[Change]], None]] = []
        self._stateful: list[Snapshottable] = []
        self._id_sources: list[IdSource] = []
        self._baseline_states: list[Any] = []
        # Undo logs of committed transactions, one per open `replay()` block.
        self._replays: list[list[_UndoEntry]] = []

    def add_table(self, table: Table[R]) -> Table[R]:
        self._tables[table.name] = table
        return table

    def add_check(self, check: Callable[[list[Change]], None]) -> None:
        """Run `check(changes)` before every commit; raising refuses the transaction."""
        self._checks.append(check)

    def add_stateful(self, part: Snapshottable) -> None:
        self._stateful.append(part)

    def add_id_source(self, source: IdSource) -> None:
        """State a reset rewinds, told to move past every record a load or replace brings."""
        self.add_stateful(source)
        self._id_sources.append(source)

    def _follow(self, written: int) -> None:
        for source in self._id_sources:
            source.follow(self._tables, written)

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open (its writes are not yet in `version`)."""
        return self._undo is not None

    @property
    def tables(self) -> dict[str, Table[Any]]:
        return dict(self._tables)

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing block. Nested blocks join the outermost one."""
        with self.lock:
            if self._undo is not None:
                yield
                return
            self._undo = []
            try:
                yield
                if self._undo:
                    self._run_checks(self._undo)
            except BaseException:
                self._rollback(self._undo)
                raise
            else:
                if self._undo:
                    self.version += 1
                    for journal in self._replays:
                        journal.extend(self._undo)
            finally:
                self._undo = None

    @contextmanager
    def replay(self) -> Iterator[Callable[[], None]]:
        """A block that can take back what it committed, to run something twice from one
        state (the GraphQL differential check executes each request both ways).

        The block receives `rewind()`: it undoes every transaction committed in the block
        so far and rewinds the id generators, and stops recording. The version still
        moves forward, so nothing memoised under a version of the first run is reused.
        """
        with self.lock:
            journal: list[_UndoEntry] = []
            states = [part.snapshot() for part in self._stateful]
            self._replays.append(journal)

            def stop_recording() -> None:
                self._replays = [other for other in self._replays if other is not journal]

            def rewind() -> None:
                stop_recording()
                if journal:
                    self._rollback(journal)
                    journal.clear()
                    self.version += 1
                for part, state in zip(self._stateful, states, strict=True):
                    part.restore(state)

            try:
                yield rewind
            finally:
                stop_recording()

    def insert(self, table: Table[R], record: R) -> R:
        key = table.primary_key(record)
        if key in table:
            raise IntegrityError(f"{table.name}: key {key!r} already exists")
        self._write(table, key, record)
        return record

    def put(self, table: Table[R], record: R) -> R:
        self._write(table, table.primary_key(record), record)
        return record

    def delete(self, table: Table[R], key: Hashable) -> R | None:
        if key not in table:
            return None
        return self._write(table, key, None)

    def _write(self, table: Table[R], key: Hashable, new: R | None) -> R | None:
        if self._undo is None:
            raise RuntimeError("writes must happen inside Database.transaction()")
        old = table._write(key, new)
        marker = (table.name, key)
        first_since_baseline = marker not in self._originals
        if first_since_baseline:
            self._originals[marker] = old
        self._undo.append((table, key, old, first_since_baseline))
        return old

    def _rollback(self, undo: list[_UndoEntry]) -> None:
        for table, key, old, first_since_baseline in reversed(undo):
            table._write(key, old)
            if first_since_baseline:
                del self._originals[(table.name, key)]

    def _run_checks(self, undo: list[_UndoEntry]) -> None:
        first: dict[tuple[str, Hashable], tuple[Table[Any], Any]] = {}
        for table, key, old, _ in undo:
            first.setdefault((table.name, key), (table, old))
        changes = [
            Change(name, key, before, table.get(key))
            for (name, key), (table, before) in first.items()
        ]
        for check in self._checks:
            check(changes)

    # -- baseline and reset --------------------------------------------------------------

    def load(self, records: Mapping[str, Iterable[Any]]) -> None:
        """Replace every table's content wholesale and make it the new baseline."""
        with self.lock:
            for table in self._tables.values():
                table._clear()
            for name, items in records.items():
                self._tables[name]._bulk_load(items)
            self._follow(sum(len(table) for table in self._tables.values()))
            self.mark_baseline()

    def replace_all(self, records: Mapping[str, Iterable[Any]]) -> None:
        """Make the content equal to `records` in one transaction, keeping the baseline.

        Unlike `load`, a later `reset()` still returns to the fixtures: only the keys that
        differ are written, each through the undo log.
        """
        with self.transaction():
            wanted = {
                name: {table.primary_key(record): record for record in records.get(name, ())}
                for name, table in self._tables.items()
            }
            # Clear every changed key first, so no unique index sees two holders at once.
            for name, table in self._tables.items():
                for key in [k for k, row in table._rows.items() if wanted[name].get(k) != row]:
                    self._write(table, key, None)
            written = 0
            for name, table in self._tables.items():
                for key, record in wanted[name].items():
                    if key not in table:
                        self._write(table, key, record)
                        written += 1
            self._follow(written)

    def mark_baseline(self) -> None:
        """The current content becomes what `reset()` returns to."""
        with self.lock:
            self._originals.clear()
            self._baseline_states = [part.snapshot() for part in self._stateful]
            self.version += 1

    def reset(self) -> int:
        """Put back the baseline; returns how many keys had changed."""
        with self.lock:
            touched = list(self._originals.items())
            for (name, key), _ in touched:
                self._tables[name]._write(key, None)
            for (name, key), original in touched:
                if original is not None:
                    self._tables[name]._write(key, original)
            self._originals.clear()
            for part, state in zip(self._stateful, self._baseline_states, strict=True):
                part.restore(state)
            self.version += 1
            return len(touched)

    @property
    def changed_keys(self) -> int:
        """How many keys differ from the baseline (an upper bound after undo)."""
        return len(self._originals)

    def verify_indexes(self) -> list[str]:
        with self.lock:
            problems: list[str] = []
            for table in self._tables.values():
                problems.extend(table._verify_indexes())
            return problems
