"""What a NextGen operation handler receives: the caller, the scope and its inputs."""

from __future__ import annotations

from typing import Any

from simulator.records import record
from simulator.store.harness import HarnessStore
from simulator.store.harness.models import ApiKey, Scope, User


@record
class NgContext:
    store: HarnessStore
    key: ApiKey | None  # None only for the operations that need no API key
    principal: User | None
    scope: Scope
    query: dict[str, Any]
    path: dict[str, Any]
    body: Any

    @property
    def caller(self) -> User:
        """The owner of the API key (an operation without one never asks)."""
        if self.principal is None:
            raise RuntimeError("this operation was called without an API key")
        return self.principal

    @property
    def account_id(self) -> str:
        return self.scope.account_id
