"""The same request through the in-process ASGI transport (no socket), usersim vs ceiling.

This is what a test in `--usersim-mode inprocess` pays per call: httpx's client, the
plugin's SyncASGITransport, and the app. The bare-Starlette ceiling behind the same
transport gives the floor that the transport itself costs.

Run as `python -m bench.inprocess PAYLOADS.json`; prints one JSON object.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.ceiling import build_app as build_ceiling
from bench.scenarios import CG_USERS_QUERY, Request, cg, ng_current_user

SAMPLES = 1000
WARMUP = 100
ROUNDS = 3


def _per_request_us(client: httpx.Client, req: Request) -> float:
    """Median of batches of 100 calls, in microseconds per call."""
    sent = 0
    for _ in range(WARMUP):
        sent += 1
        client.request(req.method, req.path, headers=req.headers, content=req.body_for(sent))
    batches = []
    for _ in range(SAMPLES // 100):
        started = time.perf_counter()
        for _ in range(100):
            sent += 1
            response = client.request(
                req.method, req.path, headers=req.headers, content=req.body_for(sent) or None
            )
        batches.append((time.perf_counter() - started) * 1e6 / 100)
        if response.status_code != 200:
            raise RuntimeError(f"{req.path} answered {response.status_code}")
    return statistics.median(batches)


def measure(payloads: list[dict[str, Any]]) -> dict[str, float]:
    """Alternate usersim and the ceiling, ROUNDS times, like the socket figures; medians."""
    from simulator.app import build_app
    from simulator.testing.transport import SyncASGITransport

    transports = {
        "usersim": SyncASGITransport(build_app()),
        "ceiling": SyncASGITransport(build_ceiling(payloads)),
    }
    clients = {
        name: httpx.Client(transport=transport, base_url="http://usersim.test")
        for name, transport in transports.items()
    }
    requests = {
        "NG currentUser": ng_current_user(),
        "CG users(limit: 10), executed": cg(CG_USERS_QUERY).executed(),
    }
    samples: dict[str, list[float]] = {}
    for _ in range(ROUNDS):
        for what, req in requests.items():
            for name, client in clients.items():
                key = f"{name} {what} (us)"
                samples.setdefault(key, []).append(_per_request_us(client, req))
    for name, client in clients.items():
        client.close()
        transports[name].shutdown()
    return {key: statistics.median(values) for key, values in samples.items()}


if __name__ == "__main__":
    print(json.dumps(measure(json.loads(Path(sys.argv[1]).read_text()))))
