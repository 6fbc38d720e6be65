"""The Query root: users, user groups and SSO providers, looked up and listed as CurrentGen does."""

from __future__ import annotations

from typing import Any

from ariadne import QueryType

from simulator.harness_cg.context import (
    MANAGE_AUTHENTICATION_SETTINGS,
    READ_USERS_AND_GROUPS,
    CgContext,
    Info,
)
from simulator.harness_cg.errors import CgRefusal
from simulator.harness_cg.paging import checked, connection, window
from simulator.store.harness.drift import drift_users
from simulator.store.harness.models import SsoProvider, User, UserGroup

query = QueryType()

USER_DOES_NOT_EXIST = "User does not exist"
NO_USER_GROUP = "No User Group exists"
NO_SSO_PROVIDER = "SSO Provider does not exist"


def _reader(info: Info) -> CgContext:
    context = info.context
    context.require(READ_USERS_AND_GROUPS)
    return context


def _user(found: User | None) -> User:
    if found is None:
        raise CgRefusal(USER_DOES_NOT_EXIST)
    return found


def _group(found: UserGroup | None) -> UserGroup:
    if found is None:
        raise CgRefusal(NO_USER_GROUP)
    return found


@query.field("user")
def resolve_user(_: Any, info: Info, id: str) -> User:
    context = _reader(info)
    return _user(context.store.users.find(context.account_id, id))


@query.field("userByName")
def resolve_user_by_name(_: Any, info: Info, name: str) -> User:
    context = _reader(info)
    return _user(context.store.users.by_name(context.account_id, name))


@query.field("userByEmail")
def resolve_user_by_email(_: Any, info: Info, email: str) -> User:
    context = _reader(info)
    return _user(context.store.users.by_email(context.account_id, email))


@query.field("users")
def resolve_users(
    _: Any,
    info: Info,
    limit: int,
    offset: int | None = None,
    filters: list[dict[str, Any] | None] | None = None,
) -> dict[str, Any]:
    context = _reader(info)
    limit, offset = window(context.page, limit, offset)
    if context.page.drift and offset:
        drift_users(
            context.store,
            context.account_id,
            context.page.drift,
            keep=context.caller.id,
            order="name",
        )
    include_disabled = any(item and item["includeDisabled"] for item in filters or ())
    page = context.store.users.page_by_name(
        context.account_id, offset, limit, include_disabled=include_disabled
    )
    return connection(page, limit, offset)


@query.field("userGroup")
def resolve_user_group(_: Any, info: Info, userGroupId: str) -> UserGroup:
    context = _reader(info)
    return _group(context.store.groups.find(context.account_id, userGroupId))


@query.field("userGroupByName")
def resolve_user_group_by_name(_: Any, info: Info, name: str) -> UserGroup:
    context = _reader(info)
    return _group(context.store.groups.by_name(context.account_id, name))


@query.field("userGroups")
def resolve_user_groups(
    _: Any, info: Info, limit: int, offset: int | None = None
) -> dict[str, Any]:
    context = _reader(info)
    limit, offset = window(context.page, limit, offset)
    return connection(context.store.groups.page(context.account_id, offset, limit), limit, offset)


@query.field("ssoProvider")
def resolve_sso_provider(_: Any, info: Info, ssoProviderId: str) -> SsoProvider:
    context = info.context
    context.require(MANAGE_AUTHENTICATION_SETTINGS)
    provider = context.store.sso.find(context.account_id, ssoProviderId)
    if provider is None:
        raise CgRefusal(NO_SSO_PROVIDER)
    return provider


@query.field("ssoProviders")
def resolve_sso_providers(
    _: Any, info: Info, limit: int, offset: int | None = None
) -> dict[str, Any]:
    """Every provider whatever the window, as Harness answers; only `hasMore` looks at
    the offset. No pagination policy applies: Harness never pages this list."""
    context = info.context
    context.require(MANAGE_AUTHENTICATION_SETTINGS)
    limit, offset = checked(limit, offset)
    providers = context.store.sso.of_account(context.account_id)
    total = len(providers)
    page_info = {"total": total, "limit": limit, "offset": offset, "hasMore": total > offset}
    return {"pageInfo": page_info, "nodes": providers}
