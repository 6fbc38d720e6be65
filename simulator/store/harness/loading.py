"""Turning the `harness:` section of fixture files into records, reporting every problem.

Nothing is loaded until the whole input is known to be good: `build_records` returns
the records and a list of problems, and the caller loads only when the list is empty.
Each problem names the file and the path inside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.store import credentials
from simulator.store.frozen import freeze
from simulator.store.harness.access import ALL_USERS_GROUP, MANAGED_RESOURCE_GROUPS, MANAGED_ROLES
from simulator.store.harness.models import (
    Account,
    ApiKey,
    Application,
    Environment,
    Invite,
    LockoutPolicy,
    LoginSettings,
    Organization,
    Project,
    ResourceGroup,
    Role,
    RoleAssignment,
    RoleBindingSpec,
    Scope,
    ScopeMember,
    SsoProvider,
    User,
    UserGroup,
)
from simulator.store.harness.users import is_valid_email, normalise_email

# Timestamps a fixture leaves out: a fixed origin plus the item's position, so the
# order of a file is its creation order and two loads give identical records.
DEFAULT_EPOCH_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z

if TYPE_CHECKING:  # the fixture shapes: imported at start only to read fixture files
    from simulator.fixtures.harness import AccountFixture, UserFixture


@dataclass
class LocatedAccount:
    """An account from a fixture file, with where it came from (for error messages)."""

    origin: str
    path: str
    account: AccountFixture


@dataclass
class HarnessRecords:
    tables: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    problems: list[str] = field(default_factory=list)


def build_records(accounts: Iterable[LocatedAccount]) -> HarnessRecords:
    out = HarnessRecords()
    seen_accounts: dict[str, str] = {}
    seen_users: dict[str, object] = {}
    seen_groups: dict[str, str] = {}
    seen_tokens: dict[str, str] = {}
    seen_apps: dict[str, str] = {}
    for located in accounts:
        builder = _AccountBuilder(located, out, seen_users, seen_groups, seen_tokens, seen_apps)
        account_id = located.account["id"]
        if account_id in seen_accounts:
            builder.problem(
                "id", f"account {account_id} is already defined at {seen_accounts[account_id]}"
            )
            continue
        seen_accounts[account_id] = builder.where("id")
        builder.build()
    return out


class _AccountBuilder:
    def __init__(
        self,
        located: LocatedAccount,
        out: HarnessRecords,
        seen_users: dict[str, object],
        seen_groups: dict[str, str],
        seen_tokens: dict[str, str],
        seen_apps: dict[str, str],
    ) -> None:
        self.located = located
        self.fixture = located.account
        self.account_id = located.account["id"]
        self.out = out
        self.seen_users = seen_users
        self.seen_groups = seen_groups
        self.seen_tokens = seen_tokens
        self.seen_apps = seen_apps
        self.user_ids: set[str] = set()
        self.scopes: set[Scope] = {Scope(self.account_id)}
        self.group_identifiers: set[tuple[Scope, str]] = set()
        self.roles: set[tuple[Scope, str]] = set()
        self.resource_groups: dict[tuple[Scope, str], bool] = {}
        self.members: set[tuple[Scope, str]] = set()
        self.group_ids: set[str] = set()
        self.account_group_members: dict[str, list[str]] = {}
        self.admin_principals: list[tuple[str, str]] = []

    # -- reporting -----------------------------------------------------------------------

    def where(self, path: str) -> str:
        return f"{self.located.origin}: {self.located.path}.{path}"

    def problem(self, path: str, message: str) -> None:
        self.out.problems.append(f"{self.where(path)}: {message}")

    def add(self, table: str, record: Any) -> None:
        self.out.tables[table].append(record)

    # -- building ------------------------------------------------------------------------

    def build(self) -> None:
        fixture = self.fixture
        login = fixture["login_settings"]
        lockout = login["lockout"]
        self.add(
            "accounts",
            Account(
                self.account_id,
                fixture["name"],
                fixture["company_name"],
                _time(fixture.get("created_at"), 0),
                LoginSettings(
                    mechanism=login["authentication_mechanism"],
                    oauth_enabled=login["oauth_enabled"],
                    feature_flags=frozenset(login["feature_flags"]),
                    two_factor_enforced=login["two_factor_enforced"],
                    session_timeout_minutes=login["session_timeout_in_minutes"],
                    whitelisted_domains=tuple(login["whitelisted_domains"]),
                    public_access=login["public_access_enabled"],
                    lockout=LockoutPolicy(
                        enabled=lockout["enabled"],
                        max_failed_attempts=lockout["max_failed_attempts"],
                        lockout_seconds=lockout["lockout_seconds"],
                    ),
                ),
            ),
        )
        self._users()
        self._organizations()
        self._roles_and_resource_groups()
        self._groups()
        self._role_assignments()
        self._api_keys()
        self._applications()
        self._sso_providers()
        self._invites()
        self._check_admin()

    def _check_admin(self) -> None:
        """An account must start with an admin: the state refuses to lose its last one."""
        for principal_type, principal_id in self.admin_principals:
            if principal_type == "USER" and principal_id in self.user_ids:
                return
            if principal_id == ALL_USERS_GROUP["ACCOUNT"][0] and self.user_ids:
                return
            if self.account_group_members.get(principal_id):
                return
        self.problem(
            "roleAssignments",
            "the account has no admin: assign role _account_admin at account scope to a user"
            " or a non-empty user group",
        )

    def _users(self) -> None:
        """Members of the account, then those a SCIM provider deactivated (one email each)."""
        emails: dict[str, _Where] = {}
        self._user_records(self.fixture["users"], "users", "users", emails)
        self._user_records(
            self.fixture["scim_deactivated_users"],
            "scimDeactivatedUsers",
            "scim_deactivated_users",
            emails,
        )

    def _user_records(
        self, users: Iterable[UserFixture], section: str, table: str, emails: dict[str, _Where]
    ) -> None:
        # Large fixtures hold 100k users: locations are formatted only for problems.
        records = self.out.tables[table]
        for position, user in enumerate(users):
            where = _Where(self, section, position)
            user_id = user["id"]
            if user_id in self.seen_users:
                self.problem(
                    f"{where.path}.id",
                    f"user id {user_id} is already used at {self.seen_users[user_id]}",
                )
                continue
            self.seen_users[user_id] = where
            email = normalise_email(user["email"])
            if not is_valid_email(email):
                self.problem(f"{where.path}.email", f"{user['email']!r} is not an email address")
            if email in emails:
                self.problem(
                    f"{where.path}.email", f"email {email} is already used by {emails[email]}"
                )
            emails[email] = where
            password, password_hash = user.get("password"), user.get("password_hash")
            if password is not None:
                if password_hash is not None:
                    self.problem(where.path, "give either password or passwordHash, not both")
                password_hash = credentials.hash_password(password)
            elif password_hash is not None and not credentials.is_password_hash(password_hash):
                self.problem(f"{where.path}.passwordHash", "is not a hash this simulator wrote")
            totp_secret = user.get("totp_secret")
            if totp_secret is not None and not credentials.is_valid_totp_secret(totp_secret):
                self.problem(f"{where.path}.totpSecret", "is not a base32 TOTP secret")
            created = _time(user.get("created_at"), position)
            if table == "users":
                self.user_ids.add(user_id)
            # Positional: a class called with keywords gets them in a new dict (CPython's
            # type_call), a fifth of this loop's cost. Each argument names its field, and
            # tests/store/test_harness_store.py checks that every one reaches it.
            records.append(
                User(
                    user_id,
                    self.account_id,
                    email,
                    user["name"],
                    created,
                    user.get("last_updated_at") or created,
                    user.get("given_name"),
                    user.get("family_name"),
                    password_hash,
                    user["email_verified"],
                    user["locked"],
                    user.get("locked_until"),
                    user["failed_attempts"],
                    user["disabled"],
                    user["externally_managed"],
                    user.get("external_id"),
                    user["imported_by_scim"],
                    user["password_expired"],
                    user["two_factor_enabled"],
                    totp_secret,
                    user.get("last_login"),
                )
            )

    def _check_users(self, path: str, user_ids: Iterable[str]) -> list[str]:
        found: dict[str, None] = {}  # a set that keeps the order
        for position, user_id in enumerate(user_ids):
            if user_id not in self.user_ids:
                self.problem(f"{path}[{position}]", f"user {user_id} is not a user of this account")
            elif user_id in found:
                self.problem(f"{path}[{position}]", f"user {user_id} is listed twice")
            else:
                found[user_id] = None
        return list(found)

    def _organizations(self) -> None:
        orgs: set[str] = set()
        for org_position, org in enumerate(self.fixture["organizations"]):
            path = f"organizations[{org_position}]"
            org_id = org["identifier"]
            if org_id in orgs:
                self.problem(f"{path}.identifier", f"organization {org_id} is defined twice")
                continue
            orgs.add(org_id)
            org_scope = Scope(self.account_id, org_id)
            self.scopes.add(org_scope)
            # A member joined when the list says: the scope's time plus their place in it,
            # so an export (members listed by joining time) loads back in the same order.
            org_time = _time(org.get("created_at"), org_position)
            self.add(
                "organizations",
                Organization(
                    self.account_id,
                    org_id,
                    org["name"],
                    org_time,
                    org["description"],
                    freeze(org["tags"]),
                ),
            )
            org_members = self._check_users(f"{path}.members", org["members"])
            for index, user_id in enumerate(org_members):
                self._member(org_scope, user_id, org_time + index)
            projects: set[str] = set()
            for position, project in enumerate(org["projects"]):
                project_path = f"{path}.projects[{position}]"
                project_id = project["identifier"]
                if project_id in projects:
                    self.problem(
                        f"{project_path}.identifier", f"project {project_id} is defined twice"
                    )
                    continue
                projects.add(project_id)
                scope = Scope(self.account_id, org_id, project_id)
                self.scopes.add(scope)
                project_time = _time(project.get("created_at"), position)
                self.add(
                    "projects",
                    Project(
                        self.account_id,
                        org_id,
                        project_id,
                        project["name"],
                        project_time,
                        project["color"],
                        tuple(project["modules"]),
                        project["description"],
                        freeze(project["tags"]),
                    ),
                )
                members = self._check_users(f"{project_path}.members", project["members"])
                for index, user_id in enumerate(members):
                    self._member(org_scope, user_id, project_time + index)
                    self._member(scope, user_id, project_time + index)

    def _member(self, scope: Scope, user_id: str, created_at: int) -> None:
        if (scope, user_id) in self.members:
            return
        self.members.add((scope, user_id))
        assert scope.org is not None, "account membership is implicit"
        self.add(
            "scope_members",
            ScopeMember(self.account_id, scope.org, scope.project, user_id, created_at),
        )

    def _scope(self, path: str, org: str | None, project: str | None) -> Scope | None:
        scope = Scope(self.account_id, org, project)
        if scope not in self.scopes:
            self.problem(path, f"no such scope (org {org!r}, project {project!r}) in this account")
            return None
        return scope

    def _roles_and_resource_groups(self) -> None:
        for position, role in enumerate(self.fixture["roles"]):
            path = f"roles[{position}]"
            scope = self._scope(path, role.get("org"), role.get("project"))
            if scope is None:
                continue
            role_id = role["identifier"]
            if role_id in MANAGED_ROLES or (scope, role_id) in self.roles:
                self.problem(f"{path}.identifier", f"role {role_id} already exists in its scope")
                continue
            self.roles.add((scope, role_id))
            self.add(
                "roles",
                Role(*scope.key, role_id, role["name"], frozenset(role["permissions"])),
            )
        for position, group in enumerate(self.fixture["resource_groups"]):
            path = f"resourceGroups[{position}]"
            scope = self._scope(path, group.get("org"), group.get("project"))
            if scope is None:
                continue
            group_id, child_scopes = group["identifier"], group["include_child_scopes"]
            key = (scope, group_id)
            if group_id in MANAGED_RESOURCE_GROUPS or key in self.resource_groups:
                self.problem(f"{path}.identifier", f"resource group {group_id} already exists")
                continue
            self.resource_groups[key] = child_scopes
            self.add(
                "resource_groups",
                ResourceGroup(*scope.key, group_id, group["name"], child_scopes),
            )

    def _groups(self) -> None:
        names: set[tuple[Scope, str]] = set()
        for position, group in enumerate(self.fixture["user_groups"]):
            path = f"userGroups[{position}]"
            group_id, name = group["id"], group["name"]
            if group_id in self.seen_groups:
                self.problem(
                    f"{path}.id",
                    f"user group id {group_id} is already used at {self.seen_groups[group_id]}",
                )
                continue
            self.seen_groups[group_id] = self.where(path)
            scope = self._scope(path, group.get("org"), group.get("project"))
            if scope is None:
                continue
            identifier = group.get("identifier") or group_id
            if (scope, identifier) in self.group_identifiers:
                self.problem(
                    f"{path}.identifier", f"user group {identifier} is defined twice in its scope"
                )
            if (scope, name) in names:
                self.problem(f"{path}.name", f"a user group named {name!r} already exists")
            names.add((scope, name))
            self.group_identifiers.add((scope, identifier))
            self.group_ids.add(group_id)
            members = self._check_users(f"{path}.members", group["members"])
            if scope.org is None:
                self.account_group_members[identifier] = members
            self.add(
                "user_groups",
                UserGroup(
                    id=group_id,
                    account_id=self.account_id,
                    identifier=identifier,
                    name=name,
                    created_at=_time(group.get("created_at"), position),
                    org=scope.org,
                    project=scope.project,
                    description=group.get("description"),
                    member_ids=tuple(members),
                    imported_by_scim=group["imported_by_scim"],
                    sso_setting=freeze(group.get("sso_setting")),
                    notification_settings=freeze(group.get("notification_settings")),
                    permissions=freeze(group.get("permissions")),
                    tags=freeze(group["tags"]),
                    notification_configs=freeze(group["notification_configs"]),
                    last_modified_at=group.get("last_modified_at"),
                ),
            )

    def _role_exists(self, scope: Scope, role: str) -> bool:
        managed = MANAGED_ROLES.get(role)
        if managed is not None:
            return managed[1] == scope.level
        return any((candidate, role) in self.roles for candidate in scope.lineage())

    def _resource_group_exists(self, scope: Scope, identifier: str) -> bool:
        managed = MANAGED_RESOURCE_GROUPS.get(identifier)
        if managed is not None:
            return scope.level in managed[1]
        return (scope, identifier) in self.resource_groups

    def _role_assignments(self) -> None:
        identifiers: set[str] = set()
        for position, assignment in enumerate(self.fixture["role_assignments"]):
            path = f"roleAssignments[{position}]"
            scope = self._scope(path, assignment.get("org"), assignment.get("project"))
            if scope is None:
                continue
            identifier = assignment.get("identifier") or f"role_assignment_{position}"
            if identifier in identifiers:
                self.problem(f"{path}.identifier", f"role assignment {identifier} is defined twice")
                continue
            identifiers.add(identifier)
            principal = assignment["principal"]
            principal_type, principal_id = principal["type"], principal["id"]
            principal_level = principal.get("scope_level")
            role, role_level = assignment["role"], assignment.get("role_scope_level")
            resource_group = assignment["resource_group"]
            if principal_type == "USER" and principal_id not in self.user_ids:
                self.problem(
                    f"{path}.principal.id", f"user {principal_id} is not a user of this account"
                )
            group_scope = scope.at_level(principal_level)
            if group_scope is None:
                if principal_level is not None:
                    self.problem(
                        f"{path}.principal.scopeLevel",
                        f"{principal_level} is below the assignment's scope",
                    )
                group_scope = scope
            if (
                principal_type == "USER_GROUP"
                and (group_scope, principal_id) not in self.group_identifiers
                and principal_id != ALL_USERS_GROUP[group_scope.level][0]
            ):
                self.problem(f"{path}.principal.id", f"no user group {principal_id} in its scope")
            if not self._role_exists(scope.at_level(role_level) or scope, role):
                self.problem(f"{path}.role", f"no role {role} in this scope")
            if not self._resource_group_exists(scope, resource_group):
                self.problem(
                    f"{path}.resourceGroup", f"no resource group {resource_group} in this scope"
                )
            if (
                role == "_account_admin"
                and scope.org is None
                and not assignment["disabled"]
                and principal_level in (None, "account")
            ):
                self.admin_principals.append((principal_type, principal_id))
            self.add(
                "role_assignments",
                RoleAssignment(
                    identifier=identifier,
                    account_id=self.account_id,
                    org=scope.org,
                    project=scope.project,
                    principal_type=principal_type,
                    principal_id=principal_id,
                    role=role,
                    resource_group=resource_group,
                    created_at=_time(assignment.get("created_at"), position),
                    managed=assignment["managed"],
                    disabled=assignment["disabled"],
                    principal_scope_level=principal_level,
                    role_scope_level=role_level,
                ),
            )

    def _api_keys(self) -> None:
        for position, key in enumerate(self.fixture["api_keys"]):
            path = f"apiKeys[{position}]"
            user_id, token, token_hash = key["user"], key.get("token"), key.get("token_hash")
            if (token is None) == (token_hash is None):
                self.problem(path, "give exactly one of token or tokenHash")
                continue
            if user_id not in self.user_ids:
                self.problem(f"{path}.user", f"user {user_id} is not a user of this account")
            token_hash = token_hash or credentials.hash_token(token or "")
            if token_hash in self.seen_tokens:
                self.problem(
                    path, f"this API key is already defined at {self.seen_tokens[token_hash]}"
                )
                continue
            self.seen_tokens[token_hash] = self.where(path)
            identifier = key.get("identifier") or f"api_key_{position}"
            self.add(
                "api_keys",
                ApiKey(
                    token_hash,
                    self.account_id,
                    user_id,
                    identifier,
                    key.get("name") or identifier,
                    _time(key.get("created_at"), position),
                ),
            )

    def _applications(self) -> None:
        for position, app in enumerate(self.fixture["applications"]):
            path = f"applications[{position}]"
            app_id = app["id"]
            if app_id in self.seen_apps:
                self.problem(
                    f"{path}.id", f"id {app_id} is already used at {self.seen_apps[app_id]}"
                )
                continue
            self.seen_apps[app_id] = self.where(path)
            self.add(
                "applications",
                Application(
                    app_id, self.account_id, app["name"], _time(app.get("created_at"), position)
                ),
            )
            for env_position, env in enumerate(app["environments"]):
                env_path = f"{path}.environments[{env_position}]"
                env_id = env["id"]
                if env_id in self.seen_apps:
                    self.problem(
                        f"{env_path}.id", f"id {env_id} is already used at {self.seen_apps[env_id]}"
                    )
                    continue
                self.seen_apps[env_id] = self.where(env_path)
                self.add(
                    "environments",
                    Environment(
                        env_id,
                        self.account_id,
                        app_id,
                        env["name"],
                        env["type"],
                        _time(env.get("created_at"), env_position),
                    ),
                )

    def _sso_providers(self) -> None:
        for position, provider in enumerate(self.fixture["sso_providers"]):
            path = f"ssoProviders[{position}]"
            provider_id = provider["id"]
            if provider_id in self.seen_apps:
                self.problem(
                    f"{path}.id",
                    f"id {provider_id} is already used at {self.seen_apps[provider_id]}",
                )
                continue
            self.seen_apps[provider_id] = self.where(path)
            self.add(
                "sso_providers",
                SsoProvider(
                    provider_id,
                    self.account_id,
                    provider["name"],
                    provider["type"],
                    _time(provider.get("created_at"), position),
                ),
            )

    def _invites(self) -> None:
        seen: set[tuple[Scope, str]] = set()
        for position, invite in enumerate(self.fixture["invites"]):
            path = f"invites[{position}]"
            scope = self._scope(path, invite.get("org"), invite.get("project"))
            if scope is None:
                continue
            email = normalise_email(invite["email"])
            if (scope, email) in seen:
                self.problem(f"{path}.email", f"{email} is already invited to this scope")
            seen.add((scope, email))
            bindings = invite["role_bindings"]
            user_groups = invite["user_groups"]
            for binding_position, binding in enumerate(bindings):
                binding_path = f"{path}.roleBindings[{binding_position}]"
                role, resource_group = binding["role"], binding["resource_group"]
                if not self._role_exists(scope, role):
                    self.problem(f"{binding_path}.role", f"no role {role} in this scope")
                if not self._resource_group_exists(scope, resource_group):
                    self.problem(
                        f"{binding_path}.resourceGroup",
                        f"no resource group {resource_group} in this scope",
                    )
            for group_position, group_id in enumerate(user_groups):
                if group_id not in self.group_ids:
                    self.problem(
                        f"{path}.userGroups[{group_position}]",
                        f"no user group {group_id} in this account",
                    )
            self.add(
                "invites",
                Invite(
                    id=invite.get("id") or f"invite{position:018d}",
                    account_id=self.account_id,
                    org=scope.org,
                    project=scope.project,
                    email=email,
                    created_at=_time(invite.get("created_at"), position),
                    role_bindings=tuple(
                        RoleBindingSpec(b["role"], b["resource_group"]) for b in bindings
                    ),
                    user_groups=tuple(user_groups),
                    name=invite.get("name"),
                    valid_until=invite.get("valid_until"),
                ),
            )


class _Where:
    """A place in a fixture file, formatted only if a problem needs to name it."""

    __slots__ = ("builder", "position", "section")

    def __init__(self, builder: _AccountBuilder, section: str, position: int) -> None:
        self.builder = builder
        self.section = section
        self.position = position

    @property
    def path(self) -> str:
        return f"{self.section}[{self.position}]"

    def __str__(self) -> str:
        return self.builder.where(self.path)


def _time(value: int | None, position: int) -> int:
    return value if value is not None else DEFAULT_EPOCH_MS + position
