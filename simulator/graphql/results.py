"""Answers to read-only GraphQL operations, reused while nothing they depend on changed.

Executing a query costs far more than anything else a request does (graphql-core walks
every selected field). A query's answer is a pure function of the document, its
variables, who asks, the state and the clock; so, keyed by all of those and checked
against the state's version, an answer computed once serves every identical request
until the state changes. Mutations are never cached, and a face bypasses the cache
whenever a policy makes reads change the state (drift).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson


@dataclass(frozen=True)
class CachedAnswer:
    version: int
    valid_until: int | None  # epoch ms on the simulated clock, or None: no expiry
    status: int
    body: bytes
    media_type: str
    codes: tuple[str, ...] = ()  # the error codes the answer carries, noted again on reuse


class ResultCache:
    def __init__(self, max_entries: int = 512) -> None:
        self._entries: OrderedDict[Hashable, CachedAnswer] = OrderedDict()
        self._max_entries = max_entries
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: int, now_ms: int) -> CachedAnswer | None:
        with self._lock:
            answer = self._entries.get(key)
            if answer is None:
                return None
            if answer.version != version or (
                answer.valid_until is not None and now_ms >= answer.valid_until
            ):
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: CachedAnswer) -> None:
        with self._lock:
            self._entries[key] = answer
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


def variables_key(variables: Mapping[str, Any]) -> bytes | None:
    """Variables as part of a cache key; None when orjson cannot write them (nested more
    than 254 levels deep, which its parser accepts): such a request is not cached."""
    try:
        return orjson.dumps(variables, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return None
