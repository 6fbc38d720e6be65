"""NextGen user groups: v1 (members by id), v2 (members by email), members and listings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from starlette.responses import Response

from simulator.harness_ng import envelopes
from simulator.harness_ng.context import NgContext
from simulator.harness_ng.operations import operation, page_args, sorter
from simulator.harness_ng.serializers import compact, page_response, user_metadata
from simulator.store.errors import InvalidArgument, InvalidInput
from simulator.store.frozen import thaw
from simulator.store.harness.access import USERGROUP_MANAGE, USERGROUP_VIEW
from simulator.store.harness.models import Scope, UserGroup
from simulator.store.harness.scoped_groups import EXCLUDE_INHERITED, GroupSpec, SsoLink
from simulator.store.values import Page

_GROUP_SORT_FIELDS: dict[str, Callable[[UserGroup], Any]] = {
    "identifier": lambda g: g.identifier,
    "name": lambda g: (g.name.lower(), g.identifier),
    "createdAt": lambda g: (g.created_at, g.identifier),
    "lastModifiedAt": lambda g: (g.modified_at, g.identifier),
}


def _newest_first(groups: list[UserGroup]) -> list[UserGroup]:
    """Harness's default order: lastModifiedAt, then identifier, both descending."""
    return sorted(groups, key=lambda g: (g.modified_at, g.identifier), reverse=True)


# -- rendering ---------------------------------------------------------------------------


def group_view(context: NgContext, group: UserGroup) -> dict[str, Any]:
    """The fields v1 and v2 share (UserGroupDTO without its users)."""
    sso = group.sso_setting or {}
    provider = context.store.state.sso_providers.get(sso.get("ssoProviderId", ""))
    return compact(
        {
            "accountIdentifier": group.account_id,
            "orgIdentifier": group.org,
            "projectIdentifier": group.project,
            "identifier": group.identifier,
            "name": group.name,
            "description": group.description,
            "tags": dict(group.tags),
            "notificationConfigs": thaw(group.notification_configs),
            "isSsoLinked": group.sso_linked,
            "ssoLinked": group.sso_linked,
            "linkedSsoId": sso.get("ssoProviderId"),
            "linkedSsoType": sso.get("type"),
            "linkedSsoDisplayName": provider.name if provider else None,
            "ssoGroupId": _sso_group_id(group),
            "ssoGroupName": sso.get("groupName"),
            "externallyManaged": group.externally_managed,
            "harnessManaged": group.harness_managed,
        }
    )


def _sso_group_id(group: UserGroup) -> str | None:
    """The linked SSO group's id: an LDAP group's DN, a SAML group's name."""
    sso = group.sso_setting or {}
    found: str | None = sso.get("groupDN") or sso.get("groupName")
    return found


def group_v1(context: NgContext, group: UserGroup) -> dict[str, Any]:
    return {**group_view(context, group), "users": list(group.member_ids)}


def group_v2(context: NgContext, group: UserGroup) -> dict[str, Any]:
    members = context.store.scoped_groups.members(group)
    users = [{"id": user.id, "email": user.email} for user in members]
    return {**group_view(context, group), "users": users}


# -- reading requests --------------------------------------------------------------------


def check_body_scope(scope: Scope, body: Mapping[str, Any]) -> None:
    """Harness refuses a body whose scope differs from the query's."""
    for field, value in (
        ("accountIdentifier", scope.account_id),
        ("orgIdentifier", scope.org),
        ("projectIdentifier", scope.project),
    ):
        given = body.get(field)
        if given and given != value:
            raise InvalidInput(field, f"Value mismatch, previous: {value} current: {given}")


def _spec(context: NgContext, user_ids: list[str] | None) -> GroupSpec:
    body = context.body
    check_body_scope(context.scope, body)
    sso = None
    if body.get("isSsoLinked") or body.get("ssoLinked"):
        sso = SsoLink(
            provider_id=body.get("linkedSsoId") or "",
            provider_type=body.get("linkedSsoType"),
            group_id=body.get("ssoGroupId"),
            group_name=body.get("ssoGroupName"),
        )
    return GroupSpec(
        identifier=body["identifier"],
        name=body["name"],
        description=body.get("description"),
        tags=body.get("tags") or {},
        user_ids=user_ids,
        notification_configs=body.get("notificationConfigs") or [],
        sso=sso,
        externally_managed=bool(body.get("externallyManaged")),
        harness_managed=bool(body.get("harnessManaged")),
    )


def _v2_spec(context: NgContext) -> GroupSpec:
    emails = context.body.get("users")
    user_ids = None
    if emails is not None:
        user_ids = context.store.scoped_groups.user_ids_for_emails(context.account_id, emails)
    return _spec(context, user_ids)


def _missing(identifier: str) -> Response:
    return envelopes.resource_not_found(
        f"User Group with identifier [{identifier}] is not found in the given scope"
    )


def _require(context: NgContext) -> UserGroup:
    """The path's group; an unknown one is Harness's INVALID_ARGUMENT."""
    return context.store.scoped_groups.get(context.scope, context.path["identifier"])


# -- v1 ----------------------------------------------------------------------------------


@operation("getUserGroupList", permission=USERGROUP_VIEW)
def get_user_group_list(context: NgContext) -> Any:
    query = context.query
    groups = context.store.scoped_groups.listing(
        context.scope,
        filter_type=query.get("filterType") or EXCLUDE_INHERITED,
        search=query.get("searchTerm"),
    )
    sso_groups = set(query.get("ssoGroupId") or ())
    if sso_groups:
        groups = [g for g in groups if _sso_group_id(g) in sso_groups]
    return _page(context, groups, lambda g: group_v1(context, g))


@operation("postUserGroup", permission=USERGROUP_MANAGE)
def post_user_group(context: NgContext) -> Any:
    spec = _spec(context, context.body.get("users") or [])
    return group_v1(context, context.store.scoped_groups.create(context.scope, spec))


@operation("putUserGroup", permission=USERGROUP_MANAGE)
def put_user_group(context: NgContext) -> Any:
    spec = _spec(context, context.body.get("users"))
    return group_v1(context, context.store.scoped_groups.update(context.scope, spec))


@operation("getUserGroup", permission=USERGROUP_VIEW)
def get_user_group(context: NgContext) -> Any:
    context.store.scopes.require(context.scope)
    group = context.store.scoped_groups.find(context.scope, context.path["identifier"])
    if group is None:
        return _missing(context.path["identifier"])
    return group_v1(context, group)


@operation("deleteUserGroup", permission=USERGROUP_MANAGE)
def delete_user_group(context: NgContext) -> Any:
    group = _require(context)
    return group_v1(context, context.store.scoped_groups.delete(context.scope, group.identifier))


@operation("getBatchUsersGroupList")
def get_batch_users_group_list(context: NgContext) -> Any:
    return [group_v1(context, group) for group in _filtered(context)]


@operation("getFilteredUserGroupsList")
def get_filtered_user_groups_list(context: NgContext) -> Any:
    return _page(context, _filtered(context), lambda g: group_v1(context, g))


def _filtered(context: NgContext) -> list[UserGroup]:
    """UserGroupFilter: the scope comes from the body; identifiers or database ids, and
    members narrow it down."""
    body = context.body
    check_body_scope(Scope(context.account_id), {"accountIdentifier": body["accountIdentifier"]})
    scope = Scope(
        context.account_id, body.get("orgIdentifier") or None, body.get("projectIdentifier") or None
    )
    context.store.access.require(context.caller, scope, USERGROUP_VIEW)
    identifiers, ids = body.get("identifierFilter"), body.get("databaseIdFilter")
    if identifiers and ids:
        raise InvalidArgument(
            None, "Both the database id filter and identifier filter cannot be provided"
        )
    groups = context.store.scoped_groups.listing(
        scope,
        filter_type=body.get("filterType") or EXCLUDE_INHERITED,
        search=body.get("searchTerm"),
    )
    if ids:
        groups = [g for g in groups if g.id in set(ids)]
    elif identifiers:
        groups = [g for g in groups if g.identifier in set(identifiers)]
    members = set(body.get("userIdentifierFilter") or ())
    if members:
        groups = [g for g in groups if members.intersection(g.member_ids)]
    return groups


def _page(
    context: NgContext, groups: list[UserGroup], render: Callable[[UserGroup], dict[str, Any]]
) -> Any:
    index, size = page_args(context.query)
    order = sorter(context.query, _GROUP_SORT_FIELDS) or _newest_first
    ordered = order(groups)
    return page_response(
        Page(len(ordered), ordered[index * size : index * size + size]), index, size, render
    )


# -- members -----------------------------------------------------------------------------


@operation("getMember", permission=USERGROUP_VIEW)
def get_member(context: NgContext) -> Any:
    return context.path["userIdentifier"] in _require(context).member_ids


@operation("putMember", permission=USERGROUP_MANAGE)
def put_member(context: NgContext) -> Any:
    group = _require(context)
    updated = context.store.scoped_groups.add_member(
        context.scope, group.identifier, context.path["userIdentifier"]
    )
    return group_v1(context, updated)


@operation("deleteMember", permission=USERGROUP_MANAGE)
def delete_member(context: NgContext) -> Any:
    group = _require(context)
    updated = context.store.scoped_groups.remove_member(
        context.scope, group.identifier, context.path["userIdentifier"]
    )
    return group_v1(context, updated)


@operation("getUserListInUserGroup", permission=USERGROUP_VIEW)
def get_user_list_in_user_group(context: NgContext) -> Any:
    """The members, filtered like the user batch; an unknown group has none."""
    store, scope = context.store, context.scope
    index, size = page_args(context.query)
    store.scopes.require(scope)
    group = store.scoped_groups.find(scope, context.path["identifier"])
    members = set(group.member_ids) if group is not None else set()
    body = context.body or {}
    wanted = set(body.get("identifiers") or members) & members
    if not wanted:
        return page_response(Page(0, []), index, size, lambda u: user_metadata(store, u))
    page = store.users.select(
        scope,
        parent_filter=body.get("parentFilter") or "NO_PARENT_SCOPES",
        search_term=body.get("searchTerm"),
        identifiers=sorted(wanted),
        emails=body.get("emails"),
        offset=index * size,
        limit=size,
    )
    return page_response(page, index, size, lambda u: user_metadata(store, u))


# -- v2 ----------------------------------------------------------------------------------


@operation("postUserGroupV2", permission=USERGROUP_MANAGE)
def post_user_group_v2(context: NgContext) -> Any:
    group = context.store.scoped_groups.create(context.scope, _v2_spec(context))
    return group_v2(context, group)


@operation("putUserGroupV2", permission=USERGROUP_MANAGE)
def put_user_group_v2(context: NgContext) -> Any:
    group = context.store.scoped_groups.update(context.scope, _v2_spec(context))
    return group_v2(context, group)


@operation("getUserGroupV2", permission=USERGROUP_VIEW)
def get_user_group_v2(context: NgContext) -> Any:
    context.store.scopes.require(context.scope)
    group = context.store.scoped_groups.find(context.scope, context.path["identifier"])
    if group is None:
        return _missing(context.path["identifier"])
    return group_v2(context, group)
