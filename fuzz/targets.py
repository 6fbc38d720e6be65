"""The contracts as the suite fuzzes them, with a much larger budget.

`make fuzz` reuses the suite's contract tests unchanged: their schemathesis.toml
projects, dictionaries, hooks, excluded checks, per-operation headers, state machines,
the reset before each case and the invariants after it. Like the suite, it calls each
app in-process (through its whole middleware stack; nothing goes on the network), and
only the example budget changes. A counter in front of each app records what it
answered.

Why not over HTTP: the suite builds its state machines when its modules are imported,
and schemathesis 4.32.5 binds each operation to the app and base URL it had then;
re-pointing the schema afterwards leaves operations split between the two transports.

Budgets (environment): FUZZ_EXAMPLES examples per operation (default 60, the suite
uses 25 or fewer; 60 lets every contract finish within the time bound), FUZZ_STATEFUL scenarios per state machine (default 80, suite 15) of at most
FUZZ_STEPS calls (default 10, suite 5 or 6). FUZZ_MAX_TIME (seconds, default 420)
bounds the run: operations not started by then are skipped and the summary says so.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from types import ModuleType

import hypothesis
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.control import test_contract as control
from tests.harness_cg import test_contract as harness_cg
from tests.harness_ng import test_access_contract as harness_ng_access
from tests.harness_ng import test_contract as harness_ng
from tests.harness_scim import test_contract as harness_scim
from tests.rapidapi import test_contract as rapidapi

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
STATEFUL = int(os.environ.get("FUZZ_STATEFUL", "80"))
STEPS = int(os.environ.get("FUZZ_STEPS", "10"))


class StatusCounter:
    """Pure ASGI, outermost: counts the HTTP requests the app answered, by status class."""

    def __init__(self, app: ASGIApp, counts: Counter[str]) -> None:
        self.app = app
        self.counts = counts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.counts["requests"] += 1
                self.counts[f"{message['status'] // 100}xx"] += 1
            await send(message)

        await self.app(scope, receive, counting_send)


@dataclass
class Target:
    name: str
    contract: str
    module: ModuleType
    state_machines: tuple[type, ...] = ()
    counts: Counter[str] = field(default_factory=Counter)

    def prepare(self) -> None:
        self.module.app.add_middleware(StatusCounter, counts=self.counts)
        self.module.schema.config.generation.update(max_examples=EXAMPLES)
        for machine in self.state_machines:
            machine.settings = hypothesis.settings(
                machine.settings, max_examples=STATEFUL, stateful_step_count=STEPS
            )


TARGETS = {
    "harness_ng": Target(
        "Harness NextGen",
        "harness-ng-user.openapi.yaml",
        harness_ng,
        (harness_ng.TestNgStateful,),
    ),
    "harness_ng_access": Target(
        "Harness NextGen access control",
        "harness-ng-access.openapi.yaml",
        harness_ng_access,
        (harness_ng_access.TestAccessStateful,),
    ),
    "harness_scim": Target(
        "Harness SCIM",
        "harness-scim.openapi.yaml",
        harness_scim,
        (harness_scim.TestScimStateful,),
    ),
    "harness_cg": Target("Harness CurrentGen", "harness-cg.graphql", harness_cg),
    "rapidapi": Target(
        "RapidAPI Platform",
        "rapidapi-platform.graphql",
        rapidapi,
        (rapidapi.TestRapidApiStateful,),
    ),
    "control": Target("usersim control", "usersim-control.openapi.yaml", control),
}
for _target in TARGETS.values():
    _target.prepare()
