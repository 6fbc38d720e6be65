"""Load generators: wrk when installed, else a small asyncio client in this process.

wrk is the reference (C, one thread, keep-alive, a Lua script for method, headers and
body). The fallback keeps `make bench` working where wrk cannot be installed; it is
slower than wrk per request, so its figures are lower bounds and the report says which
generator ran. Either runs on the load core (this process is pinned there).
"""

from __future__ import annotations

import asyncio
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import servers
from bench.scenarios import NONCE, Request

# Enough to keep a fast server busy while other work on the machine delays the client now
# and then (with 16, the ceiling sat idle up to 15% of the time on this shared machine).
CONNECTIONS = 64


@dataclass(frozen=True)
class LoadResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int  # non-2xx answers and socket errors: a figure with any is not trusted


def generator_name() -> str:
    return "wrk" if shutil.which("wrk") else "python-asyncio"


def run(base: str, req: Request, seconds: float, connections: int = CONNECTIONS) -> LoadResult:
    if shutil.which("wrk"):
        result = _run_wrk(base, req, seconds, connections)
        if req.undo is not None:
            _undo_the_last(base, req, result.requests)
        return result
    return asyncio.run(_run_python(base, req, seconds, connections))


def _undo_the_last(base: str, req: Request, answered: int) -> None:
    """wrk may stop between a request and its undo: send the undo that may be missing
    (around the last turn), so the next run starts clean."""
    assert req.undo is not None
    for number in range(max(1, answered // 2 - 1), answered // 2 + 3):
        servers.request(base, req.undo, number=number)


# -- wrk ----------------------------------------------------------------------------------


def _lua_string(value: str | bytes) -> str:
    text = value.decode() if isinstance(value, bytes) else value
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _lua_script(req: Request) -> str:
    lines = [f"wrk.method = {_lua_string(req.method)}"]
    if req.body:
        lines.append(f"wrk.body = {_lua_string(req.body)}")
    lines += [f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in req.headers.items()]
    if req.fresh:
        # A new body per request; wrk.format fills in content-length.
        head, tail = req.fresh_parts
        lines += [
            "local sent = 0",
            f"local head = {_lua_string(head)}",
            f"local tail = {_lua_string(tail)}",
        ]
        if req.undo is None:
            lines += [
                "request = function()",
                "  sent = sent + 1",
                "  return wrk.format(nil, nil, nil, head .. sent .. tail)",
                "end",
            ]
        else:
            # The request and its undo by turns, the same number for both; a turn ends with
            # its answer (wrk also calls `request` once for a request it never sends).
            # One connection only: the turns of several would interleave.
            before, _, after = req.undo.path.partition(NONCE)
            lines += [
                f"local undo_before = {_lua_string(before)}",
                f"local undo_after = {_lua_string(after)}",
                "local undoing = false",
                "sent = 1",
                "request = function()",
                "  if not undoing then",
                "    return wrk.format(nil, nil, nil, head .. sent .. tail)",
                "  end",
                f"  return wrk.format({_lua_string(req.undo.method)}, undo_before .. sent .. undo_after,"
                " nil, '')",
                "end",
                "response = function(status, headers, body)",
                "  if undoing then",
                "    sent = sent + 1",
                "  end",
                "  undoing = not undoing",
                "end",
            ]
    return "\n".join(lines) + "\n"


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def _run_wrk(base: str, req: Request, seconds: float, connections: int) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua_script(req))
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--latency",
                "-s",
                script.name,
                base + req.path,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            check=True,
        ).stdout
    finally:
        Path(script.name).unlink()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    bad = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    bad += int(non_2xx.group(1)) if non_2xx else 0
    return LoadResult(rps, _ms(percentiles["50"]), _ms(percentiles["99"]), total, bad)


# -- Python fallback ----------------------------------------------------------------------


def _raw(req: Request, host: str, n: int) -> bytes:
    body = req.body_for(n)
    head = [f"{req.method} {req.path_for(n)} HTTP/1.1", f"host: {host}"]
    head += [f"{k}: {v}" for k, v in req.headers.items()]
    if body or req.method == "POST":
        head.append(f"content-length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lowered = head.lower()
    match = re.search(rb"\r\ncontent-length:\s*(\d+)", lowered)
    if match:
        await reader.readexactly(int(match.group(1)))
    elif b"transfer-encoding: chunked" in lowered:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _run_python(base: str, req: Request, seconds: float, connections: int) -> LoadResult:
    try:
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    except ImportError:
        pass
    host, _, port = base.removeprefix("http://").partition(":")
    sent = 0
    latencies: list[float] = []
    bad = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal bad, sent
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while (now := time.perf_counter()) < deadline:
                sent += 1
                number = sent
                for each in (req,) if req.undo is None else (req, req.undo):
                    writer.write(_raw(each, f"{host}:{port}", number))
                    status = await _read_response(reader)
                    latencies.append(time.perf_counter() - now)
                    now = time.perf_counter()
                    bad += not 200 <= status < 300
        finally:
            writer.close()

    started = time.perf_counter()
    results = await asyncio.gather(*(worker() for _ in range(connections)), return_exceptions=True)
    elapsed = time.perf_counter() - started
    bad += sum(isinstance(r, BaseException) for r in results)
    if not latencies:
        return LoadResult(0.0, 0.0, 0.0, 0, bad)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return LoadResult(
        len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000, len(latencies), bad
    )
