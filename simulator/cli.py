"""The `usersim` command line."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from simulator import __version__

DEFAULT_ACCOUNT = "UsersimAccount00000001"
DEFAULT_API_KEY = "usersim-admin-key"
EXIT_BAD_FIXTURE = 2


def main(argv: Sequence[str] | None = None) -> None:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        sys.exit(1)
    sys.exit(args.run(args) or 0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="usersim", description=__doc__)
    parser.add_argument("--version", action="version", version=f"usersim {__version__}")
    commands = parser.add_subparsers(title="commands")

    serve = commands.add_parser("serve", help="serve every simulated API on one port")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument(
        "--fixtures",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="fixture files (default: the bundled default fixture)",
    )
    serve.add_argument("--seed", type=int, default=0, help="seed for generated ids and fault draws")
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    serve.set_defaults(run=_serve)

    fixtures = commands.add_parser("fixtures", help="work with fixture files")
    fixture_commands = fixtures.add_subparsers(title="fixture commands")
    validate = fixture_commands.add_parser("validate", help="check fixture files without serving")
    validate.add_argument("files", nargs="+", type=Path)
    validate.set_defaults(run=_validate)
    return parser


def _load_app(files: list[Path] | None, seed: int):  # -> Starlette, imported lazily
    from simulator.app import build_app
    from simulator.fixtures.loader import FixtureError

    try:
        return build_app(files, seed=seed)
    except FixtureError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        sys.exit(EXIT_BAD_FIXTURE)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    app = _load_app(args.fixtures, args.seed)
    base = f"http://{args.host}:{args.port}"
    print(
        "\n".join(
            [
                f"usersim {__version__} serving on {base}",
                f"  Harness NextGen REST    {base}/gateway/ng/api/user   (also {base}/ng/api/user)",
                f"  control API             {base}/_usersim/",
                f"  default account         {DEFAULT_ACCOUNT}",
                f"  admin API key           {DEFAULT_API_KEY}",
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
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run()
    return 0


def _validate(args: argparse.Namespace) -> int:
    from simulator.fixtures.loader import FixtureError, load_fixtures

    try:
        loaded = load_fixtures(args.files)
    except FixtureError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_FIXTURE
    accounts = {record.account_id for record in loaded.harness.tables["users"]}
    print(f"ok: {len(loaded.harness.tables['users'])} Harness users in {len(accounts)} accounts")
    return 0
