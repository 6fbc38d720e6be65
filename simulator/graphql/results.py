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
from typing import Any

import orjson

from simulator.records import record


@record
class CachedAnswer:
    version: int
    valid_until: int | None  # epoch ms on the simulated clock, or None: no expiry
    status: int
    body: bytes
    media_type: str
    codes: tuple[str, ...] = ()  # the error codes the answer carries, noted again on reuse


DEFAULT_MAX_BYTES = 32 * 1024 * 1024


class ResultCache:
    """Bounded by entries and by the bytes of the answers kept (one answer can be
    megabytes); an answer larger than a sixteenth of the budget is not kept."""

    def __init__(self, max_entries: int = 512, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._entries: OrderedDict[Hashable, CachedAnswer] = OrderedDict()
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._bytes = 0
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
                self._bytes -= len(answer.body)
                return None
            self._entries.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: CachedAnswer) -> None:
        if len(answer.body) > self._max_bytes // 16:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= len(previous.body)
            self._entries[key] = answer
            self._bytes += len(answer.body)
            while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        return self._bytes


def variables_key(variables: Mapping[str, Any]) -> bytes | None:
    """Variables as part of a cache key; None when orjson cannot write them (nested more
    than 254 levels deep, which its parser accepts): such a request is not cached."""
    try:
        return orjson.dumps(variables, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return None
