"""The requests the benchmark sends, with the keys of the default and generated fixtures.

Kept as data so the load generators (wrk, the Python fallback, the latency probe) and the
ceiling's payload capture all send byte-for-byte the same request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

ACCOUNT = "UsersimAccount00000001"
API_KEY = "usersim-admin-key"
RAPIDAPI_KEY = "usersim-rapidapi-key"
# What `usersim fixtures generate` writes (simulator/generate.py).
GENERATED_ACCOUNT = "UsersimGeneratedAcct01"
GENERATED_KEY = "usersim-generated-key"
GENERATED_RAPIDAPI_KEY = "usersim-generated-rapidapi-key"

NG_USER = "/gateway/ng/api/user"
CG_PATH = "/gateway/api/graphql"
RAPIDAPI_PATH = "/rapidapi/graphql"

CG_USERS_QUERY = (
    "{ users(limit: 10) { nodes { id name email userGroups(limit: 5) { nodes { id name } } } } }"
)
CG_MUTATION = (
    'mutation { updateUser(input: {id: "Gh4P71mhQkCydNbKtUIiJg", name: "Gary Bench"}) '
    "{ user { id name } } }"
)
RAPIDAPI_ROLES_QUERY = (
    "{ roles(where: {roleLevels: [USER_ENVIRONMENT]}, pagination: {first: 10}) "
    "{ edges { node { id name } cursor } pageInfo { hasNextPage endCursor } } }"
)


@dataclass(frozen=True)
class Request:
    """One HTTP request: what wrk's Lua script, the fallback and http.client all send.

    `fresh` requests carry a unique, undeclared GraphQL variable each time they are sent
    (`{"benchNonce": n}`): usersim's GraphQL faces reuse the answer to an identical
    read-only request while the state is unchanged (simulator/graphql/results.py), and a
    benchmark that repeats one query would measure only that cache. The query text stays
    the same, so the parse and validation cache still applies, as it does for a client.
    """

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    fresh: bool = False

    @property
    def fresh_prefix(self) -> bytes:
        """The body up to where the nonce goes (the JSON object left open)."""
        return self.body.rstrip()[:-1] + b',"variables":{"benchNonce":'

    def body_for(self, n: int) -> bytes:
        """The body of the n-th send."""
        return self.fresh_prefix + str(n).encode() + b"}}" if self.fresh else self.body

    def executed(self) -> Request:
        """The same request, sent fresh (executed every time, never a cached answer)."""
        return Request(self.method, self.path, self.headers, self.body, fresh=True)


NG_CURRENT_USER = "NG GET currentUser"
CG_USERS = "CG users(limit: 10) + userGroups"


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    request: Request


def _json_post(path: str, document: object, headers: dict[str, str]) -> Request:
    return Request(
        "POST",
        path,
        {**headers, "content-type": "application/json"},
        json.dumps(document, separators=(",", ":")).encode(),
    )


def ng_current_user(api_key: str = API_KEY) -> Request:
    return Request("GET", f"{NG_USER}/currentUser", {"x-api-key": api_key})


def ng_batch(
    account: str = ACCOUNT,
    api_key: str = API_KEY,
    page_index: int = 0,
    page_size: int = 50,
    search_term: str | None = None,
) -> Request:
    body = {"searchTerm": search_term} if search_term else {}
    path = (
        f"{NG_USER}/batch?accountIdentifier={account}&pageIndex={page_index}&pageSize={page_size}"
    )
    return _json_post(path, body, {"x-api-key": api_key})


def cg(query: str, account: str = ACCOUNT, api_key: str = API_KEY) -> Request:
    return _json_post(f"{CG_PATH}?accountId={account}", {"query": query}, {"x-api-key": api_key})


def rapidapi(query: str, api_key: str = RAPIDAPI_KEY) -> Request:
    return _json_post(RAPIDAPI_PATH, {"query": query}, {"x-rapidapi-key": api_key})


def throughput_scenarios() -> list[Scenario]:
    """The figures of the issue's Benchmarks section, each one against the ceiling."""
    cg_users, roles = cg(CG_USERS_QUERY), rapidapi(RAPIDAPI_ROLES_QUERY)
    return [
        Scenario("ng_current_user", NG_CURRENT_USER, ng_current_user()),
        Scenario("ng_batch", "NG POST batch (page of 50)", ng_batch()),
        Scenario("cg_users", CG_USERS, cg_users.executed()),
        Scenario("cg_users_cached", CG_USERS + ", repeated (answer cache)", cg_users),
        Scenario("cg_mutation", "CG updateUser mutation", cg(CG_MUTATION)),
        Scenario("rapidapi_roles", "RapidAPI roles page", roles.executed()),
        Scenario("rapidapi_roles_cached", "RapidAPI roles page, repeated (answer cache)", roles),
    ]
