"""NextGen role assignments (`/authz/api/roleassignments`) at a scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.harness_ng.context import NgContext
from simulator.harness_ng.operations import operation, page_args, sorter
from simulator.harness_ng.serializers import compact, page_response
from simulator.store.errors import InvalidInput, PermissionDenied
from simulator.store.harness.access import (
    USER_MANAGE,
    USER_VIEW,
    USERGROUP_MANAGE,
    USERGROUP_VIEW,
)
from simulator.store.harness.models import RoleAssignment, Scope
from simulator.store.harness.role_assignments import AssignmentSpec
from simulator.store.values import Page

# Who may see or change the assignments of each principal type.
_VIEW = {"USER": USER_VIEW, "USER_GROUP": USERGROUP_VIEW}
_MANAGE = {"USER": USER_MANAGE, "USER_GROUP": USERGROUP_MANAGE}

_SORT_FIELDS: dict[str, Callable[[RoleAssignment], Any]] = {
    "identifier": lambda a: a.identifier,
    "createdAt": lambda a: (a.created_at, a.identifier),
    "lastModifiedAt": lambda a: (a.created_at, a.identifier),
}


def scope_view(scope: Scope) -> dict[str, Any]:
    return compact(
        {
            "accountIdentifier": scope.account_id,
            "orgIdentifier": scope.org,
            "projectIdentifier": scope.project,
        }
    )


def assignment_view(assignment: RoleAssignment) -> dict[str, Any]:
    principal = {"identifier": assignment.principal_id, "type": assignment.principal_type}
    if assignment.principal_type == "USER_GROUP":
        principal["scopeLevel"] = assignment.principal_scope.level_name
    role_assignment: dict[str, Any] = {
        "identifier": assignment.identifier,
        "resourceGroupIdentifier": assignment.resource_group,
        "roleIdentifier": assignment.role,
        "principal": principal,
        "disabled": assignment.disabled,
        "managed": assignment.managed,
        "internal": False,
    }
    if assignment.role_scope_level is not None:
        role_assignment["roleReference"] = {
            "identifier": assignment.role,
            "scopeLevel": assignment.role_scope_level,
        }
    return {
        "roleAssignment": role_assignment,
        "scope": scope_view(assignment.scope),
        "harnessManaged": assignment.managed,
        "createdAt": assignment.created_at,
        "lastModifiedAt": assignment.created_at,
    }


def _spec(body: dict[str, Any]) -> AssignmentSpec:
    principal = body["principal"]
    reference = body.get("roleReference") or {}
    role, referenced = body.get("roleIdentifier"), reference.get("identifier")
    if role and referenced and role != referenced:
        raise InvalidInput(
            "roleReference", "roleIdentifier and roleReference must name the same role"
        )
    return AssignmentSpec(
        principal_type=principal["type"],
        principal_id=principal["identifier"],
        principal_scope_level=principal.get("scopeLevel") or None,
        resource_group=body["resourceGroupIdentifier"],
        role=role or referenced,
        role_scope_level=(reference.get("scopeLevel") or None) if referenced else None,
        identifier=body.get("identifier") or None,
        disabled=bool(body.get("disabled")),
    )


def _may_manage(context: NgContext, spec: AssignmentSpec) -> None:
    permission = _MANAGE.get(spec.principal_type)
    if permission is not None:
        context.store.access.require(context.caller, context.scope, permission)


def _visible_types(context: NgContext) -> set[str]:
    """Principal types whose assignments the caller may see here (none: refused)."""
    access = context.store.access
    visible = {
        kind
        for kind, permission in _VIEW.items()
        if access.has_permission(context.caller, context.scope, permission)
    }
    if not visible:
        raise PermissionDenied(USER_VIEW)
    return visible


def _paged(context: NgContext, assignments: list[RoleAssignment]) -> Any:
    index, size = page_args(context.query)
    order = sorter(context.query, _SORT_FIELDS)
    if order is not None:
        assignments = order(assignments)
    page = Page(len(assignments), assignments[index * size : index * size + size])
    return page_response(page, index, size, assignment_view)


@operation("getRoleAssignmentList")
def get_role_assignment_list(context: NgContext) -> Any:
    visible = _visible_types(context)
    assignments = context.store.role_assignments.at(context.scope)
    return _paged(context, [a for a in assignments if a.principal_type in visible])


@operation("getFilteredRoleAssignmentList")
def get_filtered_role_assignment_list(context: NgContext) -> Any:
    visible = _visible_types(context)
    body = context.body
    roles = set(body.get("roleFilter") or ())
    groups = set(body.get("resourceGroupFilter") or ())
    types = set(body.get("principalTypeFilter") or ()) or visible
    levels = {level.lower() for level in body.get("principalScopeLevelFilter") or ()}
    managed = set(body.get("harnessManagedFilter") or ())
    disabled = set(body.get("disabledFilter") or ())
    principals = {(p["type"], p["identifier"]) for p in body.get("principalFilter") or ()}
    found = [
        a
        for a in context.store.role_assignments.at(context.scope)
        if a.principal_type in visible & types
        and (not roles or a.role in roles)
        and (not groups or a.resource_group in groups)
        and (not levels or (a.principal_scope_level or "") in levels)
        and (not managed or a.managed in managed)
        and (not disabled or a.disabled in disabled)
        and (not principals or (a.principal_type, a.principal_id) in principals)
    ]
    return _paged(context, found)


@operation("postRoleAssignment")
def post_role_assignment(context: NgContext) -> Any:
    spec = _spec(context.body)
    _may_manage(context, spec)
    return assignment_view(context.store.role_assignments.create(context.scope, spec))


@operation("postRoleAssignments")
def post_role_assignments(context: NgContext) -> Any:
    """Every assignment that can be made; the others are skipped without a word, as
    Harness does (a caller not allowed to make one is skipped too)."""
    specs = [_spec(item) for item in context.body["roleAssignments"]]
    access = context.store.access
    allowed = [
        spec
        for spec in specs
        if spec.principal_type not in _MANAGE
        or access.has_permission(context.caller, context.scope, _MANAGE[spec.principal_type])
    ]
    created = context.store.role_assignments.create_all(context.scope, allowed)
    return [assignment_view(assignment) for assignment in created]


@operation("getRoleAssignment")
def get_role_assignment(context: NgContext) -> Any:
    identifier = context.path["identifier"]
    visible = _visible_types(context)
    assignment = context.store.role_assignments.find(context.scope, identifier)
    if assignment is None or assignment.principal_type not in visible:
        context.store.scopes.require(context.scope)
        raise InvalidInput("identifier", f"Role assignment {identifier} not found in the scope")
    return assignment_view(assignment)


@operation("deleteRoleAssignment")
def delete_role_assignment(context: NgContext) -> Any:
    store = context.store
    assignment = store.role_assignments.find(context.scope, context.path["identifier"])
    if assignment is not None and assignment.principal_type in _MANAGE:
        store.access.require(context.caller, context.scope, _MANAGE[assignment.principal_type])
    deleted = store.role_assignments.delete(context.scope, context.path["identifier"])
    return assignment_view(deleted)
