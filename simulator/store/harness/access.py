"""Roles, resource groups, role assignments and the permission checks built on them.

This is a deliberately small model of Harness NextGen access control: a role grants
permissions, a role assignment binds a role and a resource group to a user or a user
group at a scope, and the assignment covers that scope, plus every scope below it
when its resource group includes child scopes. Harness-managed roles, resource groups
and "all users" groups exist in every scope without being stored.
"""

from __future__ import annotations

from collections.abc import Iterable

from simulator.store.database import Change
from simulator.store.errors import ConstraintViolation, PermissionDenied
from simulator.store.harness.models import (
    ResourceGroup,
    Role,
    RoleAssignment,
    Scope,
    User,
    UserGroup,
)
from simulator.store.harness.state import HarnessState

USER_VIEW = "core_user_view"
USER_MANAGE = "core_user_manage"
USERGROUP_VIEW = "core_usergroup_view"
USERGROUP_MANAGE = "core_usergroup_manage"
PROJECT_VIEW = "core_project_view"
ROLE_VIEW = "core_role_view"
RESOURCEGROUP_VIEW = "core_resourcegroup_view"
AUTHSETTING_VIEW = "core_authsetting_view"
VIEW_PERMISSIONS = frozenset(
    {USER_VIEW, USERGROUP_VIEW, PROJECT_VIEW, ROLE_VIEW, RESOURCEGROUP_VIEW, AUTHSETTING_VIEW}
)
ALL_PERMISSIONS = VIEW_PERMISSIONS | {USER_MANAGE, USERGROUP_MANAGE}

ACCOUNT_ADMIN_ROLE = "_account_admin"

# identifier -> (name, scope level, permissions)
MANAGED_ROLES: dict[str, tuple[str, str, frozenset[str]]] = {
    "_account_admin": ("Account Admin", "ACCOUNT", ALL_PERMISSIONS),
    "_account_viewer": ("Account Viewer", "ACCOUNT", VIEW_PERMISSIONS),
    "_organization_admin": ("Organization Admin", "ORGANIZATION", ALL_PERMISSIONS),
    "_organization_viewer": ("Organization Viewer", "ORGANIZATION", VIEW_PERMISSIONS),
    "_project_admin": ("Project Admin", "PROJECT", ALL_PERMISSIONS),
    "_project_viewer": ("Project Viewer", "PROJECT", VIEW_PERMISSIONS),
}

# identifier -> (name, scope levels where it exists, includes child scopes)
MANAGED_RESOURCE_GROUPS: dict[str, tuple[str, frozenset[str], bool]] = {
    "_all_account_level_resources": (
        "All Account Level Resources",
        frozenset({"ACCOUNT"}),
        False,
    ),
    "_all_resources_including_child_scopes": (
        "All Resources Including Child Scopes",
        frozenset({"ACCOUNT", "ORGANIZATION"}),
        True,
    ),
    "_all_organization_level_resources": (
        "All Organization Level Resources",
        frozenset({"ORGANIZATION"}),
        False,
    ),
    "_all_project_level_resources": (
        "All Project Level Resources",
        frozenset({"PROJECT"}),
        False,
    ),
}

# The role binding Harness gives users added to a scope without one.
DEFAULT_BINDING: dict[str, tuple[str, str]] = {
    "ACCOUNT": ("_account_viewer", "_all_account_level_resources"),
    "ORGANIZATION": ("_organization_viewer", "_all_organization_level_resources"),
    "PROJECT": ("_project_viewer", "_all_project_level_resources"),
}

# The Harness-managed group at each scope level that holds all of the scope's users.
ALL_USERS_GROUP: dict[str, tuple[str, str]] = {
    "ACCOUNT": ("_account_all_users", "All Account Users"),
    "ORGANIZATION": ("_organization_all_users", "All Organization Users"),
    "PROJECT": ("_project_all_users", "All Project Users"),
}


# Only these changes can take the admin role away (other tables matter when deleted).
_ADMIN_RELEVANT_TABLES = frozenset({"role_assignments", "user_groups"})


class Access:
    """Answers "who may do what where" from the role assignments in the state."""

    def __init__(self, state: HarnessState) -> None:
        self._state = state
        # Role assignments per user, valid for one version of the state: permission
        # checks run on every request, and the state changes far less often.
        self._assignments: dict[str, list[RoleAssignment]] = {}
        self._assignments_version = -1

    # -- definitions ---------------------------------------------------------------------

    def role(self, scope: Scope, identifier: str) -> Role | None:
        """A managed role valid at `scope`'s level, or a custom one defined at or above it."""
        managed = MANAGED_ROLES.get(identifier)
        if managed is not None:
            name, level, permissions = managed
            if level != scope.level:
                return None
            return Role(*scope.key, identifier, name, permissions, managed=True)
        for candidate in scope.lineage():
            role = self._state.roles.get((*candidate.key, identifier))
            if role is not None:
                return role
        return None

    def roles_at(self, scope: Scope) -> list[Role]:
        """Every role usable at `scope`: the managed ones of its level, then custom roles
        defined at it or above, by identifier."""
        state = self._state
        custom = {
            role.identifier: role
            for candidate in reversed(scope.lineage())
            for role in state.roles.find_all("scope", candidate.key)
        }
        managed = [self.role(scope, identifier) for identifier in MANAGED_ROLES]
        return [role for role in managed if role is not None] + sorted(
            custom.values(), key=lambda role: role.identifier
        )

    def resource_groups_at(self, scope: Scope) -> list[ResourceGroup]:
        """The managed resource groups of the scope's level, then those defined at it."""
        managed = [self.resource_group(scope, identifier) for identifier in MANAGED_RESOURCE_GROUPS]
        custom = self._state.resource_groups.find_all("scope", scope.key)
        return [group for group in managed if group is not None] + sorted(
            custom, key=lambda group: group.identifier
        )

    def resource_group(self, scope: Scope, identifier: str) -> ResourceGroup | None:
        managed = MANAGED_RESOURCE_GROUPS.get(identifier)
        if managed is not None:
            name, levels, include_children = managed
            if scope.level not in levels:
                return None
            return ResourceGroup(*scope.key, identifier, name, include_children, managed=True)
        return self._state.resource_groups.get((*scope.key, identifier))

    # -- principals ----------------------------------------------------------------------

    def explicit_groups(self, user: User) -> list[UserGroup]:
        """Groups that list the user as a member (managed "all users" groups excluded)."""
        return self._state.groups.find_all("member", user.id)

    def member_scopes(self, user: User) -> list[Scope]:
        """Every scope the user belongs to: the account, and each org or project joined."""
        scopes = [Scope(user.account_id)]
        scopes.extend(member.scope for member in self._state.members.find_all("user", user.id))
        return scopes

    def assignments_of(self, user: User) -> list[RoleAssignment]:
        """Role assignments that apply to the user: direct ones and those of their groups."""
        db = self._state.db
        if db.in_transaction:  # writes in flight are not reflected in the version yet
            return self._collect_assignments(user)
        version = db.version
        if version != self._assignments_version:
            self._assignments = {}
            self._assignments_version = version
        found = self._assignments.get(user.id)
        if found is None:
            found = self._assignments[user.id] = self._collect_assignments(user)
        return found

    def _collect_assignments(self, user: User) -> list[RoleAssignment]:
        state = self._state
        account = user.account_id
        found = list(state.role_assignments.find_all("principal", (account, "USER", user.id)))
        principals: set[tuple[Scope, str]] = {
            (group.scope, group.identifier) for group in self.explicit_groups(user)
        }
        for scope in self.member_scopes(user):
            principals.add((scope, ALL_USERS_GROUP[scope.level][0]))
        for scope, identifier in principals:
            for assignment in state.role_assignments.find_all(
                "principal", (account, "USER_GROUP", identifier)
            ):
                if assignment.principal_scope == scope:
                    found.append(assignment)
        return [assignment for assignment in found if not assignment.disabled]

    # -- decisions -----------------------------------------------------------------------

    def grants(self, assignment: RoleAssignment, scope: Scope, permission: str) -> bool:
        """Whether one assignment gives `permission` at `scope`."""
        if not assignment.scope.contains(scope):
            return False
        if assignment.scope != scope:
            group = self.resource_group(assignment.scope, assignment.resource_group)
            if group is None or not group.include_child_scopes:
                return False
        role = self.role(assignment.scope, assignment.role)
        return role is not None and permission in role.permissions

    def has_permission(self, user: User, scope: Scope, permission: str) -> bool:
        return any(self.grants(a, scope, permission) for a in self.assignments_of(user))

    def require(self, user: User, scope: Scope, permission: str) -> None:
        if not self.has_permission(user, scope, permission):
            raise PermissionDenied(permission)

    def is_account_admin(self, user: User) -> bool:
        """Every NextGen user read asks this; compared field by field, it costs a tenth."""
        for assignment in self.assignments_of(user):
            scope = assignment.scope
            if (
                assignment.role == ACCOUNT_ADMIN_ROLE
                and scope.project is None
                and scope.org is None
                and scope.account_id == user.account_id
            ):
                return True
        return False

    def cg_account_permissions(self, user: User) -> frozenset[str]:
        """CurrentGen account permissions: the union over the user's account-level groups."""
        granted: set[str] = set()
        for group in self.explicit_groups(user):
            if group.org is None and group.permissions:
                account = group.permissions.get("accountPermissions") or {}
                granted.update(account.get("accountPermissionTypes") or ())
        return frozenset(granted)

    def has_cg_permission(self, user: User, permission: str) -> bool:
        """A CurrentGen account permission, which the account's admins always hold."""
        return permission in self.cg_account_permissions(user) or self.is_account_admin(user)

    def account_admins(self, account_id: str) -> set[str]:
        """Ids of the users holding the account admin role at account scope."""
        state = self._state
        admins: set[str] = set()
        account_scope_admin = (account_id, None, None, ACCOUNT_ADMIN_ROLE)
        for assignment in state.role_assignments.find_all("role", account_scope_admin):
            if assignment.disabled:
                continue
            if assignment.principal_type == "USER":
                if assignment.principal_id in state.users:
                    admins.add(assignment.principal_id)
            elif assignment.principal_id == ALL_USERS_GROUP["ACCOUNT"][0]:
                admins.update(u.id for u in state.users.ordered("created", account_id))
            elif assignment.principal_scope_level in (None, "account"):
                group = state.groups.find(
                    "identifier", (account_id, None, None, assignment.principal_id)
                )
                if group is not None:
                    admins.update(group.member_ids)
        return admins

    def check_admins_remain(self, changes: Iterable[Change]) -> None:
        """Commit check: every account a transaction touched still has an admin."""
        accounts = set()
        for change in changes:
            if change.table not in _ADMIN_RELEVANT_TABLES and change.after is not None:
                continue
            for record in (change.before, change.after):
                account_id = getattr(record, "account_id", None)
                if account_id is not None:
                    accounts.add(account_id)
        for account_id in sorted(accounts):
            if account_id in self._state.accounts and not self.account_admins(account_id):
                raise ConstraintViolation(
                    "LAST_ADMIN",
                    "The last account admin cannot be removed; the account must keep one admin.",
                )
