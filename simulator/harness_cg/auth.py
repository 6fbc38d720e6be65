"""Who is calling: the API key, its owner and the account the request is about."""

from __future__ import annotations

from collections.abc import Hashable

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import Response

from simulator.harness_cg import errors
from simulator.http import query_params
from simulator.records import record
from simulator.store.harness import HarnessStore
from simulator.store.harness.models import ApiKey, User


@record
class Caller:
    key: ApiKey
    user: User
    account_id: str

    @property
    def refusal(self) -> GraphQLError | None:
        """CurrentGen refuses a caller before it reads the query (401), never after."""
        return None

    @property
    def rate_key(self) -> str:
        return self.key.token_hash

    @property
    def cache_identity(self) -> Hashable:
        return (self.account_id, self.user.id)


def authenticate(store: HarnessStore, request: Request) -> Caller | Response:
    """The caller, or the 401 CurrentGen sends before it looks at the query.

    The account comes from `accountId` (the key's own account when absent); a key of
    another account is as invalid as an unknown one, so accounts cannot be probed.
    """
    headers, query = request.headers, query_params(request.scope)
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
