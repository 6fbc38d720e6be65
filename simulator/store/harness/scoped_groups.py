"""User groups at every scope, as NextGen manages them by identifier.

They are the same records CurrentGen edits (its groups are the account-level ones).
Harness's rules apply to every face: a group's members must belong to its scope
(others are dropped, as Harness's sanitising does), the Harness-managed "all users"
group of each scope holds everyone there and refuses changes, and a group that an
identity provider owns (SCIM-provisioned, or linked to an SSO group) refuses member
edits by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from typing import Any

from simulator.records import record, replace
from simulator.store.errors import AlreadyExists, InvalidArgument, InvalidInput, NotFound
from simulator.store.frozen import freeze
from simulator.store.harness.access import ALL_USERS_GROUP, Access
from simulator.store.harness.groups import Groups
from simulator.store.harness.models import EMPTY, Scope, User, UserGroup
from simulator.store.harness.scopes import Scopes
from simulator.store.harness.state import HarnessState

MANAGED_IDENTIFIERS = frozenset(identifier for identifier, _ in ALL_USERS_GROUP.values())

# NextGen's filterType for group listings.
EXCLUDE_INHERITED = "EXCLUDE_INHERITED_GROUPS"
INCLUDE_INHERITED = "INCLUDE_INHERITED_GROUPS"
INCLUDE_CHILD_SCOPES = "INCLUDE_CHILD_SCOPE_GROUPS"


@record
class SsoLink:
    """The SSO group a user group follows: provider, and the group's id and name there."""

    provider_id: str
    provider_type: str | None
    group_id: str | None
    group_name: str | None


@record
class GroupSpec:
    """A group as NextGen's create and update send it (users by id)."""

    identifier: str
    name: str
    description: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    user_ids: Sequence[str] | None = None
    notification_configs: Sequence[Mapping[str, Any]] = ()
    sso: SsoLink | None = None
    externally_managed: bool = False
    harness_managed: bool = False


class ScopedGroups:
    def __init__(self, state: HarnessState, scopes: Scopes, access: Access, groups: Groups) -> None:
        self._state = state
        self._scopes = scopes
        self._access = access
        self._groups = groups

    # -- reads ---------------------------------------------------------------------------

    def find(self, scope: Scope, identifier: str) -> UserGroup | None:
        """A group of exactly this scope by identifier (the managed one is built on read)."""
        if identifier == ALL_USERS_GROUP[scope.level][0]:
            return self._all_users(scope) if self._scope_exists(scope) else None
        return self._state.groups.find("identifier", (*scope.key, identifier))

    def get(self, scope: Scope, identifier: str) -> UserGroup:
        """The group a change is about; Harness refuses an unknown one as an argument."""
        self._scopes.require(scope)
        group = self.find(scope, identifier)
        if group is None:
            raise InvalidArgument(
                "identifier", f"User Group in the given scope does not exist:{identifier}"
            )
        return group

    def listing(
        self, scope: Scope, *, filter_type: str = EXCLUDE_INHERITED, search: str | None = None
    ) -> list[UserGroup]:
        """Groups of the scope, of its child scopes too, or of parent scopes that have a
        role assignment here; `search` matches name or tags, case-insensitively."""
        self._scopes.require(scope)
        scopes = [scope]
        if filter_type == INCLUDE_CHILD_SCOPES:
            scopes = self._subtree(scope)
        found = [group for each in scopes for group in self._groups_at(each)]
        if filter_type == INCLUDE_INHERITED:
            found.extend(self._inherited(scope))
        if search:
            term = search.lower()
            found = [group for group in found if _matches(group, term)]
        return found

    def members(self, group: UserGroup) -> list[User]:
        state = self._state
        users = (state.users.get(user_id) for user_id in group.member_ids)
        return [user for user in users if user is not None]

    def user_ids_for_emails(self, account_id: str, emails: Iterable[str]) -> list[str]:
        """Ids of the account's users with these emails; emails of nobody are dropped."""
        found = []
        for email in emails:
            user = self._state.users.find("email", (account_id, email.strip().lower()))
            if user is not None and user.id not in found:
                found.append(user.id)
        return found

    # -- writes --------------------------------------------------------------------------

    def create(self, scope: Scope, spec: GroupSpec) -> UserGroup:
        state = self._state
        with state.db.transaction():
            self._scopes.require(scope)
            if spec.harness_managed or spec.identifier in MANAGED_IDENTIFIERS:
                raise InvalidInput(None, "Cannot create a harness managed user group")
            if self.find(scope, spec.identifier) is not None:
                raise AlreadyExists("user group", spec.identifier, field="identifier")
            now = state.now()
            group = UserGroup(
                id=state.fresh_id(state.groups),
                account_id=scope.account_id,
                identifier=spec.identifier,
                name=spec.name,
                created_at=now,
                last_modified_at=now,
                org=scope.org,
                project=scope.project,
                description=spec.description,
                member_ids=self._in_scope(scope, spec.user_ids or ()),
                imported_by_scim=spec.externally_managed,
                sso_setting=self._sso_setting(scope.account_id, spec.sso),
                tags=freeze(dict(spec.tags)),
                notification_configs=_checked_configs(spec.notification_configs),
            )
            state.db.insert(state.groups, group)
            return group

    def update(self, scope: Scope, spec: GroupSpec) -> UserGroup:
        """Replace a group's fields. Members and name of a Harness-managed group, and of
        a group an identity provider owns, cannot change; members left out of the
        request are kept for those, as the provider (or Harness) decides them."""
        state = self._state
        with state.db.transaction():
            group = self.get(scope, spec.identifier)
            members = group.member_ids
            if spec.user_ids is not None:
                members = self._in_scope(scope, spec.user_ids)
            owner = _owner(group)
            if owner is not None:
                if set(members) != set(group.member_ids):
                    raise InvalidInput(None, f"{owner.users_message}{group.identifier}")
                if spec.name != group.name:
                    raise InvalidInput(None, owner.name_message)
            elif spec.user_ids is None:
                members = ()
            updated = replace(
                group,
                name=spec.name,
                description=spec.description,
                tags=freeze(dict(spec.tags)),
                member_ids=members,
                notification_configs=_checked_configs(spec.notification_configs),
                sso_setting=self._sso_setting(scope.account_id, spec.sso),
                last_modified_at=state.now(),
            )
            state.db.put(state.groups, updated)
            return updated

    def delete(self, scope: Scope, identifier: str) -> UserGroup:
        """Delete a group and the role assignments made to it."""
        state = self._state
        with state.db.transaction():
            group = self.get(scope, identifier)
            if group.harness_managed:
                raise InvalidInput(None, "Cannot delete a harness managed user group.")
            self._groups.drop(group)
            self._require_admin_left(scope, identifier)
            return group

    def add_member(self, scope: Scope, identifier: str, user_id: str) -> UserGroup:
        state = self._state
        with state.db.transaction():
            group = self.get(scope, identifier)
            self._groups.check_manual_membership(group)
            if user_id in group.member_ids:
                raise InvalidInput(
                    None, f"User {user_id} is already part of User Group {identifier}"
                )
            if not self._in_scope(scope, [user_id]):
                return group  # Harness adds it, then drops a user outside the scope
            return self._groups.join(group, user_id)

    def remove_member(self, scope: Scope, identifier: str, user_id: str) -> UserGroup:
        state = self._state
        with state.db.transaction():
            group = self.get(scope, identifier)
            self._groups.check_manual_membership(group)
            updated = self._groups.leave(group, user_id)
            self._require_admin_left(scope, user_id)
            return updated

    # -- helpers -------------------------------------------------------------------------

    def _groups_at(self, scope: Scope) -> list[UserGroup]:
        return [self._all_users(scope), *self._state.groups.ordered("name", scope.key)]

    def _all_users(self, scope: Scope) -> UserGroup:
        identifier, name = ALL_USERS_GROUP[scope.level]
        users = self._scopes.users_in(scope)
        account = self._state.accounts[scope.account_id]
        return UserGroup(
            id=identifier,
            account_id=scope.account_id,
            identifier=identifier,
            name=name,
            created_at=account.created_at,
            org=scope.org,
            project=scope.project,
            description=f"Harness managed User Group containing all the users in the {scope.level_name}.",
            member_ids=tuple(user.id for user in users),
            harness_managed=True,
        )

    def _subtree(self, scope: Scope) -> list[Scope]:
        state = self._state
        if scope.project is not None:
            return [scope]
        projects = [
            project.scope
            for project in state.projects.ordered("account", scope.account_id)
            if scope.org is None or project.org == scope.org
        ]
        if scope.org is not None:
            return [scope, *projects]
        orgs = [
            Scope(scope.account_id, org.identifier)
            for org in state.organizations.ordered("account", scope.account_id)
        ]
        return [scope, *orgs, *projects]

    def _inherited(self, scope: Scope) -> list[UserGroup]:
        """Groups of parent scopes that a role assignment at this scope names."""
        found: dict[str, UserGroup] = {}
        for assignment in self._state.role_assignments.find_all("scope", scope.key):
            principal_scope = assignment.principal_scope
            if assignment.principal_type != "USER_GROUP" or principal_scope == scope:
                continue
            group = self.find(principal_scope, assignment.principal_id)
            if group is not None:
                found.setdefault(f"{principal_scope.key}{group.identifier}", group)
        return list(found.values())

    def _scope_exists(self, scope: Scope) -> bool:
        try:
            self._scopes.require(scope)
        except NotFound:
            return False
        return True

    def _in_scope(self, scope: Scope, user_ids: Iterable[str]) -> tuple[str, ...]:
        """The ids of users that belong to the scope, each once, in the order given."""
        state = self._state
        kept: list[str] = []
        for user_id in user_ids:
            user = state.users.get(user_id)
            if user is not None and user_id not in kept and self._scopes.contains_user(scope, user):
                kept.append(user_id)
        return tuple(kept)

    def _sso_setting(self, account_id: str, link: SsoLink | None) -> Mapping[str, Any] | None:
        """The SSO group link, in the form CurrentGen's ssoSetting reads."""
        if link is None:
            return None
        provider = self._state.sso_providers.get(link.provider_id)
        if provider is None or provider.account_id != account_id:
            raise InvalidInput("linkedSsoId", "Invalid ssoId")
        if link.provider_type is not None and link.provider_type != provider.sso_type:
            raise InvalidInput(
                "linkedSsoType",
                f"The SSO provider {provider.id} is of type {provider.sso_type}",
            )
        setting: dict[str, Any] = {
            "type": provider.sso_type,
            "ssoProviderId": provider.id,
            "groupName": link.group_name or link.group_id,
        }
        if provider.sso_type == "LDAP":
            setting["groupDN"] = link.group_id
        frozen: Mapping[str, Any] = freeze(setting)
        return frozen

    def _require_admin_left(self, scope: Scope, removed: str) -> None:
        """Harness refuses to take away an account's last admin, naming who was removed."""
        if scope.org is None and not self._access.account_admins(scope.account_id):
            raise InvalidInput(
                None, f"{removed} is the last account admin for {scope.account_id}. Can't remove it"
            )


@record
class _Owner:
    users_message: str
    name_message: str


_HARNESS = _Owner(
    "Updating users is not supported for harness managed group ",
    "The name cannot be updated for harness managed group.",
)
_IDENTITY_PROVIDER = _Owner(
    "Update is not supported for externally managed group ",
    "The name cannot be updated for externally managed group",
)


def _owner(group: UserGroup) -> _Owner | None:
    """Who decides a group's members and name when it is not its editors."""
    if group.harness_managed:
        return _HARNESS
    if group.externally_managed or group.sso_linked:
        return _IDENTITY_PROVIDER
    return None


def _checked_configs(configs: Sequence[Mapping[str, Any]]) -> tuple[Mapping[str, Any], ...]:
    """Notification channels, at most one of each type (Harness refuses two)."""
    seen: set[str] = set()
    for config in configs:
        kind = str(config.get("type"))
        if kind in seen:
            raise InvalidArgument(
                "notificationConfigs",
                f"Not allowed to create multiple notification setting of type: {kind}",
            )
        seen.add(kind)
    frozen: tuple[Mapping[str, Any], ...] = freeze(list(configs))
    return frozen


def _matches(group: UserGroup, term: str) -> bool:
    if term in group.name.lower():
        return True
    return any(term in f"{key}:{value}".lower() for key, value in (group.tags or EMPTY).items())
