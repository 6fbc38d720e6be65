"""Who holds which role, and the admin rules every change must keep.

Environment Admins hold the USER_ENVIRONMENT role whose key is ADMIN; Organization
Admins hold the USER_ORGANIZATION ADMIN role of their organization and are members of
every team in it. Only ACTIVE users count: a deactivated admin administers nothing.
"""

from __future__ import annotations

from simulator.store.database import Change
from simulator.store.errors import ConstraintViolation, PermissionDenied
from simulator.store.rapidapi.models import (
    ACTIVE,
    ADMIN_ROLE_KEY,
    CREATE_ORGANIZATIONS,
    DELETED,
    ENVIRONMENT_LEVEL,
    ORGANIZATION_USER_LEVEL,
    EntityRole,
    OrgUser,
    Role,
    Team,
    User,
)
from simulator.store.rapidapi.state import RapidApiState


class Forbidden(PermissionDenied):
    """The caller may not do this; `message` says why in the vendor's terms."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(rule, "RAPIDAPI")
        self.message = message
        self.args = (message,)


class Access:
    def __init__(self, state: RapidApiState) -> None:
        self._state = state

    # -- roles ---------------------------------------------------------------------------

    def role(self, role_id: int) -> Role | None:
        return self._state.roles.get(role_id)

    def admin_role(self, level: str) -> Role | None:
        return self._state.roles.find("key", (level, ADMIN_ROLE_KEY))

    def default_role(self, level: str) -> Role | None:
        return next(
            (r for r in self._state.roles.find_all("level", level) if r.is_default),
            None,
        )

    def assignment(self, entity_id: int, parent_id: int | None) -> EntityRole | None:
        return self._state.entity_roles.get((entity_id, parent_id))

    def _holders(self, parent_id: int | None, level: str, *, active: bool) -> list[int]:
        """Users holding the admin role of `level` in scope `parent_id`, in id order."""
        admin = self.admin_role(level)
        if admin is None:
            return []
        holders = [
            a.entity_id for a in self._state.entity_roles.find_all("holders", (parent_id, admin.id))
        ]
        if not active:
            return holders
        users = self._state.users
        return [
            user_id
            for user_id in holders
            if (user := users.get(user_id)) is not None and user.status == ACTIVE
        ]

    # -- environment ---------------------------------------------------------------------

    def is_env_admin(self, user: User) -> bool:
        assignment = self.assignment(user.id, None)
        if user.status != ACTIVE or assignment is None:
            return False
        role = self.role(assignment.role_id)
        return role is not None and role.is_admin and role.level == ENVIRONMENT_LEVEL

    def env_admins(self) -> list[int]:
        return self._holders(None, ENVIRONMENT_LEVEL, active=True)

    def require_env_admin(self, actor: User) -> None:
        if not self.is_env_admin(actor):
            raise Forbidden(
                "environment_admin", "You must be an Environment Admin to perform this action."
            )

    def require_organization_creator(self, actor: User) -> None:
        """Creating organizations is an environment permission (CREATE_ORGANIZATIONS):
        the actor's environment role must grant it, unless the hub does not define it.
        Environment Admins always may."""
        permission = next(
            (
                p
                for p in self._state.permissions.find_all("level", ENVIRONMENT_LEVEL)
                if p.key == CREATE_ORGANIZATIONS
            ),
            None,
        )
        if permission is None or self.is_env_admin(actor):
            return
        assignment = self.assignment(actor.id, None)
        role = None if assignment is None else self.role(assignment.role_id)
        grants = () if role is None else role.grants
        if not any(g.permission_id == permission.id and not g.read_only for g in grants):
            raise Forbidden(
                "create_organizations",
                "Your environment role does not allow creating organizations.",
            )

    # -- organizations -------------------------------------------------------------------

    def membership(self, org_id: int, user_id: int) -> OrgUser | None:
        """The user's accepted membership of the organization, if any."""
        row = self._state.org_users.get((org_id, user_id))
        return row if row is not None and row.accepted else None

    def is_org_admin(self, org_id: int, user: User) -> bool:
        if user.status != ACTIVE or self.membership(org_id, user.id) is None:
            return False
        assignment = self.assignment(user.id, org_id)
        role = None if assignment is None else self.role(assignment.role_id)
        return role is not None and role.is_admin

    def org_admins(self, org_id: int) -> list[int]:
        """The active admins: those the "an organization keeps an admin" rule counts."""
        return self._holders(org_id, ORGANIZATION_USER_LEVEL, active=True)

    def single_admin_orgs(self, user_id: int) -> list[int]:
        """Organizations whose only active admin is this user (it cannot be deactivated)."""
        return [
            row.org_id
            for row in self._state.org_users.find_all("user", user_id)
            if row.accepted and self.org_admins(row.org_id) == [user_id]
        ]

    def shares_organization(self, actor: User, entity_id: int) -> bool:
        """Whether the actor is a member of the organization an entity is (a user: any
        organization both belong to; a team: its organization; an organization: itself)."""
        state = self._state
        team = state.teams.get(entity_id)
        if team is not None or entity_id in state.organizations:
            org_id = entity_id if team is None else team.org_id
            return self.membership(org_id, actor.id) is not None
        return any(
            row.accepted and self.membership(row.org_id, actor.id) is not None
            for row in state.org_users.find_all("user", entity_id)
        )

    def require_org_member(self, actor: User, org_id: int) -> None:
        """Members of an organization, and Environment Admins, may read it."""
        if self.membership(org_id, actor.id) is None and not self.is_env_admin(actor):
            raise Forbidden(
                "organization_member", f"You are not a member of organization {org_id}."
            )

    def require_org_admin(self, actor: User, org_id: int) -> None:
        if not self.is_org_admin(org_id, actor) and not self.is_env_admin(actor):
            raise Forbidden(
                "organization_admin",
                f"You must be an admin of organization {org_id} to perform this action.",
            )

    # -- teams ---------------------------------------------------------------------------

    def team_member_ids(self, team: Team) -> list[int]:
        """Explicit members plus every holder of the organization's admin role."""
        explicit = (m.user_id for m in self._state.team_members.find_all("team", team.id))
        admins = self._holders(team.org_id, ORGANIZATION_USER_LEVEL, active=False)
        return sorted({*explicit, *admins})

    def is_team_member(self, team: Team, user_id: int) -> bool:
        if (team.id, user_id) in self._state.team_members:
            return True
        assignment = self.assignment(user_id, team.org_id)
        role = None if assignment is None else self.role(assignment.role_id)
        return role is not None and role.is_admin

    def require_team_member(self, actor: User, team: Team) -> None:
        if not self.is_team_member(team, actor.id) and not self.is_env_admin(actor):
            raise Forbidden("team_member", f"You are not a member of team {team.id}.")

    # -- commit check --------------------------------------------------------------------

    def _has_live_users(self) -> bool:
        users = self._state.users
        return users.count("id", "") > users.count("id@status", DELETED)

    def check_admins_remain(self, changes: list[Change]) -> None:
        """Refuse any transaction that leaves an organization, or the hub, without an
        active admin (RapidAPI: the only admin of an organization cannot be deactivated)."""
        orgs: set[int] = set()
        hub = False
        for change in changes:
            if change.table == "users":
                hub = True
                user_id = change.key
                orgs.update(row.org_id for row in self._state.org_users.find_all("user", user_id))
            elif change.table == "org_users":
                key = change.key  # (organization id, user or invite id)
                assert isinstance(key, tuple)
                orgs.add(key[0])
            elif change.table == "entity_roles":
                for record in (change.before, change.after):
                    if record is None:
                        continue
                    if record.level == ENVIRONMENT_LEVEL:
                        hub = True
                    elif record.level == ORGANIZATION_USER_LEVEL:
                        orgs.add(record.parent_id)
        if hub and self._has_live_users() and not self.env_admins():
            raise ConstraintViolation(
                "environment_admin",
                "The hub must keep at least one active Environment Admin.",
            )
        for org_id in sorted(orgs):
            if org_id in self._state.organizations and not self.org_admins(org_id):
                raise ConstraintViolation(
                    "organization_admin",
                    f"Organization {org_id} must keep at least one active admin.",
                )
