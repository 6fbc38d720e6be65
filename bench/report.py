"""The results: targets judged PASS or MISS, a table for the terminal, and bench/results.md.

Targets are the issue's, each checked against the figure measured in this run; a figure
that could not be measured is "n/a", never a silent pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bench.latency import Timing
from bench.throughput import Comparison

BUSY_SHARE = 0.85  # a server that got less of its core than this was competing for it


@dataclass(frozen=True)
class Target:
    name: str
    value: str
    goal: str
    passed: bool | None  # None: not measured in this run


def judge(
    name: str, goal: str, value: Any, check: Callable[[Any], bool], fmt: str = "{:.2f}"
) -> Target:
    if value is None:
        return Target(name, "n/a", goal, None)
    if isinstance(value, bool):
        shown = "yes" if value else "no"
    else:
        shown = str(value) if isinstance(value, Timing) else fmt.format(value)
    return Target(name, shown, goal, bool(check(value)))


def status(target: Target) -> str:
    return {True: "PASS", False: "MISS", None: "n/a"}[target.passed]


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 10 else f"{value:,.1f}"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    return str(value)


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    rows = [header, *rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _md_table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return out


def _throughput_rows(comparisons: list[Comparison]) -> list[list[str]]:
    rows = []
    for c in comparisons:
        busy = min(c.a.cpu_share, c.b.cpu_share) < BUSY_SHARE
        rows.append(
            [
                c.label,
                f"{c.a.rps:,.0f}",
                f"{c.b.rps:,.0f}" + (f" ({c.b.name})" if c.b.name != "ceiling" else ""),
                f"{c.ratio:.2f}",
                " ".join(f"{r:.2f}" for r in c.pair_ratios),
                f"{c.cpu_ratio:.2f}",
                f"{c.a.p50_ms:.2f}",
                f"{c.a.cpu_share:.2f}/{c.b.cpu_share:.2f}" + (" busy" if busy else ""),
                str(c.a.bad + c.b.bad),
            ]
        )
    return rows


THROUGHPUT_HEADER = [
    "figure",
    "usersim req/s",
    "reference req/s",
    "ratio",
    "per-round ratios",
    "ratio per CPU-s",
    "usersim p50 ms",
    "CPU share A/B",
    "errors",
]


def terminal(comparisons: list[Comparison], figures: dict[str, Any], targets: list[Target]) -> str:
    lines = ["", "Throughput (median of alternating rounds; ratio = usersim / reference)"]
    lines += _table(THROUGHPUT_HEADER, _throughput_rows(comparisons))
    lines += ["", "Other figures"]
    lines += _table(["figure", "value"], ([k, _fmt(v)] for k, v in figures.items()))
    lines += ["", "Targets"]
    lines += _table(
        ["target", "measured", "goal", "status"],
        ([t.name, t.value, t.goal, status(t)] for t in targets),
    )
    return "\n".join(lines)


def markdown(
    *,
    date: str,
    machine: dict[str, str],
    settings: dict[str, str],
    commands: list[str],
    comparisons: list[Comparison],
    figures: dict[str, Any],
    targets: list[Target],
    notes: list[str],
) -> str:
    passed = sum(t.passed is True for t in targets)
    missed = [t.name for t in targets if t.passed is False]
    out = [
        "# usersim benchmark results",
        "",
        f"Written by `make bench` (bench/run.py) on {date}. "
        f"{passed} of {len(targets)} targets pass"
        + (f"; missed: {', '.join(missed)}." if missed else "."),
        "",
        "## Targets",
        "",
        *_md_table(
            ["target", "measured", "goal", "status"],
            ([t.name, t.value, t.goal, status(t)] for t in targets),
        ),
        "",
        "## Throughput",
        "",
        "Each row alternates usersim (A) and the reference (B) for the given number of rounds;",
        "req/s are medians, the ratio is the median of the per-round A/B ratios. The reference",
        "is the bare-Starlette ceiling (bench/ceiling.py: the same JSON, the same uvicorn",
        "settings) unless a peer is named. CPU share is the fraction of its core each server",
        f"got during its runs; under {BUSY_SHARE} the row is marked busy (another process took",
        "the core: the machine is shared, read that row with care). The ratio per CPU-s divides",
        "each run's req/s by that share: the per-request cost ratio, a cross-check on a busy",
        "machine (targets are judged on the plain ratio). While one server runs, the other is",
        "stopped (SIGSTOP), so an idle JVM or node process cannot take the shared core.",
        "",
        "usersim's GraphQL faces reuse the answer to an identical read-only request while the",
        "state is unchanged. Rows marked 'repeated (answer cache)' send one identical query and",
        "so measure that cache; the other GraphQL rows add a unique, undeclared variable to each",
        "request (`benchNonce`), so every request is executed (parse and validation stay cached,",
        "since the query text is the same). The executed rows are the ones the targets judge.",
        "",
        *_md_table(THROUGHPUT_HEADER, _throughput_rows(comparisons)),
        "",
        "## Other figures",
        "",
        *_md_table(["figure", "value"], ([k, _fmt(v)] for k, v in figures.items())),
        "",
        "## Notes",
        "",
        *[f"- {note}" for note in notes],
        "",
        "## Machine and versions",
        "",
        *_md_table(["", ""], ([k, v] for k, v in machine.items())),
        "",
        "## Settings",
        "",
        *_md_table(["", ""], ([k, v] for k, v in settings.items())),
        "",
        "## Commands",
        "",
        "```",
        *commands,
        "```",
        "",
    ]
    return "\n".join(out)
