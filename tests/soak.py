"""The soak run: many concurrent clients, a random mix of writes and reads on every face.

`make soak` runs it against a real server for a bounded time; the suite runs a short
version. Afterwards it checks what a contract-testing backend must guarantee under
parallel tests: no unexpected 5xx, the invariants hold, the journal holds exactly the
requests sent, and everything created (and not deleted since) reads back.

    python -m tests.soak [--clients 32] [--seconds 30]
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


@dataclass
class Tally:
    requests: int = 0
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
        ]
        weights = [weight for weight, _ in actions]
        await self.rng.choices([action for _, action in actions], weights)[0]()

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

    async def cg_create_user(self) -> None:
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


async def run(base_url: str, clients: int, seconds: float, seed: int = 1) -> dict[str, Any]:
    tally = Tally()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=30.0, limits=limits) as http:
        await http.post("/_usersim/reset")
        deadline = time.monotonic() + seconds
        started = time.monotonic()

        async def loop(number: int) -> None:
            client = Client(number, http, tally, seed)
            while time.monotonic() < deadline:
                await client.step()

        await asyncio.gather(*(loop(n) for n in range(clients)))
        elapsed = time.monotonic() - started
        problems = list(tally.unexpected)
        problems += await _check_after(http, tally)
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": tally.requests,
        "rate": round(tally.requests / elapsed, 1),
        "statuses": dict(sorted(tally.statuses.items())),
        "errors": len(problems),
        "problems": problems[:20],
    }


async def _check_after(http: httpx.AsyncClient, tally: Tally) -> list[str]:
    problems: list[str] = []
    invariants = (await http.get("/_usersim/invariants")).json()
    problems += [f"invariant: {v}" for v in invariants["violations"]]
    journal = (await http.get("/_usersim/journal")).json()["entries"]
    if len(journal) != tally.requests:
        problems.append(f"journal holds {len(journal)} entries for {tally.requests} requests sent")
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


def serve_and_soak(clients: int, seconds: float) -> dict[str, Any]:
    """Start `usersim serve` on loopback, soak it, stop it."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "simulator",
        "serve",
        "--port",
        str(port),
        "--journal-size",
        "2000000",
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
            return asyncio.run(run(base, clients, seconds))
        finally:
            server.terminate()
            server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    result = serve_and_soak(args.clients, args.seconds)
    print(
        f"soak: {result['clients']} clients, {result['seconds']} s, {result['requests']} requests "
        f"({result['rate']}/s), statuses {result['statuses']}, {result['errors']} errors"
    )
    for problem in result["problems"]:
        print(f"  {problem}")
    sys.exit(1 if result["errors"] else 0)


if __name__ == "__main__":
    main()
