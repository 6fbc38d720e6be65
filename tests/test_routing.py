"""The literal-path table routes every request exactly as Starlette's list would."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Match, Route
from starlette.types import Scope

from simulator.routing import LiteralPaths, literal_paths_first
from simulator.testing.transport import SyncASGITransport


def answer(text: str):
    async def endpoint(request: Request) -> PlainTextResponse:
        return PlainTextResponse(text)

    return endpoint


class OnlyWithHeader(Route):
    """Matches its path only when the request carries `x-pick`: more than a path decides."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if not any(name == b"x-pick" for name, _ in scope.get("headers", [])):
            return Match.NONE, {}
        return super().matches(scope)


ROUTES: list[BaseRoute] = [
    Route("/users/me", answer("me")),
    Route("/users/{id}", answer("by id")),
    Route("/users/admin", answer("shadowed by the pattern above")),
    Route("/items", answer("items get"), methods=["GET"]),
    Route("/items", answer("items post"), methods=["POST"]),
    OnlyWithHeader("/picked", answer("picked")),
    Route("/picked", answer("not picked")),
]


def client(routes: list[BaseRoute]) -> httpx.Client:
    transport = SyncASGITransport(Starlette(routes=routes))
    return httpx.Client(transport=transport, base_url="http://testserver")


def test_every_request_is_answered_as_without_the_table() -> None:
    requests = [
        ("GET", "/users/me", {}),
        ("GET", "/users/admin", {}),
        ("GET", "/users/42", {}),
        ("GET", "/items", {}),
        ("POST", "/items", {}),
        ("DELETE", "/items", {}),
        ("GET", "/picked", {}),
        ("GET", "/picked", {"x-pick": "1"}),
        ("GET", "/nowhere", {}),
    ]
    plain, tabled = client(ROUTES), client(literal_paths_first(ROUTES))
    for method, path, headers in requests:
        expected = plain.request(method, path, headers=headers)
        got = tabled.request(method, path, headers=headers)
        assert (got.status_code, got.text) == (expected.status_code, expected.text), path
    assert tabled.get("/users/admin").text == "by id"
    assert tabled.delete("/items").status_code == 405


def test_only_literal_paths_no_earlier_route_could_claim_go_in_the_table() -> None:
    routed = literal_paths_first(ROUTES)
    assert isinstance(routed[0], LiteralPaths)
    assert [route.path for route in routed[0].routes] == ["/users/me", "/items"]
    assert len(routed) == 1 + len(ROUTES) - 2
