"""Hub users: lookups, the admin listing, profile and status changes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from simulator.records import record, replace
from simulator.store import credentials
from simulator.store.errors import ConstraintViolation, InvalidInput
from simulator.store.rapidapi.access import Access, Forbidden
from simulator.store.rapidapi.models import (
    ACTIVE,
    DELETED,
    SETTABLE_STATUSES,
    USER_STATUSES,
    User,
)
from simulator.store.rapidapi.organizations import drop_org_user
from simulator.store.rapidapi.state import USER_SORTS, RapidApiState
from simulator.store.rapidapi.text import is_valid_email
from simulator.store.values import UNSET, Page

SEARCH_FIELDS = ("id", "name", "email", "username")
_SEARCHABLE: dict[str, Callable[[User], str]] = {
    "id": lambda u: str(u.id),
    "name": lambda u: u.name.lower(),
    "email": lambda u: u.email.lower(),
    "username": lambda u: u.username.lower(),
}
PROFILE_FIELDS = ("name", "email", "company", "position", "location", "bio")
PASSWORD_FIELDS = ("currentPassword", "newPassword")
# Where a new picture (`imageFile`) may live: a URL, or a path on the hub's own host.
_IMAGE_PREFIXES = ("http://", "https://", "data:image/", "/")


@record
class UserQuery:
    """What `users(where:)` asks for. Selectors narrow to named users; the rest is the
    admin listing's search, status filter, order and window."""

    email: str | None = None
    username: str | None = None
    user_ids: Sequence[int] | None = None
    team_id: int | None = None
    term: str = ""
    term_fields: Sequence[str] = SEARCH_FIELDS
    status: str | None = None
    order_by: str = "createdAt"
    descending: bool = False
    offset: int = 0
    limit: int | None = None

    @property
    def has_selector(self) -> bool:
        return (
            self.email is not None
            or self.username is not None
            or self.user_ids is not None
            or self.team_id is not None
        )


class Users:
    def __init__(self, state: RapidApiState, access: Access) -> None:
        self._state = state
        self._access = access

    # -- reads ---------------------------------------------------------------------------

    def get(self, user_id: int) -> User | None:
        return self._state.users.get(user_id)

    def by_email(self, email: str) -> User | None:
        """The live user with this email (a deleted user's email is free again)."""
        return self._state.users.find("email", email.strip().lower())

    def by_username(self, username: str) -> User | None:
        return self._state.users.find("username", username.strip().lower())

    def search(self, query: UserQuery) -> Page:
        if query.order_by not in USER_SORTS:
            raise InvalidInput(
                "order", f"cannot order by {query.order_by}; use one of {', '.join(USER_SORTS)}"
            )
        if query.status is not None and query.status not in USER_STATUSES:
            raise InvalidInput("filters.status", f"must be one of {', '.join(USER_STATUSES)}")
        unknown = [f for f in query.term_fields if f not in SEARCH_FIELDS]
        if unknown:
            raise InvalidInput(
                "byField", f"cannot search {', '.join(unknown)}; use {', '.join(SEARCH_FIELDS)}"
            )
        if query.offset < 0:
            raise InvalidInput("offset", "must not be negative")
        if query.limit is not None and query.limit < 0:
            raise InvalidInput("limit", "must not be negative")
        if not query.has_selector and not query.term:
            return self._window(query)
        team = None if query.team_id is None else set(self._team_users(query.team_id))
        candidates = self._candidates(query)
        if query.term:
            term = query.term.lower()
            if set(query.term_fields) == set(SEARCH_FIELDS):
                candidates = [u for u in candidates if term in u.search_text]
            else:
                fields = [_SEARCHABLE[f] for f in query.term_fields]
                candidates = [u for u in candidates if any(term in get(u) for get in fields)]
        matches = [u for u in candidates if self._matches(u, query, team)]
        matches.sort(key=lambda u: (USER_SORTS[query.order_by](u), u.id), reverse=query.descending)
        stop = None if query.limit is None else query.offset + query.limit
        return Page(len(matches), matches[query.offset : stop])

    def _window(self, query: UserQuery) -> Page:
        """A page straight from the sorted orderings: O(log n) at any offset."""
        users = self._state.users
        if query.status is None:
            ordering, partition = query.order_by, ""
        else:
            ordering, partition = f"{query.order_by}@status", query.status
        total = users.count(ordering, partition)
        limit = total if query.limit is None else query.limit
        if not query.descending:
            return Page(total, users.slice(ordering, partition, query.offset, query.offset + limit))
        stop = max(0, total - query.offset)
        items = users.slice(ordering, partition, max(0, stop - limit), stop)
        return Page(total, items[::-1])

    def _candidates(self, query: UserQuery) -> list[User]:
        users = self._state.users
        if query.user_ids is not None:
            found = (users.get(user_id) for user_id in dict.fromkeys(query.user_ids))
            return [u for u in found if u is not None]
        if query.email is not None:
            return [u] if (u := self.by_email(query.email)) is not None else []
        if query.username is not None:
            return [u] if (u := self.by_username(query.username)) is not None else []
        if query.team_id is not None:
            return [users[i] for i in self._team_users(query.team_id)]
        return users.ordered(query.order_by, "")

    def _team_users(self, team_id: int) -> list[int]:
        team = self._state.teams.get(team_id)
        return [] if team is None else self._access.team_member_ids(team)

    def _matches(self, user: User, query: UserQuery, team: set[int] | None) -> bool:
        if query.email is not None and (
            not user.live or user.email.lower() != query.email.strip().lower()
        ):
            return False
        if query.username is not None and (
            not user.live or user.username.lower() != query.username.strip().lower()
        ):
            return False
        if query.status is not None and user.status != query.status:
            return False
        return team is None or user.id in team

    # -- changes -------------------------------------------------------------------------

    def update(self, actor: User, user_id: int | None, changes: dict[str, Any]) -> User:
        """`updateUser`: anyone may edit their own profile and password; other users,
        and any user's status, are for Environment Admins. A missing value in `changes`
        is UNSET; `imageFile` becomes the thumbnail."""
        state = self._state
        with state.db.transaction():
            target = actor if user_id is None else state.users.get(user_id)
            if target is None:
                raise InvalidInput("id", f"user {user_id} does not exist")
            status = changes.get("status", UNSET)
            if target.id != actor.id or status is not UNSET:
                self._access.require_env_admin(actor)
            if not target.live:
                raise InvalidInput(
                    "id", f"user {target.id} is DELETED and can no longer be changed"
                )
            fields: dict[str, Any] = {}
            for name in PROFILE_FIELDS:
                value = changes.get(name, UNSET)
                if value is not UNSET:
                    fields[name] = self._profile_value(name, value, target)
            image = changes.get("imageFile", UNSET)
            if image is not UNSET:
                fields["thumbnail"] = _image(image)
            current, new = (changes.get(name, UNSET) for name in PASSWORD_FIELDS)
            if current is not UNSET or new is not UNSET:
                fields["password_hash"] = self._new_password(actor, target, current, new)
            if status is not UNSET:
                fields.update(self._status_change(target, status))
            if not fields:
                return target
            return self._put(replace(target, updated_at=state.now(), **fields))

    def delete(self, actor: User, user_id: int, mashape_id: str) -> User:
        """`deleteUser`: for Environment Admins, confirmed by the user's mashapeId. The
        user is DELETED (kept for history, its email free again) and leaves everything."""
        state = self._state
        with state.db.transaction():
            self._access.require_env_admin(actor)
            target = state.users.get(user_id)
            if target is None:
                raise InvalidInput("id", f"user {user_id} does not exist")
            if not target.live:
                raise InvalidInput("id", f"user {user_id} is already DELETED")
            if mashape_id.strip() != target.mashape:
                raise InvalidInput("mashapeId", f"is not the mashapeId of user {user_id}")
            fields = self._status_change(target, DELETED)
            return self._put(replace(target, updated_at=state.now(), **fields))

    def _put(self, updated: User) -> User:
        state = self._state
        state.db.put(state.users, updated)
        if updated.status == DELETED:
            self._forget_memberships(updated.id)
        return updated

    def _new_password(self, actor: User, target: User, current: Any, new: Any) -> str:
        """The hash of a new password: only its owner changes it, with the current one."""
        if target.id != actor.id:
            raise Forbidden("own_password", "Only the user can change their own password.")
        if new is UNSET or new is None:
            raise InvalidInput("newPassword", "is required to change the password")
        if target.password_hash is not None or current not in (UNSET, None):
            if current is UNSET or current is None:
                raise InvalidInput("currentPassword", "is required to change the password")
            if not credentials.verify_password(current, target.password_hash):
                raise InvalidInput("currentPassword", "is not the user's password")
        if not credentials.password_is_strong(new):
            raise InvalidInput(
                "newPassword",
                f"must be {credentials.MIN_PASSWORD_LENGTH} to"
                f" {credentials.MAX_PASSWORD_LENGTH} characters",
            )
        return credentials.hash_password(new)

    def _profile_value(self, name: str, value: str | None, target: User) -> str | None:
        if name in ("name", "email"):
            if value is None or not value.strip():
                raise InvalidInput(name, "must not be empty")
            value = value.strip()
        if name == "email" and value is not None:
            if not is_valid_email(value):
                raise InvalidInput("email", f"{value} is not an email address")
            holder = self.by_email(value)
            if holder is not None and holder.id != target.id:
                raise InvalidInput("email", f"{value} is already used by another user")
        return value

    def _status_change(self, target: User, status: str | None) -> dict[str, Any]:
        if status not in SETTABLE_STATUSES:
            raise InvalidInput("status", f"must be one of {', '.join(SETTABLE_STATUSES)}")
        if status == target.status:
            return {}
        if target.status == ACTIVE:
            single = self._access.single_admin_orgs(target.id)
            if single:
                raise ConstraintViolation(
                    "single_admin",
                    f"User {target.id} is the only admin of organization"
                    f" {', '.join(map(str, single))} (singleAdminOrgs): add another admin"
                    " or delete the organization first.",
                )
        fields: dict[str, Any] = {"status": status}
        if status == DELETED:
            fields["deleted_at"] = self._state.now()
        return fields

    def _forget_memberships(self, user_id: int) -> None:
        """A deleted user leaves every organization and team (it cannot come back)."""
        state = self._state
        for row in state.org_users.find_all("user", user_id):
            drop_org_user(state, row)
        for member in state.team_members.find_all("user", user_id):
            state.db.delete(state.team_members, (member.team_id, member.user_id))
        for assignment in state.entity_roles.find_all("entity", user_id):
            if assignment.parent_id is not None:
                state.db.delete(state.entity_roles, (assignment.entity_id, assignment.parent_id))


def _image(value: str | None) -> str:
    """`imageFile`: the new picture, where the hub can fetch it."""
    text = (value or "").strip()
    if not text.startswith(_IMAGE_PREFIXES):
        raise InvalidInput("imageFile", "must be a URL (http, https or data:image) or a path")
    return text
