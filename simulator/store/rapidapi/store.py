"""The RapidAPI store: one object the GraphQL Platform API face stands on."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

from simulator.store.clock import Clock
from simulator.store.rapidapi.access import Access
from simulator.store.rapidapi.apps import Apps, KeyOwner
from simulator.store.rapidapi.exporting import export_state
from simulator.store.rapidapi.invariants import check_invariants
from simulator.store.rapidapi.loading import LocatedHub, RapidApiRecords, build_records
from simulator.store.rapidapi.organizations import Organizations
from simulator.store.rapidapi.roles import Roles
from simulator.store.rapidapi.state import RapidApiState
from simulator.store.rapidapi.teams import Teams
from simulator.store.rapidapi.users import Users


class RapidApiStore:
    """State plus the services that change it; the only door to RapidAPI data.

    The services are small objects with one concern each (`users`, `organizations`,
    `teams`, `roles`, `apps`, `access`); they share the state and its database, so one
    transaction can span several of them.
    """

    def __init__(self, clock: Clock | None = None, *, seed: int = 0) -> None:
        self.clock = clock or Clock()
        self.state = RapidApiState(self.clock, seed)
        self.access = Access(self.state)
        self.apps = Apps(self.state)
        self.users = Users(self.state, self.access)
        self.organizations = Organizations(self.state, self.access)
        self.teams = Teams(self.state, self.access, self.organizations, self.apps)
        self.roles = Roles(self.state, self.access)
        self.state.db.add_check(self.access.check_admins_remain)

    @property
    def lock(self) -> Any:
        return self.state.db.lock

    def transaction(self) -> AbstractContextManager[None]:
        return self.state.db.transaction()

    def key_owner(self, token: str) -> KeyOwner | None:
        return self.apps.key_owner(token)

    def read_stamp(self) -> tuple[int, int | None]:
        """What a cached read depends on: the state's version (nothing here changes with
        time alone)."""
        return self.state.db.version, None

    # -- whole-state operations ------------------------------------------------------------

    @staticmethod
    def build(hubs: Iterable[LocatedHub]) -> RapidApiRecords:
        """Check fixture sections and turn them into records (nothing is loaded)."""
        return build_records(hubs)

    def load(self, records: RapidApiRecords) -> None:
        """Replace the whole state with checked records; they become the reset baseline."""
        self.state.db.load(records.tables)

    def replace(self, records: RapidApiRecords) -> None:
        """Make the state equal to checked records; `reset()` still returns to the fixtures."""
        self.state.db.replace_all(records.tables)

    def reset(self) -> int:
        return self.state.db.reset()

    def export(self) -> dict[str, Any]:
        """The state as a fixture section. The lock is held only to copy the lists of
        records (immutable); the export reads a state of its own, loaded from them."""
        with self.lock:
            rows = {name: table.values() for name, table in self.state.db.tables.items()}
        copy = RapidApiState(self.clock)
        copy.db.load(rows)
        return export_state(copy)

    def invariants(self) -> list[str]:
        return check_invariants(self.state, self.access)
