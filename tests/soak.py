"""The soak run: many concurrent clients, a random mix of writes and reads on every face.

`make soak` runs it against a real server for a bounded time; the suite runs a short
version. Afterwards it checks what a contract-testing backend must guarantee under
parallel tests: no unexpected 5xx, the invariants hold, the journal holds exactly the
requests sent (the newest of them, once its 10,000 entries are full), and everything
created (and not deleted since) reads back.

The mix includes what would grow an unbounded server: headers over the limit (431),
large headers under it, bodies over the limit (413), and GraphQL documents that are all
different. Each client keeps what it created to a handful, deleting as it goes, so the
state does not grow either. A run bounded by a number of requests also watches the
server's resident memory: it must end within 10% of what it was once warmed up (a fifth
of the requests in). A short run has no warmed-up size (the journal alone fills for its
first 10,000 requests), so the suite's 5-second version does not watch.

    python -m tests.soak [--clients 32] [--seconds 600] [--requests 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.ids import ACCOUNT

HARNESS = {"x-api-key": "usersim-admin-key"}
SCIM_AUTH = {"Authorization": "Bearer usersim-admin-key"}
RAPIDAPI = {"x-rapidapi-key": "usersim-rapidapi-key"}
NG = "/gateway/ng/api/user"
CG = f"/gateway/api/graphql?accountId={ACCOUNT}"
GQL = "/rapidapi/graphql"
SCIM = f"/gateway/ng/api/scim/account/{ACCOUNT}"
RAPIDAPI_ORG = 7669830
# A client keeps at most this many things it created alive; past it, it deletes.
KEEP = 8
# What the soak sends over and under the server's limits (64 KiB of headers, 1 MiB body).
OVERSIZED_HEADER = "h" * (80 * 1024)
LARGE_HEADER = "h" * (24 * 1024)
OVERSIZED_BODY = b"[" + b"0," * (600 * 1024) + b"0]"
# The server's resident memory may end at most this far above its warmed-up size.
RSS_GROWTH = 0.10


@dataclass
class Tally:
    requests: int = 0
    journaled: int = 0  # requests the journal should hold (431s never reach it)
    lost: int = 0  # requests whose answer never arrived (journaled or not)
    statuses: Counter[int] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)
    harness_users: dict[str, str] = field(default_factory=dict)  # id -> email, alive
    harness_groups: set[str] = field(default_factory=set)
    teams: set[int] = field(default_factory=set)


class Client:
    """One simulated client: its own unique names, its own created things."""

    def __init__(self, number: int, http: httpx.AsyncClient, tally: Tally, seed: int) -> None:
        self.number = number
        self.http = http
        self.tally = tally
        self.rng = random.Random(seed * 1000 + number)
        self.serial = 0
        self.users: list[str] = []
        self.groups: list[str] = []
        self.teams: list[int] = []

    def unique(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.number}-{self.serial}"

    async def call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        response = await self.http.request(method, url, **kwargs)
        self.tally.requests += 1
        self.tally.journaled += response.status_code != 431
        self.tally.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.tally.unexpected.append(
                f"{method} {url}: {response.status_code} {response.text[:200]}"
            )
        return response

    async def graphql(
        self, url: str, query: str, variables: dict[str, Any], headers: dict[str, str]
    ) -> Any:
        response = await self.call(
            "POST", url, json={"query": query, "variables": variables}, headers=headers
        )
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            self.tally.unexpected.append(f"{url}: {response.status_code} {str(body)[:200]}")
            return None
        return body["data"]

    async def step(self) -> None:
        actions = [
            (3, self.ng_list),
            (2, self.cg_list),
            (2, self.rapidapi_roles),
            (2, self.cg_create_user),
            (1, self.ng_add_user),
            (1, self.cg_create_group),
            (1, self.ng_remove_own_user),
            (1, self.scim_provision_user),
            (1, self.scim_deactivate_own_user),
            (1, self.rapidapi_create_team),
            (1, self.rapidapi_delete_own_team),
            (1, self.cg_delete_own_group),
            (1, self.oversized_header),
            (1, self.large_header),
            (1, self.oversized_body),
            (2, self.distinct_query),
        ]
        weights = [weight for weight, _ in actions]
        action = self.rng.choices([action for _, action in actions], weights)[0]
        try:
            await action()
        except httpx.TransportError as exc:  # reported, and the soak goes on
            self.tally.lost += 1
            self.tally.unexpected.append(f"{action.__name__}: {type(exc).__name__} {exc}")

    async def ng_list(self) -> None:
        response = await self.call(
            "POST",
            f"{NG}/batch",
            params={"accountIdentifier": ACCOUNT, "pageSize": 50},
            json={},
            headers=HARNESS,
        )
        self.expect(response, 200)

    async def cg_list(self) -> None:
        await self.graphql(
            CG,
            "{ users(limit: 10) { pageInfo { total } nodes { id userGroups(limit: 5) { nodes { id } } } } }",
            {},
            HARNESS,
        )

    async def rapidapi_roles(self) -> None:
        await self.graphql(
            GQL,
            "{ roles(where: {roleLevels: [USER_TEAM]}, pagination: {first: 5}) { edges { cursor } } }",
            {},
            RAPIDAPI,
        )

    async def oversized_header(self) -> None:
        headers = {**HARNESS, "x-padding": OVERSIZED_HEADER}
        response = await self.call(
            "GET", f"{NG}/currentUser", params={"accountIdentifier": ACCOUNT}, headers=headers
        )
        self.expect(response, 431)

    async def large_header(self) -> None:
        headers = {**HARNESS, "x-padding": LARGE_HEADER}
        response = await self.call(
            "GET", f"{NG}/currentUser", params={"accountIdentifier": ACCOUNT}, headers=headers
        )
        self.expect(response, 200)

    async def oversized_body(self) -> None:
        headers = {**HARNESS, "content-type": "application/json"}
        response = await self.call(
            "POST",
            f"{NG}/batch",
            params={"accountIdentifier": ACCOUNT},
            content=OVERSIZED_BODY,
            headers=headers,
        )
        self.expect(response, 413)

    async def distinct_query(self) -> None:
        """A document no other request sends (a new alias and padding each time)."""
        alias = self.unique("q").replace("-", "_")
        padding = " ".join(f"p{n}: __typename" for n in range(self.rng.randrange(1, 200)))
        await self.graphql(
            CG, f"{{ {alias}: users(limit: 1) {{ nodes {{ id }} }} {padding} }}", {}, HARNESS
        )

    async def cg_delete_own_group(self) -> None:
        if not self.groups:
            return
        group_id = self.groups.pop(self.rng.randrange(len(self.groups)))
        data = await self.graphql(
            CG,
            "mutation($g: DeleteUserGroupInput!) { deleteUserGroup(input: $g) { clientMutationId } }",
            {"g": {"userGroupId": group_id}},
            HARNESS,
        )
        if data is not None:
            self.tally.harness_groups.discard(group_id)

    async def cg_create_user(self) -> None:
        if len(self.users) >= KEEP:
            await self.ng_remove_own_user()
            return
        email = f"{self.unique('soak')}@soak.example.com"
        data = await self.graphql(
            CG,
            "mutation($u: CreateUserInput!) { createUser(input: $u) { user { id email } } }",
            {"u": {"name": "Soak User", "email": email}},
            HARNESS,
        )
        if data:
            user_id = data["createUser"]["user"]["id"]
            self.users.append(user_id)
            self.tally.harness_users[user_id] = email

    async def ng_add_user(self) -> None:
        if not self.users:
            return
        user_id = self.rng.choice(self.users)
        email = self.tally.harness_users[user_id]
        response = await self.call(
            "POST",
            f"{NG}/users",
            params={
                "accountIdentifier": ACCOUNT,
                "orgIdentifier": "default",
                "projectIdentifier": "checkout",
            },
            json={"emails": [email]},
            headers=HARNESS,
        )
        self.expect(response, 200)

    async def cg_create_group(self) -> None:
        if len(self.groups) >= KEEP:
            await self.cg_delete_own_group()
            return
        name = self.unique("Soak Group")
        user_ids = self.users[-3:]
        data = await self.graphql(
            CG,
            "mutation($g: CreateUserGroupInput!) { createUserGroup(input: $g) { userGroup { id } } }",
            {"g": {"name": name, "userIds": user_ids}},
            HARNESS,
        )
        if data:
            group_id = data["createUserGroup"]["userGroup"]["id"]
            self.groups.append(group_id)
            self.tally.harness_groups.add(group_id)

    async def scim_provision_user(self) -> None:
        email = f"{self.unique('scim')}@example.com"
        response = await self.call(
            "POST", f"{SCIM}/Users", json={"userName": email}, headers=SCIM_AUTH
        )
        if self.expect(response, 201):
            user_id = response.json()["id"]
            self.users.append(user_id)
            self.tally.harness_users[user_id] = email

    async def scim_deactivate_own_user(self) -> None:
        """An identity provider's deactivation: the user leaves the account."""
        if not self.users:
            return
        user_id = self.users.pop(self.rng.randrange(len(self.users)))
        operations = [{"op": "replace", "value": {"active": False}}]
        response = await self.call(
            "PATCH", f"{SCIM}/Users/{user_id}", json={"Operations": operations}, headers=SCIM_AUTH
        )
        if self.expect(response, 200):
            del self.tally.harness_users[user_id]

    async def ng_remove_own_user(self) -> None:
        if not self.users:
            return
        user_id = self.users.pop(self.rng.randrange(len(self.users)))
        response = await self.call(
            "DELETE", f"{NG}/{user_id}", params={"accountIdentifier": ACCOUNT}, headers=HARNESS
        )
        if self.expect(response, 200):
            del self.tally.harness_users[user_id]

    async def rapidapi_create_team(self) -> None:
        if len(self.teams) >= KEEP:
            await self.rapidapi_delete_own_team()
            return
        data = await self.graphql(
            GQL,
            "mutation($t: TeamCreateInput!) { createTeam(input: $t) { id } }",
            {"t": {"organizationId": RAPIDAPI_ORG, "name": self.unique("Soak Team")}},
            RAPIDAPI,
        )
        if data:
            team_id = int(data["createTeam"]["id"])
            self.teams.append(team_id)
            self.tally.teams.add(team_id)

    async def rapidapi_delete_own_team(self) -> None:
        if not self.teams:
            return
        team_id = self.teams.pop()
        data = await self.graphql(
            GQL, "mutation($id: ID!) { deleteTeam(id: $id) }", {"id": team_id}, RAPIDAPI
        )
        if data and data["deleteTeam"]:
            self.tally.teams.discard(team_id)

    def expect(self, response: httpx.Response, status: int) -> bool:
        if response.status_code != status:
            self.tally.unexpected.append(
                f"{response.request.url}: {response.status_code} {response.text[:200]}"
            )
            return False
        return True


def rss(pid: int) -> int:
    """A process's resident memory in bytes (Linux)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for {pid}")


async def run(
    base_url: str,
    clients: int,
    seconds: float,
    seed: int = 1,
    *,
    requests: int | None = None,
    server_pid: int | None = None,
) -> dict[str, Any]:
    tally = Tally()
    # Idle connections are dropped before uvicorn's 5 s keep-alive timeout closes them:
    # reusing one just as the server closes it is a reset no server can prevent.
    limits = httpx.Limits(
        max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=2.0
    )
    memory: dict[str, int] = {}
    # Sampled a fifth of the way in; only a run of a known length has such a point.
    warm_after = requests // 5 if requests else None
    async with httpx.AsyncClient(base_url=base_url, timeout=30.0, limits=limits) as http:
        await http.post("/_usersim/reset")
        deadline = time.monotonic() + seconds
        started = time.monotonic()

        def going() -> bool:
            return time.monotonic() < deadline and (requests is None or tally.requests < requests)

        async def loop(number: int) -> None:
            client = Client(number, http, tally, seed)
            while going():
                await client.step()

        async def watch() -> None:
            while server_pid is not None and warm_after is not None and going():
                if "warm" not in memory and tally.requests >= warm_after:
                    memory["warm"] = rss(server_pid)
                await asyncio.sleep(0.5)

        await asyncio.gather(watch(), *(loop(n) for n in range(clients)))
        elapsed = time.monotonic() - started
        problems = list(tally.unexpected)
        if server_pid is not None and "warm" in memory:
            memory["final"] = rss(server_pid)
            if memory["final"] > memory["warm"] * (1 + RSS_GROWTH):
                problems.append(f"resident memory grew from {memory['warm']} to {memory['final']}")
        problems += await _check_after(http, tally)
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": tally.requests,
        "rate": round(tally.requests / elapsed, 1),
        "statuses": dict(sorted(tally.statuses.items())),
        "rss": {name: round(value / 2**20, 1) for name, value in memory.items()},
        "errors": len(problems),
        "problems": problems[:20],
    }


async def _check_after(http: httpx.AsyncClient, tally: Tally) -> list[str]:
    problems: list[str] = []
    invariants = (await http.get("/_usersim/invariants")).json()
    problems += [f"invariant: {v}" for v in invariants["violations"]]
    journal = (await http.get("/_usersim/journal")).json()["entries"]
    expected = min(tally.journaled, JOURNAL_SIZE)
    if not expected <= len(journal) <= min(tally.journaled + tally.lost, JOURNAL_SIZE):
        problems.append(f"journal holds {len(journal)} entries for {tally.journaled} requests sent")
    users = (
        await http.post(
            f"{NG}/batch",
            params={"accountIdentifier": ACCOUNT, "pageSize": 100},
            json={"emails": []},
            headers=HARNESS,
        )
    ).json()
    total = users["data"]["totalItems"]
    listed: set[str] = set()
    for index in range((total + 99) // 100):
        page = await http.post(
            f"{NG}/batch",
            params={"accountIdentifier": ACCOUNT, "pageSize": 100, "pageIndex": index},
            json={},
            headers=HARNESS,
        )
        listed.update(item["uuid"] for item in page.json()["data"]["content"])
    missing = set(tally.harness_users) - listed
    if missing:
        problems.append(
            f"{len(missing)} created users do not read back, e.g. {sorted(missing)[:3]}"
        )
    query = "query($id: String!) { userGroup(userGroupId: $id) { id } }"
    for group_id in sorted(tally.harness_groups)[:200]:
        response = await http.post(
            CG, json={"query": query, "variables": {"id": group_id}}, headers=HARNESS
        )
        if (response.json().get("data") or {}).get("userGroup") is None:
            problems.append(f"group {group_id} does not read back")
    for team_id in sorted(tally.teams)[:200]:
        response = await http.post(
            GQL, json={"query": f"{{ team(id: {team_id}) {{ id }} }}"}, headers=RAPIDAPI
        )
        if (response.json().get("data") or {}).get("team") is None:
            problems.append(f"team {team_id} does not read back")
    return problems


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


JOURNAL_SIZE = 10_000


def serve_and_soak(clients: int, seconds: float, requests: int | None = None) -> dict[str, Any]:
    """Start `usersim serve` on loopback, soak it (for `seconds`, or until `requests`
    were sent, whichever comes first), watching its memory, and stop it."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "simulator",
        "serve",
        "--port",
        str(port),
        "--journal-size",
        str(JOURNAL_SIZE),
        "--journal-max-bytes",
        str(2**30),
        "--log-level",
        "warning",
    ]
    base = f"http://127.0.0.1:{port}"
    with subprocess.Popen(command, stdout=subprocess.DEVNULL) as server:
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    httpx.get(f"{base}/_usersim/health", timeout=1.0)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            return asyncio.run(
                run(base, clients, seconds, requests=requests, server_pid=server.pid)
            )
        finally:
            server.terminate()
            server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--requests", type=int, default=100_000)
    args = parser.parse_args()
    result = serve_and_soak(args.clients, args.seconds, args.requests)
    print(
        f"soak: {result['clients']} clients, {result['seconds']} s, {result['requests']} requests "
        f"({result['rate']}/s), statuses {result['statuses']}, resident memory (MiB) "
        f"{result['rss']}, {result['errors']} errors"
    )
    for problem in result["problems"]:
        print(f"  {problem}")
    sys.exit(1 if result["errors"] else 0)


if __name__ == "__main__":
    main()
