"""Invitations to organizations, as a lifecycle: sent, resent, withdrawn, accepted.

An invite is a pending row of the organization's user list. Sending it issues a token
that only the invitation email carries: the row keeps the token's hash, and the email
(an `InviteMail`) is the one place the token exists in clear. Whoever holds the token
can read the invite; only the invitee can accept it, and accepting makes them a member
with the invited role and teams. Resending issues a new token and the old one stops
working; withdrawing deletes the row and its email.
"""

from __future__ import annotations

from collections.abc import Sequence

from simulator.records import record, replace
from simulator.store.credentials import hash_token
from simulator.store.errors import InvalidInput
from simulator.store.rapidapi.access import Access, Forbidden
from simulator.store.rapidapi.models import (
    ACTIVE,
    INVITE_ACCEPTED,
    INVITE_PENDING,
    EntityRole,
    InviteMail,
    OrgUser,
    User,
)
from simulator.store.rapidapi.organizations import Organizations, TeamUserEntry, drop_org_user
from simulator.store.rapidapi.state import ENTITY, RapidApiState
from simulator.store.rapidapi.teams import Teams
from simulator.store.rapidapi.text import is_valid_email


@record
class Invitee:
    """Whom an invite is for: an existing user (`user_id`) or an email without a user."""

    email: str | None = None
    user_id: int | None = None


class Invites:
    def __init__(
        self, state: RapidApiState, access: Access, organizations: Organizations, teams: Teams
    ) -> None:
        self._state = state
        self._access = access
        self._organizations = organizations
        self._teams = teams

    # -- reads ---------------------------------------------------------------------------

    def by_token(self, token: str) -> TeamUserEntry | None:
        """The pending invite this token stands for (None for an unknown, replaced,
        withdrawn or accepted one)."""
        row = self._state.org_users.find("token", hash_token(token))
        return None if row is None else self._organizations.entry(row)

    def mails(self, org_id: int | None = None, email: str | None = None) -> list[InviteMail]:
        """The invitation emails of pending invites, newest first (the control API's read)."""
        wanted = None if email is None else email.strip().lower()
        mails = [
            mail
            for mail in self._state.invite_mails.values()
            if (org_id is None or mail.org_id == org_id)
            and (wanted is None or mail.email.lower() == wanted)
        ]
        return sorted(mails, key=lambda m: (-m.sent_at, m.org_id, m.invite_id))

    # -- changes -------------------------------------------------------------------------

    def create(
        self,
        actor: User,
        org_id: int,
        invitee: Invitee,
        *,
        team_ids: Sequence[int | None],
        role_key: str | None,
        inviter_id: int | None = None,
    ) -> OrgUser:
        """`createUserInvites`: a pending invite to the organization and some of its
        teams. Inviting someone already invited updates the invite and sends it again."""
        state = self._state
        with state.db.transaction():
            self._organizations.managed(actor, org_id, "organizationId")
            user = self._invitee(invitee)
            if user is not None and self._access.membership(org_id, user.id) is not None:
                raise InvalidInput(
                    "email", f"user {user.id} is already a member of organization {org_id}"
                )
            teams = self._organizations.teams_of(org_id, team_ids, "teamIds")
            role = self._organizations.org_role_by_key(role_key, "role")
            if inviter_id is not None and inviter_id not in state.users:
                raise InvalidInput("inviterId", f"user {inviter_id} does not exist")
            email = (invitee.email or "").strip()
            if user is not None:
                existing = state.org_users.get((org_id, user.id))
            else:
                existing = state.org_users.find("email", (org_id, email.lower()))
            if existing is None:
                existing = OrgUser(
                    org_id=org_id,
                    id=user.id if user is not None else state.sequences.next(ENTITY),
                    invite_status=INVITE_PENDING,
                    created_at=state.now(),
                    user_id=None if user is None else user.id,
                    email=None if user is not None else email,
                )
            row = replace(
                existing,
                role_id=role.id,
                team_ids=tuple(t.id for t in teams),
                inviter_id=actor.id if inviter_id is None else inviter_id,
            )
            return self._send(row)

    def accept(self, actor: User, token: str) -> OrgUser:
        """`acceptUserInvite`: the invitee becomes a member with the invited role and
        teams. An invite to an email is accepted by the user who has that email."""
        state = self._state
        with state.db.transaction():
            entry = self.by_token(token)
            if entry is None:
                raise InvalidInput(
                    "token",
                    "no pending invitation has this token (it was accepted, withdrawn or"
                    " sent again with a new one)",
                )
            invite = entry.row
            if invite.user_id is not None:
                mine = invite.user_id == actor.id
            else:
                mine = (invite.email or "").lower() == actor.email.lower()
            if not mine:
                raise Forbidden("invitee", "This invitation is for another user.")
            org_id = invite.org_id
            if self._access.membership(org_id, actor.id) is not None:
                raise InvalidInput(
                    "token", f"user {actor.id} is already a member of organization {org_id}"
                )
            role = self._access.role(invite.role_id) if invite.role_id is not None else None
            if role is None:
                role = self._organizations.org_role_by_key(None, "token")
            drop_org_user(state, invite)
            superseded = state.org_users.get((org_id, actor.id))
            if superseded is not None:  # an invite by user id, besides this one by email
                drop_org_user(state, superseded)
            member = OrgUser(
                org_id=org_id,
                id=actor.id,
                invite_status=INVITE_ACCEPTED,
                created_at=state.now(),
                user_id=actor.id,
                inviter_id=invite.inviter_id,
            )
            state.db.insert(state.org_users, member)
            state.db.put(
                state.entity_roles, EntityRole(actor.id, org_id, role.id, role.level, org_id)
            )
            for team_id in invite.team_ids:
                self._teams.join(state.teams[team_id], actor.id)
            return member

    def delete(self, actor: User, org_id: int, emails: Sequence[str | None]) -> int:
        """`deleteUserInvites`: withdraw pending invites, all or none; how many."""
        state = self._state
        with state.db.transaction():
            rows = self._pending(actor, org_id, emails)
            for row in rows:
                drop_org_user(state, row)
            return len(rows)

    def reactivate(self, actor: User, org_id: int, emails: Sequence[str | None]) -> None:
        """`reactivateUserInvites`: send pending invites again, each with a new token."""
        with self._state.db.transaction():
            for row in self._pending(actor, org_id, emails):
                self._send(row)

    # -- helpers -------------------------------------------------------------------------

    def _send(self, row: OrgUser) -> OrgUser:
        """Issue a new token, keep its hash on the invite, and put it in the email."""
        state = self._state
        token = state.fresh_token(
            lambda value: state.org_users.find("token", hash_token(value)) is not None
        )
        row = replace(row, token_hash=hash_token(token))
        state.db.put(state.org_users, row)
        email = self._organizations.entry(row).email
        state.db.put(state.invite_mails, InviteMail(row.org_id, row.id, email, token, state.now()))
        return row

    def _pending(self, actor: User, org_id: int, emails: Sequence[str | None]) -> list[OrgUser]:
        """The pending invites of an organization these emails name; every email must
        name one."""
        self._organizations.managed(actor, org_id, "orgId")
        if not emails:
            raise InvalidInput("emails", "give at least one email")
        rows: dict[int, OrgUser] = {}
        for email in emails:
            if email is None:
                raise InvalidInput("emails", "must not contain null")
            row = self._organizations.row_by_email(org_id, email)
            if row is None or row.accepted:
                what = (
                    "is a member, not a pending invitation" if row else "has no pending invitation"
                )
                raise InvalidInput("emails", f"{email.strip()} {what} in organization {org_id}")
            rows[row.id] = row
        return list(rows.values())

    def _invitee(self, invitee: Invitee) -> User | None:
        """The existing user an invite is for, or None for an email without a user."""
        email, user_id = invitee.email, invitee.user_id
        if user_id is not None:
            user = self._state.users.get(user_id)
            if user is None or not user.live:
                raise InvalidInput("id", f"user {user_id} does not exist")
            if email is not None and email.strip().lower() != user.email.lower():
                raise InvalidInput("email", f"is not the email of user {user_id}")
        elif email is None:
            raise InvalidInput("email", "give the email or the id of the user to invite")
        else:
            if not is_valid_email(email.strip()):
                raise InvalidInput("email", f"{email} is not an email address")
            user = self._state.users.find("email", email.strip().lower())
        if user is not None and user.status != ACTIVE:
            raise InvalidInput("email", f"user {user.id} is {user.status} and cannot be invited")
        return user
