"""The contract coverage at the end of a pytest session, as pytest-cov reports its own.

Where the counts come from depends on the mode:

* server and in-process modes: every process (each pytest-xdist worker too) starts its
  own usersim, so each reads its server's report when the session fixture ends; workers
  send theirs to the controller, which merges them;
* `--usersim-url`: the server is shared by every worker, so the controlling process
  alone resets its coverage when the session starts and reads it when the tests are done.

The controller prints a summary per face, writes `--usersim-coverage=PATH` (`.json` or
`.md`) and fails the session under `--usersim-coverage-fail-under=PERCENT` (the share
of operations called, over the faces the session called at all).
"""

from __future__ import annotations

import json
from collections.abc import Generator
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator.coverage.report import markdown, merge, operations_percent, summary_lines
from simulator.testing.client import Usersim, UsersimError

WORKER_OUTPUT = "usersim_coverage"
FORMATS = (".json", ".md")


class CoverageSession:
    """The plugin's coverage bookkeeping for one pytest process."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.url: str | None = config.getoption("--usersim-url")
        path = config.getoption("--usersim-coverage")
        self.path = Path(path) if path else None
        if self.path is not None and self.path.suffix not in FORMATS:
            raise pytest.UsageError("--usersim-coverage must name a .json or a .md file")
        self.fail_under: float | None = config.getoption("--usersim-coverage-fail-under")
        self.reports: list[dict[str, Any]] = []
        self.report: dict[str, Any] | None = None
        self.problem: str | None = None
        self.failed = False

    @property
    def controls(self) -> bool:
        """Whether this process reports (a pytest-xdist worker only collects)."""
        return not hasattr(self.config, "workerinput")

    def collect(self, handle: Usersim) -> None:
        """Keep the report of a server this process started, before it stops."""
        self.reports.append(handle.coverage())

    # -- hooks ---------------------------------------------------------------------------

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        if self.url and self.controls:
            try:
                with Usersim(self.url) as handle:
                    handle.reset_coverage()
            except (httpx.HTTPError, UsersimError) as exc:
                self.problem = f"could not reset the coverage of {self.url}: {exc}"

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        workeroutput = getattr(self.config, "workeroutput", None)
        if workeroutput is not None and self.reports:
            workeroutput[WORKER_OUTPUT] = json.dumps(self.reports)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """pytest-xdist: a worker finished and sent its servers' reports."""
        sent = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT)
        if sent:
            self.reports.extend(json.loads(sent))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Generator[None, object, object]:
        result = yield
        if self.controls:
            self._finish(session)
        return result

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.controls or (self.report is None and self.problem is None):
            return
        terminalreporter.section("usersim contract coverage")
        if self.problem is not None:
            terminalreporter.write_line(self.problem)
        if self.report is None:
            return
        for line in summary_lines(self.report):
            terminalreporter.write_line(line)
        if self.path is not None:
            terminalreporter.write_line(f"coverage written to {self.path}")
        if self.failed:
            percent = operations_percent(self.report)
            terminalreporter.write_line(
                f"FAIL usersim coverage: {percent:.1f}% of operations called, "
                f"under --usersim-coverage-fail-under={self.fail_under:g}",
                red=True,
            )

    # -- the end of the session ------------------------------------------------------------

    def _finish(self, session: pytest.Session) -> None:
        if self.url:
            if self.problem is None:
                try:
                    with Usersim(self.url) as handle:
                        self.report = handle.coverage()
                except (httpx.HTTPError, UsersimError) as exc:
                    self.problem = f"could not read the coverage of {self.url}: {exc}"
        elif self.reports:
            self.report = merge(self.reports)
        if self.report is None:
            return
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.suffix == ".md":
                self.path.write_text(markdown(self.report))
            else:
                self.path.write_text(json.dumps(self.report, indent=2) + "\n")
        if self.fail_under is not None and operations_percent(self.report) < self.fail_under:
            self.failed = True
            session.testsfailed += 1
