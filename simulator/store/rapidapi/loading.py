"""Turning the `rapidapi:` sections of fixture files into records, reporting every problem.

Nothing is loaded until the whole input is known to be good: `build_records` returns
the records and a list of problems, and the caller loads only when the list is empty.
Each problem names the file and the path inside it. Sections of several files form
one hub, so a file may refer to roles or users another file defines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from simulator.records import replace
from simulator.store import credentials
from simulator.store.rapidapi.models import (
    ACTIVE,
    DELETED,
    ENVIRONMENT_LEVEL,
    INVITE_ACCEPTED,
    INVITE_PENDING,
    ORGANIZATION_LEVEL,
    ORGANIZATION_USER_LEVEL,
    TEAM_ENVIRONMENT_LEVEL,
    TEAM_USER_LEVEL,
    AppKey,
    EntityRole,
    Grant,
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
from simulator.store.rapidapi.text import is_valid_email, slugify
from simulator.store.rapidapi.times import to_ms

# Timestamps a fixture leaves out: a fixed origin plus the item's position, so the
# order of a file is its creation order and two loads give identical records.
DEFAULT_EPOCH_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z

if TYPE_CHECKING:  # pydantic's models: imported at start only to read fixture files
    from simulator.fixtures.rapidapi import (
        AppFixture,
        InviteFixture,
        MemberFixture,
        OrganizationFixture,
        RapidApiFixture,
        TeamFixture,
        UserFixture,
    )


@dataclass
class LocatedHub:
    """A `rapidapi:` section and where it came from (for error messages)."""

    origin: str
    path: str
    hub: RapidApiFixture


@dataclass
class RapidApiRecords:
    tables: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    problems: list[str] = field(default_factory=list)


def build_records(hubs: Iterable[LocatedHub]) -> RapidApiRecords:
    return _Builder(list(hubs)).build()


def _time(value: datetime | None, position: int) -> int:
    return _at(value, DEFAULT_EPOCH_MS + position * 1000)


def _at(value: datetime | None, default: int) -> int:
    return to_ms(value) if value is not None else default


class _Builder:
    def __init__(self, hubs: list[LocatedHub]) -> None:
        self.hubs = hubs
        self.out = RapidApiRecords()
        self.permissions: dict[int, Permission] = {}
        self.roles: dict[int, Role] = {}
        self.defaults: dict[str, int] = {}
        # An id of the shared entity id space -> where it is given, and the item giving it.
        self.entities: dict[int, tuple[str, object]] = {}
        self.users: dict[int, User] = {}
        self.live_emails: dict[str, str] = {}
        self.live_usernames: dict[str, str] = {}
        self.org_slugs: dict[str, str] = {}
        self.members: dict[int, dict[int, int]] = {}  # org -> user -> org role
        self.project_ids: dict[int, str] = {}
        self.acl_ids: dict[int, str] = {}
        self.key_ids: dict[str, str] = {}
        self.key_values: dict[str, str] = {}
        self.pending_acls: list[Project] = []
        self.pending_invites: list[tuple[OrgUser, str | None]] = []
        self.invite_tokens: dict[str, str] = {}
        self.env_admins = 0

    # -- reporting -----------------------------------------------------------------------

    def problem(self, where: str, message: str) -> None:
        self.out.problems.append(f"{where}: {message}")

    def add(self, table: str, record: Any) -> None:
        self.out.tables[table].append(record)

    def located(self) -> Iterable[tuple[str, LocatedHub]]:
        for hub in self.hubs:
            yield f"{hub.origin}: {hub.path}", hub

    # -- building ------------------------------------------------------------------------

    def build(self) -> RapidApiRecords:
        for where, hub in self.located():
            self._permissions(where, hub.hub)
        for where, hub in self.located():
            self._roles(where, hub.hub)
        for where, hub in self.located():
            self._entity_ids(where, hub.hub)
        for where, hub in self.located():
            for position, user in enumerate(hub.hub.users):
                self._user(f"{where}.users[{position}]", user, position)
        for where, hub in self.located():
            for position, org in enumerate(hub.hub.organizations):
                self._organization(f"{where}.organizations[{position}]", org, position)
        self._assign_missing_ids()
        if any(user.live for user in self.users.values()) and not self.env_admins:
            self.problem(
                self.hubs[0].origin,
                "the hub has no active environment admin: give an ACTIVE user the"
                f" {ENVIRONMENT_LEVEL} role whose key is ADMIN",
            )
        return self.out

    def _permissions(self, where: str, hub: RapidApiFixture) -> None:
        for position, item in enumerate(hub.permissions):
            path = f"{where}.permissions[{position}]"
            if item.id in self.permissions:
                self.problem(f"{path}.id", f"permission {item.id} is defined twice")
                continue
            permission = Permission(
                item.id, item.key, item.display_name, item.level, item.description, item.depends_on
            )
            self.permissions[item.id] = permission
            self.add("permissions", permission)
        for position, item in enumerate(hub.permissions):
            if item.depends_on is not None and item.depends_on not in self.permissions:
                self.problem(
                    f"{where}.permissions[{position}].dependsOn",
                    f"permission {item.depends_on} does not exist",
                )

    def _roles(self, where: str, hub: RapidApiFixture) -> None:
        keys: set[tuple[str, str]] = {(r.level, r.key) for r in self.roles.values()}
        for position, item in enumerate(hub.roles):
            path = f"{where}.roles[{position}]"
            if item.id in self.roles:
                self.problem(f"{path}.id", f"role {item.id} is defined twice")
                continue
            if (item.level, item.key) in keys:
                self.problem(f"{path}.key", f"{item.level} already has a role with key {item.key}")
            keys.add((item.level, item.key))
            grants = []
            for index, grant in enumerate(item.permissions):
                permission = self.permissions.get(grant.permission)
                if permission is None:
                    self.problem(
                        f"{path}.permissions[{index}]",
                        f"permission {grant.permission} does not exist",
                    )
                elif permission.level != item.level:
                    self.problem(
                        f"{path}.permissions[{index}]",
                        f"permission {grant.permission} is a {permission.level} permission",
                    )
                else:
                    grants.append(Grant(grant.permission, grant.read_only))
            if item.is_default:
                if item.level in self.defaults:
                    self.problem(
                        f"{path}.isDefault",
                        f"role {self.defaults[item.level]} is already the default {item.level} role",
                    )
                self.defaults.setdefault(item.level, item.id)
            role = Role(
                item.id,
                item.key,
                item.name,
                item.level,
                item.description,
                item.is_basic_role,
                item.is_default,
                tuple(grants),
            )
            self.roles[item.id] = role
            self.add("roles", role)

    def _entity_ids(self, where: str, hub: RapidApiFixture) -> None:
        """Users, organizations, teams and invites share one id space.

        The first item to give an id holds it; the builders skip a user, organization or
        team whose id another holds (`_holds`), so each id is reported once.
        """
        claims: list[tuple[str, UserFixture | OrganizationFixture | TeamFixture | InviteFixture]]
        claims = [(f"{where}.users[{i}].id", user) for i, user in enumerate(hub.users)]
        for i, org in enumerate(hub.organizations):
            org_path = f"{where}.organizations[{i}]"
            claims.append((f"{org_path}.id", org))
            claims += [(f"{org_path}.teams[{j}].id", t) for j, t in enumerate(org.teams)]
            claims += [(f"{org_path}.invites[{j}].id", v) for j, v in enumerate(org.invites)]
        for path, item in claims:
            if item.id is None:
                continue
            if item.id in self.entities:
                holder_path = self.entities[item.id][0]
                self.problem(path, f"id {item.id} is already used at {holder_path}")
            else:
                self.entities[item.id] = (path, item)

    def _holds(self, item: UserFixture | OrganizationFixture | TeamFixture) -> bool:
        """Whether `item` holds its id (`_entity_ids` claimed every id first)."""
        return self.entities[item.id][1] is item

    def _role(self, owner: str, role_id: int | None, level: str) -> int | None:
        """The role to assign: the given one if it has the right level, else the default.

        `owner` is the path of the record the role is for; its `.role` path is only
        built for a problem (this runs for every user, member and team of a fixture).
        """
        if role_id is None:
            default = self.defaults.get(level)
            if default is None:
                self.problem(f"{owner}.role", f"no role given and there is no default {level} role")
            return default
        role = self.roles.get(role_id)
        if role is None:
            self.problem(f"{owner}.role", f"role {role_id} does not exist")
            return None
        if role.level != level:
            self.problem(f"{owner}.role", f"role {role_id} is a {role.level} role, not {level}")
            return None
        return role_id

    def _user(self, path: str, item: UserFixture, position: int) -> None:
        if not self._holds(item):
            return
        email = item.email.strip()
        if not is_valid_email(email):
            self.problem(f"{path}.email", f"{item.email!r} is not an email address")
        live = item.status != DELETED
        if live:
            email_key, username_key = email.lower(), item.username.lower()
            if email_key in self.live_emails:
                used_at = self.live_emails[email_key]
                self.problem(f"{path}.email", f"email {email_key} is already used at {used_at}")
            if username_key in self.live_usernames:
                used_at = self.live_usernames[username_key]
                self.problem(
                    f"{path}.username", f"username {username_key} is already used at {used_at}"
                )
            self.live_emails[email_key] = self.live_usernames[username_key] = path
        created = _time(item.created_at, position)
        updated = _at(item.updated_at, created)
        password_hash = item.password_hash
        if item.password is not None:
            password_hash = credentials.hash_password(item.password)
        elif password_hash is not None and not credentials.is_password_hash(password_hash):
            self.problem(f"{path}.passwordHash", "is not a password hash usersim wrote")
        user = User(
            id=item.id,
            username=item.username,
            name=item.name,
            email=email,
            status=item.status,
            created_at=created,
            updated_at=updated,
            thumbnail=item.thumbnail,
            mashape_id=item.mashape_id,
            company=item.company,
            position=item.position,
            location=item.location,
            bio=item.bio,
            last_active=None if item.last_active is None else to_ms(item.last_active),
            deleted_at=None if live else _at(item.deleted_at, updated),
            apis_count=item.apis_count,
            verified=item.verified,
            protected=item.protected,
            created_by_sso=item.created_by_sso,
            billing_type=item.billing_type,
            password_hash=password_hash,
        )
        self.users[item.id] = user
        self.add("users", user)
        role_id = self._role(path, item.role, ENVIRONMENT_LEVEL)
        if role_id is not None:
            self.add("entity_roles", EntityRole(item.id, None, role_id, ENVIRONMENT_LEVEL))
            if item.status == ACTIVE and self.roles[role_id].is_admin:
                self.env_admins += 1
        if item.apps:  # most users have none: skip the call
            self._apps(path, item.id, item.apps, created)

    def _apps(self, path: str, owner_id: int, apps: list[AppFixture], created: int) -> None:
        for position, app in enumerate(apps):
            app_path = f"{path}.apps[{position}]"
            if app.id in self.project_ids:
                self.problem(
                    f"{app_path}.id",
                    f"app {app.id} is already defined at {self.project_ids[app.id]}",
                )
                continue
            self.project_ids[app.id] = app_path
            app_created = _at(app.created_at, created)
            project = Project(
                id=app.id,
                owner_id=owner_id,
                acl_id=app.acl_id or 0,
                name=app.name,
                created_at=app_created,
                updated_at=_at(app.updated_at, app_created),
                description=app.description,
                thumbnail=app.thumbnail,
                mashape_id=app.mashape_id,
                enable_limits_to_apis=app.enable_limits_to_apis,
            )
            if app.acl_id is None:
                self.pending_acls.append(project)
            elif app.acl_id in self.acl_ids:
                self.problem(
                    f"{app_path}.aclId",
                    f"ACL {app.acl_id} is already used at {self.acl_ids[app.acl_id]}",
                )
            else:
                self.acl_ids[app.acl_id] = app_path
                self.add("projects", project)
            for index, key in enumerate(app.keys):
                key_path = f"{app_path}.keys[{index}]"
                if key.id in self.key_ids:
                    self.problem(
                        f"{key_path}.id",
                        f"key id {key.id} is already used at {self.key_ids[key.id]}",
                    )
                    continue
                if key.key in self.key_values:
                    self.problem(
                        f"{key_path}.key", f"this key is already used at {self.key_values[key.key]}"
                    )
                    continue
                self.key_ids[key.id] = key_path
                self.key_values[key.key] = key_path
                self.add(
                    "app_keys",
                    AppKey(key.id, key.key, app.id, _at(key.created_at, app_created), key.name),
                )

    def _organization(self, path: str, item: OrganizationFixture, position: int) -> None:
        if not self._holds(item):
            return
        slug = item.slugified_name or slugify(item.name)
        if slug.lower() in self.org_slugs:
            self.problem(
                f"{path}.slugifiedName", f"{slug} is already used at {self.org_slugs[slug.lower()]}"
            )
        self.org_slugs[slug.lower()] = path
        created = _time(item.created_at, position)
        self.add(
            "organizations",
            Organization(
                id=item.id,
                name=item.name,
                slugified_name=slug,
                created_at=created,
                updated_at=_at(item.updated_at, created),
                email=item.email,
                description=item.description,
                thumbnail=item.thumbnail,
                apis_count=item.apis_count,
                seats=item.seats,
                billing_type=item.billing_type,
            ),
        )
        if item.role is not None:
            role_id = self._role(path, item.role, ORGANIZATION_LEVEL)
            if role_id is not None:
                self.add(
                    "entity_roles",
                    EntityRole(item.id, None, role_id, ORGANIZATION_LEVEL, item.id),
                )
        members = self.members.setdefault(item.id, {})
        for index, member in enumerate(item.members):
            self._org_member(f"{path}.members[{index}]", item.id, member, members, created)
        if not any(
            self.roles[role_id].is_admin and self.users[user_id].status == ACTIVE
            for user_id, role_id in members.items()
        ):
            self.problem(
                f"{path}.members",
                f"organization {item.id} has no active admin: give an ACTIVE member the"
                f" {ORGANIZATION_USER_LEVEL} role whose key is ADMIN",
            )
        team_ids = set()
        for index, team in enumerate(item.teams):
            if self._team(f"{path}.teams[{index}]", item.id, team, members, created):
                team_ids.add(team.id)
        emails: dict[str, str] = {}
        for index, invite in enumerate(item.invites):
            self._invite(
                f"{path}.invites[{index}]", item.id, invite, members, team_ids, emails, created
            )

    def _org_member(
        self, path: str, org_id: int, item: MemberFixture, members: dict[int, int], created: int
    ) -> None:
        user = self.users.get(item.user)
        if user is None:
            self.problem(f"{path}.user", f"user {item.user} does not exist")
            return
        if not user.live:
            self.problem(f"{path}.user", f"user {item.user} is DELETED and cannot be a member")
            return
        if item.user in members:
            self.problem(f"{path}.user", f"user {item.user} is listed twice")
            return
        role_id = self._role(path, item.role, ORGANIZATION_USER_LEVEL)
        if role_id is None:
            return
        members[item.user] = role_id
        self.add(
            "org_users",
            OrgUser(
                org_id=org_id,
                id=item.user,
                invite_status=INVITE_ACCEPTED,
                created_at=_at(item.created_at, created),
                user_id=item.user,
            ),
        )
        self.add(
            "entity_roles",
            EntityRole(item.user, org_id, role_id, ORGANIZATION_USER_LEVEL, org_id),
        )

    def _team(
        self, path: str, org_id: int, item: TeamFixture, members: dict[int, int], org_created: int
    ) -> bool:
        if not self._holds(item):
            return False
        created = _at(item.created_at, org_created)
        self.add(
            "teams",
            Team(
                id=item.id,
                org_id=org_id,
                name=item.name,
                slugified_name=item.slugified_name or slugify(item.name),
                created_at=created,
                updated_at=_at(item.updated_at, created),
                description=item.description,
                thumbnail=item.thumbnail,
                mashape_id=item.mashape_id,
            ),
        )
        if item.role is not None:
            role_id = self._role(path, item.role, TEAM_ENVIRONMENT_LEVEL)
            if role_id is not None:
                self.add(
                    "entity_roles",
                    EntityRole(item.id, None, role_id, TEAM_ENVIRONMENT_LEVEL, org_id),
                )
        seen: set[int] = set()
        for index, member in enumerate(item.members):
            member_path = f"{path}.members[{index}]"
            if member.user not in members:
                self.problem(
                    f"{member_path}.user",
                    f"user {member.user} is not a member of organization {org_id}",
                )
                continue
            if member.user in seen:
                self.problem(f"{member_path}.user", f"user {member.user} is listed twice")
                continue
            seen.add(member.user)
            role_id = self._role(member_path, member.role, TEAM_USER_LEVEL)
            if role_id is None:
                continue
            self.add(
                "team_members",
                TeamMember(item.id, member.user, _at(member.created_at, created)),
            )
            self.add(
                "entity_roles", EntityRole(member.user, item.id, role_id, TEAM_USER_LEVEL, org_id)
            )
        if item.apps:
            self._apps(path, item.id, item.apps, created)
        return True

    def _invite(
        self,
        path: str,
        org_id: int,
        item: InviteFixture,
        members: dict[int, int],
        team_ids: set[int],
        emails: dict[str, str],
        org_created: int,
    ) -> None:
        if item.user is not None:
            user = self.users.get(item.user)
            if user is None:
                self.problem(f"{path}.user", f"user {item.user} does not exist")
                return
            if user.status != ACTIVE:
                self.problem(
                    f"{path}.user", f"user {item.user} is {user.status} and cannot be invited"
                )
                return
            if item.user in members:
                self.problem(f"{path}.user", f"user {item.user} is already a member")
                return
            email = None
        else:
            email = (item.email or "").strip()
            if not is_valid_email(email):
                self.problem(f"{path}.email", f"{item.email!r} is not an email address")
            elif email.lower() in self.live_emails:
                self.problem(
                    f"{path}.email",
                    f"{email} belongs to the user at {self.live_emails[email.lower()]}: invite that user",
                )
            elif email.lower() in emails:
                self.problem(
                    f"{path}.email", f"{email} is already invited at {emails[email.lower()]}"
                )
            emails[email.lower()] = path
        for index, team_id in enumerate(item.teams):
            if team_id not in team_ids:
                self.problem(
                    f"{path}.teams[{index}]",
                    f"team {team_id} is not a team of organization {org_id}",
                )
        if item.inviter is not None and item.inviter not in self.users:
            self.problem(f"{path}.inviter", f"user {item.inviter} does not exist")
        role_id = self._role(path, item.role, ORGANIZATION_USER_LEVEL)
        token_hash = item.token_hash if item.token is None else credentials.hash_token(item.token)
        if token_hash is not None:
            if token_hash in self.invite_tokens:
                self.problem(f"{path}.token", f"is the token of {self.invite_tokens[token_hash]}")
            self.invite_tokens[token_hash] = path
        row = OrgUser(
            org_id=org_id,
            id=item.user or item.id or 0,
            invite_status=INVITE_PENDING,
            created_at=_at(item.created_at, org_created),
            user_id=item.user,
            email=email,
            role_id=role_id,
            team_ids=tuple(dict.fromkeys(item.teams)),
            inviter_id=item.inviter,
            token_hash=token_hash,
        )
        if row.id == 0:
            self.pending_invites.append((row, item.token))
        else:
            self._add_invite(row, item.token)

    def _add_invite(self, row: OrgUser, token: str | None) -> None:
        """An invite, and the invitation email of a token the fixture gives in clear."""
        self.add("org_users", row)
        if token is not None:
            email = row.email if row.user_id is None else self.users[row.user_id].email
            self.add(
                "invite_mails", InviteMail(row.org_id, row.id, email or "", token, row.created_at)
            )

    def _assign_missing_ids(self) -> None:
        """Ids a fixture leaves out follow the highest one given, in file order."""
        next_entity = max(self.entities, default=0) + 1
        for row, token in self.pending_invites:
            self._add_invite(replace(row, id=next_entity), token)
            next_entity += 1
        next_acl = max(self.acl_ids, default=0) + 1
        for project in self.pending_acls:
            self.add("projects", replace(project, acl_id=next_acl))
            next_acl += 1
