"""Organizations, projects and who belongs to which scope."""

from __future__ import annotations

from simulator.store.errors import NotFound
from simulator.store.harness.models import Project, Scope, User
from simulator.store.harness.state import HarnessState


class Scopes:
    def __init__(self, state: HarnessState) -> None:
        self._state = state

    def require(self, scope: Scope) -> Scope:
        """Refuse a scope whose account, organization or project does not exist."""
        state = self._state
        if scope.account_id not in state.accounts:
            raise NotFound("account", scope.account_id, field="accountIdentifier")
        if scope.project is not None and scope.org is None:
            raise NotFound("organization", None, field="orgIdentifier")
        if scope.org is not None and (scope.account_id, scope.org) not in state.organizations:
            raise NotFound("organization", scope.org, field="orgIdentifier")
        if (
            scope.project is not None
            and (scope.account_id, scope.org, scope.project) not in state.projects
        ):
            raise NotFound("project", scope.project, field="projectIdentifier")
        return scope

    def contains_user(self, scope: Scope, user: User) -> bool:
        """Whether the user was added to exactly this scope (every user is in its account)."""
        if user.account_id != scope.account_id:
            return False
        if scope.org is None:
            return True
        return (scope.account_id, scope.org, scope.project, user.id) in self._state.members

    def users_in(self, scope: Scope) -> list[User]:
        """Users added to exactly this scope, oldest first."""
        state = self._state
        if scope.org is None:
            return state.users.ordered("created", scope.account_id)
        members = state.members.ordered("scope", scope.key)
        return [state.users.get(m.user_id) for m in members]  # type: ignore[misc]

    def projects_of(self, user: User) -> list[Project]:
        """Projects the user joined, directly or by joining the project's organization."""
        state = self._state
        joined = {
            (m.account_id, m.org, m.project)
            for m in state.members.find_all("user", user.id)
            if m.project is not None
        }
        org_wide = {
            (m.account_id, m.org)
            for m in state.members.find_all("user", user.id)
            if m.project is None
        }
        return [
            project
            for project in state.projects.ordered("account", user.account_id)
            if (project.account_id, project.org, project.identifier) in joined
            or (project.account_id, project.org) in org_wide
        ]
