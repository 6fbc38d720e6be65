"""NextGen roles (`/authz/api/roles`) and resource groups (`/resourcegroup/api/v2`), read."""

from __future__ import annotations

from typing import Any

from simulator.harness_ng.context import NgContext
from simulator.harness_ng.operations import operation, page_args
from simulator.harness_ng.role_assignments import scope_view
from simulator.harness_ng.serializers import page_response
from simulator.store.errors import NotFound
from simulator.store.harness.access import RESOURCEGROUP_VIEW, ROLE_VIEW
from simulator.store.harness.models import ResourceGroup, Role, Scope
from simulator.store.values import Page

_LEVELS = ("account", "organization", "project")


def _levels_from(scope: Scope) -> list[str]:
    """The scope's level and every level below it."""
    return list(_LEVELS[_LEVELS.index(scope.level_name) :])


def role_view(role: Role) -> dict[str, Any]:
    """A managed role is usable at its level only and has no scope of its own."""
    levels = [role.scope.level_name] if role.managed else _levels_from(role.scope)
    view: dict[str, Any] = {
        "role": {
            "identifier": role.identifier,
            "name": role.name,
            "permissions": sorted(role.permissions),
            "allowedScopeLevels": levels,
            "description": "",
            "tags": {},
        },
        "harnessManaged": role.managed,
        "createdAt": 0,
        "lastModifiedAt": 0,
    }
    if not role.managed:
        view["scope"] = scope_view(role.scope)
    return view


def resource_group_view(group: ResourceGroup) -> dict[str, Any]:
    scope = group.scope
    included = {**scope_view(scope)}
    included["filter"] = (
        "INCLUDING_CHILD_SCOPES" if group.include_child_scopes else "EXCLUDING_CHILD_SCOPES"
    )
    return {
        "resourceGroup": {
            **scope_view(scope),
            "identifier": group.identifier,
            "name": group.name,
            "description": "",
            "color": "#0063F7",
            "tags": {},
            "allowedScopeLevels": [scope.level_name],
            "includedScopes": [included],
            "resourceFilter": {"includeAllResources": True, "resources": []},
        },
        "harnessManaged": group.managed,
        "createdAt": 0,
        "lastModifiedAt": 0,
    }


def _search(items: list[Any], term: str | None) -> list[Any]:
    if not term:
        return items
    needle = term.lower()
    return [item for item in items if needle in f"{item.identifier}\x00{item.name}".lower()]


def _page(context: NgContext, items: list[Any], render: Any) -> Any:
    index, size = page_args(context.query)
    return page_response(
        Page(len(items), items[index * size : index * size + size]), index, size, render
    )


@operation("getRoleList", permission=ROLE_VIEW)
def get_role_list(context: NgContext) -> Any:
    store, scope = context.store, context.scope
    store.scopes.require(scope)
    at_scope = store.role_assignments.at(scope)

    def render(role: Role) -> dict[str, Any]:
        holders = [a.principal_type for a in at_scope if a.role == role.identifier]
        return {
            **role_view(role),
            "roleAssignedToUserCount": holders.count("USER"),
            "roleAssignedToUserGroupCount": holders.count("USER_GROUP"),
            "roleAssignedToServiceAccountCount": 0,
        }

    roles = _search(store.access.roles_at(scope), context.query.get("searchTerm"))
    return _page(context, roles, render)


@operation("getRole", permission=ROLE_VIEW)
def get_role(context: NgContext) -> Any:
    context.store.scopes.require(context.scope)
    role = context.store.access.role(context.scope, context.path["identifier"])
    if role is None:
        raise NotFound("role", context.path["identifier"])
    return role_view(role)


@operation("getResourceGroupListV2", permission=RESOURCEGROUP_VIEW)
def get_resource_group_list(context: NgContext) -> Any:
    context.store.scopes.require(context.scope)
    groups = context.store.access.resource_groups_at(context.scope)
    return _page(context, _search(groups, context.query.get("searchTerm")), resource_group_view)


@operation("getResourceGroupV2", permission=RESOURCEGROUP_VIEW)
def get_resource_group(context: NgContext) -> Any:
    context.store.scopes.require(context.scope)
    group = context.store.access.resource_group(context.scope, context.path["identifier"])
    if group is None:
        raise NotFound("resource group", context.path["identifier"])
    return resource_group_view(group)
