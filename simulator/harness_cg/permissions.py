"""User group permissions read back the way CurrentGen renders them.

The store keeps permissions as they were given (normalised). Harness converts them to
its own entity filters and renders those, so what a client reads back differs from
what it sent: an application filter with ids reads as SELECTED, one without as ALL; an
environment filter without ids or types reads as both environment types; and so on.
Set-valued lists come back in the order of the enum that types them (Harness's order
is a hash set's, so no client can rely on one).

Account permissions always read as an object, as Harness saves them, and without the
Cloud Cost ones: Harness masks ADMINISTER_CE and VIEW_CE on every read of an account
without that module, and usersim's accounts have none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

Rank = Callable[[str, Iterable[str]], list[str]]
"""Sorts enum values of the named enum type in declaration order, dropping repeats."""

CLOUD_COST_PERMISSIONS = frozenset({"ADMINISTER_CE", "VIEW_CE"})


def render_permissions(stored: Mapping[str, Any] | None, rank: Rank) -> dict[str, Any]:
    stored = stored or {}
    types = (stored.get("accountPermissions") or {}).get("accountPermissionTypes") or ()
    shown = [t for t in types if t not in CLOUD_COST_PERMISSIONS]
    apps = stored.get("appPermissions")
    return {
        "accountPermissions": {"accountPermissionTypes": rank("AccountPermissionType", shown)},
        "appPermissions": None if apps is None else [_app_permission(p, rank) for p in apps],
    }


def _app_permission(permission: Mapping[str, Any], rank: Rank) -> dict[str, Any]:
    permission_type = permission["permissionType"]
    app_ids = list((permission.get("applications") or {}).get("appIds") or ())
    rendered: dict[str, Any] = {
        "permissionType": permission_type,
        "applications": (
            {"filterType": "SELECTED", "appIds": app_ids}
            if app_ids
            else {"filterType": "ALL", "appIds": None}
        ),
        "actions": rank("Actions", permission.get("actions") or ()),
    }
    render = _FILTERS.get(permission_type)
    if render is not None:
        name, build = render
        rendered[name] = build(permission.get(name) or {}, rank)
    return rendered


def _ids(entity_filter: Mapping[str, Any], field: str) -> list[str]:
    return list(entity_filter.get(field) or ())


def _entity_filter(ids_field: str) -> Callable[[Mapping[str, Any], Rank], dict[str, Any]]:
    """Services, provisioners and templates: chosen ids, or ALL of them."""

    def build(entity_filter: Mapping[str, Any], rank: Rank) -> dict[str, Any]:
        ids = _ids(entity_filter, ids_field)
        return {"filterType": None, ids_field: ids} if ids else {"filterType": "ALL"}

    return build


def _env_types(
    enum: str, production: str, non_production: str, *extra: str
) -> Callable[[Iterable[str] | None, Rank], list[str]]:
    """The environment types a filter without ids covers: every one when none is named."""

    def types(given: Iterable[str] | None, rank: Rank) -> list[str]:
        chosen = [t for t in given or () if t in (production, non_production, *extra)]
        return rank(enum, chosen or (production, non_production, *extra))

    return types


_ENV_TYPES = _env_types("EnvFilterType", "PRODUCTION_ENVIRONMENTS", "NON_PRODUCTION_ENVIRONMENTS")
_DEPLOYMENT_TYPES = _env_types(
    "DeploymentPermissionFilterType", "PRODUCTION_ENVIRONMENTS", "NON_PRODUCTION_ENVIRONMENTS"
)
_WORKFLOW_TYPES = _env_types(
    "WorkflowPermissionFilterType",
    "PRODUCTION_WORKFLOWS",
    "NON_PRODUCTION_WORKFLOWS",
    "WORKFLOW_TEMPLATES",
)
_PIPELINE_TYPES = _env_types(
    "PipelinePermissionFilterType", "PRODUCTION_PIPELINES", "NON_PRODUCTION_PIPELINES"
)


def _environments(entity_filter: Mapping[str, Any], rank: Rank) -> dict[str, Any]:
    env_ids = _ids(entity_filter, "envIds")
    if env_ids:
        return {"envIds": env_ids}
    return {"filterTypes": _ENV_TYPES(entity_filter.get("filterTypes"), rank)}


def _deployments(entity_filter: Mapping[str, Any], rank: Rank) -> dict[str, Any]:
    env_ids = _ids(entity_filter, "envIds")
    rendered: dict[str, Any] = (
        {"envIds": env_ids}
        if env_ids
        else {"filterTypes": _DEPLOYMENT_TYPES(entity_filter.get("filterTypes"), rank)}
    )
    if entity_filter.get("executableElementFilter") is not None:
        rendered["executableElementFilter"] = entity_filter["executableElementFilter"]
    return rendered


def _workflows(entity_filter: Mapping[str, Any], rank: Rank) -> dict[str, Any]:
    if _ids(entity_filter, "workflowIds"):
        return {"workflowIds": _ids(entity_filter, "workflowIds")}
    filter_types = list(entity_filter.get("filterTypes") or ())
    if "ALL_WORKFLOWS" in filter_types:
        return {"filterTypes": ["ALL_WORKFLOWS"]}
    if _ids(entity_filter, "envIds"):
        return {"envIds": _ids(entity_filter, "envIds")}
    return {"filterTypes": _WORKFLOW_TYPES(filter_types, rank)}


def _pipelines(entity_filter: Mapping[str, Any], rank: Rank) -> dict[str, Any]:
    if _ids(entity_filter, "pipelineIds"):
        return {"pipelineIds": _ids(entity_filter, "pipelineIds")}
    filter_types = list(entity_filter.get("filterTypes") or ())
    if "ALL_PIPELINES" in filter_types:
        return {"filterTypes": ["ALL_PIPELINES"]}
    if _ids(entity_filter, "envIds"):
        return {"envIds": _ids(entity_filter, "envIds")}
    return {"filterTypes": _PIPELINE_TYPES(filter_types, rank)}


_FILTERS: Mapping[str, tuple[str, Callable[[Mapping[str, Any], Rank], dict[str, Any]]]] = {
    "SERVICE": ("services", _entity_filter("serviceIds")),
    "PROVISIONER": ("provisioners", _entity_filter("provisionerIds")),
    "ENV": ("environments", _environments),
    "DEPLOYMENT": ("deployments", _deployments),
    "WORKFLOW": ("workflows", _workflows),
    "PIPELINE": ("pipelines", _pipelines),
    "TEMPLATE": ("templates", _entity_filter("templateIds")),
}
