"""Converting between fixture datetimes, stored epoch milliseconds and wire strings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


def to_ms(value: datetime) -> int:
    """Epoch milliseconds; a datetime without a zone is read as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value - _EPOCH) // _MS


def from_ms(ms: int) -> datetime:
    return _EPOCH + ms * _MS


def iso(ms: int) -> str:
    """The wire form of a DateTime: ISO 8601 in UTC with milliseconds, `...T09:30:00.000Z`."""
    return from_ms(ms).isoformat(timespec="milliseconds").replace("+00:00", "Z")
