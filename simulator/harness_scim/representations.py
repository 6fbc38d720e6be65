"""Users, groups and lists in Harness's SCIM shapes (null values are left out)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from simulator.store.harness.models import User, UserGroup

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def timestamp(epoch_ms: int) -> str:
    """ISO 8601 in UTC with milliseconds, as Harness's SCIM meta carries them."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def user_resource(
    user: User, active: bool, groups: Sequence[UserGroup], *, new_standards: bool
) -> dict[str, Any]:
    """A user; `new_standards` (PL_NEW_SCIM_STANDARDS) adds the name's parts, `groups` and
    `meta`, which Harness leaves out without the flag."""
    name: dict[str, Any] = {"displayName": user.name}
    body: dict[str, Any] = {
        "schemas": [USER_SCHEMA],
        "id": user.id,
        "userName": user.email,
        "displayName": user.name,
        "active": active,
        "emails": [{"value": user.email, "primary": True}],
        "name": name,
    }
    if user.external_id is not None:
        body["externalId"] = user.external_id
    if new_standards:
        if user.given_name is not None:
            name["givenName"] = user.given_name
        if user.family_name is not None:
            name["familyName"] = user.family_name
        name["formatted"] = user.name
        body["groups"] = [{"value": g.identifier, "display": g.name} for g in groups]
        body["meta"] = {
            "resourceType": "User",
            "created": timestamp(user.created_at),
            "lastModified": timestamp(user.last_updated_at),
            "version": "",
            "location": "",
        }
    return body


def group_resource(group: UserGroup, members: Sequence[User]) -> dict[str, Any]:
    return {
        "schemas": [GROUP_SCHEMA],
        "id": group.identifier,
        "displayName": group.name,
        "members": [{"value": user.id, "display": user.email} for user in members],
    }


def list_response(
    resources: list[dict[str, Any]], items_per_page: int, start_index: int
) -> dict[str, Any]:
    """A ListResponse as Harness fills it: `totalResults` is the size of this page."""
    return {
        "schemas": [LIST_SCHEMA],
        "totalResults": len(resources),
        "itemsPerPage": items_per_page,
        "startIndex": start_index,
        "Resources": resources,
    }
