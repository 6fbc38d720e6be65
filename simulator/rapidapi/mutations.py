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
from simulator.store.rapidapi.invites import Invitee
from simulator.store.rapidapi.lifecycle import NewOrganization
from simulator.store.rapidapi.models import Organization, Team
from simulator.store.rapidapi.organizations import ORGANIZATION_FIELDS
from simulator.store.rapidapi.roles import Assignment
from simulator.store.rapidapi.users import PASSWORD_FIELDS, PROFILE_FIELDS
from simulator.store.values import UNSET

mutation_type = MutationType()


def _required(value: dict[str, Any] | None, name: str = "input") -> dict[str, Any]:
    if value is None:
        raise InvalidInput(name, "is required")
    return value


def _entity_id(value: Any, field: str, kind: str) -> int:
    """An ID argument naming an entity; one that cannot be an id names nothing."""
    entity_id = inputs.as_id(value)
    if entity_id is None:
        raise InvalidInput(field, f"{kind} {value} does not exist")
    return entity_id


def _assignment(input: dict[str, Any]) -> Assignment:
    assignment_id = input.get("id")
    return Assignment(
        id=None if assignment_id is None else str(assignment_id),
        entity_id=input.get("entityId"),
        role_id=input.get("roleId"),
        parent_id=input.get("parentId"),
        org_id=input.get("orgId"),
    )


@mutation_type.field("updateUser")
def resolve_update_user(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    context = info.context
    actor = context.actor
    user_id = None if input.get("id") is None else _entity_id(input["id"], "id", "user")
    if (user_id is not None and user_id != actor.id) or "status" in input:
        context.require_personal_admin()
    names = (*PROFILE_FIELDS, *PASSWORD_FIELDS, "imageFile", "status")
    changes = {name: input.get(name, UNSET) for name in names}
    user = context.store.users.update(actor, user_id, changes)
    return {"status": user.status}


@mutation_type.field("deleteUser")
def resolve_delete_user(_: Any, info: Info, id: str, mashapeId: str) -> bool:
    context = info.context
    context.require_personal_admin()
    context.store.users.delete(context.actor, _entity_id(id, "id", "user"), mashapeId)
    return True


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
    context.store.roles.upsert(context.actor, _assignment(_required(input)))
    return True


@mutation_type.field("createEntitiesRoles")
def resolve_create_entities_roles(_: Any, info: Info, input: dict[str, Any] | None = None) -> bool:
    context = info.context
    entries = _required(input).get("entitiesRoles") or []
    if any(entry is None for entry in entries):
        raise InvalidInput("entitiesRoles", "must not contain null")
    context.store.roles.upsert_all(context.actor, [_assignment(entry) for entry in entries])
    return True


@mutation_type.field("createUserInvites")
def resolve_create_user_invites(_: Any, info: Info, input: dict[str, Any] | None = None) -> bool:
    context = info.context
    input = _required(input)
    context.store.invites.create(
        context.actor,
        input["organizationId"],
        Invitee(email=input.get("email"), user_id=input.get("id")),
        team_ids=input["teamIds"],
        role_key=input.get("role"),
        inviter_id=input.get("inviterId"),
    )
    return True


@mutation_type.field("acceptUserInvite")
def resolve_accept_user_invite(_: Any, info: Info, token: str) -> bool:
    context = info.context
    context.store.invites.accept(context.actor, token)
    return True


@mutation_type.field("deleteUserInvites")
def resolve_delete_user_invites(_: Any, info: Info, input: dict[str, Any]) -> int:
    context = info.context
    return context.store.invites.delete(context.actor, input["orgId"], input["emails"])


@mutation_type.field("reactivateUserInvites")
def resolve_reactivate_user_invites(_: Any, info: Info, input: dict[str, Any]) -> bool:
    context = info.context
    context.store.invites.reactivate(context.actor, input["orgId"], input["emails"])
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


@mutation_type.field("updateTeam")
def resolve_update_team(_: Any, info: Info, input: dict[str, Any]) -> Team:
    context = info.context
    changes = {name: input.get(name, UNSET) for name in ("name", "description", "thumbnail")}
    return context.store.teams.update(context.actor, input["id"], changes)


@mutation_type.field("deleteTeam")
def resolve_delete_team(_: Any, info: Info, id: str) -> bool:
    context = info.context
    context.store.teams.delete(context.actor, _entity_id(id, "id", "team"))
    return True


@mutation_type.field("addUserToTeams")
def resolve_add_user_to_teams(_: Any, info: Info, userId: int, teamIds: list[int | None]) -> bool:
    context = info.context
    context.store.teams.add_user_to_teams(context.actor, userId, teamIds)
    return True


@mutation_type.field("removeTeamUserFromAllOrgTeams")
def resolve_remove_team_user(_: Any, info: Info, orgId: int, email: str) -> bool:
    context = info.context
    context.store.lifecycle.remove_user(context.actor, orgId, email)
    return True


@mutation_type.field("createOrganization")
def resolve_create_organization(_: Any, info: Info, input: dict[str, Any]) -> Organization:
    context = info.context
    if any(api is not None for api in input.get("apis") or ()):
        raise InvalidInput("apis", "usersim simulates no APIs to move: leave apis empty")
    invitees = []
    for position, entry in enumerate(input.get("users") or ()):
        if entry is None:
            raise InvalidInput("users", "must not contain null")
        user_id = entry.get("id")
        invitee = Invitee(
            email=entry.get("email"),
            user_id=None
            if user_id is None
            else _entity_id(user_id, f"users[{position}].id", "user"),
        )
        invitees.append((invitee, entry.get("role")))
    new = NewOrganization(
        name=input["name"],
        email=input["email"],
        seats=input["seats"],
        thumbnail=input.get("thumbnail"),
        description=input.get("description"),
        invitees=invitees,
    )
    return context.store.lifecycle.create(context.actor, new)


@mutation_type.field("updateOrganization")
def resolve_update_organization(_: Any, info: Info, input: dict[str, Any]) -> Organization:
    context = info.context
    changes = {name: input.get(name, UNSET) for name in ORGANIZATION_FIELDS}
    return context.store.organizations.update(context.actor, input["organizationId"], changes)


@mutation_type.field("deleteOrganization")
def resolve_delete_organization(_: Any, info: Info, id: str) -> bool:
    context = info.context
    context.store.lifecycle.delete(context.actor, _entity_id(id, "id", "organization"))
    return True
