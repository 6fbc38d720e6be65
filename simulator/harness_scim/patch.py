"""PATCH operations read as Harness reads them.

Ops are `add`, `remove` and `replace` in any case ("Replace" from Entra ID). A user
PATCH honours `displayName`, `userName` and `active` (Okta's path-less
`{"op": "replace", "value": {"active": false}}` included) and ignores every other
attribute. A group PATCH adds, removes or replaces members (a `members` value list, or
a path `members[value eq "id"]`) and renames with `replace` on `displayName`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.store.harness.scim import UserChanges
from simulator.store.values import UNSET

_MEMBER_PATH = re.compile(r'members\s*\[\s*value\s+eq\s+"([^"]*)"\s*\]', re.IGNORECASE)
# User attributes a PATCH may set, by their lower-cased SCIM name.
_USER_ATTRIBUTES = {"displayname": "name", "username": "email", "active": "active"}


class PatchError(ValueError):
    """An operation Harness cannot read (its value has the wrong type)."""


@dataclass
class GroupPatch:
    name: Any = UNSET
    members: Any = UNSET  # a replacing list of user ids
    add: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)


def user_changes(body: Mapping[str, Any]) -> UserChanges:
    values: dict[str, Any] = {}
    for op, path, value in _operations(body):
        if op == "remove":
            continue
        targets = value.items() if path is None and isinstance(value, Mapping) else [(path, value)]
        for attribute, item in targets:
            name = _USER_ATTRIBUTES.get(str(attribute).lower())
            if name == "active":
                values[name] = boolean(item, "active")
            elif name is not None:
                if not isinstance(item, str):
                    raise PatchError(f"{attribute} must be a string")
                values[name] = item
    return UserChanges(**values)


def group_patch(body: Mapping[str, Any]) -> GroupPatch:
    patch = GroupPatch()
    for op, path, value in _operations(body):
        lowered = (path or "").strip().lower()
        one_member = _MEMBER_PATH.fullmatch((path or "").strip())
        if one_member is not None:
            _member_op(patch, op, [one_member.group(1)])
        elif lowered == "members":
            if op == "remove" and value is None:
                patch.members, patch.add, patch.remove = [], [], []
            else:
                _member_op(patch, op, _member_ids(value))
        elif lowered == "displayname":
            if op != "remove":
                patch.name = _string(value, "displayName")
        elif path is None and isinstance(value, Mapping):
            for attribute, item in value.items():
                if attribute.lower() == "displayname" and op != "remove":
                    patch.name = _string(item, "displayName")
                elif attribute.lower() == "members":
                    _member_op(patch, op, _member_ids(item))
    return patch


def boolean(value: Any, name: str) -> bool:
    """A boolean, or its text in any case ("False" from Entra ID), as Jackson reads it."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise PatchError(f"{name} must be a boolean")


def _operations(body: Mapping[str, Any]) -> Iterator[tuple[str, str | None, Any]]:
    for operation in body.get("Operations") or ():
        path = operation.get("path")
        yield (
            str(operation["op"]).lower(),
            path if isinstance(path, str) else None,
            operation.get("value"),
        )


def _member_op(patch: GroupPatch, op: str, user_ids: list[str]) -> None:
    if op == "remove":
        patch.remove.extend(user_ids)
        patch.add = [user_id for user_id in patch.add if user_id not in user_ids]
    elif op == "replace":
        patch.members, patch.add, patch.remove = list(user_ids), [], []
    else:
        patch.add.extend(user_ids)
        patch.remove = [user_id for user_id in patch.remove if user_id not in user_ids]


def _member_ids(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    ids: list[str] = []
    for item in items:
        member = item.get("value") if isinstance(item, Mapping) else item
        if not isinstance(member, str):
            raise PatchError("members must be objects with a string value")
        ids.append(member)
    return ids


def _string(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise PatchError(f"{name} must be a string")
    return value
