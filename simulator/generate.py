"""`usersim fixtures generate`: large, deterministic fixtures for load and scale tests.

Faker is slow per call (about 2,700 users a second) and its seeded output is only
stable for one version, which is why it is pinned. So it fills small pools of names,
companies and words once, and a seeded `random.Random` combines them: 100k users
take a fraction of a second, and the same seed gives the same bytes.

The output is JSON, which is YAML too: any fixture reader takes it, and usersim's
loader reads it with a JSON parser, many times faster than a YAML one.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

import orjson

from simulator.cache import yaml_file
from simulator.records import record
from simulator.resources import default_fixture
from simulator.store.ids import IdGenerator

GENERATED_ACCOUNT = "UsersimGeneratedAcct01"
GENERATED_KEY = "usersim-generated-key"
GENERATED_RAPIDAPI_KEY = "usersim-generated-rapidapi-key"
POOL_SIZE = 500
RAPIDAPI_FIRST_ID = 9_000_000


@record
class Plan:
    users: int
    groups: int
    seed: int
    rapidapi_users: int = 0
    rapidapi_organizations: int = 0
    teams_per_organization: int = 0


class _Pools:
    """Names and words drawn once from Faker, then combined by a seeded generator."""

    def __init__(self, seed: int) -> None:
        from faker import Faker  # imported only when generating: it is slow to import

        fake = Faker("en_US")
        fake.seed_instance(seed)
        self.first = [fake.first_name() for _ in range(POOL_SIZE)]
        self.last = [fake.last_name() for _ in range(POOL_SIZE)]
        self.words = [fake.word() for _ in range(POOL_SIZE)]
        self.companies = [fake.company() for _ in range(POOL_SIZE // 5)]
        self.domains = [fake.domain_name() for _ in range(POOL_SIZE // 10)]


def generate(
    plan: Plan, out: TextIO, progress: Callable[[str, int, int], None] | None = None
) -> None:
    """Write the fixture document for `plan` to `out`, streaming (memory stays flat)."""
    rng = random.Random(plan.seed)
    pools = _Pools(plan.seed)
    ids = IdGenerator(plan.seed)
    report = progress or (lambda *_: None)
    write = out.write
    # An account needs an admin, so no users means no Harness account at all.
    write('{"harness":{"accounts":[')
    if plan.users:
        _harness_account(plan, rng, pools, ids, write, report)
    write("]}")
    if plan.rapidapi_users or plan.rapidapi_organizations:
        write(',"rapidapi":')
        _rapidapi(plan, rng, pools, write, report)
    write("}\n")


def _dump(value: Any) -> str:
    return orjson.dumps(value).decode()


def _write_list(
    write: Callable[[str], Any], key: str, items: Iterator[Any], first: bool = False
) -> None:
    write(("" if first else ",") + f'"{key}":[')
    for position, item in enumerate(items):
        write(("," if position else "") + _dump(item))
    write("]")


def _harness_account(
    plan: Plan,
    rng: random.Random,
    pools: _Pools,
    ids: IdGenerator,
    write: Callable[[str], Any],
    report: Callable[[str, int, int], None],
) -> None:
    user_ids = [ids.harness_id() for _ in range(plan.users)]
    write(
        _dump(
            {
                "id": GENERATED_ACCOUNT,
                "name": "Generated",
                "companyName": rng.choice(pools.companies),
            }
        )[:-1]
    )

    def users() -> Iterator[dict[str, Any]]:
        for n, user_id in enumerate(user_ids):
            if n % 10_000 == 0:
                report("harness users", n, plan.users)
            first, last = rng.choice(pools.first), rng.choice(pools.last)
            user: dict[str, Any] = {
                "id": user_id,
                "name": f"{first} {last}",
                "email": f"{first}.{last}.{n}@{rng.choice(pools.domains)}".lower(),
            }
            if rng.random() < 0.02:
                user["disabled"] = True
            yield user
        report("harness users", plan.users, plan.users)

    _write_list(write, "users", users())

    def groups() -> Iterator[dict[str, Any]]:
        for n in range(plan.groups):
            size = min(len(user_ids), rng.randint(0, 50))
            members = sorted(set(rng.sample(user_ids, size))) if size else []
            if n == 0 and user_ids:
                members = sorted({user_ids[0], *members})
            yield {
                "id": ids.harness_id(),
                "name": f"{rng.choice(pools.words).title()} {rng.choice(pools.words).title()} {n}",
                "members": members,
            }
        report("harness groups", plan.groups, plan.groups)

    _write_list(write, "userGroups", groups())
    if user_ids:
        admin = {"principal": {"type": "USER", "id": user_ids[0]}, "role": "_account_admin"}
        admin["resourceGroup"] = "_all_resources_including_child_scopes"
        viewers = {
            "principal": {"type": "USER_GROUP", "id": "_account_all_users"},
            "role": "_account_viewer",
        }
        viewers["resourceGroup"] = "_all_account_level_resources"
        _write_list(write, "roleAssignments", iter([admin, viewers]))
        _write_list(write, "apiKeys", iter([{"token": GENERATED_KEY, "user": user_ids[0]}]))
    write("}")


def _rapidapi(
    plan: Plan,
    rng: random.Random,
    pools: _Pools,
    write: Callable[[str], Any],
    report: Callable[[str, int, int], None],
) -> None:
    # The hub's permissions and roles are those of the default fixture, so role ids
    # (580 organization admin, 627 team role...) mean the same everywhere.
    catalogue = yaml_file(default_fixture())["rapidapi"]
    write("{")
    _write_list(write, "permissions", iter(catalogue["permissions"]), first=True)
    _write_list(write, "roles", iter(catalogue["roles"]))

    def role_id(level: str, key: str) -> int:
        return int(
            next(r["id"] for r in catalogue["roles"] if r["level"] == level and r["key"] == key)
        )

    admin_role = role_id("USER_ENVIRONMENT", "ADMIN")
    org_admin = role_id("USER_ORGANIZATION", "ADMIN")
    user_ids = [RAPIDAPI_FIRST_ID + n for n in range(max(plan.rapidapi_users, 1))]

    def users() -> Iterator[dict[str, Any]]:
        for n, user_id in enumerate(user_ids):
            if n % 10_000 == 0:
                report("rapidapi users", n, len(user_ids))
            first, last = rng.choice(pools.first), rng.choice(pools.last)
            user: dict[str, Any] = {
                "id": user_id,
                "username": f"{first}{last}{n}".lower(),
                "name": f"{first} {last}",
                "email": f"{first}.{last}.{n}@{rng.choice(pools.domains)}".lower(),
            }
            if n == 0:
                user["role"] = admin_role
                user["apps"] = [
                    {
                        "id": RAPIDAPI_FIRST_ID,
                        "name": "default-application",
                        "keys": [{"id": "generated-admin-key", "key": GENERATED_RAPIDAPI_KEY}],
                    }
                ]
            yield user
        report("rapidapi users", len(user_ids), len(user_ids))

    _write_list(write, "users", users())
    next_id = RAPIDAPI_FIRST_ID + len(user_ids)

    def organizations() -> Iterator[dict[str, Any]]:
        nonlocal next_id
        for n in range(plan.rapidapi_organizations):
            members = sorted(set(rng.sample(user_ids, min(len(user_ids), rng.randint(1, 40)))))
            org_id, next_id = next_id, next_id + 1
            teams = []
            for t in range(plan.teams_per_organization):
                team_id, next_id = next_id, next_id + 1
                team_members = [m for m in members if rng.random() < 0.5]
                teams.append(
                    {
                        "id": team_id,
                        "name": f"{rng.choice(pools.words).title()} Team {t}",
                        "members": [{"user": m} for m in team_members],
                    }
                )
            yield {
                "id": org_id,
                "name": f"{rng.choice(pools.companies)} {n}",
                "members": [
                    {"user": m, **({"role": org_admin} if i == 0 else {})}
                    for i, m in enumerate(members)
                ],
                "teams": teams,
            }
        report("rapidapi organizations", plan.rapidapi_organizations, plan.rapidapi_organizations)

    _write_list(write, "organizations", organizations())
    write("}")


def write_fixture(plan: Plan, path: Path, *, quiet: bool = False) -> None:
    def progress(what: str, done: int, total: int) -> None:
        if not quiet and total:
            width = 30
            filled = width * done // total
            sys.stderr.write(
                f"\r{what:<24} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            )
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    with path.open("w", encoding="utf-8") as out:
        generate(plan, out, progress)
