"""Who is calling: a Harness API key sent as a bearer token, for the account in the path."""

from __future__ import annotations

from typing import NamedTuple

from starlette.datastructures import Headers
from starlette.responses import Response

from simulator.harness_scim import errors
from simulator.store.harness import HarnessStore
from simulator.store.harness.access import USER_MANAGE, USERGROUP_MANAGE
from simulator.store.harness.models import ApiKey, Scope, User

_BEARER = "bearer "


class Caller(NamedTuple):
    key: ApiKey
    user: User
    account_id: str


def bearer_token(headers: Headers) -> str | None:
    value = headers.get("authorization", "")
    if value[: len(_BEARER)].lower() != _BEARER:
        return None
    return value[len(_BEARER) :].strip() or None


def authenticate(store: HarnessStore, headers: Headers, account_id: str) -> Caller | Response:
    """The caller, or the refusal: 401 for a token that is missing, unknown, of another
    account or of a user who cannot sign in; 403 for one whose owner may not manage users
    and user groups (SCIM provisions both)."""
    token = bearer_token(headers)
    key = store.api_key(token) if token else None
    if key is None or key.account_id != account_id:
        return errors.invalid_token()
    user = store.key_owner(key)
    if user is None or user.disabled or store.signin.is_locked(user):
        return errors.invalid_token()
    account = Scope(account_id)
    for permission in (USER_MANAGE, USERGROUP_MANAGE):
        if not store.access.has_permission(user, account, permission):
            return errors.error(
                f"Missing permission {permission} on account {account_id}", status=403
            )
    return Caller(key, user, account_id)
