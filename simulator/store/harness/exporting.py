"""Turning the live Harness state back into the fixture format.

The output is written in the fixture shapes (simulator/fixtures/harness.py), which the
type checker holds it to, and leaves out what a fixture may leave out (None, defaults).
Loading it back rebuilds the same records. Secrets leave only as hashes (`passwordHash`,
`tokenHash`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any, cast

from simulator.fixtures.document import FixtureDocument, dump
from simulator.fixtures.harness import (
    AccountFixture,
    ApiKeyFixture,
    ApplicationFixture,
    EnvironmentFixture,
    FeatureFlagName,
    HarnessFixture,
    InviteFixture,
    LockoutFixture,
    LoginSettingsFixture,
    MechanismName,
    OrganizationFixture,
    PrincipalFixture,
    ProjectFixture,
    ResourceGroupFixture,
    RoleAssignmentFixture,
    RoleBindingFixture,
    RoleFixture,
    SsoProviderFixture,
    UserFixture,
    UserGroupFixture,
)
from simulator.store.frozen import thaw
from simulator.store.harness.models import LockoutPolicy, LoginSettings


def build_section(rows: Mapping[str, list[Any]]) -> dict[str, Any]:
    """The `harness:` section from every table's records, by table name.

    The caller copies the lists under the store's lock (records are immutable, so the
    copies stay valid once it is released); everything here runs without it.
    """
    by_account: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for name, records in rows.items():
        if name == "accounts":
            continue
        for record in records:
            by_account[record.account_id][name].append(record)
    accounts = sorted(rows["accounts"], key=lambda a: (a.created_at, a.id))
    accounts = [_account(account, by_account[account.id]) for account in accounts]
    fixture = HarnessFixture(accounts=accounts)
    section: dict[str, Any] = dump(FixtureDocument(harness=fixture)).get("harness", {})
    return section


def _by_time(records: list[Any]) -> list[Any]:
    return sorted(records, key=lambda r: (r.created_at, str(_record_key(r))))


def _record_key(record: Any) -> Any:
    for attribute in ("id", "identifier", "token_hash", "user_id"):
        value = getattr(record, attribute, None)
        if value is not None:
            return value
    return ""


def _account(account: Any, rows: dict[str, list[Any]]) -> AccountFixture:
    members: dict[tuple[str, str | None], list[str]] = defaultdict(list)
    for member in _by_time(rows["scope_members"]):
        members[(member.org, member.project)].append(member.user_id)
    projects: dict[str, list[ProjectFixture]] = defaultdict(list)
    for project in _by_time(rows["projects"]):
        projects[project.org].append(
            ProjectFixture(
                identifier=project.identifier,
                name=project.name,
                color=project.color,
                modules=list(project.modules),
                description=project.description,
                tags=dict(project.tags),
                members=members[(project.org, project.identifier)],
                created_at=project.created_at,
            )
        )
    environments: dict[str, list[EnvironmentFixture]] = defaultdict(list)
    for env in _by_time(rows["environments"]):
        environments[env.app_id].append(
            EnvironmentFixture(
                id=env.id, name=env.name, type=env.environment_type, created_at=env.created_at
            )
        )
    fixture = AccountFixture(
        id=account.id,
        name=account.name,
        company_name=account.company_name,
        created_at=account.created_at,
        users=[_user(u) for u in _by_time(rows["users"])],
        scim_deactivated_users=[_user(u) for u in _by_time(rows["scim_deactivated_users"])],
        user_groups=[
            UserGroupFixture(
                id=g.id,
                identifier=None if g.identifier == g.id else g.identifier,
                name=g.name,
                org=g.org,
                project=g.project,
                description=g.description,
                members=list(g.member_ids),
                imported_by_scim=g.imported_by_scim,
                sso_setting=thaw(g.sso_setting),
                notification_settings=thaw(g.notification_settings),
                permissions=thaw(g.permissions),
                tags=dict(g.tags),
                notification_configs=thaw(g.notification_configs),
                created_at=g.created_at,
                last_modified_at=g.last_modified_at,
            )
            for g in _by_time(rows["user_groups"])
        ],
        organizations=[
            OrganizationFixture(
                identifier=o.identifier,
                name=o.name,
                description=o.description,
                tags=dict(o.tags),
                members=members[(o.identifier, None)],
                projects=projects[o.identifier],
                created_at=o.created_at,
            )
            for o in sorted(rows["organizations"], key=lambda o: (o.created_at, o.identifier))
        ],
        roles=[
            RoleFixture(
                identifier=r.identifier,
                name=r.name,
                org=r.org,
                project=r.project,
                permissions=sorted(r.permissions),
            )
            for r in sorted(
                rows["roles"], key=lambda r: (r.org or "", r.project or "", r.identifier)
            )
        ],
        resource_groups=[
            ResourceGroupFixture(
                identifier=r.identifier,
                name=r.name,
                org=r.org,
                project=r.project,
                include_child_scopes=r.include_child_scopes,
            )
            for r in sorted(
                rows["resource_groups"], key=lambda r: (r.org or "", r.project or "", r.identifier)
            )
        ],
        role_assignments=[
            RoleAssignmentFixture(
                identifier=a.identifier,
                org=a.org,
                project=a.project,
                principal=PrincipalFixture(
                    type=a.principal_type,
                    id=a.principal_id,
                    scope_level=a.principal_scope_level,
                ),
                role=a.role,
                role_scope_level=a.role_scope_level,
                resource_group=a.resource_group,
                managed=a.managed,
                disabled=a.disabled,
                created_at=a.created_at,
            )
            for a in _by_time(rows["role_assignments"])
        ],
        api_keys=[
            ApiKeyFixture(
                token_hash=k.token_hash,
                user=k.user_id,
                identifier=k.identifier,
                name=k.name,
                created_at=k.created_at,
            )
            for k in _by_time(rows["api_keys"])
        ],
        invites=[
            InviteFixture(
                id=i.id,
                email=i.email,
                org=i.org,
                project=i.project,
                role_bindings=[
                    RoleBindingFixture(role=b.role, resource_group=b.resource_group)
                    for b in i.role_bindings
                ],
                name=i.name,
                user_groups=list(i.user_groups),
                created_at=i.created_at,
                valid_until=i.valid_until,
            )
            for i in _by_time(rows["invites"])
        ],
        applications=[
            ApplicationFixture(
                id=a.id, name=a.name, environments=environments[a.id], created_at=a.created_at
            )
            for a in _by_time(rows["applications"])
        ],
        sso_providers=[
            SsoProviderFixture(id=p.id, name=p.name, type=p.sso_type, created_at=p.created_at)
            for p in _by_time(rows["sso_providers"])
        ],
    )
    if account.login != LoginSettings():
        fixture["login_settings"] = _login_settings(account.login)
    return fixture


def _login_settings(login: LoginSettings) -> LoginSettingsFixture:
    """The account's settings, without a lockout policy that is Harness's default.

    `exclude_defaults` cannot leave out a nested section: its default is the empty dict
    that validation fills in, so the section is compared here (as the account's is).
    The record keeps the mechanism and the flags as plain strings, checked against the
    shape's literal types when they were loaded; the casts restate that.
    """
    settings = LoginSettingsFixture(
        authentication_mechanism=cast(MechanismName, login.mechanism),
        oauth_enabled=login.oauth_enabled,
        feature_flags=sorted(cast(frozenset[FeatureFlagName], login.feature_flags)),
        two_factor_enforced=login.two_factor_enforced,
        session_timeout_in_minutes=login.session_timeout_minutes,
        whitelisted_domains=list(login.whitelisted_domains),
        public_access_enabled=login.public_access,
    )
    if login.lockout != LockoutPolicy():
        settings["lockout"] = LockoutFixture(
            enabled=login.lockout.enabled,
            max_failed_attempts=login.lockout.max_failed_attempts,
            lockout_seconds=login.lockout.lockout_seconds,
        )
    return settings


def _user(u: Any) -> UserFixture:
    return UserFixture(
        id=u.id,
        name=u.name,
        email=u.email,
        password_hash=u.password_hash,
        given_name=u.given_name,
        family_name=u.family_name,
        email_verified=u.email_verified,
        locked=u.locked,
        locked_until=u.locked_until,
        failed_attempts=u.failed_attempts,
        disabled=u.disabled,
        externally_managed=u.externally_managed,
        external_id=u.external_id,
        imported_by_scim=u.imported_by_scim,
        password_expired=u.password_expired,
        two_factor_enabled=u.two_factor_enabled,
        totp_secret=u.totp_secret,
        created_at=u.created_at,
        last_updated_at=u.last_updated_at,
        last_login=u.last_login,
    )
