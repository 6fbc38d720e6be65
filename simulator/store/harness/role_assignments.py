"""Creating, listing and deleting role assignments at a scope, with Harness's checks.

An assignment binds a role and a resource group to a user or a user group at a scope;
`access.py` turns the assignments into permissions, so a new assignment changes what
its principal may do through every face at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.records import record
from simulator.store.errors import AlreadyExists, InvalidInput, StoreError
from simulator.store.harness.access import ALL_USERS_GROUP, Access
from simulator.store.harness.models import RoleAssignment, Scope
from simulator.store.harness.scopes import Scopes
from simulator.store.harness.state import HarnessState

DEPRECATED_RESOURCE_GROUP = "_all_resources"
LEVELS = ("account", "organization", "project")  # NextGen's scope levels, outermost first


@record
class AssignmentSpec:
    """A role assignment as NextGen's create sends it."""

    principal_type: str
    principal_id: str
    resource_group: str
    role: str | None = None
    role_scope_level: str | None = None
    principal_scope_level: str | None = None
    identifier: str | None = None
    disabled: bool = False
    managed: bool = False


class RoleAssignments:
    def __init__(self, state: HarnessState, scopes: Scopes, access: Access) -> None:
        self._state = state
        self._scopes = scopes
        self._access = access

    # -- reads ---------------------------------------------------------------------------

    def at(self, scope: Scope) -> list[RoleAssignment]:
        """Assignments made at exactly this scope, oldest first."""
        self._scopes.require(scope)
        return self._state.role_assignments.ordered("scope", scope.key)

    def find(self, scope: Scope, identifier: str) -> RoleAssignment | None:
        assignment = self._state.role_assignments.get((scope.account_id, identifier))
        return assignment if assignment is not None and assignment.scope == scope else None

    # -- writes --------------------------------------------------------------------------

    def create(self, scope: Scope, spec: AssignmentSpec) -> RoleAssignment:
        state = self._state
        with state.db.transaction():
            self._scopes.require(scope)
            self.check(scope, spec)
            identifier = spec.identifier or state.fresh_assignment_identifier(scope.account_id, 15)
            if (scope.account_id, identifier) in state.role_assignments:
                raise AlreadyExists("role assignment", identifier, field="identifier")
            role = spec.role or ""
            # A group is of the assignment's scope unless a level above is named; a user
            # belongs to the account, so Harness keeps no level for it.
            principal_level = None
            if spec.principal_type == "USER_GROUP":
                principal_level = (spec.principal_scope_level or scope.level_name).lower()
            for existing in state.role_assignments.find_all(
                "principal", (scope.account_id, spec.principal_type, spec.principal_id)
            ):
                if (
                    existing.scope == scope
                    and existing.role == role
                    and existing.resource_group == spec.resource_group
                    and existing.principal_scope == (scope.at_level(principal_level) or scope)
                ):
                    raise AlreadyExists("role assignment", existing.identifier, field="principal")
            assignment = RoleAssignment(
                identifier=identifier,
                account_id=scope.account_id,
                org=scope.org,
                project=scope.project,
                principal_type=spec.principal_type,
                principal_id=spec.principal_id,
                role=role,
                resource_group=spec.resource_group,
                created_at=state.now(),
                managed=spec.managed,
                disabled=spec.disabled,
                principal_scope_level=principal_level,
                role_scope_level=spec.role_scope_level and spec.role_scope_level.lower(),
            )
            state.db.insert(state.role_assignments, assignment)
            return assignment

    def create_all(self, scope: Scope, specs: Sequence[AssignmentSpec]) -> list[RoleAssignment]:
        """Each assignment that can be made (Harness skips the others without a word);
        the request-level checks still refuse the whole batch first."""
        for spec in specs:
            _check_request(scope, spec)
        created = []
        for spec in specs:
            try:
                created.append(self.create(scope, spec))
            except StoreError:
                continue
        return created

    def delete(self, scope: Scope, identifier: str) -> RoleAssignment:
        state = self._state
        with state.db.transaction():
            assignment = self.find(scope, identifier)
            if assignment is None:
                raise InvalidInput(None, "Invalid Role Assignment")
            if assignment.managed:
                raise InvalidInput(None, "Cannot delete a managed role assignment")
            state.db.delete(state.role_assignments, (scope.account_id, identifier))
            if scope.org is None and not self._access.account_admins(scope.account_id):
                raise InvalidInput(
                    None,
                    "Please add another Admin assigned to All Resources Resource Group before"
                    " deleting this role assignment.",
                )
            return assignment

    # -- checks --------------------------------------------------------------------------

    def check(self, scope: Scope, spec: AssignmentSpec) -> None:
        """Harness's checks, in its order: the request, then role, resource group and
        principal must exist where the assignment is made."""
        _check_request(scope, spec)
        where = scope_identifier(scope)
        role_scope = scope.at_level(spec.role_scope_level) or scope
        if not spec.role or self._access.role(role_scope, spec.role) is None:
            raise InvalidInput("roleIdentifier", f"Did not find role in {where}")
        if self._access.resource_group(scope, spec.resource_group) is None:
            raise InvalidInput(
                "resourceGroupIdentifier", f"Did not find resource group identifier in {where}"
            )
        self._check_principal(scope, spec)

    def _check_principal(self, scope: Scope, spec: AssignmentSpec) -> None:
        state = self._state
        identifier = spec.principal_id
        if spec.principal_type == "USER":
            user = state.users.get(identifier)
            if user is None or not self._scopes.contains_user(scope, user):
                raise InvalidInput(
                    "principal", f"user not found with the given identifier {identifier}"
                )
            return
        if spec.principal_type == "USER_GROUP":
            group_scope = scope.at_level(spec.principal_scope_level) or scope
            found = identifier == ALL_USERS_GROUP[group_scope.level][0] or (
                state.groups.find("identifier", (*group_scope.key, identifier)) is not None
            )
            if not found:
                raise InvalidInput(
                    "principal",
                    f"user group not found with the given identifier {identifier} in the scope"
                    f" {scope_identifier(group_scope)}",
                )
            return
        if spec.principal_type == "SERVICE_ACCOUNT":
            raise InvalidInput(
                "principal",
                f"service account not found with the given identifier {identifier} in the scope"
                f" {scope_identifier(scope)}",
            )
        raise InvalidInput(
            "principal",
            f"Role assignments for principalType {spec.principal_type} cannot be changed",
        )


def _check_request(scope: Scope, spec: AssignmentSpec) -> None:
    if spec.resource_group == DEPRECATED_RESOURCE_GROUP:
        raise InvalidInput(
            "resourceGroupIdentifier",
            f"{DEPRECATED_RESOURCE_GROUP} is deprecated, please use"
            " _all_resources_including_child_scopes.",
        )
    for field, level in (
        ("principal.scopeLevel", spec.principal_scope_level),
        ("roleReference.scopeLevel", spec.role_scope_level),
    ):
        if level is None:
            continue
        if level.lower() not in LEVELS:
            raise InvalidInput(field, f"{level} is not a scope level")
        if LEVELS.index(level.lower()) > LEVELS.index(scope.level_name):
            raise InvalidInput(
                field,
                f"Principal scope level cannot be {level} for {scope.level} scoped role assignment.",
            )


def scope_identifier(scope: Scope) -> str:
    """A scope as Harness access control writes it: /ACCOUNT/a/ORGANIZATION/o/PROJECT/p."""
    parts = [f"/ACCOUNT/{scope.account_id}"]
    if scope.org is not None:
        parts.append(f"/ORGANIZATION/{scope.org}")
    if scope.project is not None:
        parts.append(f"/PROJECT/{scope.project}")
    return "".join(parts)
