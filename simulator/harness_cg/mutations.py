"""The Mutation root: each mutation is one all-or-nothing store call.

Inputs arrive as GraphQL gives them: a key that is absent was not sent, a key holding
None was sent as null. Harness tells the two apart for updates (only the fields sent
change), so the update resolvers pass absent keys on as UNSET.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ariadne import MutationType

from simulator.harness_cg.context import MANAGE_USERS_AND_GROUPS, CgContext, Info
from simulator.harness_cg.errors import UNKNOWN_ERROR, CgRefusal, refusal
from simulator.harness_cg.permissions import render_permissions
from simulator.harness_cg.types import enum_ranker
from simulator.store.errors import NotFound, StoreError
from simulator.store.values import UNSET

mutation = MutationType()

Payload = dict[str, Any]


def _manager(info: Info) -> CgContext:
    context = info.context
    context.require(MANAGE_USERS_AND_GROUPS)
    return context


@contextmanager
def _refusals(not_found: Callable[[NotFound], str] | None = None) -> Iterator[None]:
    """Store refusals in CurrentGen's words; `not_found` rewords the operation's own."""
    try:
        yield
    except NotFound as error:
        if not_found is not None and error.field is None:
            raise CgRefusal(not_found(error)) from error
        raise refusal(error) from error
    except StoreError as error:
        raise refusal(error) from error


def _user_not_found(error: NotFound) -> str:
    return "User not found" if error.kind == "user" else refusal(error).message


# -- users ---------------------------------------------------------------------------------


@mutation.field("createUser")
def resolve_create_user(_: Any, info: Info, input: dict[str, Any]) -> Payload:
    context = _manager(info)
    with _refusals():
        user = context.store.users.create(
            context.account_id,
            name=input["name"],
            email=input["email"],
            group_ids=input.get("userGroupIds") or (),
            external_id=input.get("externalUserId"),
            email_verified=False,
        )
    return {"clientMutationId": input.get("clientMutationId"), "user": user}


@mutation.field("updateUser")
def resolve_update_user(_: Any, info: Info, input: dict[str, Any]) -> Payload:
    context = _manager(info)
    if not input["id"].strip():
        raise CgRefusal("Invalid argument(s): id: cannot be empty or blank")
    with _refusals(_user_not_found):
        user = context.store.users.update(
            context.account_id,
            input["id"],
            name=input.get("name", UNSET),
            external_id=input.get("externalUserId", UNSET),
            add_group_ids=input.get("userGroupIds") or (),
            # CurrentGen's API is how SCIM bridges reach users their IdP manages.
            allow_externally_managed=True,
        )
    return {"clientMutationId": input.get("clientMutationId"), "user": user}


@mutation.field("deleteUser")
def resolve_delete_user(_: Any, info: Info, input: dict[str, Any]) -> Payload:
    context = _manager(info)
    with _refusals(_user_not_found):
        context.store.users.delete(context.account_id, input["id"])
    return {"clientMutationId": input.get("clientMutationId")}


# -- user groups ---------------------------------------------------------------------------


@mutation.field("createUserGroup")
def resolve_create_user_group(_: Any, info: Info, input: dict[str, Any]) -> Payload:
    context = _manager(info)
    with _refusals():
        group = context.store.groups.create(
            context.account_id,
            name=input["name"],
            description=input.get("description"),
            user_ids=input.get("userIds"),
            sso_setting=input.get("ssoSetting"),
            permissions=input.get("permissions"),
            notification_settings=input.get("notificationSettings"),
        )
    return {"clientMutationId": input.get("clientMutationId"), "userGroup": group}


@mutation.field("updateUserGroup")
def resolve_update_user_group(_: Any, info: Info, input: dict[str, Any]) -> Payload:
    context = _manager(info)
    with _refusals():
        group = context.store.groups.update(
            context.account_id,
            input["userGroupId"],
            name=input.get("name", UNSET),
            description=input.get("description", UNSET),
            user_ids=input.get("userIds", UNSET),
            sso_setting=input.get("ssoSetting", UNSET),
            permissions=input.get("permissions", UNSET),
            notification_settings=input.get("notificationSettings", UNSET),
        )
    return {"clientMutationId": input.get("clientMutationId"), "userGroup": group}


@mutation.field("updateUserGroupPermissions")
def resolve_update_user_group_permissions(_: Any, info: Info, input: dict[str, Any]) -> Payload:
    context = _manager(info)
    group_id = input["userGroupId"]
    with _refusals(lambda _: f"No userGroup Exists with id {group_id}"):
        group = context.store.groups.set_permissions(
            context.account_id, group_id, input["permissions"]
        )
    return {
        "clientMutationId": input.get("clientMutationId"),
        "permissions": render_permissions(group.permissions, enum_ranker(info.schema)),
    }


@mutation.field("deleteUserGroup")
def resolve_delete_user_group(_: Any, info: Info, input: dict[str, Any]) -> Payload:
    context = _manager(info)
    with _refusals():
        context.store.groups.delete(context.account_id, input["userGroupId"])
    return {"clientMutationId": input.get("clientMutationId")}


@mutation.field("addUserToUserGroup")
def resolve_add_user_to_user_group(_: Any, info: Info, input: dict[str, Any]) -> Payload:
    context = _manager(info)
    with _refusals():
        group = context.store.groups.add_member(
            context.account_id, input["userGroupId"], input["userId"]
        )
    return {"clientMutationId": input.get("clientMutationId"), "userGroup": group}


@mutation.field("removeUserFromUserGroup")
def resolve_remove_user_from_user_group(_: Any, info: Info, input: dict[str, Any]) -> Payload:
    context = _manager(info)
    with _refusals():
        group = context.store.groups.remove_member(
            context.account_id, input["userGroupId"], input["userId"]
        )
    return {"clientMutationId": input.get("clientMutationId"), "userGroup": group}


@mutation.field("addAccountPermission")
def resolve_add_account_permission(_: Any, info: Info, input: dict[str, Any]) -> Payload:
    context = _manager(info)
    with _refusals():
        group = context.store.groups.add_account_permission(
            context.account_id,
            input["userGroupId"],
            _required(context, input, "accountPermission"),
        )
    return {"clientMutationId": input.get("clientMutationId"), "userGroup": group}


@mutation.field("addAppPermission")
def resolve_add_app_permission(_: Any, info: Info, input: dict[str, Any]) -> Payload:
    context = _manager(info)
    with _refusals():
        group = context.store.groups.add_app_permission(
            context.account_id, input["userGroupId"], _required(context, input, "appPermission")
        )
    return {"clientMutationId": input.get("clientMutationId"), "userGroup": group}


def _required(context: CgContext, input: dict[str, Any], field: str) -> Any:
    """A permission Harness's schema lets a client leave out. Harness looks the group up
    first, then fails on the missing permission with its generic error."""
    value = input.get(field)
    if value is None:
        context.store.groups.get(context.account_id, input["userGroupId"])
        raise CgRefusal(UNKNOWN_ERROR)
    return value
