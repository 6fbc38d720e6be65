"""Organizations coming and going, and people leaving them.

These changes span every other service: a new organization brings its admin, a default
team with its app and key, and invitations; deleting one, or removing someone from one,
takes away every membership, role, app, key and invitation that hung on it, so nothing
is left orphaned.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simulator.records import record
from simulator.store.errors import InvalidInput
from simulator.store.rapidapi.access import Access
from simulator.store.rapidapi.invites import Invitee, Invites
from simulator.store.rapidapi.models import (
    INVITE_ACCEPTED,
    ORGANIZATION_LEVEL,
    ORGANIZATION_USER_LEVEL,
    EntityRole,
    Organization,
    OrgUser,
    User,
)
from simulator.store.rapidapi.organizations import Organizations, drop_org_user
from simulator.store.rapidapi.state import ENTITY, RapidApiState
from simulator.store.rapidapi.teams import Teams
from simulator.store.rapidapi.text import unique_slug

DEFAULT_TEAM_NAME = "Default Team"


@record
class NewOrganization:
    """What `createOrganization` asks for; `invitees` pair whom to invite with a role key."""

    name: str
    email: str
    seats: int
    thumbnail: str | None = None
    description: str | None = None
    invitees: Sequence[tuple[Invitee, str | None]] = ()


class OrganizationLifecycle:
    def __init__(
        self,
        state: RapidApiState,
        access: Access,
        organizations: Organizations,
        teams: Teams,
        invites: Invites,
    ) -> None:
        self._state = state
        self._access = access
        self._organizations = organizations
        self._teams = teams
        self._invites = invites

    def create(self, actor: User, new: NewOrganization) -> Organization:
        """`createOrganization`: the actor becomes its admin; it starts with a default
        team (with an app and key) and its default organization role, and the invitees
        are invited to the default team."""
        state = self._state
        with state.db.transaction():
            self._access.require_organization_creator(actor)
            fields: dict[str, Any] = {"name": new.name, "email": new.email, "seats": new.seats}
            self._organizations.check_fields(fields, None)
            admin = self._access.admin_role(ORGANIZATION_USER_LEVEL)
            if admin is None:
                raise InvalidInput("input", f"the hub has no {ORGANIZATION_USER_LEVEL} ADMIN role")
            slug = unique_slug(fields["name"], lambda s: self._organizations.by_slug(s) is not None)
            now = state.now()
            org = Organization(
                id=state.sequences.next(ENTITY),
                name=fields["name"],
                slugified_name=slug,
                created_at=now,
                updated_at=now,
                email=fields["email"],
                description=new.description,
                thumbnail=new.thumbnail,
                seats=fields["seats"],
            )
            state.db.insert(state.organizations, org)
            role = self._access.default_role(ORGANIZATION_LEVEL)
            if role is not None:
                state.db.put(
                    state.entity_roles, EntityRole(org.id, None, role.id, role.level, org.id)
                )
            state.db.insert(
                state.org_users,
                OrgUser(org.id, actor.id, INVITE_ACCEPTED, now, user_id=actor.id),
            )
            state.db.put(
                state.entity_roles, EntityRole(actor.id, org.id, admin.id, admin.level, org.id)
            )
            team = self._teams.add(org.id, DEFAULT_TEAM_NAME)
            for position, (invitee, role_key) in enumerate(new.invitees):
                if invitee.user_id == actor.id or (
                    invitee.email is not None
                    and invitee.email.strip().lower() == actor.email.lower()
                ):
                    raise InvalidInput(
                        f"users[{position}]", "the creator is the organization's admin already"
                    )
                self._invites.create(actor, org.id, invitee, team_ids=[team.id], role_key=role_key)
            return org

    def delete(self, actor: User, org_id: int) -> None:
        """`deleteOrganization`: its teams (with their apps and keys), memberships, roles
        and invitations go with it."""
        state = self._state
        with state.db.transaction():
            self._organizations.managed(actor, org_id, "id")
            for team in self._teams.of_org(org_id):
                self._teams.remove(team)
            for row in list(state.org_users.ordered("id", org_id)):
                drop_org_user(state, row)
                state.db.delete(state.entity_roles, (row.id, org_id))
            state.db.delete(state.entity_roles, (org_id, None))
            state.db.delete(state.organizations, org_id)

    def remove_user(self, actor: User, org_id: int, email: str) -> None:
        """`removeTeamUserFromAllOrgTeams`: a member leaves the organization and each of
        its teams (or a pending invite to this email is withdrawn). Organization admins
        remove anyone; a member may leave. The last active admin cannot go."""
        state = self._state
        with state.db.transaction():
            if org_id not in state.organizations:
                raise InvalidInput("orgId", f"organization {org_id} does not exist")
            row = self._organizations.row_by_email(org_id, email)
            if row is None or row.id != actor.id:
                self._access.require_org_admin(actor, org_id)
            if row is None:
                raise InvalidInput(
                    "email", f"{email.strip()} is not a user of organization {org_id}"
                )
            if row.accepted:
                self._teams.leave_all(org_id, row.id)
                state.db.delete(state.entity_roles, (row.id, org_id))
            drop_org_user(state, row)
