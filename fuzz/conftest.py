"""`make fuzz`: a time bound over the whole run and a summary per contract.

As in the suite, every GraphQL request runs through its compiled plan and through
graphql-core, compared (simulator/graphql/differential.py): a difference is a server
error the run reports. How many the plans served is saved for `make bench`.
"""

from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from simulator.graphql import differential, tally

# Importing fuzz.targets (the suite's schemas) while plugins load is slow
# and Hypothesis warns about it, so the hooks below import it lazily.
MAX_TIME = float(os.environ.get("FUZZ_MAX_TIME", "420"))
_started = time.monotonic()
_mismatches: list[str] = []
_outcomes: dict[str, Counter[str]] = defaultdict(Counter)
_seconds: Counter[str] = Counter()


def _owner(nodeid: str) -> str | None:
    from fuzz.test_fuzz import OWNERS

    name = nodeid.split("::")[1].split("[")[0]
    return OWNERS.get(name)


os.environ[differential.ENV] = "1"
differential.enable()


def pytest_sessionstart(session: pytest.Session) -> None:
    global _started
    _started = time.monotonic()


def pytest_runtest_teardown(item: pytest.Item) -> None:
    _mismatches.extend(differential.take_mismatches())


def pytest_sessionfinish(session: pytest.Session) -> None:
    root = Path(__file__).resolve().parent.parent
    tally.save(root / tally.DIRECTORY / "fuzz.json", tests=session.testscollected)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if time.monotonic() - _started > MAX_TIME:
        pytest.skip(f"FUZZ_MAX_TIME ({MAX_TIME:.0f} s) spent before this operation started")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    owner = _owner(report.nodeid)
    if owner is None:
        return
    _seconds[owner] += report.duration
    if report.when == "call" or (report.when == "setup" and not report.passed):
        _outcomes[owner][report.outcome] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from fuzz.targets import EXAMPLES, STATEFUL, STEPS, TARGETS

    write = terminalreporter.write_line
    elapsed = time.monotonic() - _started
    write("")
    write(
        f"fuzz budget: {EXAMPLES} examples per operation, {STATEFUL} stateful scenarios"
        f" of up to {STEPS} calls, FUZZ_MAX_TIME {MAX_TIME:.0f} s"
    )
    header = f"{'contract':<32}{'tests':>7}{'failed':>8}{'skipped':>9}{'requests':>10}"
    header += f"{'2xx':>8}{'4xx':>8}{'5xx':>6}{'seconds':>9}"
    write(header)
    total: Counter[str] = Counter()
    for key, target in TARGETS.items():
        outcomes, counts = _outcomes[key], target.counts
        tests = sum(outcomes.values())
        row = (
            tests,
            outcomes["failed"],
            outcomes["skipped"],
            counts["requests"],
            counts["2xx"],
            counts["4xx"],
            counts["5xx"],
        )
        total.update(
            dict(
                zip(
                    ["tests", "failed", "skipped", "requests", "2xx", "4xx", "5xx"],
                    row,
                    strict=True,
                )
            )
        )
        write(
            f"{target.contract:<32}{row[0]:>7}{row[1]:>8}{row[2]:>9}{row[3]:>10}"
            f"{row[4]:>8}{row[5]:>8}{row[6]:>6}{_seconds[key]:>9.0f}"
        )
    write(
        f"fuzz: {total['requests']} requests to 4 contracts in {elapsed:.0f} s,"
        f" {total['failed']} failures, {total['5xx']} server errors,"
        f" {total['skipped']} tests skipped by the time bound"
    )
    executions = sum(tally.TALLY.values())
    served = tally.share(tally.TALLY)
    write(
        f"GraphQL: {executions} executions checked against graphql-core,"
        f" {len(_mismatches)} differences; compiled plans served "
        + ("none" if served is None else f"{served:.1%}")
    )
    for mismatch in _mismatches:
        write(f"  difference: {mismatch}")
