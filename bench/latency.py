"""Sequential request timing: one keep-alive connection, one request at a time.

For figures that are about one request's cost rather than throughput (a deep page, a
search over 100k users, a reset), a single client with no concurrency measures the
server's time per request plus a fixed loopback round trip, the same for every figure.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass

from bench import servers
from bench.scenarios import Request


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p90_ms: float
    samples: int

    def __str__(self) -> str:
        return f"{self.median_ms:.2f} ms (p90 {self.p90_ms:.2f}, n={self.samples})"


def summarize(samples_ms: list[float]) -> Timing:
    ordered = sorted(samples_ms)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return Timing(statistics.median(ordered), p90, len(ordered))


def time_request(base: str, req: Request, samples: int = 30, warmup: int = 3) -> Timing:
    """Median wall time of `req`; every answer must be 2xx (a timed error proves nothing)."""
    conn = servers.connection(base)
    timings: list[float] = []
    try:
        for n in range(warmup + samples):
            started = time.perf_counter()
            status, body = servers.request(base, req, conn=conn)
            elapsed = (time.perf_counter() - started) * 1000
            if not 200 <= status < 300 or b'"errors":' in body:
                raise RuntimeError(f"{req.method} {req.path} answered {status}: {body[:300]!r}")
            if n >= warmup:
                timings.append(elapsed)
    finally:
        conn.close()
    return summarize(timings)


def reset_after_changes(base: str, changes: list[Request], rounds: int) -> tuple[float, float]:
    """Apply `changes`, then reset, `rounds` times: median server-side and round-trip ms.

    The server side is the control API's own `durationMs`; the round trip adds HTTP and
    the response, which is what a test's fixture waits for.
    """
    inside, outside = [], []
    for _ in range(rounds):
        for change in changes:
            status, body = servers.request(base, change)
            if status != 200 or b'"errors":' in body:
                raise RuntimeError(f"change failed ({status}): {body[:300]!r}")
        started = time.perf_counter()
        status, body = servers.request(base, Request("POST", "/_usersim/reset"))
        outside.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"reset answered {status}: {body[:300]!r}")
        inside.append(json.loads(body)["durationMs"])
    return statistics.median(inside), statistics.median(outside)
