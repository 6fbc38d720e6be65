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

RAPIDAPI_TEAM_KEY = "usersim-rapidapi-team-key"  # team 7669831, of organization 7669830
BENCH_PRINCIPAL = "W_zq_nwvTCm50wX3cI6Nhw"  # Wei Zhang, account viewer

NG_USER = "/gateway/ng/api/user"
NG_USER_GROUPS = "/gateway/ng/api/user-groups"
ROLE_ASSIGNMENTS = "/gateway/authz/api/roleassignments"
SCIM_BASE = "/gateway/ng/api/scim/account"
CG_PATH = "/gateway/api/graphql"
RAPIDAPI_PATH = "/rapidapi/graphql"

CG_USERS_QUERY = (
    "{ users(limit: 10) { nodes { id name email userGroups(limit: 5) { nodes { id name } } } } }"
)
CG_MUTATION = (
    'mutation { updateUser(input: {id: "Gh4P71mhQkCydNbKtUIiJg", name: "Gary Bench"}) '
    "{ user { id name } } }"
)
RAPIDAPI_MEMBERS_QUERY = (
    "{ paginatedTeamUsersByOrganizationIdV2(orgId: 7669830, pagingArgs: {offset: 0, limit: 10}) "
    "{ data { id name email role inviteStatus } total totalActive } }"
)
RAPIDAPI_ROLES_QUERY = (
    "{ roles(where: {roleLevels: [USER_ENVIRONMENT]}, pagination: {first: 10}) "
    "{ edges { node { id name } cursor } pageInfo { hasNextPage endCursor } } }"
)


NONCE = "@NONCE@"
"""Where a fresh REST body (or its undo's path) takes its unique number: a new identifier
per create, and the delete that takes that one back."""


@dataclass(frozen=True)
class Request:
    """One HTTP request: what wrk's Lua script, the fallback and http.client all send.

    `fresh` requests differ each time they are sent. A GraphQL one carries a unique,
    undeclared variable (`{"benchNonce": n}`): usersim's GraphQL faces reuse the answer
    to an identical read-only request while the state is unchanged (simulator/graphql/
    results.py), and a benchmark that repeats one query would measure only that cache.
    The query text stays the same, so the parse and validation cache still applies, as
    it does for a client. A REST body puts the number where it says `@NONCE@` (a create
    that must not collide with the one before).

    A request with an `undo` alternates with it: the n-th send of each carries the same
    number, so the state does not grow while a create is measured (Harness refuses a
    second role assignment of the same principal, role and resource group).
    """

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    fresh: bool = False
    undo: Request | None = None

    @property
    def fresh_parts(self) -> tuple[bytes, bytes]:
        """The body of a fresh send, before and after its number."""
        marker = NONCE.encode()
        if marker in self.body:
            head, _, tail = self.body.partition(marker)
            return head, tail
        return self.body.rstrip()[:-1] + b',"variables":{"benchNonce":', b"}}"

    def path_for(self, n: int) -> str:
        return self.path.replace(NONCE, str(n))

    def body_for(self, n: int) -> bytes:
        """The body of the n-th send."""
        if not self.fresh:
            return self.body
        head, tail = self.fresh_parts
        return head + str(n).encode() + tail

    def executed(self) -> Request:
        """The same request, sent fresh (executed every time, never a cached answer)."""
        return Request(self.method, self.path, self.headers, self.body, True, self.undo)


NG_CURRENT_USER = "NG GET currentUser"
CG_USERS = "CG users(limit: 10) + userGroups"
CG_MUTATION_LABEL = "CG updateUser mutation"
RAPIDAPI_ROLES = "RapidAPI roles page"


@dataclass(frozen=True)
class Scenario:
    """One throughput row. An `optional` one names an operation other work is adding: it
    is measured when the server under test serves it, and listed as missing otherwise."""

    name: str
    label: str
    request: Request
    optional: bool = False
    connections: int | None = None  # when the run's number would make requests collide


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


def rapidapi(query: str, api_key: str = RAPIDAPI_KEY, identity_key: str | None = None) -> Request:
    headers = {"x-rapidapi-key": api_key}
    if identity_key is not None:
        headers["x-rapidapi-identity-key"] = identity_key
    return _json_post(RAPIDAPI_PATH, {"query": query}, headers)


def ng_user_groups() -> Request:
    path = f"{NG_USER_GROUPS}?accountIdentifier={ACCOUNT}&pageIndex=0&pageSize=50"
    return Request("GET", path, {"x-api-key": API_KEY})


def ng_role_assignment() -> Request:
    """A new assignment each time (its identifier carries the send's number), deleted by
    the request that follows it."""
    assignment = {
        "identifier": f"bench_{NONCE}",
        "resourceGroupIdentifier": "_all_account_level_resources",
        "roleIdentifier": "_account_viewer",
        "principal": {"identifier": BENCH_PRINCIPAL, "type": "USER"},
    }
    scope = f"accountIdentifier={ACCOUNT}"
    create = _json_post(f"{ROLE_ASSIGNMENTS}?{scope}", assignment, {"x-api-key": API_KEY})
    delete = Request("DELETE", f"{ROLE_ASSIGNMENTS}/bench_{NONCE}?{scope}", {"x-api-key": API_KEY})
    return Request(create.method, create.path, create.headers, create.body, True, delete)


def scim_users() -> Request:
    path = f"{SCIM_BASE}/{ACCOUNT}/Users?startIndex=1&count=20"
    return Request("GET", path, {"authorization": f"Bearer {API_KEY}"})


def throughput_scenarios() -> list[Scenario]:
    """One row per operation measured against the ceiling: every face, each kind of call."""
    cg_users, roles = cg(CG_USERS_QUERY), rapidapi(RAPIDAPI_ROLES_QUERY)
    members = rapidapi(RAPIDAPI_MEMBERS_QUERY, RAPIDAPI_TEAM_KEY, RAPIDAPI_KEY)
    return [
        Scenario("ng_current_user", NG_CURRENT_USER, ng_current_user()),
        Scenario("ng_batch", "NG POST batch (page of 50)", ng_batch()),
        Scenario("cg_users", CG_USERS, cg_users.executed()),
        Scenario("cg_users_cached", CG_USERS + ", repeated (answer cache)", cg_users),
        Scenario("cg_mutation", CG_MUTATION_LABEL, cg(CG_MUTATION)),
        Scenario("rapidapi_roles", RAPIDAPI_ROLES, roles.executed()),
        Scenario("rapidapi_roles_cached", RAPIDAPI_ROLES + ", repeated (answer cache)", roles),
        Scenario("rapidapi_members", "RapidAPI organization member page", members.executed()),
        Scenario(
            "ng_user_groups", "NG GET user groups (page of 50)", ng_user_groups(), optional=True
        ),
        Scenario(
            "ng_role_assignment",
            "NG role assignment: create, then delete (1 connection)",
            ng_role_assignment(),
            optional=True,
            # Harness refuses a second assignment of one principal, role and resource group:
            # each create is deleted before the next is sent.
            connections=1,
        ),
        Scenario("scim_users", "SCIM GET Users (page of 20)", scim_users(), optional=True),
    ]
