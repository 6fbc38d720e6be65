"""CurrentGen paging: `limit` and `offset` checked as Harness checks them, and PageInfo."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simulator.harness_cg.errors import CgRefusal
from simulator.scenarios.policies import PagePolicy
from simulator.store.values import Page

MAX_LIMIT = 100
"""Harness serves larger limits as 100 (its connection fetchers' MAX_RECORD_LIMIT)."""


def checked(limit: int, offset: int | None) -> tuple[int, int]:
    """(limit, offset) as Harness's connection fetchers take them: negatives refused, an
    absent or null offset 0, a limit over 100 served (and reported) as 100."""
    if limit < 0:
        raise CgRefusal("Limit argument accepts only non negative values")
    offset = 0 if offset is None else offset
    if offset < 0:
        raise CgRefusal("Offset argument accepts only non negative values")
    return min(limit, MAX_LIMIT), offset


def window(policy: PagePolicy, limit: int, offset: int | None) -> tuple[int, int]:
    """`checked` (limit, offset); then the pagination policy may force, clamp or refuse
    the limit."""
    limit, offset = checked(limit, offset)
    if policy.too_large(limit):
        raise CgRefusal(f"Limit argument accepts at most {policy.max_page_size}")
    return policy.size(limit), offset


def page_of(items: Sequence[Any], limit: int, offset: int) -> Page:
    """A page cut from a list already in order."""
    return Page(len(items), list(items[offset : offset + limit]))


def connection(page: Page, limit: int, offset: int) -> dict[str, Any]:
    """A UserConnection / UserGroupConnection: the page and where it sits."""
    return {
        "pageInfo": {
            "total": page.total,
            "limit": limit,
            "offset": offset,
            "hasMore": offset + limit < page.total,
        },
        "nodes": page.items,
    }
