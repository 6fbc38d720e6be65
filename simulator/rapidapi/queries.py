"""Query resolvers: who may read what, and the three paging styles.

Looking up something that does not exist answers null (or an empty list), as a lookup
should; asking in a way the API refuses (a bad cursor, an unknown sort field) is a
BAD_USER_INPUT error, and asking for what the caller may not see is FORBIDDEN.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ariadne import QueryType

from simulator.rapidapi import inputs
from simulator.rapidapi.context import Info, RapidApiContext
from simulator.store.errors import InvalidInput
from simulator.store.rapidapi.access import Forbidden
from simulator.store.rapidapi.models import Organization, Team, User
from simulator.store.rapidapi.users import Users
from simulator.store.values import Page


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


def resolve_team_users(
    _: Any, info: Info, orgId: int, pagingArgs: dict[str, Any] | None = None
) -> dict[str, Any]:
    context = info.context
    context.require_team_context("paginatedTeamUsersByOrganizationIdV2")
    context.store.access.require_org_member(context.actor, orgId)
    paging = inputs.paging(pagingArgs)
    paging["limit"] = context.page.limit(paging["limit"], "pagingArgs.limit")
    page = context.store.organizations.page(orgId, **paging)
    return {"data": page.items, "total": page.total, "totalActive": page.total_active}


def resolve_team(_: Any, info: Info, id: str) -> Team | None:
    context = info.context
    team_id = inputs.as_id(id)
    team = None if team_id is None else context.store.teams.get(team_id)
    if team is not None:
        context.store.access.require_team_member(context.actor, team)
    return team


def resolve_teams(_: Any, info: Info, where: dict[str, Any] | None = None) -> list[Team]:
    """The teams of an organization named by `orgId` or by its `slugifiedName`."""
    context = info.context
    store = context.store
    where = where or {}
    org_id, slug = where.get("orgId"), where.get("slugifiedName")
    if org_id is None and slug is None:
        raise InvalidInput("where", "give the organization's orgId or slugifiedName")
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


def resolve_organization(_: Any, info: Info, id: str) -> Organization | None:
    context = info.context
    org_id = inputs.as_id(id)
    org = None if org_id is None else context.store.organizations.get(org_id)
    if org is not None:
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
    store = context.store
    levels = [level for level in where.get("roleLevels") or () if level is not None]
    sorting = (orderBy or {}).get("sortingFields") or ()
    pagination = pagination or {}
    after = pagination.get("after")
    window = store.roles.slice(
        levels,
        by_name=[field["by"] == "DESC" for field in sorting],
        first=context.page.limit(pagination.get("first"), "pagination.first"),
        after=None if after is None else inputs.decode_cursor(after),
    )
    edges = [{"node": role, "cursor": inputs.encode_cursor(role.id)} for role in window.items]
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
    query.set_field("users", resolve_users_list if users_as_list else resolve_users)
    query.set_field("user", resolve_user)
    query.set_field("paginatedTeamUsersByOrganizationIdV2", resolve_team_users)
    query.set_field("team", resolve_team)
    query.set_field("teams", resolve_teams)
    query.set_field("organization", resolve_organization)
    query.set_field("organizations", resolve_organizations)
    query.set_field("roles", resolve_roles)
    return query
