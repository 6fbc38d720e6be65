"""The twenty NextGen user operations, keyed by the contract's operationId.

A handler turns an `NgContext` into store calls and returns the `data` of a success
envelope (or a whole response, for the one operation that answers in another
envelope). Store errors propagate; the endpoint renders them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from simulator.harness_ng import envelopes
from simulator.harness_ng.context import NgContext
from simulator.harness_ng.serializers import (
    page_response,
    project,
    user_aggregate,
    user_info,
    user_metadata,
)
from simulator.records import record
from simulator.store import credentials
from simulator.store.errors import InvalidInput, NotFound
from simulator.store.harness.access import USER_MANAGE, USER_VIEW
from simulator.store.harness.models import Project, RoleBindingSpec, Scope, User
from simulator.store.values import UNSET, Page

Handler = Callable[[NgContext], Any]


@record
class OperationSpec:
    handler: Handler
    permission: str | None  # checked at the request's scope before the handler runs
    public: bool = False  # called without an API key (an invite link's acceptance)


OPERATIONS: dict[str, OperationSpec] = {}


def operation(
    operation_id: str, *, permission: str | None = None, public: bool = False
) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        OPERATIONS[operation_id] = OperationSpec(handler, permission, public)
        return handler

    return register


# -- paging and sorting ------------------------------------------------------------------

_USER_SORT_FIELDS: dict[str, Callable[[User], Any]] = {
    "name": lambda u: (u.name.lower(), u.id),
    "email": lambda u: (u.email, u.id),
    "createdAt": lambda u: (u.created_at, u.id),
    "lastModifiedAt": lambda u: (u.last_updated_at, u.id),
    "lastUpdatedAt": lambda u: (u.last_updated_at, u.id),
}
_PROJECT_SORT_FIELDS: dict[str, Callable[[Project], Any]] = {
    "identifier": lambda p: (p.identifier, p.org),
    "name": lambda p: (p.name.lower(), p.identifier),
    "createdAt": lambda p: (p.created_at, p.identifier),
    "lastModifiedAt": lambda p: (p.created_at, p.identifier),
}


def page_args(query: dict[str, Any]) -> tuple[int, int]:
    return query["pageIndex"], query["pageSize"]


def sorter(
    query: dict[str, Any], fields: dict[str, Callable[[Any], Any]]
) -> Callable[[list[Any]], list[Any]] | None:
    """A sort function from `sortOrders` ("field" or "field,ASC|DESC"), applied last-first.

    A field the items do not have sorts nothing, as in Harness's datastore: it is skipped.
    """
    orders = []
    for text in query.get("sortOrders") or []:
        name, _, direction = text.replace(":", ",").partition(",")
        key = fields.get(name.strip())
        if key is not None:
            orders.append((key, direction.strip().upper() == "DESC"))
    if not orders:
        return None

    def apply(items: list[Any]) -> list[Any]:
        for key, descending in reversed(orders):
            items = sorted(items, key=key, reverse=descending)
        return items

    return apply


# -- users -------------------------------------------------------------------------------


@operation("getUsers", permission=USER_VIEW)
def get_users(context: NgContext) -> Any:
    body = context.body or {}
    index, size = page_args(context.query)
    page = context.store.users.select(
        context.scope,
        parent_filter=body.get("parentFilter") or "NO_PARENT_SCOPES",
        search_term=body.get("searchTerm"),
        identifiers=body.get("identifiers"),
        emails=body.get("emails"),
        sort=sorter(context.query, _USER_SORT_FIELDS),
        offset=index * size,
        limit=size,
    )
    return page_response(page, index, size, lambda u: user_metadata(context.store, u))


@operation("getCurrentGenUsers", permission=USER_VIEW)
def get_current_gen_users(context: NgContext) -> Any:
    index, size = page_args(context.query)
    page = context.store.users.select(
        Scope(context.account_id),
        search_term=context.query.get("searchString") or None,
        sort=sorter(context.query, _USER_SORT_FIELDS),
        offset=index * size,
        limit=size,
    )
    return page_response(page, index, size, lambda u: user_metadata(context.store, u))


@operation("getCurrentUserInfo")
def get_current_user_info(context: NgContext) -> Any:
    return user_info(context.store, context.caller)


def role_bindings(body: dict[str, Any]) -> list[RoleBindingSpec]:
    """The `roleBindings` of an addUsers or invite body; each needs both identifiers."""
    bindings = []
    for position, binding in enumerate(body.get("roleBindings") or []):
        role, group = binding.get("roleIdentifier"), binding.get("resourceGroupIdentifier")
        if not role or not group:
            missing = "roleIdentifier" if not role else "resourceGroupIdentifier"
            raise InvalidInput(
                f"roleBindings[{position}].{missing}", f"{missing} is required in a role binding"
            )
        bindings.append(RoleBindingSpec(role, group))
    return bindings


@operation("addUsers", permission=USER_MANAGE)
def add_users(context: NgContext) -> Any:
    body = context.body
    results = context.store.users.add_to_scope(
        context.scope, body["emails"], role_bindings(body), body.get("userGroups") or []
    )
    return {"addUserResponseMap": results}


@operation("removeUser", permission=USER_MANAGE)
def remove_user(context: NgContext) -> Any:
    context.store.users.remove_from_scope(context.scope, context.path["userId"])
    return True


@operation("getAggregatedUsers", permission=USER_VIEW)
def get_aggregated_users(context: NgContext) -> Any:
    store, scope = context.store, context.scope
    body = context.body or {}
    roles = set(body.get("roleIdentifiers") or [])
    groups = set(body.get("resourceGroupIdentifiers") or [])
    search = context.query.get("searchTerm")
    if search and (roles or groups):
        raise InvalidInput(None, "Search and Filter are not supported together")
    index, size = page_args(context.query)
    everyone = store.users.select(
        scope,
        search_term=search,
        sort=sorter(context.query, _USER_SORT_FIELDS),
        offset=0,
        limit=len(store.state.users),
    ).items
    rows = []
    for user in everyone:
        assignments = store.users.role_assignments_at(scope, user)
        if roles or groups:
            assignments = [
                a
                for a in assignments
                if (not roles or a.role in roles) and (not groups or a.resource_group in groups)
            ]
            if not assignments:
                continue
        rows.append((user, assignments))
    page = Page(len(rows), rows[index * size : index * size + size])
    return page_response(page, index, size, lambda row: user_aggregate(store, *row))


@operation("getAggregatedUser", permission=USER_VIEW)
def get_aggregated_user(context: NgContext) -> Any:
    store, scope = context.store, context.scope
    store.scopes.require(scope)
    user = store.users.get(scope.account_id, context.path["userId"])
    if not store.scopes.contains_user(scope, user):
        raise NotFound("user", user.id)
    return user_aggregate(store, user, store.users.role_assignments_at(scope, user))


@operation("updateUserInfo")
def update_user_info(context: NgContext) -> Any:
    body = context.body or {}
    user_id = body.get("uuid") or context.caller.id
    return _update_user(context, user_id, body)


@operation("updateUserInfo1")
def update_user_info_by_id(context: NgContext) -> Any:
    return _update_user(context, context.path["userId"], context.body or {})


def _update_user(context: NgContext, user_id: str, body: dict[str, Any]) -> Any:
    store = context.store
    if user_id != context.caller.id:
        store.access.require(context.caller, Scope(context.account_id), USER_MANAGE)
    user = store.users.update(
        context.account_id,
        user_id,
        name=body.get("name", UNSET),
        email=body.get("email", UNSET),
        given_name=body.get("givenName", UNSET),
        family_name=body.get("familyName", UNSET),
    )
    return user_info(store, user)


@operation("unlockUser", permission=USER_MANAGE)
def unlock_user(context: NgContext) -> Any:
    user = context.store.signin.unlock(context.scope, context.path["userId"])
    return user_info(context.store, user)


@operation("checkIfLastAdmin", permission=USER_VIEW)
def check_if_last_admin(context: NgContext) -> Any:
    store, scope = context.store, context.scope
    user_id = context.query.get("userId") or context.caller.id
    store.scopes.require(scope)
    return store.users.is_last_admin(scope, store.users.get(scope.account_id, user_id))


@operation("addUserToUserGroups", permission=USER_MANAGE)
def add_user_to_user_groups(context: NgContext) -> Any:
    groups = (context.body or {}).get("userGroupIdsToAdd") or []
    context.store.users.set_groups(context.scope, context.path["userId"], groups)
    return True


# -- password and two-factor auth ----------------------------------------------------------


@operation("changeUserPassword")
def change_user_password(context: NgContext) -> Any:
    body = context.body or {}
    current, new = body.get("currentPassword"), body.get("newPassword")
    if current is None or new is None:
        field = "currentPassword" if current is None else "newPassword"
        raise InvalidInput(field, f"{field} is required")
    return context.store.signin.change_password(context.caller, current, new)


@operation("getTwoFactorAuthSettings")
def get_two_factor_auth_settings(context: NgContext) -> Any:
    user = context.caller
    secret = credentials.new_totp_secret()
    return {
        "userId": user.id,
        "email": user.email,
        "twoFactorAuthenticationEnabled": user.two_factor_enabled,
        "mechanism": context.path["authMechanism"],
        "totpSecretKey": secret,
        "totpqrurl": credentials.totp_uri(secret, user.email),
    }


@operation("enableTwoFactorAuth")
def enable_two_factor_auth(context: NgContext) -> Any:
    body = context.body or {}
    user = context.caller
    secret = body.get("totpSecretKey")
    if not secret:
        raise InvalidInput("totpSecretKey", "totpSecretKey is required")
    return user_info(context.store, context.store.signin.enable_two_factor(user, secret))


@operation("disableTTwoFactorAuth")
def disable_two_factor_auth(context: NgContext) -> Any:
    return user_info(context.store, context.store.signin.disable_two_factor(context.caller))


@operation("reset2fa", permission=USER_MANAGE)
def reset_two_factor_auth(context: NgContext) -> Response:
    reset = context.store.signin.reset_two_factor(context.account_id, context.path["userId"])
    return envelopes.rest_response(reset)


# -- projects ------------------------------------------------------------------------------


def _projects_of(context: NgContext, user_id: str | None) -> list[Project]:
    store = context.store
    user = context.caller
    if user_id and user_id != user.id:
        store.access.require(user, Scope(context.account_id), USER_VIEW)
        user = store.users.get(context.account_id, user_id)
    if store.access.is_account_admin(user):
        return store.state.projects.ordered("account", user.account_id)
    return store.scopes.projects_of(user)


@operation("getUserAllProjectsInfo")
def get_user_all_projects_info(context: NgContext) -> Any:
    return [project(p) for p in _projects_of(context, context.query.get("userId"))]


@operation("getUserProjectInfo")
def get_user_project_info(context: NgContext) -> Any:
    index, size = page_args(context.query)
    projects = _projects_of(context, None)
    order = sorter(context.query, _PROJECT_SORT_FIELDS)
    if order is not None:
        projects = order(projects)
    page = Page(len(projects), projects[index * size : index * size + size])
    return page_response(page, index, size, project)


@operation("getAccessibleProjectsCount")
def get_accessible_projects_count(context: NgContext) -> Any:
    start, end = context.query.get("startTime"), context.query.get("endTime")
    projects = [
        p
        for p in _projects_of(context, context.query.get("userId"))
        if (start is None or p.created_at >= start) and (end is None or p.created_at <= end)
    ]
    return {"count": len(projects)}
