"""The `usersim` command line."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from simulator import __version__

if TYPE_CHECKING:  # the modules behind a command are imported when it runs
    from starlette.applications import Starlette

    from simulator.logs import RequestLog

DEFAULT_ACCOUNT = "UsersimAccount00000001"
DEFAULT_API_KEY = "usersim-admin-key"
DEFAULT_RAPIDAPI_KEY = "usersim-rapidapi-key"
DEFAULT_JOURNAL_SIZE = 10_000
DEFAULT_MAX_BODY_SIZE = 1024 * 1024
DEFAULT_JOURNAL_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_HEADER_SIZE = 64 * 1024
DEFAULT_GRAPHQL_MAX_COST = 100_000
DEFAULT_GRAPHQL_BUDGET = 5.0
EXIT_BAD_FIXTURE = 2

# `serve`'s resource bounds besides the journal's size and the body's: option, type,
# default, help. Each also reads USERSIM_<OPTION> (`--graphql-budget`:
# USERSIM_GRAPHQL_BUDGET).
_BOUNDS: tuple[tuple[str, type[float], float, str], ...] = (
    (
        "--journal-max-bytes",
        int,
        DEFAULT_JOURNAL_BYTES,
        "how many bytes of requests (bodies, headers) the journal keeps",
    ),
    (
        "--max-header-size",
        int,
        DEFAULT_MAX_HEADER_SIZE,
        "largest request header block in bytes (larger ones get 431)",
    ),
    (
        "--graphql-max-cost",
        int,
        DEFAULT_GRAPHQL_MAX_COST,
        "largest estimated cost (fields resolved) of a GraphQL operation",
    ),
    (
        "--graphql-budget",
        float,
        DEFAULT_GRAPHQL_BUDGET,
        "seconds a GraphQL execution may run before it is stopped",
    ),
)


def main(argv: Sequence[str] | None = None) -> None:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        sys.exit(1)
    sys.exit(args.run(args) or 0)


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"USERSIM_{name}", default)


def _path_or_none(value: str | None) -> Path | None:
    return Path(value) if value else None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="usersim", description=__doc__)
    parser.add_argument("--version", action="version", version=f"usersim {__version__}")
    commands = parser.add_subparsers(title="commands")

    # Every option can also come from an environment variable (USERSIM_<NAME>), which is
    # how the container image is configured; a flag wins over the variable.
    serve = commands.add_parser("serve", help="serve every simulated API on one port")
    serve.add_argument("--host", default=_env("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(_env("PORT", "8080") or 8080))
    serve.add_argument(
        "--fixtures",
        nargs="+",
        type=Path,
        metavar="FILE",
        default=[Path(p) for p in (_env("FIXTURES") or "").split(",") if p.strip()] or None,
        help="fixture files (default: the bundled default fixture; env: comma-separated)",
    )
    serve.add_argument(
        "--scenario", default=_env("SCENARIO"), help="a scenario preset to start with"
    )
    serve.add_argument(
        "--control-token",
        default=_env("CONTROL_TOKEN"),
        help="require this token on the control API",
    )
    serve.add_argument(
        "--seed", type=int, default=int(_env("SEED", "0") or 0), help="seed for ids and fault draws"
    )
    serve.add_argument(
        "--journal-size",
        type=int,
        default=int(_env("JOURNAL_SIZE", str(DEFAULT_JOURNAL_SIZE)) or DEFAULT_JOURNAL_SIZE),
        help="how many requests the journal keeps",
    )
    serve.add_argument(
        "--max-body-size",
        type=int,
        default=int(_env("MAX_BODY_SIZE", str(DEFAULT_MAX_BODY_SIZE)) or DEFAULT_MAX_BODY_SIZE),
        help="largest request body in bytes (larger ones get 413)",
    )
    for flag, kind, default, text in _BOUNDS:
        name = flag.removeprefix("--").upper().replace("-", "_")
        serve.add_argument(flag, type=kind, default=kind(_env(name) or default), help=text)
    serve.add_argument(
        "--state-file",
        type=Path,
        default=_path_or_none(_env("STATE_FILE")),
        help="keep the state in this file across restarts (restored at start, saved on change)",
    )
    serve.add_argument(
        "--log-level",
        default=_env("LOG_LEVEL", "info"),
        choices=["debug", "info", "warning", "error"],
    )
    serve.set_defaults(run=_serve)

    fixtures = commands.add_parser("fixtures", help="work with fixture files")
    fixture_commands = fixtures.add_subparsers(title="fixture commands")
    validate = fixture_commands.add_parser("validate", help="check fixture files without serving")
    validate.add_argument("files", nargs="+", type=Path)
    validate.set_defaults(run=_validate)
    generate = fixture_commands.add_parser(
        "generate", help="write a large deterministic fixture (same seed, same bytes)"
    )
    generate.add_argument("--users", type=int, default=1000, help="Harness users")
    generate.add_argument("--groups", type=int, default=20, help="Harness user groups")
    generate.add_argument("--rapidapi-users", type=int, default=0)
    generate.add_argument("--rapidapi-organizations", type=int, default=0)
    generate.add_argument("--teams-per-organization", type=int, default=0)
    generate.add_argument("--seed", type=int, default=42)
    generate.add_argument("-o", "--output", type=Path, required=True)
    generate.add_argument("--quiet", action="store_true", help="no progress bar")
    generate.set_defaults(run=_generate)

    docs = commands.add_parser("docs", help="documentation generated from the contracts")
    docs_commands = docs.add_subparsers(title="docs commands")
    operations = docs_commands.add_parser(
        "operations", help="the table of supported operations per face (markdown)"
    )
    operations.add_argument(
        "--write", type=Path, metavar="FILE", help="replace the operations block in FILE instead"
    )
    operations.set_defaults(run=_docs_operations)
    return parser


def _docs_operations(args: argparse.Namespace) -> int:
    from simulator.docs import operations_markdown, write_operations

    if args.write is None:
        print(operations_markdown(), end="")
        return 0
    try:
        changed = write_operations(args.write)
    except ValueError as exc:
        print(f"{args.write}: {exc}", file=sys.stderr)
        return 1
    print(f"{args.write}: operations block {'updated' if changed else 'already up to date'}")
    return 0


def _load_app(args: argparse.Namespace, request_log: RequestLog | None) -> Starlette:
    from simulator.app import build_app
    from simulator.fixtures.loaded import FixtureError
    from simulator.graphql.bounds import CostLimits, QueryLimits
    from simulator.persistence import StateFileError
    from simulator.scenarios.rules import ScenarioError

    try:
        return build_app(
            args.fixtures,
            seed=args.seed,
            scenario=args.scenario,
            control_token=args.control_token,
            journal_size=args.journal_size,
            journal_max_bytes=args.journal_max_bytes,
            max_body_size=args.max_body_size,
            max_header_size=args.max_header_size,
            graphql_limits=QueryLimits(
                cost=CostLimits(max_cost=args.graphql_max_cost),
                budget_seconds=args.graphql_budget,
            ),
            state_file=args.state_file,
            request_log=request_log,
            build_in_background=True,
        )
    except (FixtureError, ScenarioError, StateFileError) as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        sys.exit(EXIT_BAD_FIXTURE)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from simulator.logs import RequestLog, configure_logging

    stop_logging = configure_logging(args.log_level)
    logs_requests = args.log_level in ("debug", "info")
    app = _load_app(args, RequestLog() if logs_requests else None)
    base = f"http://{args.host}:{args.port}"
    faces = [
        f"  {face.title:<28} {base}{face.home}" + (f"   ({face.hint})" if face.hint else "")
        for face in app.state.faces
    ]
    print(
        "\n".join(
            [
                f"usersim {__version__} serving on {base}",
                *faces,
                f"  default account          {DEFAULT_ACCOUNT}",
                f"  admin API key            {DEFAULT_API_KEY}",
                f"  RapidAPI key             {DEFAULT_RAPIDAPI_KEY}",
                *([f"  scenario                 {args.scenario}"] if args.scenario else []),
                "Press Ctrl-C to stop.",
            ]
        ),
        flush=True,
    )
    config = uvicorn.Config(
        app, host=args.host, port=args.port, log_level=args.log_level, access_log=False
    )
    # uvicorn shuts down gracefully on SIGINT/SIGTERM and then re-raises the signal to the
    # handlers that were there before it: make those end the process with status 0.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with contextlib.suppress(KeyboardInterrupt):
            uvicorn.Server(config).run()
    finally:
        stop_logging()
    return 0


def _validate(args: argparse.Namespace) -> int:
    from simulator.fixtures.loaded import FixtureError
    from simulator.fixtures.loader import load_fixtures

    try:
        loaded = load_fixtures(args.files)
    except FixtureError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_FIXTURE
    accounts = {record.account_id for record in loaded.harness.tables["users"]}
    print(f"ok: {len(loaded.harness.tables['users'])} Harness users in {len(accounts)} accounts")
    return 0


def _generate(args: argparse.Namespace) -> int:
    from simulator.generate import Plan, write_fixture

    plan = Plan(
        users=args.users,
        groups=args.groups,
        seed=args.seed,
        rapidapi_users=args.rapidapi_users,
        rapidapi_organizations=args.rapidapi_organizations,
        teams_per_organization=args.teams_per_organization,
    )
    write_fixture(plan, args.output, quiet=args.quiet)
    return 0
