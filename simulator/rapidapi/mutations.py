"""Mutation resolvers: each is one store call, all or nothing.

The store checks who may do what and refuses before anything changes; the endpoint
runs the whole execution under the store's lock.
"""

from __future__ import annotations

from typing import Any

from ariadne import MutationType

from simulator.rapidapi import inputs
from simulator.rapidapi.context import Info
from simulator.store.errors import InvalidInput
from simulator.store.rapidapi.models import Team
from simulator.store.rapidapi.users import PROFILE_FIELDS
from simulator.store.values import UNSET

mutation_type = MutationType()


def _required(value: dict[str, Any] | None, name: str = "input") -> dict[str, Any]:
    if value is None:
        raise InvalidInput(name, "is required")
    return value


@mutation_type.field("updateUser")
def resolve_update_user(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    context = info.context
    actor = context.actor
    user_id = None
    if input.get("id") is not None:
        user_id = inputs.as_id(input["id"])
        if user_id is None:
            raise InvalidInput("id", f"user {input['id']} does not exist")
    if (user_id is not None and user_id != actor.id) or "status" in input:
        context.require_personal_admin()
    changes = {name: input.get(name, UNSET) for name in (*PROFILE_FIELDS, "status")}
    user = context.store.users.update(actor, user_id, changes)
    return {"status": user.status}


@mutation_type.field("updateUserRoles")
def resolve_update_user_roles(_: Any, info: Info, input: dict[str, Any] | None = None) -> bool:
    context = info.context
    input = _required(input)
    context.store.roles.update_user_role(
        context.actor, input["entityId"], input["roleId"], input["orgId"]
    )
    return True


@mutation_type.field("upsertEntityRole")
def resolve_upsert_entity_role(_: Any, info: Info, input: dict[str, Any] | None = None) -> bool:
    context = info.context
    input = _required(input)
    assignment_id = input.get("id")
    context.store.roles.upsert(
        context.actor,
        assignment_id=None if assignment_id is None else str(assignment_id),
        entity_id=input.get("entityId"),
        role_id=input.get("roleId"),
        parent_id=input.get("parentId"),
        org_id=input.get("orgId"),
    )
    return True


@mutation_type.field("createUserInvites")
def resolve_create_user_invites(_: Any, info: Info, input: dict[str, Any] | None = None) -> bool:
    context = info.context
    input = _required(input)
    context.store.organizations.invite(
        context.actor,
        input["organizationId"],
        email=input.get("email"),
        user_id=input.get("id"),
        team_ids=input["teamIds"],
        role_key=input.get("role"),
        inviter_id=input.get("inviterId"),
    )
    return True


@mutation_type.field("updateTeamUser")
def resolve_update_team_user(_: Any, info: Info, input: dict[str, Any] | None = None) -> bool:
    context = info.context
    input = _required(input)
    context.store.teams.update_team_user(
        context.actor,
        input["orgId"],
        input["teamUserId"],
        team_to_add=input.get("teamToAdd"),
        team_to_remove=input.get("teamToRemove"),
        new_role=input.get("newRole"),
    )
    return True


@mutation_type.field("createTeam")
def resolve_create_team(_: Any, info: Info, input: dict[str, Any]) -> Team:
    context = info.context
    return context.store.teams.create(
        context.actor,
        input["organizationId"],
        input["name"],
        description=input.get("description"),
        thumbnail=input.get("thumbnail"),
    )


@mutation_type.field("deleteTeam")
def resolve_delete_team(_: Any, info: Info, id: str) -> bool:
    context = info.context
    team_id = inputs.as_id(id)
    if team_id is None:
        raise InvalidInput("id", f"team {id} does not exist")
    context.store.teams.delete(context.actor, team_id)
    return True


@mutation_type.field("addUserToTeams")
def resolve_add_user_to_teams(_: Any, info: Info, userId: int, teamIds: list[int | None]) -> bool:
    context = info.context
    context.store.teams.add_user_to_teams(context.actor, userId, teamIds)
    return True
