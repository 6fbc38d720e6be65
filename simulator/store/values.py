"""Small value types shared by every vendor store."""

from __future__ import annotations

from typing import Any

from simulator.records import record


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()
"""Marks an argument the caller did not send, as opposed to one sent as null."""


@record
class Page:
    """One page of a listing and the size of the whole listing."""

    total: int
    items: list[Any]
