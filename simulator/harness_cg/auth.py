"""Who is calling: the API key, its owner and the account the request is about."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.datastructures import Headers, QueryParams
from starlette.responses import Response

from simulator.harness_cg import errors
from simulator.store.harness import HarnessStore
from simulator.store.harness.models import ApiKey, User


@dataclass(frozen=True)
class Caller:
    key: ApiKey
    user: User
    account_id: str


def authenticate(
    store: HarnessStore, headers: Headers, query: QueryParams | Mapping[str, str]
) -> Caller | Response:
    """The caller, or the 401 CurrentGen sends before it looks at the query.

    The account comes from `accountId` (the key's own account when absent); a key of
    another account is as invalid as an unknown one, so accounts cannot be probed.
    """
    token = headers.get("x-api-key")
    key = store.api_key(token) if token else None
    if key is None:
        return errors.invalid_api_key()
    account_id = query.get("accountId") or key.account_id
    if account_id != key.account_id:
        return errors.invalid_api_key()
    user = store.key_owner(key)
    if user is None:
        return errors.invalid_api_key()
    if user.disabled or store.signin.is_locked(user):
        return errors.user_not_authorized()
    return Caller(key, user, account_id)
