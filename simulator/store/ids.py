"""Identifier generators, seeded so that a run repeats exactly, that never hand out an id
a record already has.

Random ids (Harness's 22-character ids, tokens) come from a seeded generator that is
part of the store's state, so a reset rewinds it with the tables. Records can also
arrive that no generator made, or that an earlier run's generator made: fixtures, a
`PUT /_usersim/state`, a `--state-file` restore. After such an arrival the database
asks the generator to move past them (`follow`): it draws from a new stream, and a
draw for a key is checked against the table that will hold it. (RapidAPI's numeric
ids come from sequences its store continues after the highest id a load brings.)
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable, Mapping
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

    def follow(self, tables: Mapping[str, Any], written: int) -> None:
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
