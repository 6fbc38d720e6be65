"""Harness user groups: membership, settings and CurrentGen permissions.

These are the account-level groups CurrentGen manages (NextGen org and project groups
share the table but are not reachable through these reads and writes). Validation runs
in Harness's order, so when a request has several problems the one reported is the one
Harness reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from simulator.records import replace
from simulator.store.errors import AlreadyExists, InvalidInput, NotFound
from simulator.store.frozen import freeze
from simulator.store.harness.models import User, UserGroup
from simulator.store.harness.permissions import (
    validate_permissions,
    with_account_permission,
    with_app_permission,
)
from simulator.store.harness.state import HarnessState
from simulator.store.values import UNSET, Page


class Groups:
    def __init__(self, state: HarnessState) -> None:
        self._state = state

    # -- reads ---------------------------------------------------------------------------

    def find(self, account_id: str, group_id: str) -> UserGroup | None:
        """An account-level group of the account (org and project groups are NextGen's)."""
        group = self._state.groups.get(group_id)
        if group is None or group.account_id != account_id or group.org is not None:
            return None
        return group

    def get(self, account_id: str, group_id: str) -> UserGroup:
        group = self.find(account_id, group_id)
        if group is None:
            raise NotFound("user group", group_id)
        return group

    def by_name(self, account_id: str, name: str) -> UserGroup | None:
        found = self._state.groups.find_all("name", (account_id, None, None, name))
        return found[0] if found else None

    def page(self, account_id: str, offset: int, limit: int) -> Page:
        """Account-level groups sorted by name."""
        groups = self._state.groups
        partition = (account_id, None, None)
        return Page(
            groups.count("name", partition), groups.slice("name", partition, offset, offset + limit)
        )

    def of_user(self, user: User) -> list[UserGroup]:
        """The account-level groups a user belongs to, sorted by name."""
        groups = [g for g in self._state.groups.find_all("member", user.id) if g.org is None]
        return sorted(groups, key=lambda g: (g.name.lower(), g.name, g.id))

    def members(self, group: UserGroup) -> list[User]:
        """A group's members sorted by name, as CurrentGen lists them."""
        users = [self._state.users.get(user_id) for user_id in group.member_ids]
        present = [user for user in users if user is not None]
        return sorted(present, key=lambda u: (u.name.lower(), u.name, u.id))

    def account_groups(
        self, account_id: str, group_ids: Iterable[str], *, field: str
    ) -> list[UserGroup]:
        """Account-level groups to add a user to, by id; unknown ids are refused all
        together, and so are groups whose members nobody may change by hand."""
        groups: list[UserGroup] = []
        missing: list[str] = []
        for group_id in group_ids:
            group = self.find(account_id, group_id) if group_id else None
            if group is None:
                missing.append(group_id)
            elif group not in groups:
                groups.append(group)
        if missing:
            raise NotFound("user group", tuple(missing), field=field)
        for group in groups:
            self.check_manual_membership(group)
        return groups

    @staticmethod
    def check_manual_membership(group: UserGroup) -> None:
        """Refuse a member change made by hand where Harness or an identity provider
        decides the members (every face edits members through this rule)."""
        if group.harness_managed:
            raise InvalidInput(
                None, "Cannot add or remove user from an harness managed user group."
            )
        if group.externally_managed:
            raise InvalidInput(
                None,
                f"This API call is not supported for externally managed group{group.identifier}",
            )
        if group.sso_linked:
            raise InvalidInput(
                None,
                f"The members of user group {group.identifier} come from its linked SSO group"
                " and cannot be changed by hand",
            )

    # -- writes --------------------------------------------------------------------------

    def create(
        self,
        account_id: str,
        *,
        name: str,
        description: str | None = None,
        user_ids: Sequence[str] | None = None,
        sso_setting: Mapping[str, Any] | None = None,
        permissions: Mapping[str, Any] | None = None,
        notification_settings: Mapping[str, Any] | None = None,
    ) -> UserGroup:
        state = self._state
        with state.db.transaction():
            checked_permissions = validate_permissions(state, account_id, permissions)
            members = self._valid_members(account_id, user_ids or ())
            checked_sso = self._valid_sso(account_id, sso_setting)
            if not (name or "").strip():
                raise InvalidInput("name", "The user group name cannot be blank")
            clean_name = self._valid_name(account_id, name, own_id=None)
            group_id = state.fresh_id(state.groups)
            group = UserGroup(
                id=group_id,
                account_id=account_id,
                identifier=group_id,
                name=clean_name,
                created_at=state.now(),
                description=description,
                member_ids=members,
                sso_setting=checked_sso,
                notification_settings=freeze(notification_defaults(notification_settings)),
                permissions=freeze(checked_permissions),
            )
            state.db.insert(state.groups, group)
            return group

    def update(
        self,
        account_id: str,
        group_id: str,
        *,
        name: Any = UNSET,
        description: Any = UNSET,
        user_ids: Any = UNSET,
        sso_setting: Any = UNSET,
        permissions: Any = UNSET,
        notification_settings: Any = UNSET,
    ) -> UserGroup:
        """Apply only the fields that were sent; lists and settings replace what was there."""
        state = self._state
        with state.db.transaction():
            group = self.get(account_id, group_id)
            changes: dict[str, Any] = {}
            if name is not UNSET:
                changes["name"] = self._valid_name(account_id, name, own_id=group.id)
                if group.externally_managed and changes["name"] != group.name:
                    # The identity provider names the groups it provisions.
                    raise InvalidInput(
                        "name", "The name cannot be updated for externally managed group"
                    )
            if description is not UNSET:
                changes["description"] = description
            if user_ids is not UNSET:
                members = self._valid_members(account_id, user_ids or ())
                if set(members) != set(group.member_ids):
                    self.check_manual_membership(group)
                changes["member_ids"] = members
            if sso_setting is not UNSET:
                changes["sso_setting"] = self._valid_sso(account_id, sso_setting)
            if permissions is not UNSET:
                changes["permissions"] = freeze(
                    validate_permissions(state, account_id, permissions)
                )
            if notification_settings is not UNSET:
                changes["notification_settings"] = freeze(
                    notification_defaults(notification_settings)
                )
            group = replace(group, **changes, last_modified_at=state.now())
            state.db.put(state.groups, group)
            return group

    def set_permissions(
        self, account_id: str, group_id: str, permissions: Mapping[str, Any] | None
    ) -> UserGroup:
        """updateUserGroupPermissions: the new permissions replace all earlier ones."""
        return self.update(account_id, group_id, permissions=permissions)

    def add_account_permission(
        self, account_id: str, group_id: str, permission_type: str
    ) -> UserGroup:
        """addAccountPermission: one more account permission; everything else is kept."""
        with self._state.db.transaction():
            group = self.get(account_id, group_id)
            return self._put_permissions(
                group, with_account_permission(group.permissions, permission_type)
            )

    def add_app_permission(
        self, account_id: str, group_id: str, permission: Mapping[str, Any]
    ) -> UserGroup:
        """addAppPermission: one more application permission; everything else is kept."""
        state = self._state
        with state.db.transaction():
            group = self.get(account_id, group_id)
            return self._put_permissions(
                group, with_app_permission(state, account_id, group.permissions, permission)
            )

    def _put_permissions(self, group: UserGroup, permissions: Mapping[str, Any]) -> UserGroup:
        updated = replace(group, permissions=freeze(permissions))
        self._state.db.put(self._state.groups, updated)
        return updated

    def delete(self, account_id: str, group_id: str) -> None:
        state = self._state
        with state.db.transaction():
            self.drop(self.get(account_id, group_id))

    def drop(self, group: UserGroup) -> None:
        """Delete a group and every role assignment made to it, in the caller's transaction:
        those at its own scope and those at child scopes that name its level, so no face's
        delete leaves an assignment to a group that is gone."""
        state = self._state
        for assignment in state.role_assignments.find_all(
            "principal", (group.account_id, "USER_GROUP", group.identifier)
        ):
            if assignment.principal_scope == group.scope:
                state.db.delete(state.role_assignments, (group.account_id, assignment.identifier))
        state.db.delete(state.groups, group.id)

    def add_member(self, account_id: str, group_id: str, user_id: str) -> UserGroup:
        state = self._state
        with state.db.transaction():
            group = self.get(account_id, group_id)
            self._require_user(account_id, user_id)
            self.check_manual_membership(group)
            if user_id in group.member_ids:
                raise AlreadyExists("group member", user_id)
            return self.join(group, user_id)

    def remove_member(self, account_id: str, group_id: str, user_id: str) -> UserGroup:
        state = self._state
        with state.db.transaction():
            group = self.get(account_id, group_id)
            self._require_user(account_id, user_id)
            self.check_manual_membership(group)
            if user_id not in group.member_ids:
                raise NotFound("group member", user_id)
            return self.leave(group, user_id)

    def join(self, group: UserGroup, user_id: str) -> UserGroup:
        """Add a member if missing (inside the caller's transaction)."""
        current = self._state.groups.get(group.id) or group
        if user_id in current.member_ids:
            return current
        updated = replace(current, member_ids=(*current.member_ids, user_id))
        self._state.db.put(self._state.groups, updated)
        return updated

    def leave(self, group: UserGroup, user_id: str) -> UserGroup:
        """Drop a member if present (inside the caller's transaction)."""
        current = self._state.groups.get(group.id) or group
        if user_id not in current.member_ids:
            return current
        members = tuple(member for member in current.member_ids if member != user_id)
        updated = replace(current, member_ids=members)
        self._state.db.put(self._state.groups, updated)
        return updated

    # -- validation ----------------------------------------------------------------------

    def _valid_name(self, account_id: str, name: str | None, *, own_id: str | None) -> str:
        clean = (name or "").strip()
        if not clean:
            raise InvalidInput(
                "name", "The name supplied in the update user group request is blank"
            )
        holder = self.by_name(account_id, clean)
        if holder is not None and holder.id != own_id:
            raise AlreadyExists("user group", clean, field="name")
        return clean

    def _valid_members(self, account_id: str, user_ids: Sequence[str | None]) -> tuple[str, ...]:
        members: list[str] = []
        missing: list[str] = []
        for user_id in user_ids:
            user = self._state.users.get(user_id) if user_id else None
            if user is None or user.account_id != account_id:
                missing.append("null" if user_id is None else user_id)
            elif user_id not in members:
                members.append(user.id)
        if missing:
            raise NotFound("user", tuple(missing), field="userIds")
        return tuple(members)

    def _valid_sso(
        self, account_id: str, setting: Mapping[str, Any] | None
    ) -> Mapping[str, Any] | None:
        """One linked SSO group at most (LDAP or SAML); neither means "not linked"."""
        if not setting:
            return None
        ldap, saml = setting.get("ldapSettings"), setting.get("samlSettings")
        if ldap is not None and saml is not None:
            raise InvalidInput(
                "ssoSetting", "Only one of saml/ldap setting can be set for a user group"
            )
        chosen = ldap if ldap is not None else saml
        if chosen is None:
            return None
        provider_id = chosen.get("ssoProviderId")
        if not (provider_id or "").strip():
            raise InvalidInput("ssoProviderId", "Invalid sso provider id given in the request")
        provider = self._state.sso_providers.get(provider_id)
        if provider is None or provider.account_id != account_id:
            raise InvalidInput("ssoProviderId", f"No sso settings exists for the id {provider_id}")
        wanted = "LDAP" if ldap is not None else "SAML"
        if provider.sso_type != wanted:
            kind = provider.sso_type.lower()
            raise InvalidInput(
                "ssoSetting",
                f"No {kind} setting provided for the {kind} sso Provider with id {provider_id}",
            )
        setting_for_group: Mapping[str, Any] = freeze({"type": wanted, **chosen})
        return setting_for_group

    def _require_user(self, account_id: str, user_id: str) -> None:
        user = self._state.users.get(user_id)
        if user is None or user.account_id != account_id:
            raise NotFound("user", user_id)


def notification_defaults(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """Notification settings as Harness stores them: absent parts get Harness's defaults.

    No settings at all mean "notify nobody" with blank integrations; settings without a
    Slack part get a blank Slack channel, as Harness's own conversion does.
    """
    if settings is None:
        return {
            "sendNotificationToMembers": False,
            "sendMailToNewMembers": False,
            "groupEmailAddresses": [],
            "slackNotificationSetting": None,
            "pagerDutyIntegrationKey": "",
            "microsoftTeamsWebhookUrl": "",
        }
    slack = settings.get("slackNotificationSetting")
    return {
        "sendNotificationToMembers": bool(settings.get("sendNotificationToMembers")),
        "sendMailToNewMembers": bool(settings.get("sendMailToNewMembers")),
        "groupEmailAddresses": list(settings.get("groupEmailAddresses") or []),
        "slackNotificationSetting": {
            "slackChannelName": (slack or {}).get("slackChannelName", ""),
            "slackWebhookURL": (slack or {}).get("slackWebhookURL", ""),
        },
        "pagerDutyIntegrationKey": settings.get("pagerDutyIntegrationKey"),
        "microsoftTeamsWebhookUrl": settings.get("microsoftTeamsWebhookUrl"),
    }
