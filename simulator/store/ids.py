"""Identifier generators, seeded so that a run repeats exactly, that never hand out an id
a record already has.

Two kinds of id exist. Random ones (Harness's 22-character ids, tokens) come from a
seeded generator; numeric ones (RapidAPI's) grow by one per id space. Both are part of
the store's state, so a reset rewinds them with the tables. Records can also arrive
that no generator made, or that an earlier run's generator made: fixtures, a
`PUT /_usersim/state`, a `--state-file` restore. After such an arrival the database
asks every id source to move past them (`follow`): a sequence continues after the
highest id its columns hold, the random generator draws from a new stream, and a draw
for a key is checked against the table that will hold it.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable, Iterable, Mapping
from typing import Any


class IdGenerator:
    """Draws vendor-shaped identifiers from a seeded generator.

    Harness ids are 22 characters of URL-safe base64 (16 random bytes without
    padding), as the real APIs return them. The generator's state is part of the
    store's state: a reset rewinds it, so a test that creates a user after a reset
    gets the same id every time.
    """

    def __init__(self, seed: int = 0) -> None:
        self._seed = seed
        self._rng = random.Random(seed)
        # How many times records arrived; a reset never rewinds it, so a stream that
        # was used once is never started again.
        self._arrivals = 0

    def harness_id(self) -> str:
        raw = self._rng.getrandbits(128).to_bytes(16, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    def token(self, nbytes: int = 24) -> str:
        """An opaque secret-looking string (API key material, invite tokens)."""
        raw = self._rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    @staticmethod
    def unused(draw: Callable[[], str], taken: Callable[[str], bool]) -> str:
        """The first drawn id that `taken` says no record has (fixtures may hold any)."""
        while True:
            candidate = draw()
            if not taken(candidate):
                return candidate

    def follow(self, tables: Mapping[str, Any], written: int, *, loaded: bool = False) -> None:
        """Records the generator did not draw arrived: continue on a stream never used.

        The stream that made them may be the one a reset rewound to (a reset, then a
        PUT of a state saved after creates); the new one depends on the current stream,
        the count of arrivals, how many records arrived and the tables' sizes, so it
        repeats with the run and differs from every stream the state's records came from.
        """
        if not written:
            return
        self._arrivals += 1
        sizes = ",".join(f"{name}={len(table)}" for name, table in sorted(tables.items()))
        marker = f"{self._seed}:{self._rng.getrandbits(128)}:{self._arrivals}:{written}:{sizes}"
        self._rng.seed(marker)

    def snapshot(self) -> Any:
        return self._rng.getstate()

    def restore(self, state: Any) -> None:
        self._rng.setstate(state)


Column = tuple[str, Callable[[Any], int]]
"""A table name and how to read one id of the space from its records."""


class Sequences:
    """Next numeric id per id space; RapidAPI's ids grow by one (see team 7669831 of
    organization 7669830). Part of the state: a reset rewinds them with the tables.

    Each space names the columns that hold its ids, so whatever records arrive, the next
    id comes after the highest one there.
    """

    def __init__(self, spaces: Mapping[str, Iterable[Column]] | None = None) -> None:
        self._spaces = {space: tuple(columns) for space, columns in (spaces or {}).items()}
        self._next: dict[str, int] = {}

    def peek(self, space: str) -> int:
        return self._next.get(space, 1)

    def next(self, space: str) -> int:
        value = self._next.get(space, 1)
        self._next[space] = value + 1
        return value

    def follow(self, tables: Mapping[str, Any], written: int, *, loaded: bool = False) -> None:
        """Continue every space after the highest id its columns hold (`loaded`: the
        tables were filled from nothing, so exactly after it, as a fresh start does)."""
        for space, columns in self._spaces.items():
            highest = max(
                (read(record) for name, read in columns for record in tables[name].values()),
                default=0,
            )
            if loaded or self.peek(space) <= highest:
                self._next[space] = highest + 1

    def snapshot(self) -> dict[str, int]:
        return dict(self._next)

    def restore(self, state: dict[str, int]) -> None:
        self._next = dict(state)
