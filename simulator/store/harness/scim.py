"""Users and groups as an identity provider provisions them over SCIM.

They are the account's own users and user groups (every face sees them): a provisioned
user is marked imported and externally managed, a provisioned group is imported and
so externally managed. What is particular to SCIM lives here: a user the provider
deactivates leaves the account, as Harness removes it, yet keeps its id for the day the
provider reactivates it (`HarnessState.scim_deactivated`); a group's id is derived from
its display name; only provisioned groups may be changed this way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from simulator.records import record, replace
from simulator.store.errors import AlreadyExists, InvalidInput, NotFound
from simulator.store.harness.groups import Groups
from simulator.store.harness.models import Scope, User, UserGroup
from simulator.store.harness.scopes import Scopes
from simulator.store.harness.state import HarnessState
from simulator.store.harness.users import Users, is_valid_email, normalise_email
from simulator.store.values import UNSET

# What NextGen accepts as a user group identifier.
_IDENTIFIER = re.compile(r"[A-Za-z_][0-9A-Za-z_$]{0,127}")
_IDENTIFIER_SEPARATORS = str.maketrans({".": "_", "-": "_", " ": "_"})


@record
class ProvisionedUser:
    """A user as SCIM shows it: `active` is false once the provider deactivated it."""

    user: User
    active: bool


@record
class UserChanges:
    """What a SCIM write sets on a user; UNSET leaves a value as it is."""

    email: Any = UNSET
    name: Any = UNSET
    given_name: Any = UNSET
    family_name: Any = UNSET
    external_id: Any = UNSET
    active: Any = UNSET


def group_identifier(display_name: str) -> str:
    """The id Harness gives a SCIM group: its display name with `.`, `-` and spaces as `_`."""
    return display_name.strip().translate(_IDENTIFIER_SEPARATORS)


class ScimDirectory:
    def __init__(self, state: HarnessState, users: Users, groups: Groups, scopes: Scopes) -> None:
        self._state = state
        self._users = users
        self._groups = groups
        self._scopes = scopes

    # -- users: reads --------------------------------------------------------------------

    def user(self, account_id: str, user_id: str) -> ProvisionedUser:
        found = self._find_user(account_id, user_id)
        if found is None:
            raise NotFound("user", user_id)
        return found

    def provisioned_users(
        self, account_id: str, email: str | None, offset: int, limit: int
    ) -> list[ProvisionedUser]:
        """Users the provider provisioned (deactivated ones too), oldest first; `email`
        picks the one with that email, in any case."""
        state = self._state
        if email is not None:
            key = (account_id, normalise_email(email))
            candidates = [state.users.find("email", key), state.scim_deactivated.find("email", key)]
            found = [
                ProvisionedUser(user, user.id in state.users)
                for user in candidates
                if user is not None and user.imported_by_scim
            ]
        else:
            found = [
                ProvisionedUser(user, True)
                for user in state.users.ordered("created", account_id)
                if user.imported_by_scim
            ]
            found.extend(
                ProvisionedUser(user, False)
                for user in state.scim_deactivated.ordered("created", account_id)
            )
            found.sort(key=lambda p: (p.user.created_at, p.user.id))
        return found[offset : offset + limit] if limit > 0 else []

    def groups_of(self, user: User) -> list[UserGroup]:
        """Every group that lists the user, in name order."""
        groups = self._state.groups.find_all("member", user.id)
        return sorted(groups, key=lambda g: (g.name.lower(), g.name, g.id))

    # -- users: writes -------------------------------------------------------------------

    def provision(self, account_id: str, changes: UserChanges) -> ProvisionedUser:
        """Create a user, or take over the account's user with that email (Harness answers
        both the same way), marked as the provider's."""
        state = self._state
        if not isinstance(changes.email, str) or not changes.email.strip():
            raise InvalidInput("userName", "userName is required and must be an email address")
        email = normalise_email(changes.email)
        if not is_valid_email(email):
            raise InvalidInput("userName", f"{changes.email} is not a valid email address")
        with state.db.transaction():
            existing = state.users.find("email", (account_id, email))
            if existing is None:
                existing = state.scim_deactivated.find("email", (account_id, email))
            if existing is not None:
                return self.update(account_id, existing.id, changes, taken_over=True)
            now = state.now()
            name = _text(changes.name) or email.partition("@")[0]
            user = User(
                id=self._fresh_user_id(),
                account_id=account_id,
                email=email,
                name=name,
                created_at=now,
                last_updated_at=now,
                given_name=_text(changes.given_name),
                family_name=_text(changes.family_name),
                external_id=_text(changes.external_id),
                externally_managed=True,
                imported_by_scim=True,
            )
            state.db.insert(state.users, user)
            if changes.active is False:
                return self._deactivate(user)
            return ProvisionedUser(user, True)

    def update(
        self, account_id: str, user_id: str, changes: UserChanges, *, taken_over: bool = False
    ) -> ProvisionedUser:
        """Apply what was sent; `active` moves the user out of the account or back in.
        `taken_over`: a create named a user the account already had."""
        state = self._state
        with state.db.transaction():
            current = self.user(account_id, user_id)
            user = current.user
            fields: dict[str, Any] = {"imported_by_scim": True}
            if taken_over:
                fields["externally_managed"] = True
            if changes.email is not UNSET and changes.email is not None:
                email = normalise_email(str(changes.email))
                if not is_valid_email(email):
                    raise InvalidInput("userName", f"{changes.email} is not a valid email address")
                if email != user.email:
                    self._require_free_email(account_id, email, user.id)
                    fields["email"] = email
                    fields["externally_managed"] = True
            name = _text(changes.name) if changes.name is not UNSET else None
            if name and name != user.name:
                fields["name"] = name
                fields["externally_managed"] = True
            for field, value in (
                ("given_name", changes.given_name),
                ("family_name", changes.family_name),
                ("external_id", changes.external_id),
            ):
                if value is not UNSET:
                    fields[field] = _text(value)
            changed = replace(user, **fields)
            if changed != user:
                changed = replace(changed, last_updated_at=state.now())
            active = current.active if changes.active is UNSET else bool(changes.active)
            if current.active:
                if changed != user:
                    state.db.put(state.users, changed)
                return self._deactivate(changed) if not active else ProvisionedUser(changed, True)
            if not active:
                state.db.put(state.scim_deactivated, changed)
                return ProvisionedUser(changed, False)
            return self._reactivate(changed)

    def delete_user(self, account_id: str, user_id: str) -> None:
        state = self._state
        with state.db.transaction():
            current = self.user(account_id, user_id)
            if current.active:
                self._users.delete(account_id, user_id)
            else:
                state.db.delete(state.scim_deactivated, user_id)

    # -- groups --------------------------------------------------------------------------

    def group(self, account_id: str, group_id: str) -> UserGroup:
        """A group by its SCIM id: the identifier, at account scope first, then below."""
        found = self._find_group(account_id, group_id)
        if found is None:
            raise NotFound("user group", group_id)
        return found

    def group_by_name(self, account_id: str, name: str) -> UserGroup | None:
        """The account-level group with exactly this name."""
        found = self._state.groups.find_all("name", (account_id, None, None, name))
        return found[0] if found else None

    def create_group(
        self, account_id: str, name: str, scope: Scope, member_ids: Iterable[str]
    ) -> UserGroup:
        state = self._state
        clean = (name or "").strip()
        if not clean:
            raise InvalidInput("displayName", "displayName is required")
        identifier = group_identifier(clean)
        if not _IDENTIFIER.fullmatch(identifier):
            raise InvalidInput(
                "displayName", f"{identifier} is not a valid identifier for a user group"
            )
        if scope.account_id != account_id:
            raise InvalidInput("harnessScopes", "harnessScopes must name this account")
        self._scopes.require(scope)
        with state.db.transaction():
            if state.groups.find("identifier", (*scope.key, identifier)) is not None:
                raise AlreadyExists("user group", identifier, field="identifier")
            if state.groups.find_all("name", (*scope.key, clean)):
                raise AlreadyExists("user group", clean, field="name")
            group = UserGroup(
                id=state.fresh_id(state.groups),
                account_id=account_id,
                identifier=identifier,
                name=clean,
                created_at=state.now(),
                org=scope.org,
                project=scope.project,
                member_ids=self._members(scope, member_ids),
                imported_by_scim=True,
            )
            state.db.insert(state.groups, group)
            return group

    def update_group(
        self,
        account_id: str,
        group_id: str,
        *,
        name: Any = UNSET,
        members: Any = UNSET,
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
    ) -> UserGroup:
        """Rename, replace the members, add and remove members, in that order."""
        state = self._state
        with state.db.transaction():
            group = self._provisioned_group(account_id, group_id)
            fields: dict[str, Any] = {}
            if name is not UNSET:
                clean = (name or "").strip()
                if not clean:
                    raise InvalidInput("displayName", "displayName cannot be blank")
                holders = state.groups.find_all("name", (*group.scope.key, clean))
                if any(holder.id != group.id for holder in holders):
                    raise AlreadyExists("user group", clean, field="name")
                fields["name"] = clean
            member_ids = list(group.member_ids)
            if members is not UNSET:
                member_ids = list(self._members(group.scope, members or ()))
            for user_id in self._members(group.scope, add):
                if user_id not in member_ids:
                    member_ids.append(user_id)
            dropped = set(remove)
            fields["member_ids"] = tuple(m for m in member_ids if m not in dropped)
            updated = replace(group, **fields)
            if updated != group:
                state.db.put(state.groups, updated)
            return updated

    def delete_group(self, account_id: str, group_id: str) -> None:
        """Only a group SCIM provisioned; it goes as CurrentGen deletes one, role
        assignments with it."""
        with self._state.db.transaction():
            group = self._provisioned_group(account_id, group_id)
            self._groups.delete(account_id, group.id)

    # -- helpers -------------------------------------------------------------------------

    def _find_user(self, account_id: str, user_id: str) -> ProvisionedUser | None:
        user = self._users.find(account_id, user_id)
        if user is not None:
            return ProvisionedUser(user, True)
        gone = self._state.scim_deactivated.get(user_id)
        if gone is not None and gone.account_id == account_id:
            return ProvisionedUser(gone, False)
        return None

    def _deactivate(self, user: User) -> ProvisionedUser:
        """Out of the account, its groups, roles and keys, as Harness removes a user."""
        state = self._state
        self._users.delete(user.account_id, user.id)
        state.db.insert(state.scim_deactivated, user)
        return ProvisionedUser(user, False)

    def _reactivate(self, user: User) -> ProvisionedUser:
        state = self._state
        self._require_free_email(user.account_id, user.email, user.id)
        state.db.delete(state.scim_deactivated, user.id)
        state.db.insert(state.users, user)
        return ProvisionedUser(user, True)

    def _fresh_user_id(self) -> str:
        state = self._state
        while True:
            candidate = state.fresh_id(state.users)
            if candidate not in state.scim_deactivated:
                return candidate

    def _require_free_email(self, account_id: str, email: str, own_id: str) -> None:
        state = self._state
        for table in (state.users, state.scim_deactivated):
            holder = table.find("email", (account_id, email))
            if holder is not None and holder.id != own_id:
                raise AlreadyExists("user", email, field="email")

    def _find_group(self, account_id: str, group_id: str) -> UserGroup | None:
        state = self._state
        found = state.groups.find("identifier", (account_id, None, None, group_id))
        if found is not None:
            return found
        below = (
            group
            for group in state.groups.values()
            if group.account_id == account_id and group.identifier == group_id
        )
        return next(below, None)

    def _provisioned_group(self, account_id: str, group_id: str) -> UserGroup:
        """Only groups the provider created may be changed over SCIM."""
        group = self.group(account_id, group_id)
        if not group.imported_by_scim:
            raise InvalidInput(
                None,
                f"User group {group_id} was not created through SCIM and cannot be changed"
                " by the identity provider",
            )
        return group

    def _members(self, scope: Scope, user_ids: Iterable[str]) -> tuple[str, ...]:
        """Users of the group's scope, each once; other ids are dropped, as Harness's
        sanitising of a group's users does."""
        kept: list[str] = []
        for user_id in user_ids:
            user = self._users.find(scope.account_id, user_id)
            if user is not None and user_id not in kept and self._scopes.contains_user(scope, user):
                kept.append(user_id)
        return tuple(kept)


def _text(value: Any) -> str | None:
    """A trimmed string, or None for a missing, null or blank value."""
    if value is UNSET or value is None:
        return None
    text = str(value).strip()
    return text or None
