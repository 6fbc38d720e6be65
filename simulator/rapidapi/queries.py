"""Query resolvers: who may read what, and the three paging styles.

Looking up something that does not exist answers null (or an empty list), as a lookup
should; asking in a way the API refuses (a bad cursor, an unknown sort field, a missing
organization id) is a BAD_USER_INPUT error, and asking for what the caller may not see
is FORBIDDEN.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ariadne import QueryType

from simulator.rapidapi import inputs
from simulator.rapidapi.context import Info, RapidApiContext
from simulator.rapidapi.types import permission_wire
from simulator.records import replace
from simulator.store.errors import InvalidInput
from simulator.store.rapidapi.access import Forbidden
from simulator.store.rapidapi.models import EntityRole, Organization, Role, Team, User
from simulator.store.rapidapi.organizations import TeamUserEntry
from simulator.store.rapidapi.roles import Audit, Window, assignment_order, window
from simulator.store.rapidapi.users import Users
from simulator.store.values import Page

PONG = "pong"


def _required(value: Any, name: str) -> Any:
    """An argument the schema leaves nullable but the operation cannot do without."""
    if value is None:
        raise InvalidInput(name, "is required")
    return value


def resolve_ping(_: Any, info: Info) -> str:
    return PONG


def _users_page(context: RapidApiContext, where: dict[str, Any]) -> Page:
    if inputs.is_admin_listing(where):
        context.require_personal_admin()
    users: Users = context.store.users
    query = inputs.user_query(where)
    return users.search(replace(query, limit=context.page.limit(query.limit, "where.limit")))


def resolve_users(_: Any, info: Info, where: dict[str, Any]) -> dict[str, Any]:
    """`users` as the current docs show it: `{ totalCount nodes { ... } }`."""
    page = _users_page(info.context, where)
    return {"nodes": page.items, "totalCount": page.total}


def resolve_users_list(_: Any, info: Info, where: dict[str, Any]) -> list[User]:
    """`users` as the 2023 schema has it: a bare list."""
    return _users_page(info.context, where).items


def resolve_user(_: Any, info: Info, id: str) -> User | None:
    context = info.context
    context.require_personal_admin()
    user_id = inputs.as_id(id)
    return None if user_id is None else context.store.users.get(user_id)


def resolve_active_user(_: Any, info: Info) -> User:
    return info.context.actor


def resolve_user_by_email(_: Any, info: Info, email: str | None = None) -> User | None:
    return None if email is None else info.context.store.users.by_email(email)


def resolve_team_users(
    _: Any, info: Info, orgId: int, pagingArgs: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Both versions of the organization user list (V1 is V2 under its older name)."""
    context = info.context
    context.require_team_context(info.field_name)
    context.store.access.require_org_member(context.actor, orgId)
    paging = inputs.paging(pagingArgs)
    paging["limit"] = context.page.limit(paging["limit"], "pagingArgs.limit")
    page = context.store.organizations.page(orgId, **paging)
    return {"data": page.items, "total": page.total, "totalActive": page.total_active}


def resolve_team_user(_: Any, info: Info, where: dict[str, Any]) -> TeamUserEntry | None:
    context = info.context
    store, org_id = context.store, where["orgId"]
    store.access.require_org_member(context.actor, org_id)
    row = store.organizations.row_by_email(org_id, where["email"])
    return None if row is None else store.organizations.entry(row)


def resolve_find_users(
    _: Any, info: Info, orgId: int | None = None, term: str | None = None
) -> list[TeamUserEntry]:
    context = info.context
    org_id = _required(orgId, "orgId")
    context.store.access.require_org_member(context.actor, org_id)
    return context.store.organizations.page(org_id, search=term or None).items


def resolve_team(_: Any, info: Info, id: str) -> Team | None:
    context = info.context
    team_id = inputs.as_id(id)
    team = None if team_id is None else context.store.teams.get(team_id)
    if team is not None:
        context.store.access.require_team_member(context.actor, team)
    return team


def resolve_teams(_: Any, info: Info, where: dict[str, Any] | None = None) -> list[Team]:
    """The teams of an organization named by `orgId` or by its `slugifiedName`."""
    where = where or {}
    org_id, slug = where.get("orgId"), where.get("slugifiedName")
    if org_id is None and slug is None:
        raise InvalidInput("where", "give the organization's orgId or slugifiedName")
    return _teams_of(info.context, org_id, slug)


def resolve_teams_by_organization(_: Any, info: Info, orgId: int | None = None) -> list[Team]:
    return _teams_of(info.context, _required(orgId, "orgId"), None)


def _teams_of(context: RapidApiContext, org_id: int | None, slug: str | None) -> list[Team]:
    """The teams of an organization the actor belongs to. An organization that does
    not exist is as forbidden as another's, except to Environment Admins (none)."""
    store = context.store
    if org_id is not None:
        org = store.organizations.get(org_id)
    else:
        assert slug is not None
        org = store.organizations.by_slug(slug)
    if org is not None and slug is not None and org.slugified_name.lower() != slug.lower():
        org = None
    if org is None:
        if store.access.is_env_admin(context.actor):
            return []
        raise Forbidden("organization_member", "You are not a member of that organization.")
    store.access.require_org_member(context.actor, org.id)
    return store.teams.of_org(org.id)


def resolve_organization(
    _: Any, info: Info, id: str, where: dict[str, Any] | None = None
) -> Organization | None:
    """`where.orgId`, when given, must name the same organization."""
    context = info.context
    org_id = inputs.as_id(id)
    org = None if org_id is None else context.store.organizations.get(org_id)
    if org is None or not inputs.in_scope(where, org_id=org.id):
        return None
    context.store.access.require_org_member(context.actor, org.id)
    return org


def resolve_organizations(
    _: Any, info: Info, where: dict[str, Any] | None = None
) -> list[Organization]:
    """The organizations a user (the caller unless `userId` says otherwise) administers."""
    context = info.context
    store, actor = context.store, context.actor
    where = where or {}
    user_id = actor.id
    if where.get("userId") is not None:
        user_id = inputs.as_id(where["userId"]) or 0
        if user_id != actor.id:
            store.access.require_env_admin(actor)
    slug = where.get("slugifiedName")
    return [
        org
        for org in store.organizations.of_user(user_id)
        if (role := store.organizations.org_role(org.id, user_id)) is not None
        and role.is_admin
        and (slug is None or org.slugified_name.lower() == slug.lower())
    ]


def resolve_roles(
    _: Any,
    info: Info,
    where: dict[str, Any],
    orderBy: dict[str, Any] | None = None,
    pagination: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Relay-style paging: `first`/`after` with opaque cursors (`last`/`before` unused)."""
    context = info.context
    sorting = (orderBy or {}).get("sortingFields") or ()
    first, after = _cursor_window(context, pagination, inputs.ROLE_CURSOR)
    found = context.store.roles.slice(
        _levels(where.get("roleLevels")),
        by_name=[field["by"] == "DESC" for field in sorting],
        first=first,
        after=after,
    )
    return _connection(found, inputs.ROLE_CURSOR, lambda role: str(role.id))


def resolve_get_roles(_: Any, info: Info, roleLevels: list[str | None] | None = None) -> list[Role]:
    return info.context.store.roles.of_levels(_levels(roleLevels))


def resolve_entities_roles(
    _: Any,
    info: Info,
    where: dict[str, Any],
    orderBy: dict[str, Any] | None = None,
    pagination: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Role assignments by id (ascending unless a sorting field says DESC), Relay-paged."""
    context = info.context
    audit = Audit(where["entityIds"], where.get("orgId"), where.get("parentIds"))
    found = context.store.roles.audit(context.actor, audit)
    sorting = (orderBy or {}).get("sortingFields") or ()
    if any(field["by"] == "DESC" for field in sorting[:1]):
        found.sort(key=assignment_order, reverse=True)
    first, after = _cursor_window(context, pagination, inputs.ENTITY_ROLE_CURSOR)
    page = window(found, lambda assignment: assignment.id, first, after)
    return _connection(page, inputs.ENTITY_ROLE_CURSOR, lambda assignment: assignment.id)


def resolve_get_entities_roles(
    _: Any,
    info: Info,
    entityIds: list[int | None] | None = None,
    orgId: int | None = None,
    parentIds: list[int | None] | None = None,
) -> list[EntityRole]:
    """The same assignments as `entitiesRoles`; without `entityIds`, the caller's own."""
    context = info.context
    if entityIds is None:
        entity_ids = [context.actor.id]
    elif any(entity_id is None for entity_id in entityIds):
        raise InvalidInput("entityIds", "must not contain null")
    else:
        entity_ids = [entity_id for entity_id in entityIds if entity_id is not None]
    return context.store.roles.audit(context.actor, Audit(entity_ids, orgId, parentIds))


def resolve_virtual_permissions(_: Any, info: Info, where: dict[str, Any]) -> list[dict[str, Any]]:
    """Permissions on their own: no role is in question, so `rolePermission` says nothing."""
    permissions = info.context.store.roles.permissions_of_levels(
        _levels(where.get("permissionLevel"))
    )
    return [permission_wire(permission, None, in_role=False) for permission in permissions]


def resolve_user_invite_by_token(_: Any, info: Info, token: str) -> dict[str, Any] | None:
    entry = info.context.store.invites.by_token(token)
    if entry is None:
        return None
    row = entry.row
    return {
        "id": row.id,
        "token": token,
        "email": entry.email,
        "teamId": row.team_ids[0] if row.team_ids else None,
        "organizationId": row.org_id,
        "role": entry.role_key,
    }


# -- cursor paging -----------------------------------------------------------------------


def _levels(levels: list[str | None] | None) -> list[str]:
    return [level for level in levels or () if level is not None]


def _cursor_window(
    context: RapidApiContext, pagination: dict[str, Any] | None, kind: str
) -> tuple[int | None, str | None]:
    """`first` (bounded by the page policy) and the key `after` points at."""
    pagination = pagination or {}
    after = pagination.get("after")
    first = context.page.limit(pagination.get("first"), "pagination.first")
    return first, None if after is None else inputs.decode_cursor(kind, after)


def _connection(window: Window[Any], kind: str, key: Callable[[Any], str]) -> dict[str, Any]:
    edges = [
        {"node": item, "cursor": inputs.encode_cursor(kind, key(item))} for item in window.items
    ]
    return {
        "nodes": window.items,
        "edges": edges,
        "pageInfo": {
            "hasNextPage": window.has_next,
            "hasPreviousPage": window.has_previous,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


def query_type(*, users_as_list: bool) -> QueryType:
    """The Query resolvers of one contract version (they differ only in `users`)."""
    query = QueryType()
    fields: dict[str, Callable[..., Any]] = {
        "ping": resolve_ping,
        "users": resolve_users_list if users_as_list else resolve_users,
        "user": resolve_user,
        "activeUser": resolve_active_user,
        "userByEmail": resolve_user_by_email,
        "paginatedTeamUsersByOrganizationIdV2": resolve_team_users,
        "paginatedTeamUsersByOrganizationId": resolve_team_users,
        "teamUser": resolve_team_user,
        "findUsersInOrganization": resolve_find_users,
        "team": resolve_team,
        "teams": resolve_teams,
        "teamsByOrganizationId": resolve_teams_by_organization,
        "roles": resolve_roles,
        "getRoles": resolve_get_roles,
        "entitiesRoles": resolve_entities_roles,
        "getEntitiesRoles": resolve_get_entities_roles,
        "virtualPermissions": resolve_virtual_permissions,
        "organization": resolve_organization,
        "organizations": resolve_organizations,
        "getUserInviteByToken": resolve_user_invite_by_token,
    }
    for name, resolver in fields.items():
        query.set_field(name, resolver)
    return query
