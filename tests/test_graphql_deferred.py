"""GraphQL endpoints are built once, after the start, and requests that come first wait."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from typing import Any

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Scope

from simulator.graphql.deferred import DeferredEndpoint
from simulator.testing.server import LiveServer


def slow_build(calls: list[int]) -> ASGIApp:
    calls.append(1)
    time.sleep(0.05)  # long enough for the other threads to arrive meanwhile
    return PlainTextResponse("built")


def test_the_endpoint_is_built_once_whoever_asks() -> None:
    calls: list[int] = []
    endpoint = DeferredEndpoint(lambda: slow_build(calls))
    built: list[ASGIApp] = []
    threads = [threading.Thread(target=lambda: built.append(endpoint.get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1] and len({id(app) for app in built}) == 1


def test_a_request_that_comes_first_waits_for_the_build() -> None:
    calls: list[int] = []
    endpoint = DeferredEndpoint(lambda: slow_build(calls))
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
    asyncio.run(endpoint(scope, receive, send))
    asyncio.run(endpoint(scope, receive, send))
    assert calls == [1]
    assert [m["body"] for m in sent if m["type"] == "http.response.body"] == [b"built"] * 2


def _deferred(app: Any) -> list[DeferredEndpoint]:
    found = []
    for route in app.routes:
        for inner in getattr(route, "routes", [route]):
            target = getattr(inner, "app", None)
            if isinstance(target, DeferredEndpoint):
                found.append(target)
    return found


def test_a_server_in_a_test_process_builds_its_graphql_endpoints_at_start() -> None:
    with LiveServer() as server:
        endpoints = _deferred(server.app)
        assert len(endpoints) >= 3  # CurrentGen, and two RapidAPI contract versions
        assert all(endpoint._app is not None for endpoint in endpoints)


def test_building_the_app_imports_no_graphql_library() -> None:
    """What `usersim serve` does before it answers leaves graphql-core and ariadne to the
    background build (a module on the start path that imports them undoes the deferral)."""
    script = (
        "import sys\n"
        "from simulator.app import build_app\n"
        "build_app(build_in_background=True)\n"
        "print(sorted({name.partition('.')[0] for name in sys.modules} & {'graphql', 'ariadne'}))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
