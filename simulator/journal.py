"""The journal: every request the faces received, newest last, secrets removed.

A ring buffer of plain dicts: recording is an append under a lock, everything else
(filtering, rendering) happens when somebody reads it, off the request path.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Iterator
from typing import Any

DEFAULT_SIZE = 10_000


class Journal:
    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=size)
        self._ids = itertools.count(1)

    @property
    def size(self) -> int:
        return self._entries.maxlen or 0

    def record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            entry["id"] = next(self._ids)
            self._entries.append(entry)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def entries(
        self,
        *,
        face: str | None = None,
        operation: str | None = None,
        status: int | None = None,
        since: int | None = None,
    ) -> list[dict[str, Any]]:
        """Matching entries, oldest first. `operation` matches any root field of a GraphQL call."""
        with self._lock:
            snapshot = list(self._entries)
        return [entry for entry in snapshot if _matches(entry, face, operation, status, since)]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.entries())


def _matches(
    entry: dict[str, Any],
    face: str | None,
    operation: str | None,
    status: int | None,
    since: int | None,
) -> bool:
    if face is not None and entry["face"] != face:
        return False
    if operation is not None and operation not in (entry["operation"] or "").split(","):
        return False
    if status is not None and entry["status"] != status:
        return False
    return since is None or entry["id"] > since
