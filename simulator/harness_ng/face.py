"""The NextGen face as the registry sees it."""

from __future__ import annotations

from simulator.face import Face, PublishedContract
from simulator.harness_ng.endpoint import NAME
from simulator.harness_ng.errors import ERRORS
from simulator.harness_ng.routes import API_PREFIXES, CONTRACT_FILE, build_routes
from simulator.scenarios.policies import PagePolicy

FACE = Face(
    name=NAME,
    title="Harness NextGen REST",
    routes=build_routes,
    errors=ERRORS,
    contracts=(
        PublishedContract(
            CONTRACT_FILE,
            "under `/gateway` (a client's base URL is `http://HOST:PORT/gateway`, as for "
            "`https://app.harness.io/gateway`) and at the root, with `x-api-key`.",
        ),
    ),
    home="/gateway/ng/api/user",
    hint="also /ng/api/user",
    prefixes=API_PREFIXES,
    # NextGen pages hold at most 100 items; more is a validation error.
    page_policy=PagePolicy(max_page_size=100, over_max="error"),
)
