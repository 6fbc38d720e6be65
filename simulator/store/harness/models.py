"""Records of the Harness state model, shared by the NextGen and CurrentGen faces.

Records are immutable (`record` in simulator/records.py): a change builds a new record
with its `replace`. Nested values are tuples or read-only mappings for the same reason
(the undo log and the reset baseline hold references to old records, which must never
change under them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from types import MappingProxyType
from typing import Any

from simulator.records import record

EMPTY: Mapping[str, Any] = MappingProxyType({})


@record
class Scope:
    """Where a Harness NextGen resource lives: an account, an org in it, or a project."""

    account_id: str
    org: str | None = None
    project: str | None = None

    @property
    def level(self) -> str:
        if self.project is not None:
            return "PROJECT"
        if self.org is not None:
            return "ORGANIZATION"
        return "ACCOUNT"

    @property
    def parent(self) -> Scope | None:
        if self.project is not None:
            return Scope(self.account_id, self.org)
        if self.org is not None:
            return Scope(self.account_id)
        return None

    def lineage(self) -> list[Scope]:
        """This scope and every scope above it, nearest first."""
        chain: list[Scope] = []
        scope: Scope | None = self
        while scope is not None:
            chain.append(scope)
            scope = scope.parent
        return chain

    def contains(self, other: Scope) -> bool:
        """Whether `other` is this scope or lies below it."""
        return self in other.lineage()

    @property
    def key(self) -> tuple[str, str | None, str | None]:
        return (self.account_id, self.org, self.project)

    @property
    def level_name(self) -> str:
        """The level as NextGen access control writes it: account, organization, project."""
        return self.level.lower()

    def at_level(self, level: str | None) -> Scope | None:
        """This scope or the one above it at `level` (any case); None if there is none."""
        if level is None:
            return None
        for candidate in self.lineage():
            if candidate.level == level.upper():
                return candidate
        return None


# Account feature flags that change what NextGen's addUsers does for a new email.
AUTO_ACCEPT_INVITES = "AUTO_ACCEPT_SAML_ACCOUNT_INVITES"
NO_INVITE_EMAIL = "PL_NO_EMAIL_FOR_SAML_ACCOUNT_INVITES"
AUTHENTICATION_MECHANISMS = ("USER_PASSWORD", "SAML", "LDAP", "OAUTH")
# SCIM users carry `meta`, `groups` and the parts of `name`, as RFC 7643 describes them.
NEW_SCIM_STANDARDS = "PL_NEW_SCIM_STANDARDS"


@record
class LockoutPolicy:
    """Whether wrong passwords lock a user, after how many, and for how long (simulated
    seconds; 0: until unlocked). An account's login setting; Harness's defaults are off
    until an admin turns it on, then 5 attempts and 24 hours."""

    enabled: bool = False
    max_failed_attempts: int = 5
    lockout_seconds: int = 24 * 3600


@record
class LoginSettings:
    """How an account's users sign in, and the flags that go with it.

    Harness counts an account as SSO when its mechanism is SAML, LDAP or OAUTH, or
    when OAuth is enabled beside passwords; only SSO accounts honour the invite flags.
    """

    mechanism: str = "USER_PASSWORD"
    oauth_enabled: bool = False
    feature_flags: frozenset[str] = frozenset()
    two_factor_enforced: bool = False
    session_timeout_minutes: int = 1440
    whitelisted_domains: tuple[str, ...] = ()
    public_access: bool = False
    lockout: LockoutPolicy = LockoutPolicy()

    @property
    def sso(self) -> bool:
        return self.mechanism != "USER_PASSWORD" or self.oauth_enabled

    @property
    def auto_accepts_invites(self) -> bool:
        """addUsers creates the user at once instead of leaving an invite pending."""
        return self.sso and AUTO_ACCEPT_INVITES in self.feature_flags

    @property
    def skips_invite_email(self) -> bool:
        """addUsers creates the user at once and answers USER_INVITE_NOT_REQUIRED."""
        return self.sso and NO_INVITE_EMAIL in self.feature_flags


@record
class Account:
    id: str
    name: str
    company_name: str
    created_at: int
    login: LoginSettings = LoginSettings()


@record
class User:
    id: str
    account_id: str
    email: str
    name: str
    created_at: int
    last_updated_at: int
    given_name: str | None = None
    family_name: str | None = None
    password_hash: str | None = None
    email_verified: bool = True
    locked: bool = False
    locked_until: int | None = None
    failed_attempts: int = 0
    disabled: bool = False
    externally_managed: bool = False
    external_id: str | None = None
    imported_by_scim: bool = False
    password_expired: bool = False
    two_factor_enabled: bool = False
    totp_secret: str | None = None
    last_login: int | None = None
    # Name and email lower-cased once per record: NextGen's searchTerm scans every user
    # of the scope, and 100k users must answer in milliseconds.
    search_text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "search_text", f"{self.name}\x00{self.email}".lower())

    @property
    def email_key(self) -> tuple[str, str]:
        return (self.account_id, self.email.lower())


@record
class UserGroup:
    """A user group at a scope.

    `id` is the CurrentGen id (22 characters); `identifier` is what NextGen calls it.
    Groups created through CurrentGen use their id as identifier. Harness-managed
    groups (such as `_account_all_users`) hold every user of their scope implicitly.
    """

    id: str
    account_id: str
    identifier: str
    name: str
    created_at: int
    org: str | None = None
    project: str | None = None
    description: str | None = None
    member_ids: tuple[str, ...] = ()
    harness_managed: bool = False
    imported_by_scim: bool = False
    sso_setting: Mapping[str, Any] | None = None
    notification_settings: Mapping[str, Any] | None = None
    permissions: Mapping[str, Any] | None = None
    # NextGen's view: tags, notification channels (EMAIL, SLACK, ...) and the last change.
    tags: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    notification_configs: tuple[Mapping[str, Any], ...] = ()
    last_modified_at: int | None = None

    @property
    def scope(self) -> Scope:
        return Scope(self.account_id, self.org, self.project)

    @property
    def modified_at(self) -> int:
        return self.created_at if self.last_modified_at is None else self.last_modified_at

    @property
    def externally_managed(self) -> bool:
        """Provisioned by an identity provider (SCIM): its members are the provider's."""
        return self.imported_by_scim

    @property
    def sso_linked(self) -> bool:
        return self.sso_setting is not None


@record
class Organization:
    account_id: str
    identifier: str
    name: str
    created_at: int
    description: str = ""
    tags: Mapping[str, str] = field(default_factory=lambda: EMPTY)


@record
class Project:
    account_id: str
    org: str
    identifier: str
    name: str
    created_at: int
    color: str = "#0063F7"
    modules: tuple[str, ...] = ()
    description: str = ""
    tags: Mapping[str, str] = field(default_factory=lambda: EMPTY)

    @property
    def scope(self) -> Scope:
        return Scope(self.account_id, self.org, self.identifier)


@record
class ScopeMember:
    """A user added to an organization or a project (account membership is implicit)."""

    account_id: str
    org: str
    project: str | None
    user_id: str
    created_at: int

    @property
    def scope(self) -> Scope:
        return Scope(self.account_id, self.org, self.project)


@record
class Role:
    """A role defined at a scope; Harness-managed roles are built in (see access.py)."""

    account_id: str
    org: str | None
    project: str | None
    identifier: str
    name: str
    permissions: frozenset[str] = frozenset()
    managed: bool = False

    @property
    def scope(self) -> Scope:
        return Scope(self.account_id, self.org, self.project)


@record
class ResourceGroup:
    account_id: str
    org: str | None
    project: str | None
    identifier: str
    name: str
    include_child_scopes: bool = False
    managed: bool = False

    @property
    def scope(self) -> Scope:
        return Scope(self.account_id, self.org, self.project)


@record
class RoleAssignment:
    identifier: str
    account_id: str
    org: str | None
    project: str | None
    principal_type: str  # "USER" or "USER_GROUP"
    principal_id: str  # user id, or group identifier at the principal's scope
    role: str
    resource_group: str
    created_at: int
    managed: bool = False
    disabled: bool = False
    # A group of this scope or one above: "account", "organization" or "project".
    principal_scope_level: str | None = None
    # Where the role is defined when it comes from a scope above (NextGen roleReference).
    role_scope_level: str | None = None

    @property
    def scope(self) -> Scope:
        return Scope(self.account_id, self.org, self.project)

    @property
    def principal_scope(self) -> Scope:
        """The scope of the principal group: the assignment's own unless a level above is named."""
        return self.scope.at_level(self.principal_scope_level) or self.scope


@record
class ApiKey:
    """An API key; only a hash of the token is kept (the token is never stored)."""

    token_hash: str
    account_id: str
    user_id: str
    identifier: str
    name: str
    created_at: int


@record
class RoleBindingSpec:
    """A role binding requested for invited users, applied when they join."""

    role: str
    resource_group: str


INVITE_LIFETIME_MS = 30 * 24 * 3600 * 1000  # a (re)sent invite is valid for 30 days


@record
class Invite:
    """A pending invitation; accepting it makes the email a member (the record goes)."""

    id: str
    account_id: str
    org: str | None
    project: str | None
    email: str
    created_at: int
    role_bindings: tuple[RoleBindingSpec, ...] = ()
    user_groups: tuple[str, ...] = ()
    name: str | None = None
    valid_until: int | None = None

    @property
    def expires_at(self) -> int:
        return (
            self.created_at + INVITE_LIFETIME_MS if self.valid_until is None else self.valid_until
        )

    @property
    def scope(self) -> Scope:
        return Scope(self.account_id, self.org, self.project)


@record
class Application:
    """A CurrentGen application (referenced by user group app permissions)."""

    id: str
    account_id: str
    name: str
    created_at: int


@record
class Environment:
    """A CurrentGen environment inside an application."""

    id: str
    account_id: str
    app_id: str
    name: str
    environment_type: str  # "PROD" or "NON_PROD"
    created_at: int


@record
class SsoProvider:
    id: str
    account_id: str
    name: str
    sso_type: str  # "LDAP" or "SAML"
    created_at: int
