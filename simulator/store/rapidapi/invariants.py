"""Rules the RapidAPI state must satisfy after every transaction.

Tests call `check_invariants` after each test, and the control API reports it. Each
violation is one readable line.
"""

from __future__ import annotations

from simulator.store.credentials import hash_token
from simulator.store.rapidapi.access import Access
from simulator.store.rapidapi.models import (
    ENVIRONMENT_LEVEL,
    ORGANIZATION_LEVEL,
    ORGANIZATION_USER_LEVEL,
    TEAM_ENVIRONMENT_LEVEL,
    TEAM_USER_LEVEL,
    EntityRole,
)
from simulator.store.rapidapi.state import RapidApiState


def check_invariants(state: RapidApiState, access: Access) -> list[str]:
    with state.db.lock:
        problems = list(state.db.verify_indexes())
        problems.extend(_entity_ids(state))
        problems.extend(_memberships(state))
        problems.extend(_invitations(state))
        problems.extend(_assignments(state))
        problems.extend(_apps_and_roles(state))
        if any(u.live for u in state.users.values()) and not access.env_admins():
            problems.append("the hub has no active environment admin")
        for org in state.organizations.values():
            if not access.org_admins(org.id):
                problems.append(f"organization {org.id} has no active admin")
        return problems


def _entity_ids(state: RapidApiState) -> list[str]:
    problems = []
    seen: dict[int, str] = {}
    claims = [(u.id, "user") for u in state.users.values()]
    claims += [(o.id, "organization") for o in state.organizations.values()]
    claims += [(t.id, "team") for t in state.teams.values()]
    claims += [(r.id, "invite") for r in state.org_users.values() if r.user_id is None]
    for entity_id, kind in claims:
        if entity_id in seen:
            problems.append(f"id {entity_id} is both a {seen[entity_id]} and a {kind}")
        seen[entity_id] = kind
    return problems


def _memberships(state: RapidApiState) -> list[str]:
    problems = []
    for team in state.teams.values():
        if team.org_id not in state.organizations:
            problems.append(f"team {team.id}: organization {team.org_id} does not exist")
    for row in state.org_users.values():
        label = f"organization {row.org_id} user {row.id}"
        if row.org_id not in state.organizations:
            problems.append(f"{label}: the organization does not exist")
        user = None if row.user_id is None else state.users.get(row.user_id)
        if row.user_id is not None and (user is None or row.id != row.user_id):
            problems.append(f"{label}: user {row.user_id} does not exist or has another id")
        if row.accepted:
            if user is None or not user.live:
                problems.append(f"{label}: a member must be a live user")
            assignment = state.entity_roles.get((row.id, row.org_id))
            if assignment is None or assignment.level != ORGANIZATION_USER_LEVEL:
                problems.append(f"{label}: the member has no organization role")
            continue
        if row.user_id is None and not row.email:
            problems.append(f"{label}: an invite needs a user or an email")
        role = None if row.role_id is None else state.roles.get(row.role_id)
        if role is None or role.level != ORGANIZATION_USER_LEVEL:
            problems.append(f"{label}: the invite's role {row.role_id} is not an organization role")
        for team_id in row.team_ids:
            invited_to = state.teams.get(team_id)
            if invited_to is None or invited_to.org_id != row.org_id:
                problems.append(f"{label}: the invite's team {team_id} is not in the organization")
    for member in state.team_members.values():
        label = f"team {member.team_id} member {member.user_id}"
        its_team = state.teams.get(member.team_id)
        membership = (
            None if its_team is None else state.org_users.get((its_team.org_id, member.user_id))
        )
        if membership is None or not membership.accepted:
            problems.append(f"{label}: not a member of the team's organization")
        assignment = state.entity_roles.get((member.user_id, member.team_id))
        if assignment is None or assignment.level != TEAM_USER_LEVEL:
            problems.append(f"{label}: the member has no team role")
    for user in state.users.values():
        assignment = state.entity_roles.get((user.id, None))
        if assignment is None or assignment.level != ENVIRONMENT_LEVEL:
            problems.append(f"user {user.id} has no environment role")
    return problems


def _invitations(state: RapidApiState) -> list[str]:
    """Every pending invite has a token; members have none; each invitation email
    belongs to a pending invite and carries the token whose hash the invite keeps."""
    problems = []
    for row in state.org_users.values():
        label = f"organization {row.org_id} user {row.id}"
        if row.accepted and (row.token_hash or row.role_id or row.team_ids):
            problems.append(f"{label}: a member keeps what only invites have")
        if not row.accepted and row.token_hash is None:
            problems.append(f"{label}: the invite has no token")
    for mail in state.invite_mails.values():
        invite = state.org_users.get((mail.org_id, mail.invite_id))
        if invite is None or invite.accepted or invite.token_hash != hash_token(mail.token):
            problems.append(
                f"invitation email {mail.org_id}/{mail.invite_id}: no pending invite has its token"
            )
    return problems


def _assignments(state: RapidApiState) -> list[str]:
    problems = []
    for assignment in state.entity_roles.values():
        role = state.roles.get(assignment.role_id)
        if role is None or role.level != assignment.level:
            problems.append(
                f"role assignment {assignment.id}: role {assignment.role_id} is not a {assignment.level} role"
            )
        if not _scope_holds(state, assignment):
            problems.append(
                f"role assignment {assignment.id}: its {assignment.level} scope does not hold"
            )
    return problems


def _scope_holds(state: RapidApiState, a: EntityRole) -> bool:
    if a.level == ENVIRONMENT_LEVEL:
        return a.parent_id is None and a.entity_id in state.users
    if a.level == ORGANIZATION_LEVEL:
        return (
            a.parent_id is None and a.org_id == a.entity_id and a.entity_id in state.organizations
        )
    if a.level == TEAM_ENVIRONMENT_LEVEL:
        owner = state.teams.get(a.entity_id)
        return a.parent_id is None and owner is not None and a.org_id == owner.org_id
    if a.level == ORGANIZATION_USER_LEVEL:
        row = state.org_users.get((a.parent_id, a.entity_id))
        return a.org_id == a.parent_id and row is not None and row.accepted
    team = state.teams.get(a.parent_id)
    return (
        team is not None
        and a.org_id == team.org_id
        and (a.parent_id, a.entity_id) in state.team_members
    )


def _apps_and_roles(state: RapidApiState) -> list[str]:
    problems = []
    for project in state.projects.values():
        if project.owner_id not in state.users and project.owner_id not in state.teams:
            problems.append(f"app {project.id}: owner {project.owner_id} does not exist")
    for key in state.app_keys.values():
        if key.project_id not in state.projects:
            problems.append(f"key {key.id}: app {key.project_id} does not exist")
    for role in state.roles.values():
        for grant in role.grants:
            permission = state.permissions.get(grant.permission_id)
            if permission is None or permission.level != role.level:
                problems.append(
                    f"role {role.id}: permission {grant.permission_id} is not a {role.level} permission"
                )
    return problems
