"""The NextGen face as the registry sees it."""

from __future__ import annotations

from simulator.face import Face, PublishedContract
from simulator.harness_ng.endpoint import NAME
from simulator.harness_ng.errors import ERRORS
from simulator.harness_ng.routes import (
    ACCESS_CONTRACT_FILE,
    API_PREFIXES,
    CONTRACT_FILE,
    build_routes,
)
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
        PublishedContract(
            ACCESS_CONTRACT_FILE,
            "beside the user operations (user groups and invites under `/ng/api`, role"
            " assignments and roles under `/authz/api`, resource groups under"
            " `/resourcegroup/api`), under `/gateway` and at the root, with `x-api-key` (the"
            " invite link's `accept` needs none).",
        ),
    ),
    home="/gateway/ng/api/user",
    hint="also /ng/api/user",
    prefixes=API_PREFIXES,
    # NextGen pages hold at most 100 items; more is a validation error.
    page_policy=PagePolicy(max_page_size=100, over_max="error"),
)
