"""Signing in as a Harness user: passwords, failed attempts and lockout, two-factor auth.

Kept apart from `users.py` (membership and profile) because these rules answer a
different question, whether a user may act at all, and are read on every request.
"""

from __future__ import annotations

from typing import Any

from simulator.records import replace
from simulator.store import credentials
from simulator.store.errors import InvalidInput, NotFound
from simulator.store.harness.models import LockoutPolicy, Scope, User
from simulator.store.harness.scopes import Scopes
from simulator.store.harness.state import HarnessState
from simulator.store.harness.users import Users

# changePassword results.
PASSWORD_CHANGED = "PASSWORD_CHANGED"
INCORRECT_CURRENT_PASSWORD = "INCORRECT_CURRENT_PASSWORD"
PASSWORD_STRENGTH_VIOLATED = "PASSWORD_STRENGTH_VIOLATED"


class LockoutSwitch:
    """The run-time lockout policy (set by the control API's policies): when `policy` is
    None, each account's login settings decide; otherwise it holds for every account."""

    def __init__(self) -> None:
        self.policy: LockoutPolicy | None = None


class SignIn:
    def __init__(
        self, state: HarnessState, users: Users, scopes: Scopes, lockout: LockoutSwitch
    ) -> None:
        self._state = state
        self._users = users
        self._scopes = scopes
        self.lockout = lockout

    def lockout_policy(self, account_id: str) -> LockoutPolicy:
        """The policy an account's users sign in under now."""
        override = self.lockout.policy
        if override is not None:
            return override
        return self._state.accounts[account_id].login.lockout

    def is_locked(self, user: User) -> bool:
        """Locked now: a lockout with an expiry ends by itself on the simulated clock."""
        if not user.locked:
            return False
        return user.locked_until is None or self._state.now() < user.locked_until

    def change_password(self, user: User, current: str, new: str) -> str:
        """Harness answers with a status, not an error; a wrong password counts to lockout."""
        state = self._state
        with state.db.transaction():
            user = self._users.get(user.account_id, user.id)
            if not credentials.verify_password(current, user.password_hash):
                self.record_failed_attempt(user)
                return INCORRECT_CURRENT_PASSWORD
            if not credentials.password_is_strong(new):
                return PASSWORD_STRENGTH_VIOLATED
            state.db.put(
                state.users,
                replace(
                    user,
                    password_hash=credentials.hash_password(new),
                    failed_attempts=0,
                    password_expired=False,
                    last_updated_at=state.now(),
                ),
            )
            return PASSWORD_CHANGED

    def record_failed_attempt(self, user: User) -> User:
        """Count a wrong password; with the lockout policy on, reaching its limit locks
        the user (the count goes on while it is off, as the account's record of them)."""
        state = self._state
        with state.db.transaction():
            user = self._users.get(user.account_id, user.id)
            policy = self.lockout_policy(user.account_id)
            attempts = user.failed_attempts + 1
            changes: dict[str, Any] = {"failed_attempts": attempts}
            if (
                policy.enabled
                and attempts >= policy.max_failed_attempts
                and not self.is_locked(user)
            ):
                changes["locked"] = True
                seconds = policy.lockout_seconds
                changes["locked_until"] = state.now() + seconds * 1000 if seconds > 0 else None
            user = replace(user, **changes)
            state.db.put(state.users, user)
            return user

    def unlock(self, scope: Scope, user_id: str) -> User:
        state = self._state
        self._scopes.require(scope)
        with state.db.transaction():
            user = self._users.get(scope.account_id, user_id)
            if not self._scopes.contains_user(scope, user):
                raise NotFound("user", user_id)
            user = replace(user, locked=False, locked_until=None, failed_attempts=0)
            state.db.put(state.users, user)
            return user

    def lock(self, account_id: str, user_id: str, seconds: int | None = None) -> User:
        """Lock a user outright (an admin action, or a test provoking a lockout)."""
        state = self._state
        with state.db.transaction():
            user = self._users.get(account_id, user_id)
            until = state.now() + seconds * 1000 if seconds else None
            user = replace(user, locked=True, locked_until=until)
            state.db.put(state.users, user)
            return user

    def enable_two_factor(self, user: User, secret: str) -> User:
        if not credentials.is_valid_totp_secret(secret):
            raise InvalidInput("totpSecretKey", "is not a valid base32 TOTP secret")
        return self._set_two_factor(user, enabled=True, secret=secret.upper())

    def disable_two_factor(self, user: User) -> User:
        return self._set_two_factor(user, enabled=False, secret=None)

    def reset_two_factor(self, account_id: str, user_id: str) -> bool:
        """Issue a new secret to a user who has two-factor auth on; False when it is off."""
        user = self._users.get(account_id, user_id)
        if not user.two_factor_enabled:
            return False
        self._set_two_factor(user, enabled=True, secret=credentials.new_totp_secret())
        return True

    def _set_two_factor(self, user: User, *, enabled: bool, secret: str | None) -> User:
        state = self._state
        with state.db.transaction():
            user = self._users.get(user.account_id, user.id)
            user = replace(
                user,
                two_factor_enabled=enabled,
                totp_secret=secret,
                last_updated_at=state.now(),
            )
            state.db.put(state.users, user)
            return user
