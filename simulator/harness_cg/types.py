"""Resolvers of the object types: how store records read as CurrentGen's User, UserGroup
and SSOProvider.

Fields whose wire name is the record's attribute (`id`, `name`, `email`...) need no
resolver: graphql-core's default reads the attribute, or the key of a mapping.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from ariadne import InterfaceType, ObjectType
from graphql import GraphQLEnumType, GraphQLSchema

from simulator.harness_cg.context import Info
from simulator.harness_cg.paging import connection, page_of, window
from simulator.harness_cg.permissions import Rank, render_permissions
from simulator.store.harness.models import User, UserGroup

user_type = ObjectType("User")
user_group_type = ObjectType("UserGroup")
sso_provider_type = ObjectType("SSOProvider")
linked_sso_setting = InterfaceType("LinkedSSOSetting")


# -- User ----------------------------------------------------------------------------------

user_type.set_alias("isEmailVerified", "email_verified")
user_type.set_alias("isTwoFactorAuthenticationEnabled", "two_factor_enabled")
user_type.set_alias("isPasswordExpired", "password_expired")
user_type.set_alias("isImportedFromIdentityProvider", "imported_by_scim")
user_type.set_alias("externalUserId", "external_id")
user_type.set_alias("isDisabled", "disabled")


@user_type.field("isUserLocked")
def resolve_is_user_locked(user: User, info: Info) -> bool:
    """Locked now: a lockout that expired on the simulated clock no longer counts."""
    return info.context.store.signin.is_locked(user)


@user_type.field("userGroups")
def resolve_user_groups(
    user: User, info: Info, limit: int, offset: int | None = None
) -> dict[str, Any]:
    limit, offset = window(info.context.page, limit, offset)
    groups = info.context.store.groups.of_user(user)
    return connection(page_of(groups, limit, offset), limit, offset)


# -- UserGroup -----------------------------------------------------------------------------

user_group_type.set_alias("importedByScim", "imported_by_scim")
user_group_type.set_alias("ssoSetting", "sso_setting")
user_group_type.set_alias("notificationSettings", "notification_settings")


@user_group_type.field("users")
def resolve_members(
    group: UserGroup, info: Info, limit: int, offset: int | None = None
) -> dict[str, Any]:
    limit, offset = window(info.context.page, limit, offset)
    members = info.context.store.groups.members(group)
    return connection(page_of(members, limit, offset), limit, offset)


@user_group_type.field("isSSOLinked")
def resolve_is_sso_linked(group: UserGroup, info: Info) -> bool:
    return group.sso_setting is not None


@user_group_type.field("permissions")
def resolve_permissions(group: UserGroup, info: Info) -> dict[str, Any]:
    return render_permissions(group.permissions, enum_ranker(info.schema))


@linked_sso_setting.type_resolver
def resolve_sso_setting_type(setting: Any, *_: Any) -> str:
    """The store keeps the link's kind next to its fields."""
    return "LDAPSettings" if setting["type"] == "LDAP" else "SAMLSettings"


# -- SSOProvider ---------------------------------------------------------------------------

sso_provider_type.set_alias("ssoType", "sso_type")


# -- enum order ----------------------------------------------------------------------------


@cache
def enum_ranker(schema: GraphQLSchema) -> Rank:
    """Sorts a set of enum values in the order the contract declares them."""
    orders: dict[str, dict[str, int]] = {
        name: {value: position for position, value in enumerate(graphql_type.values)}
        for name, graphql_type in schema.type_map.items()
        if isinstance(graphql_type, GraphQLEnumType)
    }

    def rank(enum: str, values: Iterable[str]) -> list[str]:
        order = orders[enum]
        return sorted(set(values), key=lambda value: order.get(value, len(order)))

    return rank


BINDABLES = (user_type, user_group_type, sso_provider_type, linked_sso_setting)
