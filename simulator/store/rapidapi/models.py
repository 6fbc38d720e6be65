"""Records of the RapidAPI Enterprise Hub state model.

One hub (the simulated environment) holds users, organizations and their teams. Users,
teams, organizations and invites share one numeric id space, as RapidAPI's "entities"
do: an `EntityRole.entityId` can name any of them without saying which kind it is.

Records are immutable (`record` in simulator/records.py): a change builds a new record
with its `replace`, so the undo log and the reset baseline can hold old records safely.
Timestamps are epoch milliseconds on the simulated clock.
"""

from __future__ import annotations

from dataclasses import field

from simulator.records import record

# User statuses (RapidAPI's user management page). PENDING waits for an environment
# admin's approval; DELETED is final, and frees the email for a new user.
ACTIVE = "ACTIVE"
DEACTIVATED = "DEACTIVATED"
DELETED = "DELETED"
PENDING = "PENDING"
USER_STATUSES = (ACTIVE, DEACTIVATED, DELETED, PENDING)
SETTABLE_STATUSES = (ACTIVE, DEACTIVATED, DELETED)

# What `TeamUser.inviteStatus` says about a row of an organization's user list.
INVITE_ACCEPTED = "ACCEPTED"
INVITE_PENDING = "PENDING"

# Role levels, as the `RoleLevel` enum names them.
ENVIRONMENT_LEVEL = "USER_ENVIRONMENT"
ORGANIZATION_USER_LEVEL = "USER_ORGANIZATION"
TEAM_USER_LEVEL = "USER_TEAM"
ORGANIZATION_LEVEL = "ORGANIZATION"
TEAM_ENVIRONMENT_LEVEL = "TEAM_ENVIRONMENT"
ROLE_LEVELS = (
    ORGANIZATION_LEVEL,
    ENVIRONMENT_LEVEL,
    ORGANIZATION_USER_LEVEL,
    TEAM_USER_LEVEL,
    TEAM_ENVIRONMENT_LEVEL,
)

# The key of the admin role at the environment and organization levels: its holders
# are Environment Admins and Organization Admins.
ADMIN_ROLE_KEY = "ADMIN"

# The environment permission that lets a user create organizations (when a hub defines it).
CREATE_ORGANIZATIONS = "CREATE_ORGANIZATIONS"


@record
class User:
    id: int
    username: str
    name: str
    email: str
    status: str
    created_at: int
    updated_at: int
    thumbnail: str | None = None
    mashape_id: str | None = None
    company: str | None = None
    position: str | None = None
    location: str | None = None
    bio: str | None = None
    last_active: int | None = None
    deleted_at: int | None = None
    apis_count: int = 0
    verified: bool = True
    protected: bool = False
    created_by_sso: bool = False
    billing_type: str | None = None
    password_hash: str | None = None
    # The searchable fields lower-cased once per record rather than once per record per
    # search: the admin listing's `term` scans every user, and 100k users must answer in
    # milliseconds. Separated by NUL, so a term never matches across two fields.
    search_text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        text = f"{self.id}\x00{self.name}\x00{self.email}\x00{self.username}".lower()
        object.__setattr__(self, "search_text", text)

    @property
    def mashape(self) -> str:
        """The user's mashapeId: the recorded one, else one derived from the id (every
        RapidAPI user has one, and `deleteUser` asks for it)."""
        return self.mashape_id or f"{self.id:024x}"

    @property
    def live(self) -> bool:
        """Not deleted: still holds its email and username."""
        return self.status != DELETED

    @property
    def email_key(self) -> str | None:
        return self.email.lower() if self.live else None

    @property
    def username_key(self) -> str | None:
        return self.username.lower() if self.live else None


@record
class Organization:
    id: int
    name: str
    slugified_name: str
    created_at: int
    updated_at: int
    email: str | None = None
    description: str | None = None
    thumbnail: str | None = None
    apis_count: int = 0
    seats: int | None = None
    billing_type: str | None = None


@record
class Team:
    id: int
    org_id: int
    name: str
    slugified_name: str
    created_at: int
    updated_at: int
    description: str | None = None
    thumbnail: str | None = None
    mashape_id: str | None = None


@record
class OrgUser:
    """A row of an organization's user list: a member, or an invite not yet accepted.

    `id` is what RapidAPI calls the TeamUser id: the user's id, or for an invite sent
    to an email that has no user yet, an id of the invite's own. Invites remember the
    org role (`role_id`) and teams the invitee joins on accepting, and the hash of the
    token their invitation email carries; a member's roles live in the entity-role
    table like every other role assignment.
    """

    org_id: int
    id: int
    invite_status: str
    created_at: int
    user_id: int | None = None
    email: str | None = None
    role_id: int | None = None
    team_ids: tuple[int, ...] = ()
    inviter_id: int | None = None
    token_hash: str | None = None

    @property
    def accepted(self) -> bool:
        return self.invite_status == INVITE_ACCEPTED

    @property
    def email_key(self) -> tuple[int, str] | None:
        """Invites to an email without a user are unique per organization and email."""
        return (self.org_id, self.email.lower()) if self.email is not None else None


@record
class InviteMail:
    """The invitation email of a pending invite: the one place its token is kept in
    clear. Mails are never exported (a state snapshot carries only the token's hash);
    the control API reads them as the invitee would read the email."""

    org_id: int
    invite_id: int
    email: str
    token: str
    sent_at: int


@record
class TeamMember:
    """An explicit team membership. Organization admins belong to every team implicitly."""

    team_id: int
    user_id: int
    created_at: int


@record
class Permission:
    """A virtual permission: one switch of a role, at one role level."""

    id: int
    key: str
    display_name: str
    level: str
    description: str | None = None
    depends_on: int | None = None


@record
class Grant:
    permission_id: int
    read_only: bool = False


@record
class Role:
    id: int
    key: str
    name: str
    level: str
    description: str | None = None
    is_basic_role: bool = False
    is_default: bool = False
    grants: tuple[Grant, ...] = ()

    @property
    def is_admin(self) -> bool:
        return self.key == ADMIN_ROLE_KEY


@record
class EntityRole:
    """One role assignment: `entity_id` holds `role_id` in the scope `parent_id`.

    The scope follows the role's level: nothing for environment roles (of users) and
    for roles of organizations and teams themselves, the organization for organization
    user roles, the team for team user roles. An entity has at most one role per scope,
    so (entity, scope) is the key and the wire id is made from it. `org_id` is the
    organization the assignment belongs to: none for users' environment roles.
    """

    entity_id: int
    parent_id: int | None
    role_id: int
    level: str
    org_id: int | None = None

    @property
    def id(self) -> str:
        return (
            f"{self.entity_id}" if self.parent_id is None else f"{self.entity_id}.{self.parent_id}"
        )


@record
class Project:
    """An app ("project" in the Platform API) owned by a user or a team.

    RapidAPI reaches apps through ACLs (`ProjectAcl`); here every app has exactly its
    owner's ACL, whose id is `acl_id`.
    """

    id: int
    owner_id: int
    acl_id: int
    name: str
    created_at: int
    updated_at: int
    description: str | None = None
    thumbnail: str | None = None
    mashape_id: str | None = None
    enable_limits_to_apis: bool = False


@record
class AppKey:
    """An application key: what callers send as `x-rapidapi-key`.

    The key of a user's app is that user's personal key (personal context); the key of
    a team's app is a team key (team context).
    """

    id: str
    key: str
    project_id: int
    created_at: int
    name: str | None = None
