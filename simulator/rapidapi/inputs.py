"""Reading GraphQL arguments into the store's terms (ids, queries, windows, cursors)."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from simulator.store.errors import InvalidInput
from simulator.store.rapidapi.users import SEARCH_FIELDS, UserQuery

LISTING_KEYS = ("limit", "offset", "term", "order", "byField", "filters")
SELECTOR_KEYS = ("email", "username", "userIds", "teamId")
# What a cursor's key may be: an id, or an assignment id `entity.scope` (ASCII digits).
_CURSOR_KEY = re.compile(r"[0-9]{1,18}(?:\.[0-9]{1,18})?")
ROLE_CURSOR, ENTITY_ROLE_CURSOR = "role", "entityRole"


def as_id(value: Any) -> int | None:
    """A numeric entity id from an ID or String argument; None if it cannot be one.
    Only ASCII digits make an id (other scripts' digits and "²" pass `isdigit()`)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text.startswith("-") else text
        if 0 < len(digits) <= 18 and digits.isascii() and digits.isdigit():
            return int(text)
    return None


def in_scope(where: dict[str, Any] | None, *, org_id: int, team_id: int | None = None) -> bool:
    """Whether a `WhereOrgTeam` names this scope: its `orgId` (when given) is `org_id`
    and its `parentId` (when given, and a team is in question) is `team_id`."""
    where = where or {}
    org, parent = where.get("orgId"), where.get("parentId")
    if org is not None and as_id(org) != org_id:
        return False
    return parent is None or team_id is None or as_id(parent) == team_id


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


def encode_cursor(kind: str, key: str) -> str:
    """Cursors are opaque to clients: base64 of what they point at."""
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode()


def decode_cursor(kind: str, cursor: str) -> str:
    """The key a cursor of this kind of list points at (BAD_USER_INPUT if it is none)."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    prefix = f"{kind}:"
    key = text.removeprefix(prefix)
    if text.startswith(prefix) and _CURSOR_KEY.fullmatch(key):
        return key
    raise InvalidInput("pagination.after", f"{cursor!r} is not a cursor of this list")
