"""Identifier generators, seeded so that a run repeats exactly."""

from __future__ import annotations

import base64
import random
from typing import Any


class IdGenerator:
    """Draws vendor-shaped identifiers from a seeded generator.

    Harness ids are 22 characters of URL-safe base64 (16 random bytes without
    padding), as the real APIs return them. The generator's state is part of the
    store's state: a reset rewinds it, so a test that creates a user after a reset
    gets the same id every time.
    """

    def __init__(self, seed: int = 0) -> None:
        self._rng = random.Random(seed)

    def harness_id(self) -> str:
        raw = self._rng.getrandbits(128).to_bytes(16, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    def token(self, nbytes: int = 24) -> str:
        """An opaque secret-looking string (API key material, invite tokens)."""
        raw = self._rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")

    def snapshot(self) -> Any:
        return self._rng.getstate()

    def restore(self, state: Any) -> None:
        self._rng.setstate(state)
