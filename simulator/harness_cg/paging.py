"""CurrentGen paging: `limit` and `offset` checked as Harness checks them, and PageInfo."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simulator.harness_cg.errors import CgRefusal
from simulator.scenarios.policies import PagePolicy
from simulator.store.values import Page


def window(policy: PagePolicy, limit: int, offset: int | None) -> tuple[int, int]:
    """(limit, offset), refusing negatives; an absent or null offset is 0. The pagination
    policy may force, clamp or refuse the limit (CurrentGen itself sets no maximum)."""
    if limit < 0:
        raise CgRefusal("Limit argument accepts only non negative values")
    offset = 0 if offset is None else offset
    if offset < 0:
        raise CgRefusal("Offset argument accepts only non negative values")
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
