"""Harness users: membership in scopes and profile (signing in is `signin.py`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from simulator.records import replace
from simulator.store.errors import AlreadyExists, ConstraintViolation, InvalidInput, NotFound
from simulator.store.harness.access import ALL_USERS_GROUP, DEFAULT_BINDING, Access
from simulator.store.harness.groups import Groups
from simulator.store.harness.models import (
    INVITE_LIFETIME_MS,
    Invite,
    RoleAssignment,
    RoleBindingSpec,
    Scope,
    ScopeMember,
    User,
    UserGroup,
)
from simulator.store.harness.scopes import Scopes
from simulator.store.harness.state import HarnessState
from simulator.store.values import UNSET, Page

# No control characters (NUL...), as Harness's email validator refuses them; at most
# 254 characters (RFC 5321).
EMAIL_PATTERN = re.compile(
    r"[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f]+\.[^@\s\x00-\x1f\x7f-\x9f]+"
)
MAX_EMAIL_LENGTH = 254

# addUsers results, per email, as Harness names them.
ADDED = "USER_ADDED_SUCCESSFULLY"
ALREADY_ADDED = "USER_ALREADY_ADDED"
INVITED = "USER_INVITED_SUCCESSFULLY"
ALREADY_INVITED = "USER_ALREADY_INVITED"
INVITE_NOT_REQUIRED = "USER_INVITE_NOT_REQUIRED"

PARENT_FILTERS = ("NO_PARENT_SCOPES", "INCLUDE_PARENT_SCOPES", "STRICTLY_PARENT_SCOPES")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def is_valid_email(email: str) -> bool:
    return len(email) <= MAX_EMAIL_LENGTH and EMAIL_PATTERN.fullmatch(email) is not None


class Users:
    def __init__(
        self,
        state: HarnessState,
        access: Access,
        scopes: Scopes,
        groups: Groups,
    ) -> None:
        self._state = state
        self._access = access
        self._scopes = scopes
        self._groups = groups

    # -- reads ---------------------------------------------------------------------------

    def find(self, account_id: str, user_id: str) -> User | None:
        user = self._state.users.get(user_id)
        return user if user is not None and user.account_id == account_id else None

    def get(self, account_id: str, user_id: str) -> User:
        user = self.find(account_id, user_id)
        if user is None:
            raise NotFound("user", user_id)
        return user

    def by_email(self, account_id: str, email: str) -> User | None:
        return self._state.users.find("email", (account_id, normalise_email(email)))

    def by_name(self, account_id: str, name: str) -> User | None:
        """The first user (in name order, so the lowest id) whose name is exactly `name`."""
        found = self._state.users.find_all("name", (account_id, name))
        return found[0] if found else None

    def page_by_name(
        self, account_id: str, offset: int, limit: int, *, include_disabled: bool
    ) -> Page:
        """Users sorted by name, as CurrentGen lists them: O(log n + page) either way."""
        users = self._state.users
        ordering = "name" if include_disabled else "enabled_name"
        total = users.count(ordering, account_id)
        return Page(total, users.slice(ordering, account_id, offset, offset + limit))

    def select(
        self,
        scope: Scope,
        *,
        parent_filter: str = "NO_PARENT_SCOPES",
        search_term: str | None = None,
        identifiers: Sequence[str] | None = None,
        emails: Sequence[str] | None = None,
        sort: Callable[[list[User]], list[User]] | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> Page:
        """NextGen's user listing: who is in a scope, filtered, sorted and paged."""
        self._scopes.require(scope)
        plain = not (search_term or identifiers or emails or sort)
        if plain and scope.org is None and parent_filter != "STRICTLY_PARENT_SCOPES":
            # Every user of the account, in creation order: page without building a list.
            users = self._state.users
            total = users.count("created", scope.account_id)
            return Page(total, users.slice("created", scope.account_id, offset, offset + limit))
        selected = self._users_for_filter(scope, parent_filter)
        if identifiers:
            wanted_ids = set(identifiers)
            selected = [u for u in selected if u.id in wanted_ids]
        if emails:
            wanted_emails = {normalise_email(e) for e in emails}
            selected = [u for u in selected if u.email.lower() in wanted_emails]
        if search_term:
            term = search_term.lower()
            selected = [u for u in selected if term in u.search_text]
        if sort is not None:
            selected = sort(selected)
        return Page(len(selected), selected[offset : offset + limit])

    def _users_for_filter(self, scope: Scope, parent_filter: str) -> list[User]:
        if parent_filter == "NO_PARENT_SCOPES":
            return self._scopes.users_in(scope)
        own = self._scopes.users_in(scope)
        if parent_filter == "INCLUDE_PARENT_SCOPES":
            scopes = scope.lineage()
            exclude: set[str] = set()
        else:
            scopes = scope.lineage()[1:]
            exclude = {u.id for u in own}
        seen: dict[str, User] = {}
        for candidate in reversed(scopes):
            for user in self._scopes.users_in(candidate):
                if user.id not in exclude:
                    seen.setdefault(user.id, user)
        return sorted(seen.values(), key=lambda u: (u.created_at, u.id))

    # -- creation and deletion -----------------------------------------------------------

    def create(
        self,
        account_id: str,
        *,
        name: str,
        email: str,
        group_ids: Sequence[str] = (),
        external_id: str | None = None,
        email_verified: bool = True,
    ) -> User:
        """Create an account user (CurrentGen's createUser), joining the given groups.

        Checks run in CurrentGen's order. A user created by CurrentGen's createUser is an
        accepted invite whose owner has not verified the email yet (`email_verified=False`).
        """
        state = self._state
        if not email or not email.strip():
            raise InvalidInput("email", "cannot be empty or blank")
        if not name or not name.strip():
            raise InvalidInput("name", "cannot be empty or blank")
        if "" in group_ids:
            raise InvalidInput("userGroupId", "cannot be empty or blank")
        groups = self._groups.account_groups(account_id, group_ids, field="userGroupIds")
        if not is_valid_email(email.strip()):
            raise InvalidInput("email", f"{email} is not a valid email address")
        with state.db.transaction():
            if self.by_email(account_id, email) is not None:
                raise AlreadyExists("user", normalise_email(email), field="email")
            now = state.now()
            user = User(
                id=state.fresh_id(state.users),
                account_id=account_id,
                email=normalise_email(email),
                name=name.strip(),
                created_at=now,
                last_updated_at=now,
                external_id=external_id,
                email_verified=email_verified,
            )
            state.db.insert(state.users, user)
            for group in groups:
                self._groups.join(group, user.id)
            self._accept_invites(user)
            return user

    def delete(self, account_id: str, user_id: str) -> None:
        """Remove a user from the account and everything that refers to them."""
        state = self._state
        with state.db.transaction():
            user = self.get(account_id, user_id)
            for group in self._access.explicit_groups(user):
                self._groups.leave(group, user.id)
            for member in state.members.find_all("user", user.id):
                state.db.delete(state.members, state.members.primary_key(member))
            for assignment in state.role_assignments.find_all(
                "principal", (account_id, "USER", user.id)
            ):
                state.db.delete(state.role_assignments, (account_id, assignment.identifier))
            for key in state.api_keys.find_all("user", user.id):
                state.db.delete(state.api_keys, key.token_hash)
            state.db.delete(state.users, user.id)

    def remove_from_scope(self, scope: Scope, user_id: str) -> None:
        """NextGen's removeUser: leave an org or project (and what hangs below), or the account."""
        state = self._state
        with state.db.transaction():
            self._scopes.require(scope)
            user = self.get(scope.account_id, user_id)
            if scope.org is None:
                self.delete(scope.account_id, user_id)
                return
            if not self._scopes.contains_user(scope, user):
                raise NotFound("user", user_id)
            for member in state.members.find_all("user", user.id):
                if scope.contains(member.scope):
                    state.db.delete(state.members, state.members.primary_key(member))
            for assignment in state.role_assignments.find_all(
                "principal", (scope.account_id, "USER", user.id)
            ):
                if scope.contains(assignment.scope):
                    state.db.delete(
                        state.role_assignments, (scope.account_id, assignment.identifier)
                    )
            for group in self._access.explicit_groups(user):
                if scope.contains(group.scope):
                    self._groups.leave(group, user.id)

    # -- scopes, role bindings and groups --------------------------------------------------

    def add_to_scope(
        self,
        scope: Scope,
        emails: Sequence[str],
        bindings: Sequence[RoleBindingSpec],
        group_identifiers: Sequence[str],
    ) -> dict[str, str]:
        """NextGen's addUsers: add known users to the scope, invite the others."""
        state = self._state
        self._scopes.require(scope)
        for position, binding in enumerate(bindings):
            self.check_binding(scope, binding, f"roleBindings[{position}]")
        groups = [self.scope_group(scope, ref, "userGroups") for ref in group_identifiers]
        normalised: list[str] = []
        for position, email in enumerate(emails):
            clean = normalise_email(email)
            if not is_valid_email(clean):
                raise InvalidInput(f"emails[{position}]", f"{email} is not a valid email address")
            if clean not in normalised:
                normalised.append(clean)
        results: dict[str, str] = {}
        with state.db.transaction():
            for email in normalised:
                user = self.by_email(scope.account_id, email)
                if user is None:
                    results[email] = self._invite(scope, email, bindings, groups)
                    continue
                newly_added = not self._scopes.contains_user(scope, user)
                if newly_added:
                    self._join_scope(scope, user)
                self._bind(scope, user, bindings, default=newly_added)
                for group in groups:
                    if group is not None:
                        self._groups.join(group, user.id)
                results[email] = ADDED if newly_added else ALREADY_ADDED
        return results

    def set_groups(self, scope: Scope, user_id: str, group_refs: Sequence[str]) -> None:
        """Make the user's groups at this scope exactly `group_refs` (managed ones stay)."""
        state = self._state
        self._scopes.require(scope)
        with state.db.transaction():
            user = self.get(scope.account_id, user_id)
            if not self._scopes.contains_user(scope, user):
                raise NotFound("user", user_id)
            wanted = [
                group
                for group in (
                    self.scope_group(scope, ref, "userGroupIdsToAdd") for ref in group_refs
                )
                if group is not None
            ]
            wanted_ids = {group.id for group in wanted}
            for group in self._access.explicit_groups(user):
                owned = group.externally_managed or group.sso_linked
                if group.scope == scope and group.id not in wanted_ids and not owned:
                    self._groups.leave(group, user.id)
            for group in wanted:
                self._groups.join(group, user.id)

    def role_assignments_at(self, scope: Scope, user: User) -> list[RoleAssignment]:
        """Assignments made at exactly this scope that apply to the user."""
        return [a for a in self._access.assignments_of(user) if a.scope == scope]

    def is_last_admin(self, scope: Scope, user: User) -> bool:
        """Whether the user is the only admin of the scope (account admins at account scope)."""
        if scope.org is not None:
            admin_role = "_project_admin" if scope.project is not None else "_organization_admin"
            holders = {
                u.id
                for u in self._scopes.users_in(scope)
                if any(a.role == admin_role for a in self.role_assignments_at(scope, u))
            }
            return holders == {user.id}
        return self._access.account_admins(scope.account_id) == {user.id}

    # -- profile ---------------------------------------------------------------------------

    def update(
        self,
        account_id: str,
        user_id: str,
        *,
        name: Any = UNSET,
        email: Any = UNSET,
        given_name: Any = UNSET,
        family_name: Any = UNSET,
        external_id: Any = UNSET,
        add_group_ids: Sequence[str] = (),
        allow_externally_managed: bool = False,
    ) -> User:
        state = self._state
        with state.db.transaction():
            user = self.get(account_id, user_id)
            if user.externally_managed and not allow_externally_managed:
                raise ConstraintViolation(
                    "EXTERNALLY_MANAGED",
                    "User is externally managed by your Identity Provider and cannot be updated"
                    " via UI/API. To update user information in Harness, update it from your"
                    " Identity Provider",
                )
            changes: dict[str, Any] = {}
            if name is not UNSET:
                if name is None:
                    raise InvalidInput("name", "cannot be null")
                if not name.strip():
                    raise InvalidInput("name", "cannot be empty or blank")
                changes["name"] = name.strip()
            if email is not UNSET and email is not None:
                clean = normalise_email(email)
                if not is_valid_email(clean):
                    raise InvalidInput("email", f"{email} is not a valid email address")
                holder = self.by_email(account_id, clean)
                if holder is not None and holder.id != user.id:
                    raise AlreadyExists("user", clean, field="email")
                changes["email"] = clean
            for field, value in (
                ("given_name", given_name),
                ("family_name", family_name),
                ("external_id", external_id),
            ):
                if value is not UNSET:
                    changes[field] = value
            if "" in add_group_ids:
                raise InvalidInput("userGroupId", "cannot be empty or blank")
            groups = self._groups.account_groups(account_id, add_group_ids, field="userGroupIds")
            if changes:
                user = replace(user, **changes, last_updated_at=state.now())
                state.db.put(state.users, user)
            for group in groups:
                self._groups.join(group, user.id)
            return user

    # -- helpers ---------------------------------------------------------------------------

    def scope_group(self, scope: Scope, ref: str, field: str) -> UserGroup | None:
        """A group at the scope by identifier (or id); None for the managed all-users group."""
        if ref == ALL_USERS_GROUP[scope.level][0]:
            return None
        group = self._state.groups.find("identifier", (*scope.key, ref))
        if group is None:
            candidate = self._state.groups.get(ref)
            if candidate is not None and candidate.scope == scope:
                group = candidate
        if group is None:
            raise NotFound("user group", ref, field=field)
        self._groups.check_manual_membership(group)
        return group

    def check_binding(self, scope: Scope, binding: RoleBindingSpec, field: str) -> None:
        if self._access.role(scope, binding.role) is None:
            raise NotFound("role", binding.role, field=f"{field}.roleIdentifier")
        if self._access.resource_group(scope, binding.resource_group) is None:
            raise NotFound(
                "resource group", binding.resource_group, field=f"{field}.resourceGroupIdentifier"
            )

    def _join_scope(self, scope: Scope, user: User) -> None:
        """Join an org or a project; joining a project joins its organization too."""
        state = self._state
        org = scope.org
        assert org is not None, "account membership is implicit"
        for project in (None,) if scope.project is None else (None, scope.project):
            if (scope.account_id, org, project, user.id) not in state.members:
                member = ScopeMember(scope.account_id, org, project, user.id, state.now())
                state.db.insert(state.members, member)

    def _bind(
        self, scope: Scope, user: User, bindings: Sequence[RoleBindingSpec], *, default: bool
    ) -> None:
        state = self._state
        if not bindings and default:
            bindings = [RoleBindingSpec(*DEFAULT_BINDING[scope.level])]
        existing = {(a.role, a.resource_group) for a in self.role_assignments_at(scope, user)}
        for binding in bindings:
            if (binding.role, binding.resource_group) in existing:
                continue
            existing.add((binding.role, binding.resource_group))
            identifier = state.fresh_assignment_identifier(scope.account_id, 12)
            state.db.insert(
                state.role_assignments,
                RoleAssignment(
                    identifier=identifier,
                    account_id=scope.account_id,
                    org=scope.org,
                    project=scope.project,
                    principal_type="USER",
                    principal_id=user.id,
                    role=binding.role,
                    resource_group=binding.resource_group,
                    created_at=state.now(),
                ),
            )

    def _invite(
        self,
        scope: Scope,
        email: str,
        bindings: Sequence[RoleBindingSpec],
        groups: Sequence[UserGroup | None],
    ) -> str:
        """Invite an email that has no user, as Harness's InviteService does.

        A pending invite for the scope is sent again. Otherwise the account's login
        settings decide: an SSO account with AUTO_ACCEPT_SAML_ACCOUNT_INVITES or
        PL_NO_EMAIL_FOR_SAML_ACCOUNT_INVITES gets the member at once (the answer still
        says USER_INVITED_SUCCESSFULLY, unless no email goes out); any other account
        keeps the invite pending until it is accepted.
        """
        state = self._state
        now = state.now()
        pending = state.invites.find("email", (*scope.key, email))
        if pending is not None:
            state.db.put(state.invites, replace(pending, valid_until=now + INVITE_LIFETIME_MS))
            return ALREADY_INVITED
        invite = Invite(
            id=state.fresh_id(state.invites),
            account_id=scope.account_id,
            org=scope.org,
            project=scope.project,
            email=email,
            created_at=now,
            role_bindings=tuple(bindings),
            user_groups=tuple(g.id for g in groups if g is not None),
            valid_until=now + INVITE_LIFETIME_MS,
        )
        state.db.insert(state.invites, invite)
        login = state.accounts[scope.account_id].login
        if not (login.auto_accepts_invites or login.skips_invite_email):
            return INVITED
        self.accept_invite(invite)
        if login.skips_invite_email and not login.two_factor_enforced:
            return INVITE_NOT_REQUIRED
        return INVITED

    def accept_invite(self, invite: Invite) -> User:
        """Complete one invite: its email becomes a member of the invite's scope, with
        its role bindings and groups (a user is created for an email that has none)."""
        state = self._state
        with state.db.transaction():
            user = self.by_email(invite.account_id, invite.email)
            if user is None:
                now = state.now()
                user = User(
                    id=state.fresh_id(state.users),
                    account_id=invite.account_id,
                    email=invite.email,
                    name=invite.name or invite.email.partition("@")[0],
                    created_at=now,
                    last_updated_at=now,
                )
                state.db.insert(state.users, user)
            self._apply_invite(user, invite)
            return user

    def _accept_invites(self, user: User) -> None:
        """A new user inherits the scopes, roles and groups they were invited to."""
        for invite in self._state.invites.find_all("account_email", user.email_key):
            self._apply_invite(user, invite)

    def _apply_invite(self, user: User, invite: Invite) -> None:
        state = self._state
        scope = invite.scope
        if scope.org is not None and not self._scopes.contains_user(scope, user):
            self._join_scope(scope, user)
        self._bind(scope, user, invite.role_bindings, default=True)
        for group_id in invite.user_groups:
            group = state.groups.get(group_id)
            if group is not None:
                self._groups.join(group, user.id)
        state.db.delete(state.invites, invite.id)
