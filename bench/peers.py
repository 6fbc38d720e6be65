"""The peers: Prism, WireMock and graphql-faker serving a stub equivalent to a usersim call.

Each stub answers what usersim answers for the same call, but from a static example or
made-up values, with no state, auth, validation of business rules, journal or faults: the
comparison is "usersim doing far more per request" against "a mock doing the least".
Prism and WireMock serve the exact body usersim returned for NG currentUser at the start of
the run (their spec and mapping are written from it); graphql-faker serves
`bench/peers/cg-users.graphql`, the CurrentGen users query's types, with ten fake users.

They come from `bench/setup.sh` (npm, into bench/.tools/); WireMock's jar needs Java. A
peer that is not installed is reported as such, and the bench goes on without it.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.scenarios import CG_USERS_QUERY, NG_USER, Request, ng_current_user

TOOLS = Path(__file__).parent / ".tools"
SCHEMA = Path(__file__).parent / "peers" / "cg-users.graphql"


class Unavailable(Exception):
    """The peer is not installed here (the message says what is missing)."""


@dataclass(frozen=True)
class Peer:
    name: str
    version: str
    compared_to: str  # the usersim scenario this stub is equivalent to
    command: list[str]
    request: Request  # the equivalent call on the peer
    warmup: float  # JITs (the JVM's above all) need a longer warm-up to be fair to them


def _package_version(package_dir: Path) -> str:
    manifest = package_dir / "package.json"
    if not manifest.exists():
        raise Unavailable(f"{package_dir.relative_to(TOOLS.parent)} is not installed")
    return json.loads(manifest.read_text())["version"]


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise Unavailable("node is not installed")
    return node


def prism(port: int, workdir: Path, current_user: Any) -> Peer:
    """Prism in static mode (its default): it answers with the spec's example."""
    package = TOOLS / "prism" / "node_modules" / "@stoplight" / "prism-cli"
    version = _package_version(package)
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "usersim NG currentUser stub", "version": "1"},
        "paths": {
            f"{NG_USER}/currentUser": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "the current user",
                            "content": {"application/json": {"example": current_user}},
                        }
                    }
                }
            }
        },
    }
    path = workdir / "prism-spec.json"
    path.write_text(json.dumps(spec))
    entry = package / "dist" / "index.js"
    command = [_node(), str(entry), "mock", "-h", "127.0.0.1", "-p", str(port), str(path)]
    return Peer("Prism", version, "ng_current_user", command, ng_current_user(), 3.0)


def wiremock(port: int, workdir: Path, current_user: Any) -> Peer:
    """WireMock standalone (the jar from its npm package) with one JSON mapping."""
    package = TOOLS / "wiremock" / "node_modules" / "wiremock"
    version = _package_version(package)
    jars = sorted((package / "build").glob("wiremock-standalone-*.jar"))
    java = shutil.which("java")
    if not jars or java is None:
        raise Unavailable("WireMock needs its jar and java")
    root = workdir / "wiremock"
    (root / "mappings").mkdir(parents=True, exist_ok=True)
    mapping = {
        "request": {"method": "GET", "url": f"{NG_USER}/currentUser"},
        "response": {
            "status": 200,
            "headers": {"Content-Type": "application/json"},
            "jsonBody": current_user,
        },
    }
    (root / "mappings" / "current-user.json").write_text(json.dumps(mapping))
    command = [
        java,
        "-jar",
        str(jars[-1]),
        "--bind-address",
        "127.0.0.1",
        "--port",
        str(port),
        "--root-dir",
        str(root),
        "--disable-banner",
    ]
    return Peer("WireMock", version, "ng_current_user", command, ng_current_user(), 5.0)


def graphql_faker(port: int, workdir: Path, current_user: Any) -> Peer:
    """graphql-faker on the CurrentGen users query's types (made-up values per request)."""
    package = TOOLS / "graphql-faker" / "node_modules" / "graphql-faker"
    version = _package_version(package)
    entry = package / "dist" / "index.js"
    if not entry.exists():
        raise Unavailable(f"graphql-faker {version} has no dist/index.js")
    command = [_node(), str(entry), "--port", str(port), str(SCHEMA)]
    body = json.dumps({"query": CG_USERS_QUERY}, separators=(",", ":")).encode()
    req = Request("POST", "/graphql", {"content-type": "application/json"}, body)
    return Peer("graphql-faker", version, "cg_users", command, req, 3.0)


BUILDERS = (prism, wiremock, graphql_faker)
