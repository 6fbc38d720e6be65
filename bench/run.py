"""`make bench`: measure usersim against its ceiling and its peers, print, write results.md.

Usage: `python -m bench.run [--rounds N] [--seconds S] [--connections C] [--skip-peers]
[--skip-scale] [--output FILE]` from the repository root (`make bench` runs bench/setup.sh
first, which installs wrk and the npm peers).

This process and its load generators are pinned to one core, every server to the other
(bench/servers.py). Traffic goes only to 127.0.0.1. Each phase that fails is reported and
skipped, so one broken peer or figure never loses the rest of the run.
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import harness, latency, load, machine, peers, report, scale, servers, throughput
from bench.scenarios import (
    CG_USERS_QUERY,
    NONCE,
    Request,
    Scenario,
    cg,
    ng_current_user,
    throughput_scenarios,
)
from bench.targets import ceiling_rps, evaluate
from simulator import cache
from simulator.graphql import tally

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "bench" / "results.md"
STARTS = 5
# Bare Starlette on the machine the absolute targets were set on (issue 8's figure).
REFERENCE_CEILING_RPS = 12_900
# Users of the default fixture that the reset figure changes before each reset.
DEFAULT_CHANGED_USERS = (
    "Gh4P71mhQkCydNbKtUIiJg",
    "0j8IJBKLLzMMXH_QpqOkUA",
    "Pbx8egtqTMCClUGNg00PTw",
)


class Bench:
    """What one run collects; each phase adds to it."""

    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.comparisons: list[throughput.Comparison] = []
        self.figures: dict[str, Any] = {}
        self.commands: list[str] = []
        self.notes: list[str] = []
        self.peer_versions: dict[str, str] = {}
        self.missing: list[str] = []  # optional operations the server does not serve

    def phase(self, name: str, body: Callable[[], None]) -> None:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            body()
        except Exception as exc:  # a failed phase is reported, the others still run
            traceback.print_exc()
            self.notes.append(f"Phase '{name}' failed: {type(exc).__name__}: {exc}")
        print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)

    def compare(
        self,
        label: str,
        a: tuple[servers.Server, Request],
        b: tuple[servers.Server, Request],
        connections: int | None = None,
    ) -> throughput.Comparison:
        comparison = throughput.compare(
            label,
            a,
            b,
            rounds=self.args.rounds,
            seconds=self.args.seconds,
            connections=connections or self.args.connections,
            b_warmup=self.args.peer_warmup if b[0].name not in ("ceiling",) else None,
        )
        self.comparisons.append(comparison)
        print(
            f"   {label}: {comparison.a.rps:,.0f} vs {comparison.b.rps:,.0f} req/s "
            f"({comparison.b.name}), ratio {comparison.ratio:.2f}",
            flush=True,
        )
        return comparison


def _usersim(
    name: str, log_dir: Path, *extra: str, env: dict[str, str] | None = None
) -> servers.Server:
    port = servers.free_port()
    command = [*servers.usersim_command(), "serve", "--port", str(port), *extra]
    return servers.spawn(name, command, port, log_dir, env=env)


def _capture_payloads(
    bench: Bench, server: servers.Server, path: Path
) -> tuple[list[Scenario], list[dict[str, Any]]]:
    """usersim's answer to every benchmarked request (what the ceiling will serve), and
    the scenarios it serves: an optional one it does not serve is noted as missing."""
    measured, payloads = [], []
    for number, scenario in enumerate(throughput_scenarios()):
        sent = [scenario.request]
        if scenario.request.undo is not None:
            sent.append(scenario.request.undo)
        answers = [servers.request(server.base, req, number=number) for req in sent]
        refused = [status for status, body in answers if status != 200 or b'"errors":' in body]
        if refused:
            if scenario.optional:
                bench.missing.append(f"{scenario.label} (answered {refused[0]})")
                continue
            raise RuntimeError(f"{scenario.label} answered {answers}")
        measured.append(scenario)
        payloads += [
            {
                "method": req.method,
                # The ceiling routes a nonce in a path as a path parameter.
                "path": req.path.replace(NONCE, "{nonce}"),
                "body": req.body.decode(),
                "response": json.loads(body),
            }
            for req, (_, body) in zip(sent, answers, strict=True)
        ]
    path.write_text(json.dumps(payloads))
    return measured, payloads


def _throughput_phase(bench: Bench) -> None:
    log_dir, args = bench.workdir, bench.args
    payloads_file = bench.workdir / "payloads.json"
    usersim = _usersim("usersim", log_dir)
    with servers.running(usersim):
        scenarios, payloads = _capture_payloads(bench, usersim, payloads_file)
        port = servers.free_port()
        command = [sys.executable, "-m", "bench.ceiling", "--port", str(port), "--payloads"]
        ceiling = servers.spawn("ceiling", [*command, str(payloads_file)], port, log_dir)
        with servers.running(ceiling):
            for scenario in scenarios:
                bench.compare(
                    scenario.label,
                    (usersim, scenario.request),
                    (ceiling, scenario.request),
                    scenario.connections,
                )
            if not args.skip_peers:
                _peers(bench, usersim, payloads)
            quiet = _usersim("usersim-log-warning", log_dir, "--log-level", "warning")
            with servers.running(quiet):
                bench.compare(
                    "NG GET currentUser, --log-level warning (diagnostic)",
                    (quiet, ng_current_user()),
                    (ceiling, ng_current_user()),
                )
        _default_reset(bench, usersim)
    bench.commands += [
        f"taskset -c {servers.SERVER_CORE} usersim serve --port PORT   # default fixtures",
        f"taskset -c {servers.SERVER_CORE} python -m bench.ceiling --port PORT --payloads payloads.json",
        f"taskset -c {servers.LOAD_CORE} "
        + (
            f"wrk -t1 -c{args.connections} -d{round(args.seconds)}s --latency -s REQUEST.lua URL"
            if load.generator_name() == "wrk"
            else f"python asyncio load generator, {args.connections} connections"
        ),
    ]


def _peers(bench: Bench, usersim: servers.Server, payloads: list[dict[str, Any]]) -> None:
    current_user = next(p["response"] for p in payloads if p["path"].endswith("/currentUser"))
    requests = {s.name: s.request for s in throughput_scenarios()}
    labels = {s.name: s.label for s in throughput_scenarios()}
    for build in peers.BUILDERS:
        port = servers.free_port()
        try:
            peer = build(port, bench.workdir, current_user)
        except peers.Unavailable as exc:
            bench.notes.append(f"Peer not measured: {exc}.")
            print(f"   peer not available: {exc}", flush=True)
            continue
        bench.peer_versions[peer.name] = peer.version
        try:
            server = servers.spawn(
                peer.name,
                peer.command,
                port,
                bench.workdir,
                health_request=peer.request,
                timeout=60,
            )
        except RuntimeError as exc:  # installed but broken here: the other figures go on
            bench.notes.append(f"Peer {peer.name} did not start: {exc}.")
            print(f"   {peer.name} did not start: {exc}", flush=True)
            continue
        bench.figures[f"{peer.name} {peer.version}: start to ready (s)"] = server.ready_seconds
        with servers.running(server):
            bench.compare(
                f"{labels[peer.compared_to]} vs {peer.name}",
                (usersim, requests[peer.compared_to]),
                (server, peer.request),
            )
        bench.commands.append(f"taskset -c {servers.SERVER_CORE} " + " ".join(peer.command))


def _update_user(user_id: str, name: str, **keys: str) -> Request:
    mutation = (
        f'mutation {{ updateUser(input: {{id: "{user_id}", name: "{name}"}}) {{ user {{ id }} }} }}'
    )
    return cg(mutation, **keys)


def _default_reset(bench: Bench, usersim: servers.Server) -> None:
    changes = [_update_user(user_id, "Reset Bench") for user_id in DEFAULT_CHANGED_USERS]
    inside, outside = latency.reset_after_changes(usersim.base, changes, rounds=20)
    bench.figures["default fixture: reset after 3 changes, server (ms)"] = inside
    bench.figures["default fixture: reset after 3 changes, round trip (ms)"] = outside


def _startup_phase(bench: Bench) -> None:
    """usersim's start to ready, alternating with the bare-Starlette ceiling's, which
    starts the same uvicorn: the difference is what usersim's own start costs."""
    payloads = bench.workdir / "payloads.json"
    if not payloads.exists():
        payloads.write_text("[]")
    ready, bare, rss, graphql, uncached = [], [], [], [], []
    first_query = cg(CG_USERS_QUERY)
    for n in range(STARTS):
        server = _usersim(f"usersim-start-{n}", bench.workdir)
        ready.append(server.ready_seconds)
        rss.append(server.rss_mb()[0])
        # The GraphQL faces are built in the background once the server runs.
        started = time.perf_counter()
        servers.request(server.base, first_query)
        graphql.append(server.ready_seconds + time.perf_counter() - started)
        servers.stop(server)
        server = _usersim(f"usersim-cold-{n}", bench.workdir, env={cache.ENV: "off"})
        uncached.append(server.ready_seconds)
        servers.stop(server)
        port = servers.free_port()
        command = [sys.executable, "-m", "bench.ceiling", "--port", str(port)]
        ceiling = servers.spawn(
            f"ceiling-start-{n}", [*command, "--payloads", str(payloads)], port, bench.workdir
        )
        bare.append(ceiling.ready_seconds)
        servers.stop(ceiling)
    bench.figures["default fixture: start to ready, median (s)"] = statistics.median(ready)
    bench.figures["default fixture: start to ready, min-max (s)"] = (
        f"{min(ready):.3f}-{max(ready):.3f} (n={STARTS})"
    )
    bench.figures["bare Starlette: start to ready, median (s)"] = statistics.median(bare)
    bench.figures["start to ready: usersim - bare Starlette, median (s)"] = statistics.median(
        usersim - starlette for usersim, starlette in zip(ready, bare, strict=True)
    )
    bench.figures["default fixture: RSS when ready (MB)"] = statistics.median(rss)
    bench.figures["default fixture: start to first CG GraphQL answer, median (s)"] = (
        statistics.median(graphql)
    )
    bench.figures["default fixture: start to ready, cache off, median (s)"] = statistics.median(
        uncached
    )


def _plan_share(bench: Bench) -> None:
    """The share of GraphQL executions the compiled plans served in the last `make test`
    and `make fuzz` (they save their counts: simulator/graphql/tally.py)."""
    saved = ROOT / tally.DIRECTORY
    for run, pattern in (("make test", "tests-*.json"), ("make fuzz", "fuzz.json")):
        counts, runs = tally.load(sorted(saved.glob(pattern)))
        share = tally.share(counts)
        if share is None:
            bench.notes.append(f"No GraphQL plan counts from `{run}` in {saved}: run it first.")
            continue
        written = max(str(about.get("written")) for about in runs)
        bench.figures[f"{run}: GraphQL executions (saved {written})"] = sum(counts.values())
        bench.figures[f"{run}: share served by compiled plans"] = share
        others = [
            f"{reason} ({n})" for reason, n in counts.most_common() if reason != tally.COMPILED
        ]
        bench.figures[f"{run}: served by graphql-core"] = "; ".join(others) or "none"


def _scale_phase(bench: Bench) -> None:
    figures = scale.Figures()
    try:
        scale.harness(bench.workdir, bench.workdir, figures)
        scale.rapidapi_hub(bench.workdir, bench.workdir, figures)
    finally:
        bench.figures.update(figures.values)
        bench.commands += figures.commands


def _harness_phase(bench: Bench) -> None:
    bench.figures.update(harness.pytest_overhead(bench.workdir))
    payloads = bench.workdir / "payloads.json"
    if payloads.exists():
        inproc = harness.inprocess_transport(payloads)
        for key, value in inproc.items():
            bench.figures[f"in-process transport: {key}"] = value
        for what in ("NG currentUser", "CG users(limit: 10), executed"):
            ceiling = inproc[f"ceiling {what} (us)"]
            bench.figures[f"in-process transport: {what} usersim/ceiling time"] = (
                inproc[f"usersim {what} (us)"] / ceiling
            )
    bench.commands.append(
        "python -m pytest --usersim-mode server|inprocess (generated suite of empty tests)"
    )


def _machine_speed(comparisons: list[throughput.Comparison]) -> list[str]:
    """How fast this machine is, from the ceiling's own figure.

    Ratios compare like with like in one run; the absolute targets (start, load, search
    times) were set on a machine where bare Starlette answered about 12,900 requests/s.
    """
    ceiling = ceiling_rps(comparisons)
    if not ceiling:
        return []
    return [
        f"Machine speed: the bare-Starlette ceiling answered {ceiling:,.0f} req/s here, "
        f"{ceiling / REFERENCE_CEILING_RPS:.2f} of the {REFERENCE_CEILING_RPS:,} req/s on "
        "the machine the absolute time targets were set on; those times scale with it."
    ]


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="A/B rounds per figure (>= 3)")
    parser.add_argument("--seconds", type=float, default=2.0, help="seconds per load run")
    parser.add_argument("--connections", type=int, default=load.CONNECTIONS)
    parser.add_argument("--peer-warmup", type=float, default=5.0, help="seconds (JIT warm-up)")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    return parser.parse_args()


def main() -> None:
    args = _parse()
    started = time.perf_counter()
    pinned = servers.pin_self_to_load_core()
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    with tempfile.TemporaryDirectory(prefix="usersim-bench-") as tmp:
        bench = Bench(args, Path(tmp))
        load_before = machine.load_average()
        bench.phase(
            "throughput: usersim vs bare Starlette, then peers", lambda: _throughput_phase(bench)
        )
        bench.phase("start to ready (default fixtures)", lambda: _startup_phase(bench))
        if not args.skip_scale:
            bench.phase("scale: 100k-user fixtures", lambda: _scale_phase(bench))
        bench.phase("pytest fixture and in-process transport", lambda: _harness_phase(bench))
        bench.phase("GraphQL compiled-plan share (saved by make test)", lambda: _plan_share(bench))
        if bench.missing:
            bench.notes.append(
                "Not measured, not served by this build: " + "; ".join(bench.missing) + "."
            )
        if not pinned:
            bench.notes.append("Fewer than two cores: servers and load generator share cores.")
        if load.generator_name() != "wrk":
            bench.notes.append(
                "wrk was not installed: the Python load generator ran (lower bounds)."
            )
        bench.notes.extend(_machine_speed(bench.comparisons))
        bench.notes.append(
            f"Load average at start {load_before}, at end {machine.load_average()} "
            "(other work on this machine during the run shows here and in CPU share)."
        )
        targets = evaluate(bench.comparisons, bench.figures)
        print(report.terminal(bench.comparisons, bench.figures, targets))
        settings = {
            "rounds per figure": str(args.rounds),
            "seconds per run": f"{args.seconds:g}",
            "connections": str(args.connections),
            "load generator": load.generator_name(),
            "peer warm-up (s)": f"{args.peer_warmup:g}",
            "cores": f"servers on core {servers.SERVER_CORE}, load generator on core {servers.LOAD_CORE}",
            "total bench time (s)": f"{time.perf_counter() - started:.0f}",
        }
        args.output.write_text(
            report.markdown(
                date=date,
                machine=machine.describe(bench.peer_versions),
                settings=settings,
                commands=bench.commands,
                comparisons=bench.comparisons,
                figures=bench.figures,
                targets=targets,
                notes=bench.notes,
            )
        )
        print(f"\nwrote {args.output} ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
