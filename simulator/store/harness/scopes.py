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
            raise NotFound("project", scope.project, field="projectIdentifier")
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
        """Projects the user was added to (joining an organization opens none of its projects)."""
        state = self._state
        projects = []
        for member in state.members.find_all("user", user.id):
            if member.project is not None:
                project = state.projects.get((member.account_id, member.org, member.project))
                if project is not None:
                    projects.append(project)
        return sorted(projects, key=lambda p: (p.org, p.identifier))
