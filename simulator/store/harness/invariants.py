"""Rules the Harness state must satisfy after every transaction.

Tests call `check_invariants` after each mutation, and the control API reports it.
Each violation is one readable line.
"""

from __future__ import annotations

from typing import Any

from simulator.store.database import Table
from simulator.store.harness.access import ALL_USERS_GROUP, Access
from simulator.store.harness.models import Scope
from simulator.store.harness.state import HarnessState


def check_invariants(state: HarnessState, access: Access) -> list[str]:
    with state.db.lock:
        problems = list(state.db.verify_indexes())
        problems.extend(_scopes_exist(state))
        problems.extend(_references(state, access))
        problems.extend(_access_control(state, access))
        for account in state.accounts.values():
            if not access.account_admins(account.id):
                problems.append(f"account {account.id} has no account admin")
        return problems


def _scope_exists(state: HarnessState, scope: Scope) -> bool:
    if scope.account_id not in state.accounts:
        return False
    if scope.org is not None and (scope.account_id, scope.org) not in state.organizations:
        return False
    return scope.project is None or (scope.account_id, scope.org, scope.project) in state.projects


def _scopes_exist(state: HarnessState) -> list[str]:
    problems = []
    scoped: tuple[Table[Any], ...] = (
        state.groups,
        state.members,
        state.role_assignments,
        state.invites,
    )
    for table in scoped:
        for record in table.values():
            if not _scope_exists(state, record.scope):
                problems.append(
                    f"{table.name} {table.primary_key(record)!r}: its scope does not exist"
                )
    for project in state.projects.values():
        if (project.account_id, project.org) not in state.organizations:
            problems.append(
                f"project {project.identifier}: organization {project.org} does not exist"
            )
    return problems


def _user_in(state: HarnessState, user_id: str, account_id: str) -> bool:
    user = state.users.get(user_id)
    return user is not None and user.account_id == account_id


def _references(state: HarnessState, access: Access) -> list[str]:
    problems = []
    for user in state.users.values():
        if user.account_id not in state.accounts:
            problems.append(f"user {user.id}: account {user.account_id} does not exist")
    for group in state.groups.values():
        if len(set(group.member_ids)) != len(group.member_ids):
            problems.append(f"user group {group.id}: a member is listed twice")
        for user_id in group.member_ids:
            if not _user_in(state, user_id, group.account_id):
                problems.append(
                    f"user group {group.id}: member {user_id} is not a user of its account"
                )
    for member in state.members.values():
        if not _user_in(state, member.user_id, member.account_id):
            problems.append(
                f"scope member {member.user_id}: not a user of account {member.account_id}"
            )
        if (
            member.project is not None
            and (member.account_id, member.org, None, member.user_id) not in state.members
        ):
            problems.append(
                f"scope member {member.user_id}: in project {member.project} but not its organization"
            )
    for assignment in state.role_assignments.values():
        scope = assignment.scope
        label = f"role assignment {assignment.identifier}"
        group_scope = assignment.principal_scope
        if assignment.principal_type == "USER":
            if not _user_in(state, assignment.principal_id, assignment.account_id):
                problems.append(f"{label}: user {assignment.principal_id} does not exist")
        elif (
            assignment.principal_id != ALL_USERS_GROUP[group_scope.level][0]
            and state.groups.find("identifier", (*group_scope.key, assignment.principal_id)) is None
        ):
            problems.append(f"{label}: user group {assignment.principal_id} does not exist")
        if _scope_exists(state, scope):
            role_scope = scope.at_level(assignment.role_scope_level) or scope
            if access.role(role_scope, assignment.role) is None:
                problems.append(f"{label}: role {assignment.role} does not exist")
            if access.resource_group(scope, assignment.resource_group) is None:
                problems.append(
                    f"{label}: resource group {assignment.resource_group} does not exist"
                )
    for key in state.api_keys.values():
        if not _user_in(state, key.user_id, key.account_id):
            problems.append(f"api key {key.identifier}: owner {key.user_id} does not exist")
    for env in state.environments.values():
        app = state.applications.get(env.app_id)
        if app is None or app.account_id != env.account_id:
            problems.append(f"environment {env.id}: application {env.app_id} does not exist")
    return problems


def _access_control(state: HarnessState, access: Access) -> list[str]:
    """What NextGen's groups, role assignments and invites must keep true."""
    problems = []
    for assignment in state.role_assignments.values():
        label = f"role assignment {assignment.identifier}"
        for name, level in (
            ("principal", assignment.principal_scope_level),
            ("role", assignment.role_scope_level),
        ):
            if level is not None and assignment.scope.at_level(level) is None:
                problems.append(f"{label}: its {name} scope level {level} is below its scope")
    for group in state.groups.values():
        if group.org is None:
            continue
        for user_id in group.member_ids:
            user = state.users.get(user_id)
            if user is not None and (
                (group.account_id, group.org, group.project, user_id) not in state.members
            ):
                problems.append(
                    f"user group {group.id}: member {user_id} does not belong to its scope"
                )
    for invite in state.invites.values():
        label = f"invite {invite.id}"
        if invite.expires_at < invite.created_at:
            problems.append(f"{label}: it expires before it was sent")
        scope = invite.scope
        if not _scope_exists(state, scope):
            continue
        for binding in invite.role_bindings:
            if access.role(scope, binding.role) is None:
                problems.append(f"{label}: role {binding.role} does not exist at its scope")
            if access.resource_group(scope, binding.resource_group) is None:
                problems.append(
                    f"{label}: resource group {binding.resource_group} does not exist at its scope"
                )
        for group_id in invite.user_groups:
            invited_to = state.groups.get(group_id)
            if invited_to is None or invited_to.account_id != invite.account_id:
                problems.append(f"{label}: user group {group_id} does not exist")
    return problems
