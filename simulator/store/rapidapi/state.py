"""The RapidAPI tables, the indexes every operation relies on, and id sequences."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simulator.store.clock import Clock
from simulator.store.database import Database, Index, Ordering, Table
from simulator.store.ids import IdGenerator
from simulator.store.rapidapi.models import (
    AppKey,
    EntityRole,
    InviteMail,
    Organization,
    OrgUser,
    Permission,
    Project,
    Role,
    Team,
    TeamMember,
    User,
)

# Sort orders of the admin user listing (`order: "createdAt,ASC"`), each kept as an
# ordering over all users and one per status, so a page costs O(log n) at any offset.
USER_SORTS: dict[str, Callable[[User], Any]] = {
    "createdAt": lambda u: u.created_at,
    "id": lambda u: u.id,
    "name": lambda u: (u.name.lower(), u.name),
    "username": lambda u: (u.username.lower(), u.username),
    "email": lambda u: u.email.lower(),
}

# Sort orders of an organization's user list served from orderings; the others
# (name, email...) depend on the users' records and are sorted per request.
ORG_USER_SORTS: dict[str, Callable[[OrgUser], Any]] = {
    "id": lambda row: row.id,
    "createdAt": lambda row: row.created_at,
}

# Users, teams, organizations and invites share one id space ("entity" ids); apps,
# their ACLs and their keys have one each (key ids are digit strings on the wire).
ENTITY, PROJECT, ACL, KEY = "entity", "project", "acl", "key"


class Sequences:
    """Next numeric id per id space; RapidAPI's ids grow by one (see team 7669831 of
    organization 7669830). Part of the state: a reset rewinds them with the tables."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def start_after(self, space: str, highest: int) -> None:
        """The next id of `space` is `highest + 1` (used when a fixture is loaded)."""
        self._next[space] = highest + 1

    def peek(self, space: str) -> int:
        return self._next.get(space, 1)

    def next(self, space: str) -> int:
        value = self._next.get(space, 1)
        self._next[space] = value + 1
        return value

    def snapshot(self) -> dict[str, int]:
        return dict(self._next)

    def restore(self, state: dict[str, int]) -> None:
        self._next = dict(state)


class RapidApiState:
    """One Enterprise Hub: every user, organization, team and role, behind one database."""

    def __init__(self, clock: Clock, seed: int = 0) -> None:
        self.clock = clock
        self.ids = IdGenerator(seed)
        self.sequences = Sequences()
        self.db = Database()
        # The random stream moves past what a load or replace brings (the sequences
        # continue after the records' highest ids: RapidApiStore._continue_sequences).
        self.db.add_id_source(self.ids)
        self.db.add_stateful(self.sequences)
        add = self.db.add_table
        orderings = []
        for name, key in USER_SORTS.items():
            orderings.append(Ordering(name, lambda u: "", key))
            orderings.append(Ordering(f"{name}@status", lambda u: u.status, key))
        self.users: Table[User] = add(
            Table(
                "users",
                lambda u: u.id,
                indexes=[
                    Index("email", lambda u: u.email_key, unique=True),
                    Index("username", lambda u: u.username_key, unique=True),
                ],
                orderings=orderings,
            )
        )
        self.organizations: Table[Organization] = add(
            Table(
                "organizations",
                lambda o: o.id,
                indexes=[Index("slug", lambda o: o.slugified_name.lower(), unique=True)],
            )
        )
        self.teams: Table[Team] = add(
            Table("teams", lambda t: t.id, indexes=[Index("org", lambda t: t.org_id)])
        )
        self.org_users: Table[OrgUser] = add(
            Table(
                "org_users",
                lambda r: (r.org_id, r.id),
                indexes=[
                    Index("user", lambda r: r.user_id),
                    Index("email", lambda r: r.email_key, unique=True),
                    Index("token", lambda r: r.token_hash, unique=True),
                ],
                orderings=[
                    Ordering(name, lambda r: r.org_id, key) for name, key in ORG_USER_SORTS.items()
                ],
            )
        )
        self.invite_mails: Table[InviteMail] = add(
            Table("invite_mails", lambda m: (m.org_id, m.invite_id))
        )
        self.team_members: Table[TeamMember] = add(
            Table(
                "team_members",
                lambda m: (m.team_id, m.user_id),
                indexes=[Index("user", lambda m: m.user_id), Index("team", lambda m: m.team_id)],
            )
        )
        self.entity_roles: Table[EntityRole] = add(
            Table(
                "entity_roles",
                lambda a: (a.entity_id, a.parent_id),
                indexes=[
                    Index("entity", lambda a: a.entity_id),
                    Index("holders", lambda a: (a.parent_id, a.role_id)),
                ],
            )
        )
        self.roles: Table[Role] = add(
            Table(
                "roles",
                lambda r: r.id,
                indexes=[
                    Index("level", lambda r: r.level),
                    Index("key", lambda r: (r.level, r.key), unique=True),
                ],
            )
        )
        self.permissions: Table[Permission] = add(
            Table("permissions", lambda p: p.id, indexes=[Index("level", lambda p: p.level)])
        )
        self.projects: Table[Project] = add(
            Table("projects", lambda p: p.id, indexes=[Index("owner", lambda p: p.owner_id)])
        )
        self.app_keys: Table[AppKey] = add(
            Table(
                "app_keys",
                lambda k: k.id,
                indexes=[
                    Index("key", lambda k: k.key, unique=True),
                    Index("project", lambda k: k.project_id),
                ],
            )
        )

    def now(self) -> int:
        """Epoch milliseconds on the simulated clock."""
        return self.clock.now_ms()

    def fresh_token(self, taken: Callable[[str], bool]) -> str:
        """A new secret for which `taken` is false. The generator is seeded, and a reset
        rewinds it while a restored state may hold what it drew before: draw again."""
        return self.ids.unused(self.ids.token, taken)
