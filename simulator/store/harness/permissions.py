"""Validation of CurrentGen user group permissions, with Harness's own messages and order.

The input is the GraphQL `Permissions` input as plain data (camelCase keys, enum values
as strings). A valid input comes back normalised, in the same shape (that is what the
store keeps and what fixtures hold): duplicates dropped, EXECUTE expanded the way Harness
expands it, the filter a permission type does not use left out. An invalid one raises
`InvalidInput` carrying the message the real API answers with; the checks run in
Harness's order, so the first problem reported is the one Harness reports.

Harness always saves a group's account permissions as an object, so a group whose
permissions were cleared keeps `{"accountPermissionTypes": []}`, never None; its
application permissions are None when the input left them out (Harness unsets the
field) and a list otherwise.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from simulator.store.errors import AlreadyExists, InvalidInput
from simulator.store.frozen import thaw
from simulator.store.harness.state import HarnessState

# The entity filter each application permission type needs (ALL needs none).
ENTITY_FILTERS: Mapping[str, str] = {
    "SERVICE": "services",
    "ENV": "environments",
    "WORKFLOW": "workflows",
    "PIPELINE": "pipelines",
    "DEPLOYMENT": "deployments",
    "PROVISIONER": "provisioners",
    "TEMPLATE": "templates",
}

# Filter fields that name entities by id, per filter.
_ID_FIELDS: Mapping[str, tuple[str, ...]] = {
    "services": ("serviceIds",),
    "environments": ("envIds",),
    "workflows": ("envIds", "workflowIds"),
    "pipelines": ("envIds", "pipelineIds"),
    "deployments": ("envIds",),
    "provisioners": ("provisionerIds",),
    "templates": ("templateIds",),
}

# Filters that name entities of one kind by id, or all of them (Harness's GenericEntityFilter).
_GENERIC_FILTERS = frozenset({"services", "provisioners", "templates"})

# Execution actions Harness refuses on the CRUD-only permission types.
_EXECUTION_ACTIONS = (
    "EXECUTE",
    "EXECUTE_PIPELINE",
    "EXECUTE_WORKFLOW",
    "ROLLBACK_WORKFLOW",
    "ABORT_WORKFLOW",
)
# EXECUTE is stored as every execution right it implies.
_EXECUTE_IMPLIES = ("EXECUTE_WORKFLOW", "EXECUTE_PIPELINE", "ROLLBACK_WORKFLOW", "ABORT_WORKFLOW")
MANAGE_USERS_AND_GROUPS = "MANAGE_USERS_AND_GROUPS"
READ_USERS_AND_GROUPS = "READ_USERS_AND_GROUPS"

# Pairs of filter fields that cannot be set together, with Harness's message (sic).
_EXCLUSIVE_FIELDS: Mapping[str, tuple[tuple[str, str, str], ...]] = {
    "environments": (
        ("envIds", "filterTypes", "Cannot set both envIds and filterTypes in environment filter"),
    ),
    "workflows": (
        ("envIds", "filterTypes", "Cannot set both envIds and filterTypes in workflow filter"),
        (
            "workflowIds",
            "filterTypes",
            "Cannot set both workflowIds and filterTypes in workflow filter",
        ),
        ("workflowIds", "envIds", "Cannot set both workflowIds and envIds in workflow filter"),
    ),
    "deployments": (
        ("envIds", "filterTypes", "Cannot set both envIds and filterTypes in deployment filter"),
    ),
    "pipelines": (
        ("envIds", "filterTypes", "Cannot set both envIds and filterTypes in environment filter"),
        (
            "pipelineIds",
            "filterTypes",
            "Cannot set both pipelineIds and filterTypes in Pipeline filter",
        ),
        ("envIds", "pipelineIds", "Cannot set both envIds and pipelineIds in Pipeline filter"),
    ),
}


def validate_permissions(
    state: HarnessState, account_id: str, permissions: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Check a whole permissions block; returns it normalised.

    No block at all means no permissions: no account permissions and an empty list of
    application permissions, as Harness stores a group created without any.
    """
    if permissions is None:
        return {"accountPermissions": {"accountPermissionTypes": []}, "appPermissions": []}
    app_items = permissions.get("appPermissions")
    for item in app_items or ():
        if item is not None:
            _validate_app_permission(state, account_id, item)
    account = _account_permissions(permissions.get("accountPermissions"))
    apps = None
    if app_items is not None:
        apps = [_normalise_app_permission(item) for item in app_items if item is not None]
    return {"accountPermissions": account, "appPermissions": apps}


def _account_permissions(account: Mapping[str, Any] | None) -> dict[str, Any]:
    types = _unique(t for t in (account or {}).get("accountPermissionTypes") or () if t is not None)
    if MANAGE_USERS_AND_GROUPS in types and READ_USERS_AND_GROUPS not in types:
        raise InvalidInput(
            "accountPermissions",
            "The permission MANAGE_USERS_AND_GROUPS cannot be set without setting"
            " READ_USERS_AND_GROUPS",
        )
    return {"accountPermissionTypes": types}


def with_account_permission(
    permissions: Mapping[str, Any] | None, permission_type: str
) -> dict[str, Any]:
    """addAccountPermission: the group's permissions with one more account permission.

    MANAGE_USERS_AND_GROUPS without READ_USERS_AND_GROUPS is refused here by Harness's
    save, in its words, not with the message a whole permissions block gets.
    """
    current = thaw(permissions) or {}
    types = list(_kept_account(current)["accountPermissionTypes"])
    if permission_type in types:
        raise AlreadyExists("account permission", permission_type)
    types.append(permission_type)
    if MANAGE_USERS_AND_GROUPS in types and READ_USERS_AND_GROUPS not in types:
        raise InvalidInput("accountPermission", "Invalid account permission")
    return {
        "accountPermissions": {"accountPermissionTypes": types},
        "appPermissions": current.get("appPermissions"),
    }


def with_app_permission(
    state: HarnessState,
    account_id: str,
    permissions: Mapping[str, Any] | None,
    item: Mapping[str, Any],
) -> dict[str, Any]:
    """addAppPermission: the group's permissions with one more application permission.

    The new one is checked like one of a whole block; one equal to a permission the group
    has (as Harness compares them: sets of actions and ids, defaults filled) is refused.
    """
    _validate_app_permission(state, account_id, item)
    added = _normalise_app_permission(item)
    current = thaw(permissions) or {}
    apps = list(current.get("appPermissions") or ())
    if any(_identity(existing) == _identity(added) for existing in apps):
        raise AlreadyExists("application permission", item["permissionType"])
    return {"accountPermissions": _kept_account(current), "appPermissions": [*apps, added]}


def _kept_account(current: Mapping[str, Any]) -> dict[str, Any]:
    """The account permissions a group keeps, as the object Harness always saves."""
    account = current.get("accountPermissions") or {}
    return {"accountPermissionTypes": list(account.get("accountPermissionTypes") or ())}


def _validate_app_permission(state: HarnessState, account_id: str, item: Mapping[str, Any]) -> None:
    """UserGroupPermissionValidator's checks, in its order."""
    permission_type = item.get("permissionType")
    if permission_type is None:
        raise InvalidInput(
            "permissionType", "No permission type given in the Application Permission"
        )
    applications = _checked_app_filter(item.get("applications"))
    app_ids = _present(applications.get("appIds"))
    filter_name = ENTITY_FILTERS.get(permission_type)
    entity_filter: Mapping[str, Any] = {}
    if permission_type != "ALL":
        if filter_name is None:
            raise InvalidInput("permissionType", "Invalid PermissionType Given by the user")
        entity_filter = item.get(filter_name) or {}
        if not _filter_given(entity_filter):
            raise InvalidInput(
                filter_name,
                f"No {permission_type} filter provided with the permission with type"
                f" {permission_type}",
            )
    _validate_actions(permission_type, _present(item.get("actions")))
    if filter_name is None:
        _require_known(state.applications, account_id, app_ids, "appIds", "app")
        return
    id_fields = _ID_FIELDS[filter_name]
    if not app_ids and any(entity_filter.get(field) is not None for field in id_fields):
        raise InvalidInput(
            "applications",
            f'{permission_type} Ids should not be supplied with AppFilter="ALL Applications"'
            f" for filterType {permission_type}",
        )
    _require_known(state.applications, account_id, app_ids, "appIds", "app")
    if "envIds" in id_fields:
        env_ids = _present(entity_filter.get("envIds"))
        _require_known(state.environments, account_id, env_ids, "envIds", "env")
    for first, second, message in _EXCLUSIVE_FIELDS.get(filter_name, ()):
        if _present(entity_filter.get(first)) and _present(entity_filter.get(second)):
            raise InvalidInput(filter_name, message)


def _checked_app_filter(applications: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The application filter, if it passes Harness's checks (InvalidInput if not)."""
    if applications is None:
        raise InvalidInput("applications", "The app filter cannot be null")
    filter_type = applications.get("filterType")
    app_ids = _present(applications.get("appIds"))
    if not app_ids and filter_type is None:
        raise InvalidInput("applications", "No appIds or filterType provided in app filter")
    if app_ids and filter_type == "ALL":
        raise InvalidInput(
            "applications", "Cannot set both appIds and filterType ALL in app filter"
        )
    if filter_type == "EXCLUDE_SELECTED":
        # Behind a feature flag (CG_RBAC_EXCLUSION) that accounts do not have by default.
        raise InvalidInput(
            "applications", "Invalid Request: Please provide a valid application filter"
        )
    return applications


def _validate_actions(permission_type: str, actions: list[str]) -> None:
    if not actions:
        raise InvalidInput(
            "actions", f"No Actions Supplied for the {permission_type} permission type"
        )
    if permission_type == "ALL":
        return
    if permission_type == "DEPLOYMENT":
        for action in ("CREATE", "UPDATE", "DELETE"):
            if action in actions:
                raise InvalidInput(
                    "actions", f"Invalid action {action} for the DEPLOYMENT permission type"
                )
    elif any(action in actions for action in _EXECUTION_ACTIONS):
        # Harness's message has the double space.
        raise InvalidInput(
            "actions", f"Invalid action EXECUTE  for the {permission_type} permission type"
        )


def _filter_given(entity_filter: Mapping[str, Any] | None) -> bool:
    """Harness's "filter is not null" check: some ids, some filter types, or a filterType."""
    if not entity_filter:
        return False
    return any(
        value is not None if key == "filterType" else bool(_present(value))
        for key, value in entity_filter.items()
    )


def _require_known(table: Any, account_id: str, ids: list[str], field: str, label: str) -> None:
    unknown = [
        item_id
        for item_id in ids
        if (record := table.get(item_id)) is None or record.account_id != account_id
    ]
    if unknown:
        raise InvalidInput(
            field, f"Invalid {label} id/s {','.join(unknown)} provided in the request"
        )


def _normalise_app_permission(item: Mapping[str, Any]) -> dict[str, Any]:
    permission_type = item["permissionType"]
    applications = item["applications"]
    actions = _present(item.get("actions"))
    if "EXECUTE" in actions:
        actions = actions + list(_EXECUTE_IMPLIES)
    result: dict[str, Any] = {
        "permissionType": permission_type,
        "applications": _compact(
            {
                "filterType": applications.get("filterType"),
                "appIds": _unique(_present(applications.get("appIds"))) or None,
            }
        ),
        "actions": _unique(actions),
    }
    filter_name = ENTITY_FILTERS.get(permission_type)
    if filter_name is not None:
        result[filter_name] = _compact(
            {
                key: _unique(_present(value)) if isinstance(value, (list, tuple)) else value
                for key, value in item[filter_name].items()
            }
        )
    return result


def _identity(permission: Mapping[str, Any]) -> Hashable:
    """An application permission as Harness's entity compares it: the application filter's
    type filled in, a generic entity filter's type following its ids, lists as sets."""
    applications = dict(permission.get("applications") or {})
    app_ids = applications.get("appIds")
    applications.setdefault("filterType", "SELECTED" if app_ids else "ALL")
    entity = {**permission, "applications": applications}
    for name in _GENERIC_FILTERS & entity.keys():
        ids = entity[name].get(_ID_FIELDS[name][0])
        entity[name] = {"filterType": "SELECTED" if ids else "ALL", "ids": ids or None}
    return _frozen(entity)


def _frozen(value: Any) -> Hashable:
    if isinstance(value, Mapping):
        return frozenset((key, _frozen(item)) for key, item in value.items() if item is not None)
    if isinstance(value, (list, tuple)):
        return frozenset(_frozen(item) for item in value)
    scalar: Hashable = value
    return scalar


def _present(values: Iterable[Any] | None) -> list[Any]:
    return [value for value in values or () if value is not None]


def _compact(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _unique(values: Iterable[Any]) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
