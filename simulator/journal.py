"""The journal: every request the faces received, newest last, secrets removed.

Recording sits on every request's path, reading happens when a test asks. So a request
is kept as it came (a small tuple: raw headers and body, what the face learned) and
only rendered into JSON, with every secret redacted, when somebody reads the journal.
Nothing unredacted ever leaves it: a body is parsed as what its media type says (JSON,
any `+json`, YAML: what the faces accept), so a secret is found by its field's name
however the name was escaped, and a body that cannot be parsed is replaced by a
placeholder. A ring buffer bounds its memory by entries and by bytes (bodies, headers,
paths and query strings counted).
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Iterator
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlencode

import orjson

from simulator import redact
from simulator.http import (
    YAML_MEDIA_TYPES,
    header_bytes,
    is_json_content_type,
    media_type,
    parse_yaml,
)

DEFAULT_SIZE = 10_000
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
# Bodies larger than this are journaled as a note, not as content.
BODY_LIMIT = 64 * 1024


class Recorded(NamedTuple):
    """One request as it was received and answered."""

    id: int
    time: int  # epoch ms, simulated clock
    face: str | None
    operation: str | None
    operation_name: str | None
    account: str | None
    method: str
    path: str
    query: bytes
    status: int  # 0: the connection was dropped
    seconds: float
    fault: str | None
    headers: list[tuple[bytes, bytes]]
    body: bytes
    body_size: int


class Journal:
    def __init__(self, size: int = DEFAULT_SIZE, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._lock = threading.Lock()
        self._entries: deque[tuple[Recorded, int]] = deque()
        self._size = size
        self._max_bytes = max_bytes
        self._bytes = 0
        self._ids = itertools.count(1)

    @property
    def size(self) -> int:
        return self._size

    @property
    def bytes(self) -> int:
        """What the kept entries weigh, as the byte bound counts it."""
        return self._bytes

    def record(self, *fields: Any) -> None:
        """Keep a request: every `Recorded` field but the id, in order; the oldest go
        when either bound is passed."""
        entry = Recorded._make((next(self._ids), *fields))
        weight = _weight(entry)
        with self._lock:
            self._entries.append((entry, weight))
            self._bytes += weight
            while len(self._entries) > self._size or (
                self._bytes > self._max_bytes and len(self._entries) > 1
            ):
                _, dropped = self._entries.popleft()
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

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
        """Matching entries, oldest first, rendered with secrets redacted. `operation`
        matches a REST operationId or any root field of a GraphQL call."""
        with self._lock:
            snapshot = [entry for entry, _ in self._entries]
        return [
            render(entry) for entry in snapshot if _matches(entry, face, operation, status, since)
        ]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.entries())


def _weight(entry: Recorded) -> int:
    """Bytes an entry keeps alive, roughly: its variable parts plus a fixed overhead."""
    headers = header_bytes(entry.headers) + 64 * len(entry.headers)
    return 512 + len(entry.body) + headers + len(entry.path) + len(entry.query)


def render(entry: Recorded) -> dict[str, Any]:
    headers = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in entry.headers]
    return {
        "id": entry.id,
        "time": entry.time,
        "face": entry.face,
        "operation": entry.operation,
        "operationName": entry.operation_name,
        "account": entry.account,
        "method": entry.method,
        "path": entry.path,
        "query": _query(entry.query.decode("latin-1")),
        "status": entry.status,
        "durationMs": round(entry.seconds * 1000, 3),
        "fault": entry.fault,
        "request": {"headers": redact.headers(headers), "body": _body(entry, headers)},
    }


def _matches(
    entry: Recorded, face: str | None, operation: str | None, status: int | None, since: int | None
) -> bool:
    if face is not None and entry.face != face:
        return False
    if operation is not None and operation not in (entry.operation or "").split(","):
        return False
    if status is not None and entry.status != status:
        return False
    return since is None or entry.id > since


def _query(text: str) -> str:
    """The query string, with the value of any secret-named parameter redacted."""
    if not text:
        return text
    pairs = parse_qsl(text, keep_blank_values=True)
    if not any(redact.is_secret_name(name) for name, _ in pairs):
        return text
    return urlencode([(n, redact.REDACTED if redact.is_secret_name(n) else v) for n, v in pairs])


def _body(entry: Recorded, headers: list[tuple[str, str]]) -> Any:
    raw = entry.body
    if not entry.body_size:
        return None
    if entry.body_size > BODY_LIMIT:
        return f"[{entry.body_size} bytes, not kept]"
    content_type = next((value for name, value in headers if name.lower() == "content-type"), None)
    try:
        if is_json_content_type(content_type):
            return redact.value(orjson.loads(raw))
        if media_type(content_type) in YAML_MEDIA_TYPES:
            return _yaml_body(raw)
    except (ValueError, orjson.JSONEncodeError, RecursionError):
        pass  # JSONDecodeError is a ValueError
    return redact.unparsed(len(raw), media_type(content_type))


def _yaml_body(raw: bytes) -> Any:
    """A YAML body, redacted; ValueError if it cannot be rendered."""
    parsed = parse_yaml(raw)
    if not _expands_within(parsed, 2 * BODY_LIMIT):
        raise ValueError("expands past the bound")
    # YAML allows keys and values JSON has not (numbers as keys, dates, sets).
    plain = orjson.loads(orjson.dumps(parsed, option=orjson.OPT_NON_STR_KEYS, default=str))
    return redact.value(plain)


def _expands_within(data: Any, limit: int) -> bool:
    """Whether `data` holds at most `limit` values once every YAML alias is expanded.

    Anchors and aliases let a few hundred bytes stand for billions of values, or for a
    list that contains itself, and rendering expands them all. Without aliases a body
    has fewer than two values per byte (`a:` is a mapping, a key and a null), so twice
    the largest body kept refuses none of them.
    """
    pending = [data]
    count = 0
    while pending:
        count += 1
        if count > limit:
            return False
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            pending.extend(item)
    return True
