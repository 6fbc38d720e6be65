"""Roles, their permissions, and assigning roles to users, teams and organizations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from simulator.records import record
from simulator.store.errors import InvalidInput
from simulator.store.rapidapi.access import Access, Forbidden
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

T = TypeVar("T")


@record
class Window(Generic[T]):
    """A window of a list, for Relay-style paging."""

    items: list[T]
    has_next: bool
    has_previous: bool


def window(
    items: list[T], key: Callable[[T], str], first: int | None, after: str | None
) -> Window[T]:
    """At most `first` items, from just after the item whose key is `after`."""
    start = 0
    if after is not None:
        position = next((i for i, item in enumerate(items) if key(item) == after), None)
        if position is None:
            raise InvalidInput(
                "pagination.after", "the cursor does not point at an item of this list"
            )
        start = position + 1
    if first is not None and first < 0:
        raise InvalidInput("pagination.first", "must not be negative")
    stop = len(items) if first is None else min(len(items), start + first)
    return Window(items[start:stop], stop < len(items), start > 0)


@record
class Audit:
    """What `entitiesRoles` asks: assignments of `entity_ids`, in organization `org_id`
    and in the scopes `parent_ids` when given."""

    entity_ids: Sequence[int]
    org_id: int | None = None
    parent_ids: Sequence[int | None] | None = None


@record
class Assignment:
    """What `upsertEntityRole` asks: the assignment `id` to change, or an entity, a role
    and a scope to assign it in."""

    id: str | None = None
    entity_id: int | None = None
    role_id: int | None = None
    parent_id: int | None = None
    org_id: int | None = None


def assignment_order(assignment: EntityRole) -> tuple[int, int]:
    """Assignments by id: the entity, then its scope (the unscoped one first)."""
    return assignment.entity_id, -1 if assignment.parent_id is None else assignment.parent_id


class Roles:
    def __init__(self, state: RapidApiState, access: Access) -> None:
        self._state = state
        self._access = access

    # -- reads ---------------------------------------------------------------------------

    def of_levels(self, levels: Sequence[str] | None) -> list[Role]:
        """Roles of `levels` (all when empty), by id."""
        return sorted(
            (r for r in self._state.roles.values() if not levels or r.level in levels),
            key=lambda r: r.id,
        )

    def slice(
        self,
        levels: Sequence[str] | None,
        *,
        by_name: Sequence[bool] = (),
        first: int | None = None,
        after: str | None = None,
    ) -> Window[Role]:
        """Roles of `levels` (all when empty), by id or by name (`by_name` holds one
        "descending?" flag per sorting field), from just after the role with id `after`."""
        roles = self.of_levels(levels)
        for descending in reversed(by_name):
            roles.sort(key=lambda r: r.name.lower(), reverse=descending)
        return window(roles, lambda r: str(r.id), first, after)

    def permissions(self, role: Role) -> list[tuple[Permission, Grant | None]]:
        """Every permission of the role's level, with the role's grant of it (if any)."""
        grants = {grant.permission_id: grant for grant in role.grants}
        return [(p, grants.get(p.id)) for p in self.permissions_of_levels([role.level])]

    def permissions_of_levels(self, levels: Sequence[str] | None) -> list[Permission]:
        """The permissions of `levels` (all when empty), by id."""
        return sorted(
            (p for p in self._state.permissions.values() if not levels or p.level in levels),
            key=lambda p: p.id,
        )

    def audit(self, actor: User, query: Audit) -> list[EntityRole]:
        """Role assignments the actor may read, by id. Within an organization (`org_id`)
        its members read every assignment; otherwise an entity's assignments are for
        Environment Admins, the entity itself and those who share an organization with
        it, and only in the organizations the reader belongs to."""
        access = self._access
        admin = access.is_env_admin(actor)
        if query.org_id is not None:
            access.require_org_member(actor, query.org_id)
        elif not admin:
            for entity_id in query.entity_ids:
                if entity_id != actor.id and not access.shares_organization(actor, entity_id):
                    raise Forbidden("audit", f"You may not read the roles of entity {entity_id}.")
        scopes = None
        if query.parent_ids is not None:
            if any(parent is None for parent in query.parent_ids):
                raise InvalidInput("parentIds", "must not contain null")
            scopes = set(query.parent_ids)
        found = []
        for entity_id in dict.fromkeys(query.entity_ids):
            for a in self._state.entity_roles.find_all("entity", entity_id):
                if query.org_id is not None and a.org_id != query.org_id:
                    continue
                if scopes is not None and a.parent_id not in scopes:
                    continue
                if admin or a.org_id is None or access.membership(a.org_id, actor.id) is not None:
                    found.append(a)
        return sorted(found, key=assignment_order)

    # -- changes -------------------------------------------------------------------------

    def upsert_all(self, actor: User, requests: Sequence[Assignment]) -> None:
        """`createEntitiesRoles`: several `upsert`s, all or none."""
        with self._state.db.transaction():
            for request in requests:
                self.upsert(actor, request)

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

    def upsert(self, actor: User, request: Assignment) -> None:
        """`upsertEntityRole`: change the assignment `request.id`, or assign a role to an
        entity in the scope its level implies."""
        assignment_id, entity_id, role_id = request.id, request.entity_id, request.role_id
        parent_id, org_id = request.parent_id, request.org_id
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
        """The assignment a wire id (`entity` or `entity.scope`, ASCII digits) names."""
        entity, dot, parent = assignment_id.partition(".")
        key = None
        if _is_number(entity) and (not dot or _is_number(parent)):
            key = (int(entity), int(parent) if dot else None)
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
        if role.level == ORGANIZATION_LEVEL:
            org_id = entity_id if entity_id in self._state.organizations else None
            kind = "organization"
        else:
            team = self._state.teams.get(entity_id)
            org_id = None if team is None else team.org_id
            kind = "team"
        if org_id is None:
            raise InvalidInput("entityId", f"{kind} {entity_id} does not exist")
        self._put(entity_id, None, role, org_id)


def _is_number(text: str) -> bool:
    """ASCII digits only: `int()` would also take other scripts' digits and " 7"."""
    return 0 < len(text) <= 18 and text.isascii() and text.isdigit()
