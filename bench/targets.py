"""The issue's targets, each judged against this run's figures.

"About the same cost" for a deep page is taken as at most 1.5 times the first page's
time plus 1 ms: a page at offset 99,950 found by slicing a list is, a scan is not.

The 100k-user fixtures must load within 3 s "on a machine whose ceiling figure is at
least 10k req/s". On such a machine the time is judged as measured. On a slower one it
is judged as it would be there: scaled by this run's ceiling over 10k, as every ratio
target is taken against this run's ceiling. Loading, like the ceiling's serving, is
Python on one pinned core, so both move with the core's speed; the measured time is in
the figures beside it.
"""

from __future__ import annotations

from typing import Any

from bench.latency import Timing
from bench.report import Target, judge
from bench.scale import DEEP_OFFSET
from bench.scenarios import CG_MUTATION_LABEL, CG_USERS, NG_CURRENT_USER, RAPIDAPI_ROLES
from bench.throughput import Comparison

LOAD_MACHINE_RPS = 10_000


def ceiling_rps(comparisons: list[Comparison]) -> float | None:
    """The machine's speed: what the bare-Starlette ceiling answered on NG currentUser."""
    found = [c.b.rps for c in comparisons if c.label == NG_CURRENT_USER]
    return found[0] if found else None


def _on_load_machine(seconds: float | None, ceiling: float | None) -> float | None:
    """A load time as on a machine whose ceiling answers LOAD_MACHINE_RPS (see above)."""
    if seconds is None or not ceiling:
        return None
    return seconds * min(1.0, ceiling / LOAD_MACHINE_RPS)


def _ratio(comparisons: list[Comparison], label: str) -> float | None:
    found = [c.ratio for c in comparisons if c.label == label]
    return found[0] if found else None


def _ms(value: Any) -> float | None:
    return value.median_ms if isinstance(value, Timing) else value


def _same_cost(figures: dict[str, Any], shallow: str, deep: str) -> float | None:
    """Deep page time over (shallow page time * 1.5 + 1 ms): at most 1 passes."""
    a, b = _ms(figures.get(shallow)), _ms(figures.get(deep))
    if a is None or b is None:
        return None
    return b / (a * 1.5 + 1.0)


def evaluate(comparisons: list[Comparison], figures: dict[str, Any]) -> list[Target]:
    f = figures.get
    deep = f"{DEEP_OFFSET:,}"
    targets = [
        judge(
            "NG currentUser / ceiling",
            ">= 0.60",
            _ratio(comparisons, NG_CURRENT_USER),
            lambda v: v >= 0.6,
        ),
        judge(
            "CG users(limit: 10) / ceiling, executed each time",
            ">= 0.35",
            _ratio(comparisons, CG_USERS),
            lambda v: v >= 0.35,
        ),
        judge(
            "CG users(limit: 10) / ceiling, repeated (answer cache)",
            ">= 0.30",
            _ratio(comparisons, CG_USERS + ", repeated (answer cache)"),
            lambda v: v >= 0.3,
        ),
        judge(
            "CG updateUser mutation / ceiling",
            ">= 0.40",
            _ratio(comparisons, CG_MUTATION_LABEL),
            lambda v: v >= 0.4,
        ),
        judge(
            "RapidAPI roles page / ceiling, executed each time",
            ">= 0.35",
            _ratio(comparisons, RAPIDAPI_ROLES),
            lambda v: v >= 0.35,
        ),
        judge(
            "GraphQL executions of `make test` served by compiled plans",
            ">= 0.95",
            f("make test: share served by compiled plans"),
            lambda v: v >= 0.95,
        ),
    ]
    for peer, label in (
        ("Prism", f"{NG_CURRENT_USER} vs Prism"),
        ("WireMock", f"{NG_CURRENT_USER} vs WireMock"),
        ("graphql-faker", f"{CG_USERS} vs graphql-faker"),
    ):
        targets.append(
            judge(
                f"ahead of {peer} (usersim / {peer})",
                "> 1",
                _ratio(comparisons, label),
                lambda v: v > 1,
            )
        )
    targets += [
        judge(
            "start to ready, default fixtures (s)",
            "< 1",
            f("default fixture: start to ready, median (s)"),
            lambda v: v < 1,
            "{:.3f}",
        ),
        judge(
            "start to ready, minus a bare Starlette app's (s)",
            "<= 0.2",
            f("start to ready: usersim - bare Starlette, median (s)"),
            lambda v: v <= 0.2,
            "{:.3f}",
        ),
        judge(
            "reset, default fixture (ms, server side)",
            "< 5",
            f("default fixture: reset after 3 changes, server (ms)"),
            lambda v: v < 5,
            "{:.3f}",
        ),
        judge(
            "reset, 100k users (ms, server side)",
            "< 100",
            f("harness-100k: reset after 3 changes, server (ms)"),
            lambda v: v < 100,
            "{:.1f}",
        ),
    ]
    for name in ("harness-100k", "rapidapi-100k"):
        targets += [
            judge(f"generate {name} (s)", "< 10", f(f"{name}: generate (s)"), lambda v: v < 10),
            judge(
                f"generate {name}: same seed, same bytes",
                "yes",
                f(f"{name}: same seed, same bytes"),
                lambda v: v is True,
            ),
            judge(
                f"load and serve {name}, on a {LOAD_MACHINE_RPS // 1000}k req/s machine (s)",
                "< 3",
                _on_load_machine(f(f"{name}: start to ready (s)"), ceiling_rps(comparisons)),
                lambda v: v < 3,
            ),
            judge(
                f"{name} peak RSS (MB)",
                "< 500",
                f(f"{name}: peak RSS (MB)"),
                lambda v: v < 500,
                "{:.0f}",
            ),
        ]
    for what, shallow, deep_key in (
        ("NG batch", "NG batch page, offset 0", f"NG batch page, offset {deep}"),
        ("CG users", "CG users(limit: 50), offset 0", f"CG users(limit: 50), offset {deep}"),
        ("RapidAPI users", "RapidAPI users page, offset 0", f"RapidAPI users page, offset {deep}"),
    ):
        targets.append(
            judge(
                f"{what}: offset {deep} costs about offset 0",
                "deep <= 1.5 x first + 1 ms",
                _same_cost(figures, shallow, deep_key),
                lambda v: v <= 1,
                "{:.2f} of the bound",
            )
        )
    for what, first, last in (
        ("CG user(id)", "CG user(id) of the first user", "CG user(id) of the last user"),
        ("CG userByEmail", "CG userByEmail of the first user", "CG userByEmail of the last user"),
    ):
        targets.append(
            judge(
                f"{what}: last of 100k costs about the first (O(1))",
                "last <= 1.5 x first + 1 ms",
                _same_cost(figures, first, last),
                lambda v: v <= 1,
                "{:.2f} of the bound",
            )
        )
    for key, value in figures.items():
        if "over 100k" in key:
            targets.append(judge(key + " (ms)", "< 100", _ms(value), lambda v: v < 100, "{:.1f}"))
    return targets
