"""Reading GraphQL arguments into the store's terms (ids, queries, windows, cursors)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from simulator.store.errors import InvalidInput
from simulator.store.rapidapi.users import SEARCH_FIELDS, UserQuery

LISTING_KEYS = ("limit", "offset", "term", "order", "byField", "filters")
SELECTOR_KEYS = ("email", "username", "userIds", "teamId")
_CURSOR_PREFIX = "role:"


def as_id(value: Any) -> int | None:
    """A numeric entity id from an ID or String argument; None if it cannot be one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    # ASCII digits only: int() also reads other scripts' digits ("٧٦٦٩٨٣١").
    if isinstance(value, str) and value.isascii() and value.strip().lstrip("-").isdigit():
        try:
            return int(value)
        except ValueError:  # "--5" passes isdigit(), 4300+ digits exceed int()
            return None
    return None


def is_admin_listing(where: dict[str, Any]) -> bool:
    """The Environment Admin's listing: no user named, or any listing argument given."""
    if any(where.get(key) is not None for key in LISTING_KEYS):
        return True
    return all(where.get(key) is None for key in SELECTOR_KEYS)


def user_query(where: dict[str, Any]) -> UserQuery:
    order_by, descending = _order(where.get("order"))
    by_field = where.get("byField")
    fields = tuple(f.strip() for f in by_field.split(",") if f.strip()) if by_field else ()
    filters = where.get("filters") or {}
    user_ids = where.get("userIds")
    team_id = where.get("teamId")
    return UserQuery(
        email=where.get("email"),
        username=where.get("username"),
        # Ids that cannot be numeric name nobody.
        user_ids=None if user_ids is None else tuple(filter(None, map(as_id, user_ids))),
        team_id=None if team_id is None else (as_id(team_id) or 0),  # 0 is nobody's id
        term=where.get("term") or "",
        term_fields=fields or SEARCH_FIELDS,
        status=filters.get("status"),
        order_by=order_by,
        descending=descending,
        offset=where.get("offset") or 0,
        limit=where.get("limit"),
    )


def _order(text: str | None) -> tuple[str, bool]:
    """`"createdAt,ASC"` -> ("createdAt", False); the direction defaults to ASC."""
    if not text:
        return "createdAt", False
    field, _, direction = (part.strip() for part in text.partition(","))
    direction = direction.upper() or "ASC"
    if direction not in ("ASC", "DESC"):
        raise InvalidInput("order", f"direction must be ASC or DESC, not {direction}")
    return field, direction == "DESC"


def paging(args: dict[str, Any] | None) -> dict[str, Any]:
    """`pagingArgs` as keyword arguments of `Organizations.page`."""
    args = args or {}
    direction = args.get("orderDirection") or "asc"
    return {
        "offset": args.get("offset") or 0,
        "limit": args.get("limit"),
        "order_by": args.get("orderBy") or "id",
        "descending": direction.lower() == "desc",
        "search": args.get("searchTerm") or None,
    }


def encode_cursor(role_id: int) -> str:
    """Cursors are opaque to clients: base64 of what they point at."""
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{role_id}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    value = text.removeprefix(_CURSOR_PREFIX)
    if text.startswith(_CURSOR_PREFIX) and value.isascii() and value.isdigit():
        try:
            return int(value)
        except ValueError:  # more digits than int() converts
            pass
    raise InvalidInput("pagination.after", f"{cursor!r} is not a cursor of this list")
