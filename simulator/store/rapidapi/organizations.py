"""Organizations: their user lists (members and pending invites), roles named by key,
and the fields an admin edits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from simulator.records import record, replace
from simulator.store.errors import InvalidInput
from simulator.store.rapidapi.access import Access
from simulator.store.rapidapi.models import (
    ACTIVE,
    ORGANIZATION_USER_LEVEL,
    Organization,
    OrgUser,
    Role,
    Team,
    User,
)
from simulator.store.rapidapi.state import ORG_USER_SORTS, RapidApiState
from simulator.store.rapidapi.text import is_valid_email
from simulator.store.values import UNSET

# What `updateOrganization` may change; `name`, `email` and `seats` cannot be cleared.
ORGANIZATION_FIELDS = ("name", "email", "seats", "thumbnail", "description")


def drop_org_user(state: RapidApiState, row: OrgUser) -> None:
    """Delete a row of an organization's user list, with its invitation email (if any)."""
    state.db.delete(state.org_users, (row.org_id, row.id))
    state.db.delete(state.invite_mails, (row.org_id, row.id))


@record
class TeamUserEntry:
    """A row of an organization's user list, with its user and org role resolved."""

    row: OrgUser
    user: User | None
    role: Role | None

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def email(self) -> str:
        return self.user.email if self.user is not None else self.row.email or ""

    @property
    def name(self) -> str | None:
        return None if self.user is None else self.user.name

    @property
    def username(self) -> str | None:
        return None if self.user is None else self.user.username

    @property
    def invite_status(self) -> str:
        return self.row.invite_status

    @property
    def role_key(self) -> str | None:
        return None if self.role is None else self.role.key

    @property
    def active(self) -> bool:
        """What `totalActive` counts: accepted members whose user is ACTIVE."""
        return self.row.accepted and self.user is not None and self.user.status == ACTIVE


@record
class OrgUserPage:
    total: int
    total_active: int
    items: list[TeamUserEntry]


# Every order `pagingArgs.orderBy` accepts; "id" and "createdAt" come from orderings.
ENTRY_SORTS: dict[str, Callable[[TeamUserEntry], Any]] = {
    "id": lambda e: e.id,
    "createdAt": lambda e: e.row.created_at,
    "name": lambda e: (e.name or "").lower(),
    "username": lambda e: (e.username or "").lower(),
    "email": lambda e: e.email.lower(),
    "role": lambda e: e.role_key or "",
    "inviteStatus": lambda e: e.invite_status,
}


class Organizations:
    def __init__(self, state: RapidApiState, access: Access) -> None:
        self._state = state
        self._access = access

    # -- reads ---------------------------------------------------------------------------

    def get(self, org_id: int) -> Organization | None:
        return self._state.organizations.get(org_id)

    def by_slug(self, slug: str) -> Organization | None:
        return self._state.organizations.find("slug", slug.lower())

    def of_user(self, user_id: int) -> list[Organization]:
        """Organizations the user is a member of (pending invites excluded)."""
        rows = self._state.org_users.find_all("user", user_id)
        return [self._state.organizations[row.org_id] for row in rows if row.accepted]

    def member_ids(self, org_id: int) -> list[int]:
        return [row.id for row in self._state.org_users.ordered("id", org_id) if row.accepted]

    def pending_count(self, org_id: int) -> int:
        return sum(not row.accepted for row in self._state.org_users.ordered("id", org_id))

    def org_role(self, org_id: int, user_id: int) -> Role | None:
        assignment = self._access.assignment(user_id, org_id)
        return None if assignment is None else self._access.role(assignment.role_id)

    def entry(self, row: OrgUser) -> TeamUserEntry:
        user = None if row.user_id is None else self._state.users.get(row.user_id)
        if row.accepted:
            role = self.org_role(row.org_id, row.id)
        else:
            role = None if row.role_id is None else self._access.role(row.role_id)
        return TeamUserEntry(row, user, role)

    def page(
        self,
        org_id: int,
        *,
        offset: int = 0,
        limit: int | None = None,
        order_by: str = "id",
        descending: bool = False,
        search: str | None = None,
    ) -> OrgUserPage:
        """`paginatedTeamUsersByOrganizationIdV2`: members and pending invites."""
        if order_by not in ENTRY_SORTS:
            raise InvalidInput(
                "pagingArgs.orderBy",
                f"cannot order by {order_by}; use one of {', '.join(ENTRY_SORTS)}",
            )
        if offset < 0:
            raise InvalidInput("pagingArgs.offset", "must not be negative")
        if limit is not None and limit < 0:
            raise InvalidInput("pagingArgs.limit", "must not be negative")
        rows = self._state.org_users
        if not search and order_by in ORG_USER_SORTS:
            total = rows.count(order_by, org_id)
            size = total if limit is None else limit
            if descending:
                stop = max(0, total - offset)
                window = rows.slice(order_by, org_id, max(0, stop - size), stop)[::-1]
            else:
                window = rows.slice(order_by, org_id, offset, offset + size)
            return OrgUserPage(total, self._active_count(org_id), [self.entry(r) for r in window])
        entries = [self.entry(row) for row in rows.ordered("id", org_id)]
        if search:
            term = search.lower()
            entries = [
                e
                for e in entries
                if any(term in (v or "").lower() for v in (e.name, e.username, e.email))
            ]
        entries.sort(key=lambda e: (ENTRY_SORTS[order_by](e), e.id), reverse=descending)
        end = None if limit is None else offset + limit
        return OrgUserPage(len(entries), sum(e.active for e in entries), entries[offset:end])

    def _active_count(self, org_id: int) -> int:
        """Accepted members whose user is ACTIVE (a scan: statuses live on the users)."""
        users = self._state.users
        return sum(
            1
            for row in self._state.org_users.ordered("id", org_id)
            if row.accepted and (user := users.get(row.id)) is not None and user.status == ACTIVE
        )

    def managed(self, actor: User, org_id: int, field: str) -> Organization:
        """An organization the actor may administer; `field` names it in the request."""
        org = self._state.organizations.get(org_id)
        if org is None:
            raise InvalidInput(field, f"organization {org_id} does not exist")
        self._access.require_org_admin(actor, org_id)
        return org

    def row_by_email(self, org_id: int, email: str) -> OrgUser | None:
        """The member or pending invite of an organization with this email."""
        wanted = email.strip().lower()
        user = self._state.users.find("email", wanted)
        row = None if user is None else self._state.org_users.get((org_id, user.id))
        return row or self._state.org_users.find("email", (org_id, wanted))

    def org_role_by_key(self, key: str | None, field: str) -> Role:
        """An organization role named the way invites and `newRole` name it ("ADMIN")."""
        if key is None:
            role = self._access.default_role(ORGANIZATION_USER_LEVEL)
        else:
            role = self._state.roles.find("key", (ORGANIZATION_USER_LEVEL, key))
        if role is None:
            keys = sorted(
                r.key for r in self._state.roles.find_all("level", ORGANIZATION_USER_LEVEL)
            )
            raise InvalidInput(field, f"must be one of {', '.join(keys)}")
        return role

    def teams_of(self, org_id: int, team_ids: Sequence[int | None], field: str) -> list[Team]:
        teams = []
        for team_id in dict.fromkeys(team_ids):
            if team_id is None:
                raise InvalidInput(field, "must not contain null")
            team = self._state.teams.get(team_id)
            if team is None or team.org_id != org_id:
                raise InvalidInput(field, f"team {team_id} is not a team of organization {org_id}")
            teams.append(team)
        return teams

    # -- changes -------------------------------------------------------------------------

    def update(self, actor: User, org_id: int, changes: dict[str, Any]) -> Organization:
        """`updateOrganization`: a missing value in `changes` is UNSET (kept)."""
        state = self._state
        with state.db.transaction():
            org = self.managed(actor, org_id, "organizationId")
            fields = {
                name: value
                for name in ORGANIZATION_FIELDS
                if (value := changes.get(name, UNSET)) is not UNSET
            }
            self.check_fields(fields, org_id)
            if not fields:
                return org
            updated = replace(org, updated_at=state.now(), **fields)
            state.db.put(state.organizations, updated)
            return updated

    def named(self, name: str) -> Organization | None:
        wanted = name.strip().lower()
        return next(
            (o for o in self._state.organizations.values() if o.name.lower() == wanted), None
        )

    def check_fields(self, fields: dict[str, Any], org_id: int | None) -> None:
        """Validate (and tidy, in place) what `createOrganization` and
        `updateOrganization` set; `org_id` is the organization being changed, if any."""
        for name in ("name", "email"):
            if name in fields:
                value = fields[name]
                if value is None or not value.strip():
                    raise InvalidInput(name, "must not be empty")
                fields[name] = value.strip()
        if "email" in fields and not is_valid_email(fields["email"]):
            raise InvalidInput("email", f"{fields['email']} is not an email address")
        if "name" in fields:
            holder = self.named(fields["name"])
            if holder is not None and holder.id != org_id:
                raise InvalidInput("name", f"an organization named {fields['name']} already exists")
        if "seats" in fields and (fields["seats"] is None or fields["seats"] < 1):
            raise InvalidInput("seats", "must be at least 1")
