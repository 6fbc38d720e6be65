"""The Starlette application: every face and the control API on one port."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from simulator.fixtures.loader import load_fixtures
from simulator.harness_ng.routes import build_routes as harness_ng_routes
from simulator.http import JSONResponse
from simulator.resources import contracts_dir, default_fixture
from simulator.runtime import Simulator


def create_app(simulator: Simulator) -> Starlette:
    routes = [
        Route("/_usersim/health", _health, methods=["GET"]),
        Route("/_usersim/contracts/{name}", _contract, methods=["GET"]),
        *harness_ng_routes(simulator.harness),
    ]
    app = Starlette(routes=routes)
    app.state.simulator = simulator
    return app


def build_app(fixtures: list[Path] | None = None, *, seed: int = 0) -> Starlette:
    """Load fixtures (the default one when none are named) and build the app."""
    loaded = load_fixtures(fixtures or [default_fixture()])
    return create_app(Simulator(loaded, seed=seed))


async def _health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _contract(request: Request) -> Response:
    name = request.path_params["name"]
    published = {path.name: path for path in contracts_dir().iterdir() if path.is_file()}
    if name not in published:
        return JSONResponse(
            {"message": f"no contract named {name}", "contracts": sorted(published)},
            status_code=404,
        )
    media = "application/yaml" if name.endswith((".yaml", ".yml")) else "text/plain"
    return FileResponse(published[name], media_type=media)
