"""Test-harness figures: the pytest fixture's per-test overhead and the in-process transport.

The per-test overhead is what the `usersim` fixture adds to a test (reset before it,
invariants after it, the client handle), measured by pytest itself: a generated test file
holds empty tests with and without the fixture, a conftest records each phase's duration,
and the overhead is the median difference. The first fixture test is left out: it also
pays the session's server start, reported on its own.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import servers

TESTS = 60

_CONFTEST = """
import json, os

durations = {}


def pytest_runtest_logreport(report):
    durations.setdefault(report.nodeid, 0.0)
    durations[report.nodeid] += report.duration


def pytest_sessionfinish(session):
    with open(os.environ["BENCH_DURATIONS"], "w") as out:
        json.dump(durations, out)
"""

_TESTS = f"""
import pytest


@pytest.mark.parametrize("n", range({TESTS}))
def test_plain(n):
    pass


@pytest.mark.parametrize("n", range({TESTS}))
def test_with_usersim(n, usersim):
    assert usersim.base_url
"""


def _durations(workdir: Path, mode: str) -> dict[str, float]:
    suite = workdir / f"pytest-{mode}"
    suite.mkdir(exist_ok=True)
    (suite / "conftest.py").write_text(_CONFTEST)
    (suite / "test_overhead.py").write_text(_TESTS)
    (suite / "pytest.ini").write_text("[pytest]\n")
    out = suite / "durations.json"
    command = [
        *["taskset", "-c", str(servers.SERVER_CORE)],
        *[sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"],
        *["-c", str(suite / "pytest.ini"), "--rootdir", str(suite), "--usersim-mode", mode],
        str(suite),
    ]
    subprocess.run(
        command,
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "BENCH_DURATIONS": str(out)},
    )
    return json.loads(out.read_text())


def pytest_overhead(workdir: Path) -> dict[str, Any]:
    """Per-test overhead (ms) of the `usersim` fixture in server and in-process modes."""
    figures: dict[str, Any] = {}
    for mode in ("server", "inprocess"):
        durations = _durations(workdir, mode)
        plain = [d for k, d in durations.items() if "test_plain" in k]
        fixture_tests = [k for k in durations if "test_with_usersim" in k]
        with_usersim = [durations[k] for k in sorted(fixture_tests, key=_index)]
        baseline = statistics.median(plain)
        figures[f"pytest fixture per-test overhead, {mode} mode (ms)"] = (
            statistics.median(with_usersim[1:]) - baseline
        ) * 1000
        figures[f"pytest session start, {mode} mode (s)"] = with_usersim[0] - baseline
    return figures


def _index(nodeid: str) -> int:
    return int(nodeid.rpartition("[")[2].rstrip("]"))


def inprocess_transport(payloads_file: Path) -> dict[str, float]:
    """Microseconds per call through SyncASGITransport, in a subprocess on the server core."""
    out = subprocess.run(
        [
            *["taskset", "-c", str(servers.SERVER_CORE)],
            *[sys.executable, "-m", "bench.inprocess", str(payloads_file)],
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parent.parent,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])
