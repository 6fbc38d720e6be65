"""Routes the app adds around the faces' own.

Literal paths are found with one dict lookup instead of one regular expression per route.

Starlette's router tries its routes in order, so the tenth route of the list costs ten
pattern matches before its request even starts (about a microsecond each). Most of
usersim's paths have no parameters. `literal_paths_first` gathers those into a single
route at the head of the list, without changing which route answers any request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.datastructures import URLPath
from starlette.responses import PlainTextResponse

# get_route_path is starlette.routing's own helper, imported there but not re-exported.
from starlette.routing import (  # type: ignore[attr-defined]
    BaseRoute,
    Match,
    NoMatchFound,
    Route,
    get_route_path,
)
from starlette.types import Receive, Scope, Send

from simulator.face import Faces

_ROUTE = "usersim.literal_route"


class LiteralPaths(BaseRoute):
    """Routes without path parameters, by path; each still does its own method check."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self._by_path = {route.path: route for route in routes}

    @property
    def routes(self) -> list[Route]:
        """The routes held, as `Mount.routes` lists a mount's."""
        return list(self._by_path.values())

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        route = self._by_path.get(get_route_path(scope))
        if route is None:
            return Match.NONE, {}
        # What `Route.matches` answers for a path without parameters, without its regex;
        # the route rides along in the child scope so `handle` need not look it up again.
        path_params = dict(scope.get("path_params", {}))
        child_scope = {"endpoint": route.endpoint, "path_params": path_params, _ROUTE: route}
        if route.methods and scope["method"] not in route.methods:
            return Match.PARTIAL, child_scope
        return Match.FULL, child_scope

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await scope[_ROUTE].handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        for route in self._by_path.values():
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                continue
        raise NoMatchFound(name, path_params)


def literal_paths_first(routes: Sequence[BaseRoute]) -> list[BaseRoute]:
    """The same routing, with each literal path no earlier route could claim in one table.

    A literal route stays where it is when an earlier pattern matches its path, when an
    earlier literal route has the same path (the first must be tried first, the second
    only after it), or when anything but a plain `Route` precedes it: a subclass (the
    RapidAPI gateway's host-matched root, say) decides by more than its path.
    """
    table: dict[str, Route] = {}
    rest: list[BaseRoute] = []
    for route in routes:
        if (
            isinstance(route, Route)
            and type(route) is Route
            and not route.param_convertors
            and route.path not in table
            and all(
                isinstance(r, Route) and type(r) is Route and not r.path_regex.match(route.path)
                for r in rest
            )
        ):
            table[route.path] = route
        else:
            rest.append(route)
    return [LiteralPaths(list(table.values())), *rest] if table else rest


class UnknownPath:
    """The app of the last route: every path and method no face serves.

    Under a face's prefixes the face answers in its own shape (Harness's FAILURE for an
    unknown /ng/api path, say); elsewhere it is a plain 404.
    """

    def __init__(self, faces: Faces) -> None:
        self._faces = faces

    def route(self) -> Route:
        return Route("/{path:path}", self)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        face = self._faces.owner(scope)
        response = PlainTextResponse("Not Found", 404) if face is None else face.errors.not_found()
        await response(scope, receive, send)
