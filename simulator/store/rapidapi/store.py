"""The RapidAPI store: one object the GraphQL Platform API face stands on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from simulator.records import replace
from simulator.store.clock import Clock
from simulator.store.credentials import hash_token
from simulator.store.rapidapi.access import Access
from simulator.store.rapidapi.apps import Apps, KeyOwner
from simulator.store.rapidapi.invariants import check_invariants
from simulator.store.rapidapi.invites import Invites
from simulator.store.rapidapi.lifecycle import OrganizationLifecycle
from simulator.store.rapidapi.loading import LocatedHub, RapidApiRecords, build_records
from simulator.store.rapidapi.models import InviteMail
from simulator.store.rapidapi.organizations import Organizations
from simulator.store.rapidapi.roles import Roles
from simulator.store.rapidapi.state import ACL, ENTITY, KEY, PROJECT, RapidApiState
from simulator.store.rapidapi.teams import Teams
from simulator.store.rapidapi.users import Users


class RapidApiStore:
    """State plus the services that change it; the only door to RapidAPI data.

    The services are small objects with one concern each (`users`, `organizations`,
    `teams`, `invites`, `roles`, `apps`, `access`, and `lifecycle` for organizations
    coming and going); they share the state and its database, so one transaction can
    span several of them.
    """

    def __init__(self, clock: Clock | None = None, *, seed: int = 0) -> None:
        self.clock = clock or Clock()
        self.state = RapidApiState(self.clock, seed)
        self.access = Access(self.state)
        self.apps = Apps(self.state)
        self.users = Users(self.state, self.access)
        self.organizations = Organizations(self.state, self.access)
        self.teams = Teams(self.state, self.access, self.organizations, self.apps)
        self.invites = Invites(self.state, self.access, self.organizations, self.teams)
        self.lifecycle = OrganizationLifecycle(
            self.state, self.access, self.organizations, self.teams, self.invites
        )
        self.roles = Roles(self.state, self.access)
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
        self._continue_sequences(records, fresh=True)
        self.state.db.load(self._with_invitations(records, kept=()))

    def replace(self, records: RapidApiRecords) -> None:
        """Make the state equal to checked records; `reset()` still returns to the fixtures."""
        with self.transaction():
            self._continue_sequences(records, fresh=False)
            tables = self._with_invitations(records, kept=self.state.invite_mails.values())
            self.state.db.replace_all(tables)

    def _continue_sequences(self, records: RapidApiRecords, *, fresh: bool) -> None:
        """New ids continue after the highest id the records use, so a created record
        never takes the id of one loaded from a fixture or a restored state."""
        tables = records.tables
        entities = ("users", "organizations", "teams", "org_users")
        key_ids = (k.id for k in tables.get("app_keys", ()))
        highest = {
            ENTITY: max((r.id for name in entities for r in tables.get(name, ())), default=0),
            PROJECT: max((p.id for p in tables.get("projects", ())), default=0),
            ACL: max((p.acl_id for p in tables.get("projects", ())), default=0),
            KEY: max((int(i) for i in key_ids if i.isascii() and i.isdigit()), default=0),
        }
        sequences = self.state.sequences
        for space, value in highest.items():
            if fresh or sequences.peek(space) <= value:
                sequences.start_after(space, value)

    def _with_invitations(
        self, records: RapidApiRecords, kept: Iterable[InviteMail]
    ) -> dict[str, list[Any]]:
        """The tables to load, with a token and an invitation email for every pending
        invite that has none. A restored state holds only tokens' hashes, so the emails
        of its invites are those sent here before (`kept`) whose invite is unchanged."""
        tables = {name: list(rows) for name, rows in records.tables.items()}
        rows = tables.get("org_users", [])
        mails = {(m.org_id, m.invite_id): m for m in tables.get("invite_mails", [])}
        hashes = {row.token_hash for row in rows if row.token_hash is not None}
        for mail in kept:
            hashes.add(hash_token(mail.token))
        by_key = {(row.org_id, row.id): row for row in rows}
        for mail in kept:
            row = by_key.get((mail.org_id, mail.invite_id))
            if row is not None and row.token_hash == hash_token(mail.token):
                mails.setdefault((mail.org_id, mail.invite_id), mail)
        state = self.state
        emails = {user.id: user.email for user in tables.get("users", [])}
        for index, row in enumerate(rows):
            if row.accepted or row.token_hash is not None:
                continue
            token = state.fresh_token(lambda value: hash_token(value) in hashes)
            hashes.add(hash_token(token))
            rows[index] = row = replace(row, token_hash=hash_token(token))
            email = row.email if row.user_id is None else emails.get(row.user_id, "")
            mails[(row.org_id, row.id)] = InviteMail(
                row.org_id, row.id, email or "", token, row.created_at
            )
        tables["org_users"] = rows
        tables["invite_mails"] = list(mails.values())
        return tables

    def reset(self) -> int:
        return self.state.db.reset()

    def export(self) -> dict[str, Any]:
        """The state as a fixture section. The lock is held only to copy the lists of
        records (immutable); the export reads a state of its own, loaded from them."""
        from simulator.store.rapidapi.exporting import export_state  # pydantic: only here

        with self.lock:
            rows = {name: table.values() for name, table in self.state.db.tables.items()}
        copy = RapidApiState(self.clock)
        copy.db.load(rows)
        return export_state(copy)

    def invariants(self) -> list[str]:
        return check_invariants(self.state, self.access)
