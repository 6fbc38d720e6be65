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

if TYPE_CHECKING:  # the fixture shapes: imported at start only to read fixture files
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
            for position, user in enumerate(hub.hub["users"]):
                self._user(f"{where}.users[{position}]", user, position)
        for where, hub in self.located():
            for position, org in enumerate(hub.hub["organizations"]):
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
        items = hub["permissions"]
        for position, item in enumerate(items):
            path = f"{where}.permissions[{position}]"
            permission_id = item["id"]
            if permission_id in self.permissions:
                self.problem(f"{path}.id", f"permission {permission_id} is defined twice")
                continue
            permission = Permission(
                permission_id,
                item["key"],
                item["display_name"],
                item["level"],
                item.get("description"),
                item.get("depends_on"),
            )
            self.permissions[permission_id] = permission
            self.add("permissions", permission)
        for position, item in enumerate(items):
            depends_on = item.get("depends_on")
            if depends_on is not None and depends_on not in self.permissions:
                self.problem(
                    f"{where}.permissions[{position}].dependsOn",
                    f"permission {depends_on} does not exist",
                )

    def _roles(self, where: str, hub: RapidApiFixture) -> None:
        keys: set[tuple[str, str]] = {(r.level, r.key) for r in self.roles.values()}
        for position, item in enumerate(hub["roles"]):
            path = f"{where}.roles[{position}]"
            role_id, level, key = item["id"], item["level"], item["key"]
            if role_id in self.roles:
                self.problem(f"{path}.id", f"role {role_id} is defined twice")
                continue
            if (level, key) in keys:
                self.problem(f"{path}.key", f"{level} already has a role with key {key}")
            keys.add((level, key))
            grants = []
            for index, grant in enumerate(item["permissions"]):
                permission_id = grant["permission"]
                permission = self.permissions.get(permission_id)
                if permission is None:
                    self.problem(
                        f"{path}.permissions[{index}]",
                        f"permission {permission_id} does not exist",
                    )
                elif permission.level != level:
                    self.problem(
                        f"{path}.permissions[{index}]",
                        f"permission {permission_id} is a {permission.level} permission",
                    )
                else:
                    grants.append(Grant(permission_id, grant["read_only"]))
            if item["is_default"]:
                if level in self.defaults:
                    self.problem(
                        f"{path}.isDefault",
                        f"role {self.defaults[level]} is already the default {level} role",
                    )
                self.defaults.setdefault(level, role_id)
            role = Role(
                role_id,
                key,
                item["name"],
                level,
                item.get("description"),
                item["is_basic_role"],
                item["is_default"],
                tuple(grants),
            )
            self.roles[role_id] = role
            self.add("roles", role)

    def _entity_ids(self, where: str, hub: RapidApiFixture) -> None:
        """Users, organizations, teams and invites share one id space.

        The first item to give an id holds it; the builders skip a user, organization or
        team whose id another holds (`_holds`), so each id is reported once.
        """
        claims: list[tuple[str, int | None, object]]
        claims = [
            (f"{where}.users[{i}].id", user["id"], user) for i, user in enumerate(hub["users"])
        ]
        for i, org in enumerate(hub["organizations"]):
            org_path = f"{where}.organizations[{i}]"
            claims.append((f"{org_path}.id", org["id"], org))
            claims += [
                (f"{org_path}.teams[{j}].id", team["id"], team)
                for j, team in enumerate(org["teams"])
            ]
            claims += [
                (f"{org_path}.invites[{j}].id", invite.get("id"), invite)
                for j, invite in enumerate(org["invites"])
            ]
        for path, entity_id, item in claims:
            if entity_id is None:
                continue
            if entity_id in self.entities:
                holder_path = self.entities[entity_id][0]
                self.problem(path, f"id {entity_id} is already used at {holder_path}")
            else:
                self.entities[entity_id] = (path, item)

    def _holds(self, item: UserFixture | OrganizationFixture | TeamFixture) -> bool:
        """Whether `item` holds its id (`_entity_ids` claimed every id first)."""
        return self.entities[item["id"]][1] is item

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
        user_id, status = item["id"], item["status"]
        email = item["email"].strip()
        if not is_valid_email(email):
            self.problem(f"{path}.email", f"{item['email']!r} is not an email address")
        live = status != DELETED
        if live:
            email_key, username_key = email.lower(), item["username"].lower()
            if email_key in self.live_emails:
                used_at = self.live_emails[email_key]
                self.problem(f"{path}.email", f"email {email_key} is already used at {used_at}")
            if username_key in self.live_usernames:
                used_at = self.live_usernames[username_key]
                self.problem(
                    f"{path}.username", f"username {username_key} is already used at {used_at}"
                )
            self.live_emails[email_key] = self.live_usernames[username_key] = path
        created = _time(item.get("created_at"), position)
        updated = _at(item.get("updated_at"), created)
        password, password_hash = item.get("password"), item.get("password_hash")
        if password is not None:
            if password_hash is not None:
                self.problem(path, "give either password or passwordHash, not both")
            password_hash = credentials.hash_password(password)
        elif password_hash is not None and not credentials.is_password_hash(password_hash):
            self.problem(f"{path}.passwordHash", "is not a password hash usersim wrote")
        last_active = item.get("last_active")
        last_active_ms = None if last_active is None else to_ms(last_active)
        deleted_at = None if live else _at(item.get("deleted_at"), updated)
        # Positional: a class called with keywords gets them in a new dict (CPython's
        # type_call), a fifth of this loop's cost. Each argument names its field, and
        # tests/rapidapi/test_store.py checks that every one reaches it.
        user = User(
            user_id,
            item["username"],
            item["name"],
            email,
            status,
            created,
            updated,
            item.get("thumbnail"),
            item.get("mashape_id"),
            item.get("company"),
            item.get("position"),
            item.get("location"),
            item.get("bio"),
            last_active_ms,
            deleted_at,
            item["apis_count"],
            item["verified"],
            item["protected"],
            item["created_by_sso"],
            item.get("billing_type"),
            password_hash,
        )
        self.users[user_id] = user
        self.add("users", user)
        role_id = self._role(path, item.get("role"), ENVIRONMENT_LEVEL)
        if role_id is not None:
            self.add("entity_roles", EntityRole(user_id, None, role_id, ENVIRONMENT_LEVEL))
            if status == ACTIVE and self.roles[role_id].is_admin:
                self.env_admins += 1
        apps = item["apps"]
        if apps:  # most users have none: skip the call
            self._apps(path, user_id, apps, created)

    def _apps(self, path: str, owner_id: int, apps: list[AppFixture], created: int) -> None:
        for position, app in enumerate(apps):
            app_path = f"{path}.apps[{position}]"
            app_id, acl_id = app["id"], app.get("acl_id")
            if app_id in self.project_ids:
                self.problem(
                    f"{app_path}.id",
                    f"app {app_id} is already defined at {self.project_ids[app_id]}",
                )
                continue
            self.project_ids[app_id] = app_path
            app_created = _at(app.get("created_at"), created)
            project = Project(
                id=app_id,
                owner_id=owner_id,
                acl_id=acl_id or 0,
                name=app["name"],
                created_at=app_created,
                updated_at=_at(app.get("updated_at"), app_created),
                description=app.get("description"),
                thumbnail=app.get("thumbnail"),
                mashape_id=app.get("mashape_id"),
                enable_limits_to_apis=app["enable_limits_to_apis"],
            )
            if acl_id is None:
                self.pending_acls.append(project)
            elif acl_id in self.acl_ids:
                self.problem(
                    f"{app_path}.aclId", f"ACL {acl_id} is already used at {self.acl_ids[acl_id]}"
                )
            else:
                self.acl_ids[acl_id] = app_path
                self.add("projects", project)
            for index, key in enumerate(app["keys"]):
                key_path = f"{app_path}.keys[{index}]"
                key_id, value = key["id"], key["key"]
                if key_id in self.key_ids:
                    self.problem(
                        f"{key_path}.id",
                        f"key id {key_id} is already used at {self.key_ids[key_id]}",
                    )
                    continue
                if value in self.key_values:
                    self.problem(
                        f"{key_path}.key", f"this key is already used at {self.key_values[value]}"
                    )
                    continue
                self.key_ids[key_id] = key_path
                self.key_values[value] = key_path
                self.add(
                    "app_keys",
                    AppKey(
                        key_id,
                        value,
                        app_id,
                        _at(key.get("created_at"), app_created),
                        key.get("name"),
                    ),
                )

    def _organization(self, path: str, item: OrganizationFixture, position: int) -> None:
        if not self._holds(item):
            return
        org_id = item["id"]
        slug = item.get("slugified_name") or slugify(item["name"])
        if slug.lower() in self.org_slugs:
            self.problem(
                f"{path}.slugifiedName", f"{slug} is already used at {self.org_slugs[slug.lower()]}"
            )
        self.org_slugs[slug.lower()] = path
        created = _time(item.get("created_at"), position)
        self.add(
            "organizations",
            Organization(
                id=org_id,
                name=item["name"],
                slugified_name=slug,
                created_at=created,
                updated_at=_at(item.get("updated_at"), created),
                email=item.get("email"),
                description=item.get("description"),
                thumbnail=item.get("thumbnail"),
                apis_count=item["apis_count"],
                seats=item.get("seats"),
                billing_type=item.get("billing_type"),
            ),
        )
        org_role = item.get("role")
        if org_role is not None:
            role_id = self._role(path, org_role, ORGANIZATION_LEVEL)
            if role_id is not None:
                self.add(
                    "entity_roles",
                    EntityRole(org_id, None, role_id, ORGANIZATION_LEVEL, org_id),
                )
        members = self.members.setdefault(org_id, {})
        for index, member in enumerate(item["members"]):
            self._org_member(f"{path}.members[{index}]", org_id, member, members, created)
        if not any(
            self.roles[role_id].is_admin and self.users[user_id].status == ACTIVE
            for user_id, role_id in members.items()
        ):
            self.problem(
                f"{path}.members",
                f"organization {org_id} has no active admin: give an ACTIVE member the"
                f" {ORGANIZATION_USER_LEVEL} role whose key is ADMIN",
            )
        team_ids = set()
        for index, team in enumerate(item["teams"]):
            if self._team(f"{path}.teams[{index}]", org_id, team, members, created):
                team_ids.add(team["id"])
        emails: dict[str, str] = {}
        for index, invite in enumerate(item["invites"]):
            self._invite(
                f"{path}.invites[{index}]", org_id, invite, members, team_ids, emails, created
            )

    def _org_member(
        self, path: str, org_id: int, item: MemberFixture, members: dict[int, int], created: int
    ) -> None:
        user_id = item["user"]
        user = self.users.get(user_id)
        if user is None:
            self.problem(f"{path}.user", f"user {user_id} does not exist")
            return
        if not user.live:
            self.problem(f"{path}.user", f"user {user_id} is DELETED and cannot be a member")
            return
        if user_id in members:
            self.problem(f"{path}.user", f"user {user_id} is listed twice")
            return
        role_id = self._role(path, item.get("role"), ORGANIZATION_USER_LEVEL)
        if role_id is None:
            return
        members[user_id] = role_id
        # By position (keywords cost a dict per call): a member's row id is its user's id.
        joined = _at(item.get("created_at"), created)
        self.add("org_users", OrgUser(org_id, user_id, INVITE_ACCEPTED, joined, user_id))
        self.add(
            "entity_roles",
            EntityRole(user_id, org_id, role_id, ORGANIZATION_USER_LEVEL, org_id),
        )

    def _team(
        self, path: str, org_id: int, item: TeamFixture, members: dict[int, int], org_created: int
    ) -> bool:
        if not self._holds(item):
            return False
        team_id = item["id"]
        created = _at(item.get("created_at"), org_created)
        self.add(
            "teams",
            Team(
                id=team_id,
                org_id=org_id,
                name=item["name"],
                slugified_name=item.get("slugified_name") or slugify(item["name"]),
                created_at=created,
                updated_at=_at(item.get("updated_at"), created),
                description=item.get("description"),
                thumbnail=item.get("thumbnail"),
                mashape_id=item.get("mashape_id"),
            ),
        )
        team_role = item.get("role")
        if team_role is not None:
            role_id = self._role(path, team_role, TEAM_ENVIRONMENT_LEVEL)
            if role_id is not None:
                self.add(
                    "entity_roles",
                    EntityRole(team_id, None, role_id, TEAM_ENVIRONMENT_LEVEL, org_id),
                )
        seen: set[int] = set()
        for index, member in enumerate(item["members"]):
            member_path = f"{path}.members[{index}]"
            user_id = member["user"]
            if user_id not in members:
                self.problem(
                    f"{member_path}.user",
                    f"user {user_id} is not a member of organization {org_id}",
                )
                continue
            if user_id in seen:
                self.problem(f"{member_path}.user", f"user {user_id} is listed twice")
                continue
            seen.add(user_id)
            role_id = self._role(member_path, member.get("role"), TEAM_USER_LEVEL)
            if role_id is None:
                continue
            self.add(
                "team_members",
                TeamMember(team_id, user_id, _at(member.get("created_at"), created)),
            )
            self.add("entity_roles", EntityRole(user_id, team_id, role_id, TEAM_USER_LEVEL, org_id))
        apps = item["apps"]
        if apps:
            self._apps(path, team_id, apps, created)
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
        user_id, given_email, invite_id = item.get("user"), item.get("email"), item.get("id")
        token, token_hash = item.get("token"), item.get("token_hash")
        if (user_id is None) == (given_email is None):
            self.problem(path, "give exactly one of user or email")
            return
        if token is not None and token_hash is not None:
            self.problem(path, "give either token or tokenHash, not both")
            return
        if user_id is not None:
            if invite_id is not None:
                self.problem(
                    f"{path}.id", "an invite to an existing user is identified by the user's id"
                )
                return
            user = self.users.get(user_id)
            if user is None:
                self.problem(f"{path}.user", f"user {user_id} does not exist")
                return
            if user.status != ACTIVE:
                self.problem(
                    f"{path}.user", f"user {user_id} is {user.status} and cannot be invited"
                )
                return
            if user_id in members:
                self.problem(f"{path}.user", f"user {user_id} is already a member")
                return
            email = None
        else:
            email = (given_email or "").strip()
            if not is_valid_email(email):
                self.problem(f"{path}.email", f"{given_email!r} is not an email address")
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
        teams = item["teams"]
        for index, team_id in enumerate(teams):
            if team_id not in team_ids:
                self.problem(
                    f"{path}.teams[{index}]",
                    f"team {team_id} is not a team of organization {org_id}",
                )
        inviter = item.get("inviter")
        if inviter is not None and inviter not in self.users:
            self.problem(f"{path}.inviter", f"user {inviter} does not exist")
        role_id = self._role(path, item.get("role"), ORGANIZATION_USER_LEVEL)
        if token is not None:
            token_hash = credentials.hash_token(token)
        if token_hash is not None:
            if token_hash in self.invite_tokens:
                self.problem(f"{path}.token", f"is the token of {self.invite_tokens[token_hash]}")
            self.invite_tokens[token_hash] = path
        row = OrgUser(
            org_id=org_id,
            id=user_id or invite_id or 0,
            invite_status=INVITE_PENDING,
            created_at=_at(item.get("created_at"), org_created),
            user_id=user_id,
            email=email,
            role_id=role_id,
            team_ids=tuple(dict.fromkeys(teams)),
            inviter_id=inviter,
            token_hash=token_hash,
        )
        if row.id == 0:
            self.pending_invites.append((row, token))
        else:
            self._add_invite(row, token)

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
