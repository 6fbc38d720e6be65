"""The Harness tables and the indexes every operation relies on."""

from __future__ import annotations

from typing import Any, Protocol

from simulator.store.clock import Clock
from simulator.store.database import Database, Index, Ordering, Table
from simulator.store.harness.models import (
    Account,
    ApiKey,
    Application,
    Environment,
    Invite,
    Organization,
    Project,
    ResourceGroup,
    Role,
    RoleAssignment,
    Scope,
    ScopeMember,
    SsoProvider,
    User,
    UserGroup,
)
from simulator.store.ids import IdGenerator


class _Scoped(Protocol):
    @property
    def scope(self) -> Scope: ...


def _scope_key(record: _Scoped) -> tuple[str, str | None, str | None]:
    return record.scope.key


class HarnessState:
    """One Harness installation: every account, user and group, behind one database."""

    def __init__(self, clock: Clock, seed: int = 0) -> None:
        self.clock = clock
        self.seed = seed
        self.ids = IdGenerator(seed)
        self.db = Database()
        self.db.add_id_source(self.ids)
        add = self.db.add_table
        self.accounts: Table[Account] = add(
            Table(
                "accounts",
                lambda a: a.id,
                orderings=[Ordering("all", lambda a: "", lambda a: a.created_at)],
            )
        )
        self.users: Table[User] = add(
            Table(
                "users",
                lambda u: u.id,
                indexes=[
                    Index("email", lambda u: u.email_key, unique=True),
                    Index("name", lambda u: (u.account_id, u.name)),
                ],
                orderings=[
                    Ordering("created", lambda u: u.account_id, lambda u: u.created_at),
                    Ordering("name", lambda u: u.account_id, lambda u: (u.name.lower(), u.name)),
                    # CurrentGen lists leave disabled users out unless asked.
                    Ordering(
                        "enabled_name",
                        lambda u: None if u.disabled else u.account_id,
                        lambda u: (u.name.lower(), u.name),
                    ),
                    # Lockouts that end by themselves, soonest first: what a read cache
                    # needs to know when a cached "locked" stops being true.
                    Ordering(
                        "lockout_expiry",
                        lambda u: "" if u.locked and u.locked_until is not None else None,
                        lambda u: u.locked_until,
                    ),
                ],
            )
        )
        # Users an identity provider deactivated over SCIM: out of the account (no face
        # but SCIM sees them) until the provider reactivates them under the same id.
        self.scim_deactivated: Table[User] = add(
            Table(
                "scim_deactivated_users",
                lambda u: u.id,
                indexes=[Index("email", lambda u: u.email_key, unique=True)],
                orderings=[Ordering("created", lambda u: u.account_id, lambda u: u.created_at)],
            )
        )
        self.groups: Table[UserGroup] = add(
            Table(
                "user_groups",
                lambda g: g.id,
                indexes=[
                    Index("identifier", lambda g: (*g.scope.key, g.identifier), unique=True),
                    Index("name", lambda g: (*g.scope.key, g.name)),
                    Index("member", lambda g: g.member_ids, multi=True),
                ],
                orderings=[
                    Ordering("name", _scope_key, lambda g: (g.name.lower(), g.name)),
                ],
            )
        )
        self.organizations: Table[Organization] = add(
            Table(
                "organizations",
                lambda o: (o.account_id, o.identifier),
                orderings=[Ordering("account", lambda o: o.account_id, lambda o: o.identifier)],
            )
        )
        self.projects: Table[Project] = add(
            Table(
                "projects",
                lambda p: (p.account_id, p.org, p.identifier),
                orderings=[
                    Ordering("account", lambda p: p.account_id, lambda p: (p.org, p.identifier)),
                ],
            )
        )
        self.members: Table[ScopeMember] = add(
            Table(
                "scope_members",
                lambda m: (m.account_id, m.org, m.project, m.user_id),
                indexes=[Index("user", lambda m: m.user_id)],
                orderings=[Ordering("scope", _scope_key, lambda m: m.created_at)],
            )
        )
        self.roles: Table[Role] = add(
            Table(
                "roles",
                lambda r: (*r.scope.key, r.identifier),
                indexes=[Index("scope", _scope_key)],
            ),
        )
        self.resource_groups: Table[ResourceGroup] = add(
            Table(
                "resource_groups",
                lambda r: (*r.scope.key, r.identifier),
                indexes=[Index("scope", _scope_key)],
            ),
        )
        self.role_assignments: Table[RoleAssignment] = add(
            Table(
                "role_assignments",
                lambda a: (a.account_id, a.identifier),
                indexes=[
                    Index("principal", lambda a: (a.account_id, a.principal_type, a.principal_id)),
                    Index("scope", _scope_key),
                    Index("role", lambda a: (*a.scope.key, a.role)),
                ],
                orderings=[Ordering("scope", _scope_key, lambda a: a.created_at)],
            )
        )
        self.api_keys: Table[ApiKey] = add(
            Table(
                "api_keys",
                lambda k: k.token_hash,
                indexes=[Index("user", lambda k: k.user_id)],
            )
        )
        self.invites: Table[Invite] = add(
            Table(
                "invites",
                lambda i: i.id,
                indexes=[
                    Index("email", lambda i: (*i.scope.key, i.email.lower()), unique=True),
                    Index("account_email", lambda i: (i.account_id, i.email.lower())),
                ],
                orderings=[Ordering("scope", _scope_key, lambda i: i.created_at)],
            )
        )
        self.applications: Table[Application] = add(
            Table(
                "applications",
                lambda a: a.id,
                orderings=[Ordering("account", lambda a: a.account_id, lambda a: a.name)],
            )
        )
        self.environments: Table[Environment] = add(Table("environments", lambda e: e.id))
        self.sso_providers: Table[SsoProvider] = add(
            Table(
                "sso_providers",
                lambda p: p.id,
                orderings=[Ordering("account", lambda p: p.account_id, lambda p: p.name)],
            )
        )

    def fresh_id(self, table: Table[Any]) -> str:
        """A new Harness id that no record of `table` has (fixtures may hold any id)."""
        return self.ids.unused(self.ids.harness_id, table.__contains__)

    def fresh_assignment_identifier(self, account_id: str, nbytes: int) -> str:
        """A `role_assignment_...` identifier no assignment of the account has."""
        return self.ids.unused(
            lambda: f"role_assignment_{self.ids.token(nbytes)}",
            lambda candidate: (account_id, candidate) in self.role_assignments,
        )

    def now(self) -> int:
        """Epoch milliseconds on the simulated clock."""
        return self.clock.now_ms()
