"""Apps ("projects") and their keys: what an `x-rapidapi-key` belongs to.

A key belongs to an app, and the app to a user (a personal key: personal context) or
to a team (a team key: team context).
"""

from __future__ import annotations

from simulator.records import record
from simulator.store.rapidapi.models import AppKey, Project, Team, User
from simulator.store.rapidapi.state import ACL, KEY, PROJECT, RapidApiState


@record
class KeyOwner:
    """Whose key it is: exactly one of `user` and `team` is set."""

    key: AppKey
    user: User | None = None
    team: Team | None = None


class Apps:
    def __init__(self, state: RapidApiState) -> None:
        self._state = state

    def key_owner(self, token: str) -> KeyOwner | None:
        key = self._state.app_keys.find("key", token)
        if key is None:
            return None
        project = self._state.projects.get(key.project_id)
        if project is None:
            return None
        user = self._state.users.get(project.owner_id)
        if user is not None:
            return KeyOwner(key, user=user)
        team = self._state.teams.get(project.owner_id)
        return None if team is None else KeyOwner(key, team=team)

    def of_owner(self, owner_id: int) -> list[Project]:
        return self._state.projects.find_all("owner", owner_id)

    def keys(self, project_id: int) -> list[AppKey]:
        return self._state.app_keys.find_all("project", project_id)

    def create_default(self, owner_id: int) -> Project:
        """The app RapidAPI gives every new team, with one key (inside a transaction)."""
        state = self._state
        now = state.now()
        project = Project(
            id=state.sequences.next(PROJECT),
            owner_id=owner_id,
            acl_id=state.sequences.next(ACL),
            name=f"default-application_{owner_id}",
            created_at=now,
            updated_at=now,
        )
        state.db.insert(state.projects, project)
        token = state.fresh_token(lambda value: state.app_keys.find("key", value) is not None)
        key = AppKey(
            id=str(state.sequences.next(KEY)), key=token, project_id=project.id, created_at=now
        )
        state.db.insert(state.app_keys, key)
        return project

    def delete_of_owner(self, owner_id: int) -> None:
        state = self._state
        for project in self.of_owner(owner_id):
            for key in self.keys(project.id):
                state.db.delete(state.app_keys, key.id)
            state.db.delete(state.projects, project.id)
