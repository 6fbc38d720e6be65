"""What every resolver receives: the store and the caller, with the rules about both."""

from __future__ import annotations

from graphql import GraphQLResolveInfo

from simulator.rapidapi.auth import Caller
from simulator.records import record
from simulator.scenarios.policies import PagePolicy
from simulator.store.rapidapi import RapidApiStore
from simulator.store.rapidapi.access import Forbidden
from simulator.store.rapidapi.models import User


@record
class RapidApiContext:
    store: RapidApiStore
    caller: Caller
    page: PagePolicy

    @property
    def actor(self) -> User:
        """The acting user (execution only starts once there is one)."""
        actor = self.caller.actor
        assert actor is not None
        return actor

    def require_personal_admin(self) -> None:
        """Environment-admin operations: "you must execute this query from your Personal
        Account (not a team account)", and be an Environment Admin."""
        if self.caller.team_context:
            raise Forbidden(
                "personal_context",
                "This operation is for Environment Admins calling from their personal"
                " context, not from a team context.",
            )
        self.store.access.require_env_admin(self.actor)

    def require_team_context(self, operation: str) -> None:
        if not self.caller.team_context:
            raise Forbidden(
                "team_context",
                f"{operation} must be called from a team context (a team's x-rapidapi-key"
                " and your personal key as x-rapidapi-identity-key).",
            )


Info = GraphQLResolveInfo[RapidApiContext]
"""What every resolver receives as `info`: its `context` is the request's RapidApiContext."""
