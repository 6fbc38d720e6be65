"""What a SCIM operation handler receives: the caller, its inputs and the account's flags."""

from __future__ import annotations

from typing import Any

from simulator.records import record
from simulator.scenarios.policies import PagePolicy
from simulator.store.harness import HarnessStore
from simulator.store.harness.models import NEW_SCIM_STANDARDS, User


@record
class ScimContext:
    store: HarnessStore
    caller: User
    account_id: str
    query: dict[str, Any]
    path: dict[str, Any]
    body: Any
    page: PagePolicy

    @property
    def new_standards(self) -> bool:
        """PL_NEW_SCIM_STANDARDS: users carry `meta`, `groups` and the parts of `name`."""
        account = self.store.state.accounts[self.account_id]
        return NEW_SCIM_STANDARDS in account.login.feature_flags
