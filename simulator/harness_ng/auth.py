"""Who is calling: the API key, its owner and the account the request is about."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from starlette.datastructures import Headers, QueryParams
from starlette.responses import Response

from simulator.harness_ng import envelopes
from simulator.http import optional_header
from simulator.store.harness import HarnessStore
from simulator.store.harness.models import ApiKey, User


class Caller(NamedTuple):
    key: ApiKey
    user: User
    account_id: str


def requested_account(headers: Headers, query: QueryParams | Mapping[str, str]) -> str | None:
    """The account a request names, in the order Harness's filter looks for it."""
    # `in` first: a missing key costs a caught KeyError in Starlette's `get`.
    return (
        optional_header(headers, "harness-account")
        or ("accountId" in query and query["accountId"])
        or ("accountIdentifier" in query and query["accountIdentifier"])
        or None
    )


def authenticate(
    store: HarnessStore,
    headers: Headers,
    query: QueryParams | Mapping[str, str],
    *,
    account_required: bool,
) -> Caller | Response:
    """The caller, or the refusal Harness sends (401 INVALID_TOKEN, 400 no account)."""
    token = headers.get("x-api-key")
    if not token:
        return envelopes.invalid_token()
    key = store.api_key(token)
    if key is None:
        return envelopes.invalid_token()
    account_id = requested_account(headers, query)
    if account_id is None:
        if account_required:
            return envelopes.invalid_request("Account detail is not present in the request")
        account_id = key.account_id
    if account_id != key.account_id:
        return envelopes.invalid_token()
    user = store.key_owner(key)
    if user is None:
        return envelopes.invalid_token()
    if user.disabled:
        return envelopes.error("INVALID_TOKEN", "User is disabled.", status=401)
    if store.signin.is_locked(user):
        return envelopes.error(
            "USER_LOCKED",
            "User is locked due to too many failed attempts. Contact your account admin.",
        )
    return Caller(key, user, account_id)
