"""Validation of CurrentGen user group permissions, with Harness's own messages.

The input is the GraphQL `Permissions` input as plain data (camelCase keys, enum
values as strings). A valid input is returned normalised; an invalid one raises
`InvalidInput` carrying the message the real API answers with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simulator.store.errors import InvalidInput
from simulator.store.harness.state import HarnessState

CRUD = frozenset({"CREATE", "READ", "UPDATE", "DELETE"})
EXECUTION = frozenset(
    {"EXECUTE", "EXECUTE_WORKFLOW", "EXECUTE_PIPELINE", "ROLLBACK_WORKFLOW", "ABORT_WORKFLOW"}
)

# permission type -> (the filter it needs, its name in messages, the actions it allows)
APP_PERMISSION_RULES: dict[str, tuple[str | None, str, frozenset[str]]] = {
    "ALL": (None, "all", CRUD | EXECUTION),
    "SERVICE": ("services", "service", CRUD),
    "ENV": ("environments", "environment", CRUD),
    "WORKFLOW": ("workflows", "workflow", CRUD),
    "PIPELINE": ("pipelines", "pipeline", CRUD),
    "DEPLOYMENT": ("deployments", "deployment", frozenset({"READ"}) | EXECUTION),
    "PROVISIONER": ("provisioners", "provisioner", CRUD),
    "TEMPLATE": ("templates", "template", CRUD),
}

# Filters that choose environments either by id or by environment type, never both.
_ENV_SCOPED_FILTERS = ("environments", "workflows", "deployments", "pipelines")


def validate_permissions(
    state: HarnessState, account_id: str, permissions: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Check a whole permissions block; returns it with absent parts made explicit."""
    permissions = permissions or {}
    account = permissions.get("accountPermissions") or {}
    types = list(account.get("accountPermissionTypes") or [])
    if "MANAGE_USERS_AND_GROUPS" in types and "READ_USERS_AND_GROUPS" not in types:
        raise InvalidInput(
            "accountPermissions",
            "The permission MANAGE_USERS_AND_GROUPS cannot be set without setting"
            " READ_USERS_AND_GROUPS",
        )
    app_permissions = [
        _validate_app_permission(state, account_id, item)
        for item in permissions.get("appPermissions") or []
        if item is not None
    ]
    return {
        "accountPermissions": {"accountPermissionTypes": _unique(types)},
        "appPermissions": app_permissions,
    }


def _validate_app_permission(
    state: HarnessState, account_id: str, item: Mapping[str, Any]
) -> dict[str, Any]:
    permission_type = item.get("permissionType")
    if permission_type not in APP_PERMISSION_RULES:
        raise InvalidInput("permissionType", f"Invalid permission type {permission_type}")
    needed_filter, label, allowed_actions = APP_PERMISSION_RULES[permission_type]
    actions = [action for action in item.get("actions") or [] if action is not None]
    if not actions:
        raise InvalidInput(
            "actions", f"No Actions Supplied for the {permission_type} permission type"
        )
    for action in actions:
        if action not in allowed_actions:
            raise InvalidInput(
                "actions", f"Invalid action {action} for the {permission_type} permission type"
            )
    applications = item.get("applications")
    if not applications or not (applications.get("filterType") or applications.get("appIds")):
        raise InvalidInput(
            "applications",
            f"No application filter provided with the permission with type {permission_type}",
        )
    _validate_app_filter(state, account_id, applications)
    result: dict[str, Any] = {
        "permissionType": permission_type,
        "applications": dict(applications),
        "actions": _unique(actions),
    }
    if needed_filter is not None:
        entity_filter = item.get(needed_filter)
        if not entity_filter or not any(value for value in entity_filter.values()):
            raise InvalidInput(
                needed_filter,
                f"No {label} filter provided with the permission with type {permission_type}",
            )
        if needed_filter in _ENV_SCOPED_FILTERS:
            _validate_env_filter(state, account_id, entity_filter, label)
        result[needed_filter] = dict(entity_filter)
    return result


def _validate_app_filter(state: HarnessState, account_id: str, applications: Mapping) -> None:
    filter_type = applications.get("filterType")
    app_ids = [app_id for app_id in applications.get("appIds") or [] if app_id is not None]
    if filter_type == "ALL" and app_ids:
        raise InvalidInput(
            "applications",
            'Application Ids should not be supplied with AppFilter="ALL Applications"',
        )
    if filter_type in ("SELECTED", "EXCLUDE_SELECTED") and not app_ids:
        raise InvalidInput(
            "applications", f"No application ids supplied with filterType {filter_type}"
        )
    unknown = [
        app_id
        for app_id in app_ids
        if (app := state.applications.get(app_id)) is None or app.account_id != account_id
    ]
    if unknown:
        raise InvalidInput(
            "appIds", f"Invalid app id/s {','.join(unknown)} provided in the request"
        )


def _validate_env_filter(
    state: HarnessState, account_id: str, entity_filter: Mapping, label: str
) -> None:
    env_ids = [env_id for env_id in entity_filter.get("envIds") or [] if env_id is not None]
    filter_types = entity_filter.get("filterTypes") or []
    if env_ids and filter_types:
        raise InvalidInput("envIds", f"Cannot set both envIds and filterTypes in {label} filter")
    unknown = [
        env_id
        for env_id in env_ids
        if (env := state.environments.get(env_id)) is None or env.account_id != account_id
    ]
    if unknown:
        raise InvalidInput(
            "envIds", f"Invalid env id/s {','.join(unknown)} provided in the request"
        )


def _unique(values: Sequence[Any]) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
