"""Resolvers of the object types: store records on the wire, relations looked up lazily.

Parents are the store's frozen records; a wire name that is the record's attribute in
camelCase is an alias, everything else is a resolver. Nothing here changes state.
"""

from __future__ import annotations

from typing import Any

from ariadne import ObjectType, ScalarType

from simulator.rapidapi import inputs
from simulator.rapidapi.context import Info
from simulator.store.rapidapi.access import Forbidden
from simulator.store.rapidapi.models import (
    ACTIVE,
    EntityRole,
    Grant,
    Organization,
    Permission,
    Project,
    Role,
    Team,
    User,
)
from simulator.store.rapidapi.organizations import TeamUserEntry
from simulator.store.rapidapi.times import iso

datetime_scalar = ScalarType("DateTime", serializer=iso)

user_type = ObjectType("User")
team_type = ObjectType("Team")
team_user_type = ObjectType("TeamUser")
organization_type = ObjectType("Organization")
role_type = ObjectType("Role")
entity_role_type = ObjectType("EntityRole")
project_acl_type = ObjectType("ProjectAcl")
project_type = ObjectType("Project")
authorization_type = ObjectType("ApplicationAuthorization")


def _aliases(object_type: ObjectType, **names: str) -> None:
    for wire, attribute in names.items():
        object_type.set_alias(wire, attribute)


_TIMES = {"createdAt": "created_at", "updatedAt": "updated_at"}
_aliases(
    user_type,
    mashapeId="mashape",
    lastActive="last_active",
    deletedAt="deleted_at",
    apisCount="apis_count",
    isUserCreatedBySSO="created_by_sso",
    billingType="billing_type",
    **_TIMES,
)
_aliases(team_type, mashapeId="mashape_id", slugifiedName="slugified_name", **_TIMES)
_aliases(team_user_type, inviteStatus="invite_status", role="role_key", userData="user")
_aliases(
    organization_type,
    slugifiedName="slugified_name",
    apisCount="apis_count",
    billingType="billing_type",
    **_TIMES,
)
_aliases(role_type, roleLevel="level", isBasicRole="is_basic_role", isDefault="is_default")
_aliases(
    entity_role_type, entityId="entity_id", roleId="role_id", parentId="parent_id", orgId="org_id"
)
_aliases(project_acl_type, id="acl_id", owner="owner_id", **_TIMES)
_aliases(project_type, mashapeId="mashape_id", enableLimitsToAPIs="enable_limits_to_apis")
_aliases(authorization_type, createdAt="created_at")


# -- User --------------------------------------------------------------------------------


@user_type.field("Teams")
def user_teams(user: User, info: Info) -> list[Team]:
    return info.context.store.teams.of_user(user.id)


@user_type.field("organizations")
def user_organizations(user: User, info: Info) -> list[Organization]:
    return info.context.store.organizations.of_user(user.id)


@user_type.field("ProjectAcls")
def owner_apps(owner: User | Team, info: Info) -> list[Project]:
    return info.context.store.apps.of_owner(owner.id)


@user_type.field("role")
def user_role(user: User, info: Info) -> Any:
    return info.context.store.access.assignment(user.id, None)


@user_type.field("activeOrganizationRole")
def user_active_organization_role(user: User, info: Info) -> str | None:
    """The user's role in the organization the request acts in: that of the calling
    team context (a personal context acts in none)."""
    team = info.context.caller.owner.team
    if team is None:
        return None
    role = info.context.store.organizations.org_role(team.org_id, user.id)
    return None if role is None else role.key


@user_type.field("singleAdminOrgs")
def user_single_admin_orgs(user: User, info: Info) -> list[int]:
    return info.context.store.access.single_admin_orgs(user.id)


# -- Team and TeamUser -------------------------------------------------------------------


@team_type.field("users")
def team_users(team: Team, info: Info) -> list[TeamUserEntry]:
    return info.context.store.teams.members(team)


@team_type.field("usersCount")
def team_users_count(team: Team, info: Info) -> int:
    return len(info.context.store.access.team_member_ids(team))


team_type.set_field("ProjectAcls", owner_apps)


@team_type.field("status")
@organization_type.field("status")
def active_status(record: Team | Organization, info: Info) -> str:
    """Deleting a team or an organization removes it: what can be read is ACTIVE."""
    return ACTIVE


@team_type.field("deletedAt")
@team_user_type.field("token")
def never_shown(record: Any, info: Info) -> None:
    """Fields that are always null here: a team that was deleted is gone, and an
    invite's token travels only in its invitation email."""
    return None


@team_type.field("role")
def team_role(team: Team, info: Info, where: dict[str, Any] | None = None) -> EntityRole | None:
    """The caller's role in this team, if `where` (when given) names its scope."""
    if not inputs.in_scope(where, org_id=team.org_id, team_id=team.id):
        return None
    context = info.context
    return context.store.access.assignment(context.actor.id, team.id)


@team_type.field("isTeamMember")
def team_is_member(team: Team, info: Info) -> bool:
    context = info.context
    return context.store.access.is_team_member(team, context.actor.id)


@team_user_type.field("thumbnail")
def team_user_thumbnail(entry: TeamUserEntry, info: Info) -> str | None:
    return None if entry.user is None else entry.user.thumbnail


@team_user_type.field("teams")
def team_user_teams(entry: TeamUserEntry, info: Info) -> list[Team]:
    """A member's teams in the organization; for an invite, the teams it will join."""
    store = info.context.store
    if entry.row.accepted:
        return store.teams.of_user(entry.id, entry.row.org_id)
    teams = (store.teams.get(team_id) for team_id in entry.row.team_ids)
    return [team for team in teams if team is not None]


@team_user_type.field("teamsCount")
def team_user_teams_count(entry: TeamUserEntry, info: Info) -> int:
    return len(team_user_teams(entry, info))


# -- Organization ------------------------------------------------------------------------


@organization_type.field("teams")
def organization_teams(
    org: Organization, info: Info, where: dict[str, Any] | None = None
) -> list[Team]:
    """The organization's teams in the scope `where` names (all without one)."""
    teams = info.context.store.teams.of_org(org.id)
    return [t for t in teams if inputs.in_scope(where, org_id=org.id, team_id=t.id)]


@organization_type.field("users")
def organization_users(org: Organization, info: Info) -> list[User]:
    store = info.context.store
    return [store.state.users[user_id] for user_id in store.organizations.member_ids(org.id)]


@organization_type.field("isOrganizationAdmin")
def organization_is_admin(org: Organization, info: Info) -> bool:
    context = info.context
    return context.store.access.is_org_admin(org.id, context.actor)


@organization_type.field("occupiedSeats")
def organization_occupied_seats(org: Organization, info: Info) -> int:
    store = info.context.store
    members = (store.users.get(i) for i in store.organizations.member_ids(org.id))
    active = sum(1 for user in members if user is not None and user.status == ACTIVE)
    return active + store.organizations.pending_count(org.id)


@organization_type.field("role")
def organization_role(org: Organization, info: Info) -> Any:
    context = info.context
    return context.store.access.assignment(context.actor.id, org.id)


@organization_type.field("numOfTeams")
def organization_team_count(org: Organization, info: Info) -> int:
    return len(info.context.store.teams.of_org(org.id))


@organization_type.field("numOfUsers")
def organization_user_count(org: Organization, info: Info) -> int:
    return len(info.context.store.organizations.member_ids(org.id))


# -- roles -------------------------------------------------------------------------------


def permission_wire(
    permission: Permission, grant: Grant | None, *, in_role: bool = True
) -> dict[str, Any]:
    """A VirtualPermission; `rolePermission` is a role's grant of it, or (read outside
    any role) all null."""
    role_permission: dict[str, bool | None]
    if in_role:
        role_permission = {
            "granted": grant is not None,
            "readOnly": bool(grant and grant.read_only),
        }
    else:
        role_permission = {"granted": None, "readOnly": None}
    return {
        "id": permission.id,
        "key": permission.key,
        "displayName": permission.display_name,
        "permissionLevel": permission.level,
        "description": permission.description,
        "dependsOn": permission.depends_on,
        "rolePermission": role_permission,
    }


@role_type.field("permissions")
def role_permissions(role: Role, info: Info) -> list[dict[str, Any]]:
    """Every permission of the role's level, marked with what this role grants."""
    return [
        permission_wire(permission, grant)
        for permission, grant in info.context.store.roles.permissions(role)
    ]


@entity_role_type.field("role")
def entity_role_role(assignment: Any, info: Info) -> Role | None:
    return info.context.store.access.role(assignment.role_id)


# -- apps --------------------------------------------------------------------------------


@project_acl_type.field("project")
def acl_project_id(project: Project, info: Info) -> int:
    return project.id


@project_acl_type.field("Project")
def acl_project(project: Project, info: Info) -> Project:
    return project


@project_type.field("applicationAuthorizations")
def project_keys(project: Project, info: Info) -> Any:
    """An app's keys are its owner's credentials: only the owner, members of the owning
    team and Environment Admins see them."""
    context = info.context
    store, actor = context.store, context.actor
    team = store.teams.get(project.owner_id)
    allowed = (
        project.owner_id == actor.id
        or (team is not None and store.access.is_team_member(team, actor.id))
        or store.access.is_env_admin(actor)
    )
    if not allowed:
        raise Forbidden("app_keys", f"You may not see the keys of app {project.id}.")
    return store.apps.keys(project.id)


BINDABLES = [
    datetime_scalar,
    user_type,
    team_type,
    team_user_type,
    organization_type,
    role_type,
    entity_role_type,
    project_acl_type,
    project_type,
    authorization_type,
]
