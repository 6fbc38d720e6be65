"""A/B throughput: the server under test and its reference, alternately, round after round.

A noisy machine (here: other sessions running test suites on the same two cores) slows
whichever run it happens to overlap. Alternating A, B, A, B... and taking medians keeps a
burst of noise from faking a result; the ratio of each adjacent A/B pair is close in time
and so shares its conditions, and the median of those ratios is the headline figure.

While one server is measured the other is stopped (SIGSTOP): both share a core, and an
idle JVM or node process still compiles and collects garbage in the background.

Each run also records the share of its core the server actually got (its CPU seconds from
/proc over the run's wall time): a share well under 1 means something else took the core,
and the report flags it rather than hiding it.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import load
from bench.scenarios import Request
from bench.servers import Server

_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process (all its threads), from /proc/PID/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


@dataclass(frozen=True)
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_share: float
    bad: int


@dataclass
class Series:
    """The runs of one server in one comparison."""

    name: str
    runs: list[Run] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return statistics.median(r.rps for r in self.runs) if self.runs else 0.0

    @property
    def p50_ms(self) -> float:
        return statistics.median(r.p50_ms for r in self.runs) if self.runs else 0.0

    @property
    def cpu_share(self) -> float:
        return statistics.median(r.cpu_share for r in self.runs) if self.runs else 0.0

    @property
    def bad(self) -> int:
        return sum(r.bad for r in self.runs)


@dataclass
class Comparison:
    label: str
    a: Series
    b: Series

    @property
    def pair_ratios(self) -> list[float]:
        return [x.rps / y.rps for x, y in zip(self.a.runs, self.b.runs, strict=True) if y.rps]

    @property
    def ratio(self) -> float:
        """Median of the per-round A/B ratios (each pair adjacent in time)."""
        ratios = self.pair_ratios
        return statistics.median(ratios) if ratios else 0.0

    @property
    def cpu_ratio(self) -> float:
        """Median A/B ratio of requests per CPU-second of the server: the cost of a request,
        whatever share of the core another process took during the run. A cross-check on
        `ratio` on a shared machine, not a replacement for it."""
        ratios = [
            (x.rps / x.cpu_share) / (y.rps / y.cpu_share)
            for x, y in zip(self.a.runs, self.b.runs, strict=True)
            if x.cpu_share and y.cpu_share and y.rps
        ]
        return statistics.median(ratios) if ratios else 0.0


def measure(
    server: Server, req: Request, seconds: float, connections: int, other: Server | None = None
) -> Run:
    """One load run on `server`, with `other` (sharing its core) stopped meanwhile."""
    if other is not None:
        other.pause()
    try:
        return _measure(server, req, seconds, connections)
    finally:
        if other is not None:
            other.resume()


def _measure(server: Server, req: Request, seconds: float, connections: int) -> Run:
    before, started = cpu_seconds(server.process.pid), time.perf_counter()
    result = load.run(server.base, req, seconds, connections)
    wall = time.perf_counter() - started
    share = (cpu_seconds(server.process.pid) - before) / wall if wall else 0.0
    return Run(result.rps, result.p50_ms, result.p99_ms, min(share, 1.0), result.bad)


def compare(
    label: str,
    a: tuple[Server, Request],
    b: tuple[Server, Request],
    *,
    rounds: int,
    seconds: float,
    connections: int,
    warmup: float = 1.0,
    b_warmup: float | None = None,
) -> Comparison:
    """Warm both up (JITs, caches, lazily built state), then alternate A and B `rounds` times."""
    (server_a, req_a), (server_b, req_b) = a, b
    measure(server_a, req_a, warmup, connections, server_b)
    measure(server_b, req_b, warmup if b_warmup is None else b_warmup, connections, server_a)
    comparison = Comparison(label, Series(server_a.name), Series(server_b.name))
    for _ in range(rounds):
        comparison.a.runs.append(measure(server_a, req_a, seconds, connections, server_b))
        comparison.b.runs.append(measure(server_b, req_b, seconds, connections, server_a))
    return comparison
