"""The ceiling: a bare Starlette app that answers each benchmarked path with the same JSON.

Every throughput figure is a ratio against this app, measured in the same run on the same
uvicorn settings as `usersim serve` (uvicorn's defaults: uvloop and httptools when
installed, one worker, info log level, no access log). A ratio survives a slower or noisier
machine; an absolute requests/s figure does not.

The payloads are captured from usersim itself at the start of the run (a JSON list of
`{"method", "path", "body", "response"}`), so the ceiling serializes the same shape and size
per request as usersim does. It reads POST bodies, as any real endpoint must, and picks the
answer by body when several requests share a path (the GraphQL endpoints); nothing else.

Run as `python -m bench.ceiling --port N --payloads FILE`.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


def _endpoint(by_body: dict[bytes, Any]) -> Callable[[Request], Awaitable[Response]]:
    default = next(iter(by_body.values()))
    # Fresh GraphQL requests append a variable to a known body (bench/scenarios.py).
    prefixes = [(body.rstrip()[:-1], payload) for body, payload in by_body.items() if body]

    def pick(body: bytes) -> Any:
        found = by_body.get(body)
        if found is not None:
            return found
        return next((p for prefix, p in prefixes if body.startswith(prefix)), default)

    async def endpoint(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse(default)
        return JSONResponse(pick(await request.body()))

    return endpoint


def build_app(payloads: list[dict[str, Any]]) -> Starlette:
    """One route per benchmarked path; health answers like usersim's, for the same probe."""
    by_path: dict[str, dict[bytes, Any]] = {}
    methods: dict[str, set[str]] = {}
    for item in payloads:
        path = item["path"].partition("?")[0]
        by_path.setdefault(path, {})[item["body"].encode()] = item["response"]
        methods.setdefault(path, set()).add(item["method"])
    routes = [
        Route(path, _endpoint(by_body), methods=sorted(methods[path]))
        for path, by_body in by_path.items()
    ]
    routes.append(Route("/_usersim/health", _endpoint({b"": {"status": "ok"}})))
    return Starlette(routes=routes)


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--payloads", type=Path, required=True)
    args = parser.parse_args()
    app = build_app(json.loads(args.payloads.read_text()))
    # The same Config as simulator/cli.py's `_serve`: only host, port, log level and
    # access_log are set there; loop and http stay "auto" (uvloop, httptools).
    config = uvicorn.Config(
        app, host="127.0.0.1", port=args.port, log_level="info", access_log=False
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
