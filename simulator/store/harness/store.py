"""The Harness store: one object that the NextGen and CurrentGen faces share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from simulator.store.clock import Clock
from simulator.store.credentials import hash_presented_token
from simulator.store.harness.access import Access
from simulator.store.harness.groups import Groups
from simulator.store.harness.invariants import check_invariants
from simulator.store.harness.invites import Invites
from simulator.store.harness.loading import (
    HarnessRecords,
    LocatedAccount,
    build_records,
)
from simulator.store.harness.models import ApiKey, User
from simulator.store.harness.role_assignments import RoleAssignments
from simulator.store.harness.scim import ScimDirectory
from simulator.store.harness.scoped_groups import ScopedGroups
from simulator.store.harness.scopes import Scopes
from simulator.store.harness.signin import LockoutSwitch, SignIn
from simulator.store.harness.sso import SsoProviders
from simulator.store.harness.state import HarnessState
from simulator.store.harness.users import Users


class HarnessStore:
    """State plus the services that change it; the only door to Harness data.

    The services are small objects with one concern each (`users`, `signin`,
    `groups`, `scoped_groups`, `scopes`, `access`, `role_assignments`, `invites`, `sso`,
    `scim`); they share the state and its database, so one transaction can span several
    of them.
    """

    def __init__(self, clock: Clock | None = None, *, seed: int = 0) -> None:
        self.clock = clock or Clock()
        self.state = HarnessState(self.clock, seed)
        self.access = Access(self.state)
        self.scopes = Scopes(self.state)
        self.groups = Groups(self.state)
        self.users = Users(self.state, self.access, self.scopes, self.groups)
        self.scim = ScimDirectory(self.state, self.users, self.groups, self.scopes)
        self.signin = SignIn(self.state, self.users, self.scopes, LockoutSwitch())
        self.scoped_groups = ScopedGroups(self.state, self.scopes, self.access, self.groups)
        self.role_assignments = RoleAssignments(self.state, self.scopes, self.access)
        self.invites = Invites(self.state, self.scopes, self.users)
        self.sso = SsoProviders(self.state)
        self.state.db.add_check(self.access.check_admins_remain)

    @property
    def lock(self) -> Any:
        return self.state.db.lock

    def transaction(self) -> AbstractContextManager[None]:
        return self.state.db.transaction()

    @contextmanager
    def replay(self) -> Iterator[Callable[[], None]]:
        """Run something twice from one state at one instant (see `Database.replay`)."""
        with self.clock.stopped(), self.state.db.replay() as rewind:
            yield rewind

    # -- authentication --------------------------------------------------------------------

    def api_key(self, token: str) -> ApiKey | None:
        return self.state.api_keys.get(hash_presented_token(token))

    def key_owner(self, key: ApiKey) -> User | None:
        return self.users.find(key.account_id, key.user_id)

    def read_stamp(self) -> tuple[int, int | None]:
        """What a cached read depends on: the state's version, and the moment (epoch ms)
        the soonest lockout ends by itself, after which "locked" reads differently."""
        state = self.state
        soonest = state.users.slice("lockout_expiry", "", 0, 1)
        return state.db.version, soonest[0].locked_until if soonest else None

    # -- whole-state operations ------------------------------------------------------------

    @staticmethod
    def build(accounts: Iterable[LocatedAccount]) -> HarnessRecords:
        """Check fixture accounts and turn them into records (nothing is loaded)."""
        return build_records(accounts)

    def load(self, records: HarnessRecords) -> None:
        """Replace the whole state with checked records; they become the reset baseline."""
        self.state.db.load(records.tables)

    def replace(self, records: HarnessRecords) -> None:
        """Make the state equal to checked records; `reset()` still returns to the fixtures."""
        self.state.db.replace_all(records.tables)

    def reset(self) -> int:
        return self.state.db.reset()

    def export(self) -> dict[str, Any]:
        """The state as a fixture section; the lock is held only to copy the lists of
        records (immutable), and the document is built outside it."""
        from simulator.store.harness.exporting import build_section  # pydantic: only here

        with self.lock:
            rows = {name: table.values() for name, table in self.state.db.tables.items()}
        return build_section(rows)

    def invariants(self) -> list[str]:
        return check_invariants(self.state, self.access)
