"""Teams: who belongs to them, creating and deleting them, moving users between them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simulator.records import replace
from simulator.store.errors import InvalidInput
from simulator.store.rapidapi.access import Access
from simulator.store.rapidapi.apps import Apps
from simulator.store.rapidapi.models import (
    TEAM_ENVIRONMENT_LEVEL,
    TEAM_USER_LEVEL,
    EntityRole,
    Team,
    TeamMember,
    User,
)
from simulator.store.rapidapi.organizations import Organizations, TeamUserEntry
from simulator.store.rapidapi.state import ENTITY, RapidApiState
from simulator.store.rapidapi.text import unique_slug
from simulator.store.values import UNSET


class Teams:
    def __init__(
        self, state: RapidApiState, access: Access, organizations: Organizations, apps: Apps
    ) -> None:
        self._state = state
        self._access = access
        self._organizations = organizations
        self._apps = apps

    # -- reads ---------------------------------------------------------------------------

    def get(self, team_id: int) -> Team | None:
        return self._state.teams.get(team_id)

    def of_org(self, org_id: int) -> list[Team]:
        return self._state.teams.find_all("org", org_id)

    def of_user(self, user_id: int, org_id: int | None = None) -> list[Team]:
        """The user's teams (in one organization, or all): explicit memberships plus
        every team of the organizations whose admin role the user holds."""
        state = self._state
        team_ids = {m.team_id for m in state.team_members.find_all("user", user_id)}
        for row in state.org_users.find_all("user", user_id):
            role = self._organizations.org_role(row.org_id, user_id) if row.accepted else None
            if role is not None and role.is_admin:
                team_ids.update(t.id for t in self.of_org(row.org_id))
        teams = (state.teams.get(team_id) for team_id in sorted(team_ids))
        return [t for t in teams if t is not None and (org_id is None or t.org_id == org_id)]

    def members(self, team: Team) -> list[TeamUserEntry]:
        rows = self._state.org_users
        return [
            self._organizations.entry(row)
            for user_id in self._access.team_member_ids(team)
            if (row := rows.get((team.org_id, user_id))) is not None
        ]

    # -- changes -------------------------------------------------------------------------

    def create(
        self,
        actor: User,
        org_id: int,
        name: str,
        *,
        description: str | None = None,
        thumbnail: str | None = None,
    ) -> Team:
        """`createTeam`: a team with a default app (and its key), as RapidAPI creates it."""
        state = self._state
        with state.db.transaction():
            self._organizations.managed(actor, org_id, "organizationId")
            return self.add(org_id, name, description=description, thumbnail=thumbnail)

    def add(
        self,
        org_id: int,
        name: str,
        *,
        description: str | None = None,
        thumbnail: str | None = None,
    ) -> Team:
        """A new team with a default app and its key (inside a transaction, no checks of
        who asks: `create` and `createOrganization` make those)."""
        state = self._state
        name = self._free_name(org_id, name, None)
        slugs = {t.slugified_name for t in self.of_org(org_id)}
        slug = unique_slug(name, slugs.__contains__)
        now = state.now()
        team = Team(
            id=state.sequences.next(ENTITY),
            org_id=org_id,
            name=name,
            slugified_name=slug,
            created_at=now,
            updated_at=now,
            description=description,
            thumbnail=thumbnail,
        )
        state.db.insert(state.teams, team)
        role = self._access.default_role(TEAM_ENVIRONMENT_LEVEL)
        if role is not None:
            state.db.put(state.entity_roles, EntityRole(team.id, None, role.id, role.level, org_id))
        self._apps.create_default(team.id)
        return team

    def update(self, actor: User, team_id: int, changes: dict[str, Any]) -> Team:
        """`updateTeam`: a new name, description or thumbnail (a missing value in
        `changes` is UNSET). The slugifiedName stays, so links to the team keep working."""
        state = self._state
        with state.db.transaction():
            team = self._managed(actor, team_id)
            fields = {
                name: value
                for name in ("name", "description", "thumbnail")
                if (value := changes.get(name, UNSET)) is not UNSET
            }
            if "name" in fields:
                fields["name"] = self._free_name(team.org_id, fields["name"], team.id)
            if not fields:
                return team
            updated = replace(team, updated_at=state.now(), **fields)
            state.db.put(state.teams, updated)
            return updated

    def delete(self, actor: User, team_id: int) -> None:
        """`deleteTeam`: the team, its memberships, roles and apps; invites forget it."""
        state = self._state
        with state.db.transaction():
            team = self._managed(actor, team_id)
            self.remove(team)
            for row in state.org_users.ordered("id", team.org_id):
                if team_id in row.team_ids:
                    remaining = tuple(t for t in row.team_ids if t != team_id)
                    state.db.put(state.org_users, replace(row, team_ids=remaining))

    def remove(self, team: Team) -> None:
        """Delete a team with its memberships, roles, apps and keys (inside a transaction)."""
        state = self._state
        for member in state.team_members.find_all("team", team.id):
            self._leave(team, member.user_id)
        state.db.delete(state.entity_roles, (team.id, None))
        self._apps.delete_of_owner(team.id)
        state.db.delete(state.teams, team.id)

    def leave_all(self, org_id: int, user_id: int) -> None:
        """The user leaves every team of the organization it is an explicit member of."""
        state = self._state
        for member in state.team_members.find_all("user", user_id):
            team = state.teams[member.team_id]
            if team.org_id == org_id:
                self._leave(team, user_id)

    def update_team_user(
        self,
        actor: User,
        org_id: int,
        team_user_id: int,
        *,
        team_to_add: int | None = None,
        team_to_remove: int | None = None,
        new_role: str | None = None,
    ) -> None:
        """`updateTeamUser`: add to a team, remove from a team and change the org role,
        all at once. On a pending invite it edits what the invitee will get."""
        state = self._state
        with state.db.transaction():
            self._organizations.managed(actor, org_id, "orgId")
            row = state.org_users.get((org_id, team_user_id))
            if row is None:
                raise InvalidInput(
                    "teamUserId", f"{team_user_id} is not a user of organization {org_id}"
                )
            if team_to_add is not None and team_to_add == team_to_remove:
                raise InvalidInput("teamToAdd", "cannot add to and remove from the same team")
            add = self._team_in(org_id, team_to_add, "teamToAdd")
            remove = self._team_in(org_id, team_to_remove, "teamToRemove")
            role = (
                None
                if new_role is None
                else self._organizations.org_role_by_key(new_role, "newRole")
            )
            if not row.accepted:
                team_ids = list(row.team_ids)
                if remove is not None:
                    if remove.id not in team_ids:
                        raise InvalidInput(
                            "teamToRemove", f"the invite does not include team {remove.id}"
                        )
                    team_ids.remove(remove.id)
                if add is not None and add.id not in team_ids:
                    team_ids.append(add.id)
                role_id = row.role_id if role is None else role.id
                state.db.put(
                    state.org_users, replace(row, team_ids=tuple(team_ids), role_id=role_id)
                )
                return
            if remove is not None:
                if (remove.id, team_user_id) not in state.team_members:
                    raise InvalidInput(
                        "teamToRemove",
                        f"user {team_user_id} is not an explicit member of team {remove.id}"
                        " (organization admins belong to every team)",
                    )
                self._leave(remove, team_user_id)
            if add is not None:
                self.join(add, team_user_id)
            if role is not None:
                state.db.put(
                    state.entity_roles,
                    EntityRole(team_user_id, org_id, role.id, role.level, org_id),
                )

    def add_user_to_teams(self, actor: User, user_id: int, team_ids: Sequence[int | None]) -> None:
        """`addUserToTeams`: an organization member joins teams of that organization."""
        state = self._state
        with state.db.transaction():
            if not team_ids:
                raise InvalidInput("teamIds", "give at least one team")
            for team_id in dict.fromkeys(team_ids):
                if team_id is None:
                    raise InvalidInput("teamIds", "must not contain null")
                team = state.teams.get(team_id)
                if team is None:
                    raise InvalidInput("teamIds", f"team {team_id} does not exist")
                self._access.require_org_admin(actor, team.org_id)
                if self._access.membership(team.org_id, user_id) is None:
                    raise InvalidInput(
                        "userId", f"user {user_id} is not a member of organization {team.org_id}"
                    )
                self.join(team, user_id)

    # -- helpers -------------------------------------------------------------------------

    def _team_in(self, org_id: int, team_id: int | None, field: str) -> Team | None:
        if team_id is None:
            return None
        team = self._state.teams.get(team_id)
        if team is None or team.org_id != org_id:
            raise InvalidInput(field, f"team {team_id} is not a team of organization {org_id}")
        return team

    def join(self, team: Team, user_id: int) -> None:
        """Make the user an explicit member with the default team role (if not one yet)."""
        state = self._state
        if (team.id, user_id) in state.team_members:
            return
        role = self._access.default_role(TEAM_USER_LEVEL)
        if role is None:
            raise InvalidInput("teamIds", f"the hub has no default {TEAM_USER_LEVEL} role")
        state.db.insert(state.team_members, TeamMember(team.id, user_id, state.now()))
        state.db.put(
            state.entity_roles, EntityRole(user_id, team.id, role.id, role.level, team.org_id)
        )

    def _managed(self, actor: User, team_id: int) -> Team:
        """A team of an organization the actor may administer."""
        team = self._state.teams.get(team_id)
        if team is None:
            raise InvalidInput("id", f"team {team_id} does not exist")
        self._access.require_org_admin(actor, team.org_id)
        return team

    def _free_name(self, org_id: int, name: str | None, team_id: int | None) -> str:
        """A team name no other team of the organization has (case-insensitively)."""
        name = (name or "").strip()
        if not name:
            raise InvalidInput("name", "must not be empty")
        for sibling in self.of_org(org_id):
            if sibling.id != team_id and sibling.name.lower() == name.lower():
                raise InvalidInput("name", f"organization {org_id} already has a team named {name}")
        return name

    def _leave(self, team: Team, user_id: int) -> None:
        state = self._state
        state.db.delete(state.team_members, (team.id, user_id))
        state.db.delete(state.entity_roles, (user_id, team.id))
