"""Turning the live RapidAPI state back into the fixture format.

The output is written in the fixture shapes (simulator/fixtures/rapidapi.py), which the
type checker holds it to, and leaves out what a fixture may leave out (None, defaults).
Loading it back rebuilds exactly the records it came from. Secrets leave as hashes
only: passwords and invitation tokens (the invitation emails, where tokens are in
clear, are not part of it). App keys are exported as they are, because the Platform
API itself shows them to their owners.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from simulator.fixtures.document import FixtureDocument, dump
from simulator.fixtures.rapidapi import (
    AppFixture,
    AppKeyFixture,
    GrantFixture,
    InviteFixture,
    MemberFixture,
    OrganizationFixture,
    PermissionFixture,
    RapidApiFixture,
    RoleFixture,
    RoleLevelName,
    TeamFixture,
    UserFixture,
    UserStatusName,
)
from simulator.store.rapidapi.models import Organization, OrgUser, Team, User
from simulator.store.rapidapi.state import RapidApiState
from simulator.store.rapidapi.times import from_ms


def export_state(state: RapidApiState) -> dict[str, Any]:
    """The `rapidapi:` section for the current state (caller holds the lock).

    Store records keep levels and statuses as plain strings, checked against the
    fixture's literal types when they were loaded; the casts below restate that.
    """
    fixture = RapidApiFixture(
        permissions=[
            PermissionFixture(
                id=p.id,
                key=p.key,
                display_name=p.display_name,
                level=cast(RoleLevelName, p.level),
                description=p.description,
                depends_on=p.depends_on,
            )
            for p in sorted(state.permissions.values(), key=lambda p: p.id)
        ],
        roles=[
            RoleFixture(
                id=r.id,
                key=r.key,
                name=r.name,
                level=cast(RoleLevelName, r.level),
                description=r.description,
                is_basic_role=r.is_basic_role,
                is_default=r.is_default,
                permissions=[
                    GrantFixture(permission=g.permission_id, read_only=g.read_only)
                    for g in r.grants
                ],
            )
            for r in sorted(state.roles.values(), key=lambda r: r.id)
        ],
        users=[_user(state, u) for u in _by_time(state.users.values())],
        organizations=[_organization(state, o) for o in _by_time(state.organizations.values())],
    )
    section: dict[str, Any] = dump(FixtureDocument(rapidapi=fixture)).get("rapidapi", {})
    return section


def _by_time(records: Iterable[Any]) -> list[Any]:
    return sorted(records, key=lambda r: (r.created_at, r.id))


def _role_of(state: RapidApiState, entity_id: int, parent_id: int | None) -> int | None:
    assignment = state.entity_roles.get((entity_id, parent_id))
    return None if assignment is None else assignment.role_id


def _apps(state: RapidApiState, owner_id: int) -> list[AppFixture]:
    return [
        AppFixture(
            id=p.id,
            acl_id=p.acl_id,
            name=p.name,
            description=p.description,
            thumbnail=p.thumbnail,
            mashape_id=p.mashape_id,
            enable_limits_to_apis=p.enable_limits_to_apis,
            keys=[
                AppKeyFixture(id=k.id, key=k.key, name=k.name, created_at=from_ms(k.created_at))
                for k in _by_time(state.app_keys.find_all("project", p.id))
            ],
            created_at=from_ms(p.created_at),
            updated_at=from_ms(p.updated_at),
        )
        for p in sorted(state.projects.find_all("owner", owner_id), key=lambda p: p.id)
    ]


def _user(state: RapidApiState, user: User) -> UserFixture:
    return UserFixture(
        id=user.id,
        username=user.username,
        name=user.name,
        email=user.email,
        status=cast(UserStatusName, user.status),
        role=_role_of(state, user.id, None),
        thumbnail=user.thumbnail,
        mashape_id=user.mashape_id,
        company=user.company,
        position=user.position,
        location=user.location,
        bio=user.bio,
        apis_count=user.apis_count,
        verified=user.verified,
        protected=user.protected,
        created_by_sso=user.created_by_sso,
        billing_type=user.billing_type,
        password_hash=user.password_hash,
        created_at=from_ms(user.created_at),
        updated_at=from_ms(user.updated_at),
        last_active=None if user.last_active is None else from_ms(user.last_active),
        deleted_at=None if user.deleted_at is None else from_ms(user.deleted_at),
        apps=_apps(state, user.id),
    )


def _organization(state: RapidApiState, org: Organization) -> OrganizationFixture:
    rows = _by_time(state.org_users.ordered("id", org.id))
    return OrganizationFixture(
        id=org.id,
        name=org.name,
        slugified_name=org.slugified_name,
        email=org.email,
        description=org.description,
        thumbnail=org.thumbnail,
        apis_count=org.apis_count,
        seats=org.seats,
        billing_type=org.billing_type,
        role=_role_of(state, org.id, None),
        members=[
            MemberFixture(
                user=row.id,
                role=_role_of(state, row.id, org.id),
                created_at=from_ms(row.created_at),
            )
            for row in rows
            if row.accepted
        ],
        invites=[_invite(row) for row in rows if not row.accepted],
        teams=[_team(state, t) for t in _by_time(state.teams.find_all("org", org.id))],
        created_at=from_ms(org.created_at),
        updated_at=from_ms(org.updated_at),
    )


def _invite(row: OrgUser) -> InviteFixture:
    return InviteFixture(
        id=None if row.user_id is not None else row.id,
        user=row.user_id,
        email=row.email,
        role=row.role_id,
        teams=list(row.team_ids),
        inviter=row.inviter_id,
        token_hash=row.token_hash,
        created_at=from_ms(row.created_at),
    )


def _team(state: RapidApiState, team: Team) -> TeamFixture:
    members = sorted(
        state.team_members.find_all("team", team.id), key=lambda m: (m.created_at, m.user_id)
    )
    return TeamFixture(
        id=team.id,
        name=team.name,
        slugified_name=team.slugified_name,
        description=team.description,
        thumbnail=team.thumbnail,
        mashape_id=team.mashape_id,
        role=_role_of(state, team.id, None),
        members=[
            MemberFixture(
                user=m.user_id,
                role=_role_of(state, m.user_id, team.id),
                created_at=from_ms(m.created_at),
            )
            for m in members
        ],
        apps=_apps(state, team.id),
        created_at=from_ms(team.created_at),
        updated_at=from_ms(team.updated_at),
    )
