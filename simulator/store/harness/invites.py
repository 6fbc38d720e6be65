"""Pending invites: listing, sending again, revoking, and accepting through the email link.

An invite is created by NextGen's addUsers (`users.py`), which also decides whether the
account accepts it at once. What is left pending lives here until it is accepted (the
invitee follows the link in the invite email) or deleted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence

from simulator.records import record, replace
from simulator.store.errors import InvalidInput
from simulator.store.harness.models import (
    INVITE_LIFETIME_MS,
    Invite,
    RoleBindingSpec,
    Scope,
    User,
)
from simulator.store.harness.scopes import Scopes
from simulator.store.harness.state import HarnessState
from simulator.store.harness.users import Users, normalise_email

# What accepting an invite answers, as Harness names it.
ACCEPTED = "ACCOUNT_INVITE_ACCEPTED"
ACCEPTED_NEED_PASSWORD = "ACCOUNT_INVITE_ACCEPTED_NEED_PASSWORD"
INVALID = "INVITE_INVALID"
EXPIRED = "INVITE_EXPIRED"


@record
class Acceptance:
    """The outcome of following an invite link (`invite` and `user` when it worked)."""

    response: str
    invite: Invite | None = None
    user: User | None = None


class Invites:
    def __init__(self, state: HarnessState, scopes: Scopes, users: Users) -> None:
        self._state = state
        self._scopes = scopes
        self._users = users
        # Signs invite links; derived from the seed so that a run repeats exactly.
        self._link_key = hashlib.sha256(f"usersim-invite-links:{state.seed}".encode()).digest()

    # -- reads ---------------------------------------------------------------------------

    def pending(self, scope: Scope) -> list[Invite]:
        """Pending invites made at exactly this scope, newest first."""
        self._scopes.require(scope)
        return list(reversed(self._state.invites.ordered("scope", scope.key)))

    def find(self, account_id: str, invite_id: str) -> Invite | None:
        invite = self._state.invites.get(invite_id)
        return invite if invite is not None and invite.account_id == account_id else None

    # -- the email link ------------------------------------------------------------------

    def link_token(self, invite: Invite) -> str:
        """The token of the invite email's accept link (only the invitee ever sees it)."""
        return f"{invite.id}.{self._signature(invite.id)}"

    def by_token(self, token: str) -> Invite | None:
        invite_id, _, signature = token.partition(".")
        if not hmac.compare_digest(signature.encode(), self._signature(invite_id).encode()):
            return None
        return self._state.invites.get(invite_id)

    def accept(self, token: str) -> Acceptance:
        """Follow an invite link: the invitee becomes a member with the invite's roles and
        groups. A user created here has no password yet on a password-login account."""
        state = self._state
        invite = self.by_token(token)
        if invite is None:
            return Acceptance(INVALID)
        if state.now() > invite.expires_at:
            return Acceptance(EXPIRED, invite)
        existed = self._users.by_email(invite.account_id, invite.email) is not None
        user = self._users.accept_invite(invite)
        login = state.accounts[invite.account_id].login
        response = ACCEPTED if existed or login.sso else ACCEPTED_NEED_PASSWORD
        return Acceptance(response, invite, user)

    def _signature(self, invite_id: str) -> str:
        digest = hmac.new(self._link_key, invite_id.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:24]).rstrip(b"=").decode("ascii")

    # -- writes --------------------------------------------------------------------------

    def resend(
        self,
        account_id: str,
        invite_id: str,
        *,
        email: str,
        bindings: Sequence[RoleBindingSpec],
        group_refs: Sequence[str],
    ) -> Invite | None:
        """Send a pending invite again: valid for 30 more days, with the roles and groups
        given (the recipient cannot change). None when there is no such pending invite."""
        state = self._state
        with state.db.transaction():
            invite = self.find(account_id, invite_id)
            if invite is None:
                return None
            if normalise_email(email) != invite.email:
                raise InvalidInput("email", "Can't update recipient of an Invite after creation")
            scope = invite.scope
            for position, binding in enumerate(bindings):
                self._users.check_binding(scope, binding, f"roleBindings[{position}]")
            groups = [self._users.scope_group(scope, ref, "userGroups") for ref in group_refs]
            now = state.now()
            updated = replace(
                invite,
                created_at=now,
                valid_until=now + INVITE_LIFETIME_MS,
                role_bindings=tuple(bindings),
                user_groups=tuple(group.id for group in groups if group is not None),
            )
            state.db.put(state.invites, updated)
            return updated

    def delete(self, account_id: str, invite_id: str) -> Invite | None:
        """Revoke a pending invite; None when there is none with this id."""
        state = self._state
        with state.db.transaction():
            invite = self.find(account_id, invite_id)
            if invite is not None:
                state.db.delete(state.invites, invite.id)
            return invite
