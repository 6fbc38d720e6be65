"""Scale figures: generating, loading and serving 100k-user fixtures.

One Harness fixture (100k users, 2,000 groups) and one RapidAPI fixture (100k users,
organizations with teams) are generated with the CLI a user runs, then served by a real
`usersim serve`. Measured: generation time and determinism (generated twice, compared
byte for byte), start to ready (the median of three starts: one start on a shared
machine varies by a fifth) and memory, a page at offset 0 against offset 99,950,
lookups of the first against the last user (an index answers both alike, a scan does not),
searches that hit and that miss (a miss scans everything a scan would), and reset after a
few changes. GraphQL requests are sent `fresh` (bench/scenarios.py), so each is executed.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import latency, servers
from bench.scenarios import (
    GENERATED_ACCOUNT,
    GENERATED_KEY,
    GENERATED_RAPIDAPI_KEY,
    Request,
    cg,
    ng_batch,
    rapidapi,
)

USERS = 100_000
STARTS = 3
DEEP_OFFSET = 99_950
PAGE = 50
MISS_TERM = "zzqxnotanyone"


@dataclass
class Figures:
    """Named figures of one part of the bench, in the order they were measured."""

    values: dict[str, Any] = field(default_factory=dict)
    commands: list[str] = field(default_factory=list)


def generate(args: list[str], out: Path, log_dir: Path) -> float:
    """Run `usersim fixtures generate` pinned to the server core; its wall time in seconds."""
    command = [*servers.usersim_command(), "fixtures", "generate", *args, "-o", str(out)]
    started = time.perf_counter()
    with (log_dir / "generate.log").open("ab") as log:
        subprocess.run(
            ["taskset", "-c", str(servers.SERVER_CORE), *command],
            stdout=log,
            stderr=log,
            check=True,
            timeout=300,
        )
    return time.perf_counter() - started


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def generate_twice(name: str, args: list[str], workdir: Path, figures: Figures) -> Path:
    """Generate, then generate again with the same seed: the time, and whether bytes match."""
    first, second = workdir / f"{name}.json", workdir / f"{name}-again.json"
    seconds = generate(args, first, workdir)
    again = generate(args, second, workdir)
    figures.values[f"{name}: generate (s)"] = seconds
    figures.values[f"{name}: generate again (s)"] = again
    figures.values[f"{name}: same seed, same bytes"] = _digest(first) == _digest(second)
    figures.values[f"{name}: file size (MB)"] = first.stat().st_size / 1e6
    figures.commands.append("usersim fixtures generate " + " ".join(args) + f" -o {first.name}")
    second.unlink()
    return first


def _serve(name: str, fixture: Path, log_dir: Path, figures: Figures) -> servers.Server:
    """Start `usersim serve` on the fixture STARTS times; the last one stays up.

    Records the median start to ready and each start's, under the fixture's name.
    """
    seconds = []
    for start in range(1, STARTS + 1):
        port = servers.free_port()
        command = [*servers.usersim_command(), "serve", "--port", str(port)]
        server = servers.spawn(
            name, [*command, "--fixtures", str(fixture)], port, log_dir, timeout=120
        )
        seconds.append(server.ready_seconds)
        if start < STARTS:
            servers.stop(server)
    figures.values[f"{name}: start to ready (s)"] = statistics.median(seconds)
    figures.values[f"{name}: start to ready, each start (s)"] = ", ".join(
        f"{s:.2f}" for s in seconds
    )
    return server


def _generated_cg(query: str) -> Request:
    """Executed every time: a repeated query would time usersim's answer cache instead."""
    return cg(query, account=GENERATED_ACCOUNT, api_key=GENERATED_KEY).executed()


def _cg_page(offset: int) -> Request:
    return _generated_cg(
        f"{{ users(limit: {PAGE}, offset: {offset}, filters: [{{includeDisabled: true}}]) "
        "{ pageInfo { total } nodes { id name email } } }"
    )


def harness(workdir: Path, log_dir: Path, figures: Figures) -> None:
    args = ["--users", str(USERS), "--groups", "2000", "--seed", "42"]
    fixture = generate_twice("harness-100k", args, workdir, figures)
    users = json.loads(fixture.read_text())["harness"]["accounts"][0]["users"]
    first, middle, last = users[0], users[len(users) // 2], users[-1]
    hit_term = middle["name"].split()[-1].lower()
    del users
    server = _serve("harness-100k", fixture, log_dir, figures)
    with servers.running(server):
        v = figures.values
        v["harness-100k: RSS when ready (MB)"] = server.rss_mb()[0]
        key, account = GENERATED_KEY, GENERATED_ACCOUNT
        deep_index = DEEP_OFFSET // PAGE
        v["NG batch page, offset 0"] = latency.time_request(
            server.base, ng_batch(account, key, 0, PAGE)
        )
        v[f"NG batch page, offset {DEEP_OFFSET:,}"] = latency.time_request(
            server.base, ng_batch(account, key, deep_index, PAGE)
        )
        v["CG users(limit: 50), offset 0"] = latency.time_request(server.base, _cg_page(0))
        v[f"CG users(limit: 50), offset {DEEP_OFFSET:,}"] = latency.time_request(
            server.base, _cg_page(DEEP_OFFSET)
        )
        for label, user in (("first", first), ("last", last)):
            v[f"CG user(id) of the {label} user"] = latency.time_request(
                server.base, _generated_cg(f'{{ user(id: "{user["id"]}") {{ id name }} }}')
            )
            v[f"CG userByEmail of the {label} user"] = latency.time_request(
                server.base,
                _generated_cg(f'{{ userByEmail(email: "{user["email"]}") {{ id name }} }}'),
            )
        for label, term in ((f"hit '{hit_term}'", hit_term), ("miss", MISS_TERM)):
            v[f"NG searchTerm over 100k ({label})"] = latency.time_request(
                server.base, ng_batch(account, key, 0, PAGE, search_term=term), samples=15
            )
        changes = [
            _generated_cg(
                f'mutation {{ updateUser(input: {{id: "{user["id"]}", name: "Changed"}}) '
                "{ user { id } } }"
            )
            for user in (first, middle, last)
        ]
        inside, outside = latency.reset_after_changes(server.base, changes, rounds=10)
        v["harness-100k: reset after 3 changes, server (ms)"] = inside
        v["harness-100k: reset after 3 changes, round trip (ms)"] = outside
        v["harness-100k: peak RSS (MB)"] = server.rss_mb()[1]
    fixture.unlink()


def _rapidapi_users(where: str) -> Request:
    return rapidapi(
        f"{{ users(where: {{{where}}}) {{ totalCount nodes {{ id name email }} }} }}",
        api_key=GENERATED_RAPIDAPI_KEY,
    ).executed()


def rapidapi_hub(workdir: Path, log_dir: Path, figures: Figures) -> None:
    # The generator always writes a Harness account, whose fixture needs an admin: one user.
    args = ["--users", "1", "--groups", "1", "--rapidapi-users", str(USERS)]
    args += ["--rapidapi-organizations", "2000", "--teams-per-organization", "3", "--seed", "42"]
    fixture = generate_twice("rapidapi-100k", args, workdir, figures)
    users = json.loads(fixture.read_text())["rapidapi"]["users"]
    hit_term = users[len(users) // 2]["name"].split()[-1].lower()
    del users
    server = _serve("rapidapi-100k", fixture, log_dir, figures)
    with servers.running(server):
        v = figures.values
        v["rapidapi-100k: RSS when ready (MB)"] = server.rss_mb()[0]
        v["RapidAPI users page, offset 0"] = latency.time_request(
            server.base, _rapidapi_users(f"limit: {PAGE}, offset: 0")
        )
        v[f"RapidAPI users page, offset {DEEP_OFFSET:,}"] = latency.time_request(
            server.base, _rapidapi_users(f"limit: {PAGE}, offset: {DEEP_OFFSET}")
        )
        for label, term in ((f"hit '{hit_term}'", hit_term), ("miss", MISS_TERM)):
            v[f"RapidAPI users(term) over 100k ({label})"] = latency.time_request(
                server.base, _rapidapi_users(f'term: "{term}", limit: {PAGE}'), samples=15
            )
        v["rapidapi-100k: peak RSS (MB)"] = server.rss_mb()[1]
    fixture.unlink()
