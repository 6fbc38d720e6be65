"""What every resolver receives: the store, the caller and the account."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql import GraphQLResolveInfo

from simulator.graphql.codes import FORBIDDEN
from simulator.harness_cg.errors import USER_NOT_AUTHORIZED, CgRefusal
from simulator.scenarios.policies import PagePolicy
from simulator.store.harness import HarnessStore
from simulator.store.harness.models import User

READ_USERS_AND_GROUPS = "READ_USERS_AND_GROUPS"
MANAGE_USERS_AND_GROUPS = "MANAGE_USERS_AND_GROUPS"
MANAGE_AUTHENTICATION_SETTINGS = "MANAGE_AUTHENTICATION_SETTINGS"


@dataclass
class CgContext:
    store: HarnessStore
    caller: User
    account_id: str
    page: PagePolicy
    _granted: dict[str, bool] = field(default_factory=dict)

    def require(self, permission: str) -> None:
        """Refuse the field unless the caller holds the CurrentGen account permission.

        Harness checks each data fetcher's rule; the answer is kept for the request, as
        several root fields usually need the same permission.
        """
        granted = self._granted.get(permission)
        if granted is None:
            granted = self._granted[permission] = self.store.access.has_cg_permission(
                self.caller, permission
            )
        if not granted:
            raise CgRefusal(USER_NOT_AUTHORIZED, FORBIDDEN)


Info = GraphQLResolveInfo[CgContext]
"""What every resolver receives as `info`: its `context` is the request's CgContext."""
