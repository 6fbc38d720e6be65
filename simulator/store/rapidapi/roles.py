"""Roles, their permissions, and assigning roles to users, teams and organizations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.store.errors import InvalidInput
from simulator.store.rapidapi.access import Access
from simulator.store.rapidapi.models import (
    ENVIRONMENT_LEVEL,
    ORGANIZATION_LEVEL,
    ORGANIZATION_USER_LEVEL,
    TEAM_USER_LEVEL,
    EntityRole,
    Grant,
    Permission,
    Role,
    User,
)
from simulator.store.rapidapi.state import RapidApiState


@dataclass(frozen=True)
class RoleSlice:
    """A window of the role list, for Relay-style paging."""

    items: list[Role]
    has_next: bool
    has_previous: bool


class Roles:
    def __init__(self, state: RapidApiState, access: Access) -> None:
        self._state = state
        self._access = access

    # -- reads ---------------------------------------------------------------------------

    def slice(
        self,
        levels: Sequence[str] | None,
        *,
        by_name: Sequence[bool] = (),
        first: int | None = None,
        after: int | None = None,
    ) -> RoleSlice:
        """Roles of `levels` (all when empty), by id or by name (`by_name` holds one
        "descending?" flag per sorting field), from just after role `after`."""
        roles = sorted(
            (r for r in self._state.roles.values() if not levels or r.level in levels),
            key=lambda r: r.id,
        )
        for descending in reversed(by_name):
            roles.sort(key=lambda r: r.name.lower(), reverse=descending)
        start = 0
        if after is not None:
            position = next((i for i, r in enumerate(roles) if r.id == after), None)
            if position is None:
                raise InvalidInput(
                    "pagination.after", "the cursor does not point at an item of this list"
                )
            start = position + 1
        if first is not None and first < 0:
            raise InvalidInput("pagination.first", "must not be negative")
        stop = len(roles) if first is None else min(len(roles), start + first)
        return RoleSlice(roles[start:stop], stop < len(roles), start > 0)

    def permissions(self, role: Role) -> list[tuple[Permission, Grant | None]]:
        """Every permission of the role's level, with the role's grant of it (if any)."""
        grants = {grant.permission_id: grant for grant in role.grants}
        permissions = sorted(
            self._state.permissions.find_all("level", role.level), key=lambda p: p.id
        )
        return [(p, grants.get(p.id)) for p in permissions]

    # -- changes -------------------------------------------------------------------------

    def update_user_role(self, actor: User, user_id: int, role_id: int, org_id: int) -> None:
        """`updateUserRoles`: a user's organization role, or (for Environment Admins)
        environment role."""
        role = self._role(role_id)
        with self._state.db.transaction():
            if role.level == ORGANIZATION_USER_LEVEL:
                self._assign_org_role(actor, user_id, role, org_id)
            elif role.level == ENVIRONMENT_LEVEL:
                self._assign_env_role(actor, user_id, role)
            else:
                raise InvalidInput(
                    "roleId",
                    f"role {role_id} is a {role.level} role; updateUserRoles sets"
                    f" {ORGANIZATION_USER_LEVEL} and {ENVIRONMENT_LEVEL} roles"
                    " (use upsertEntityRole for the others)",
                )

    def upsert(
        self,
        actor: User,
        *,
        assignment_id: str | None,
        entity_id: int | None,
        role_id: int | None,
        parent_id: int | None,
        org_id: int | None,
    ) -> None:
        """`upsertEntityRole`: change the assignment `assignment_id`, or assign a role
        to an entity in the scope its level implies."""
        existing = None
        if assignment_id is not None:
            existing = self._assignment(assignment_id)
            if entity_id is not None and entity_id != existing.entity_id:
                raise InvalidInput(
                    "entityId", f"assignment {assignment_id} is not of entity {entity_id}"
                )
            if parent_id is not None and parent_id != existing.parent_id:
                raise InvalidInput(
                    "parentId", f"assignment {assignment_id} is not in scope {parent_id}"
                )
            entity_id, parent_id = existing.entity_id, existing.parent_id
            org_id = existing.org_id if org_id is None else org_id
        if role_id is None:
            raise InvalidInput("roleId", "is required")
        if entity_id is None:
            raise InvalidInput("entityId", "is required")
        role = self._role(role_id)
        if existing is not None and existing.level != role.level:
            raise InvalidInput(
                "roleId",
                f"role {role_id} is a {role.level} role; the assignment holds {existing.level}",
            )
        with self._state.db.transaction():
            if role.level == TEAM_USER_LEVEL:
                self._assign_team_role(actor, entity_id, role, parent_id, org_id)
            elif role.level == ORGANIZATION_USER_LEVEL:
                if parent_id is not None and org_id is not None and parent_id != org_id:
                    raise InvalidInput(
                        "parentId", "must be the organization for organization roles"
                    )
                scope = org_id if org_id is not None else parent_id
                if scope is None:
                    raise InvalidInput("orgId", "is required for organization roles")
                self._assign_org_role(actor, entity_id, role, scope)
            else:
                if parent_id is not None:
                    raise InvalidInput("parentId", f"{role.level} roles have no parent scope")
                if role.level == ENVIRONMENT_LEVEL:
                    self._assign_env_role(actor, entity_id, role)
                else:
                    self._assign_entity_role(actor, entity_id, role)

    # -- helpers -------------------------------------------------------------------------

    def _role(self, role_id: int) -> Role:
        role = self._access.role(role_id)
        if role is None:
            raise InvalidInput("roleId", f"role {role_id} does not exist")
        return role

    def _assignment(self, assignment_id: str) -> EntityRole:
        entity, _, parent = assignment_id.partition(".")
        try:
            key = (int(entity), int(parent) if parent else None)
        except ValueError:
            key = None
        existing = None if key is None else self._state.entity_roles.get(key)
        if existing is None:
            raise InvalidInput("id", f"there is no role assignment with id {assignment_id}")
        return existing

    def _put(self, entity_id: int, parent_id: int | None, role: Role, org_id: int | None) -> None:
        state = self._state
        state.db.put(
            state.entity_roles, EntityRole(entity_id, parent_id, role.id, role.level, org_id)
        )

    def _assign_org_role(self, actor: User, user_id: int, role: Role, org_id: int) -> None:
        if org_id not in self._state.organizations:
            raise InvalidInput("orgId", f"organization {org_id} does not exist")
        self._access.require_org_admin(actor, org_id)
        if self._access.membership(org_id, user_id) is None:
            raise InvalidInput(
                "entityId", f"user {user_id} is not a member of organization {org_id}"
            )
        self._put(user_id, org_id, role, org_id)

    def _assign_team_role(
        self, actor: User, user_id: int, role: Role, team_id: int | None, org_id: int | None
    ) -> None:
        if team_id is None:
            raise InvalidInput("parentId", "is required for team roles: give the team id")
        team = self._state.teams.get(team_id)
        if team is None:
            raise InvalidInput("parentId", f"team {team_id} does not exist")
        if org_id is not None and org_id != team.org_id:
            raise InvalidInput("orgId", f"team {team_id} belongs to organization {team.org_id}")
        self._access.require_org_admin(actor, team.org_id)
        if (team_id, user_id) not in self._state.team_members:
            raise InvalidInput("entityId", f"user {user_id} is not a member of team {team_id}")
        self._put(user_id, team_id, role, team.org_id)

    def _assign_env_role(self, actor: User, user_id: int, role: Role) -> None:
        self._access.require_env_admin(actor)
        user = self._state.users.get(user_id)
        if user is None or not user.live:
            raise InvalidInput("entityId", f"user {user_id} does not exist")
        self._put(user_id, None, role, None)

    def _assign_entity_role(self, actor: User, entity_id: int, role: Role) -> None:
        """Roles of organizations and teams themselves, which only Environment Admins set."""
        self._access.require_env_admin(actor)
        table = self._state.organizations if role.level == ORGANIZATION_LEVEL else self._state.teams
        if entity_id not in table:
            kind = "organization" if role.level == ORGANIZATION_LEVEL else "team"
            raise InvalidInput("entityId", f"{kind} {entity_id} does not exist")
        self._put(entity_id, None, role, None)
