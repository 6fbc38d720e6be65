"""The SCIM face as the registry sees it."""

from __future__ import annotations

from simulator.face import Face, PublishedContract
from simulator.harness_scim.discovery import MAX_RESULTS
from simulator.harness_scim.endpoint import NAME
from simulator.harness_scim.errors import ERRORS
from simulator.harness_scim.routes import API_PREFIXES, CONTRACT_FILE, build_routes
from simulator.scenarios.policies import PagePolicy

FACE = Face(
    name=NAME,
    title="Harness SCIM 2.0",
    routes=build_routes,
    errors=ERRORS,
    contracts=(
        PublishedContract(
            CONTRACT_FILE,
            "under `/gateway` (an identity provider's SCIM base URL is "
            "`http://HOST:PORT/gateway/ng/api/scim/account/ACCOUNT`) and at the root, with "
            "`Authorization: Bearer <API key>`.",
        ),
    ),
    home="/gateway/ng/api/scim/account/",
    hint="ACCOUNT/Users, also without /gateway",
    prefixes=API_PREFIXES,
    # A page holds at most what ServiceProviderConfig advertises (filter.maxResults);
    # a larger count is served as that many, as RFC 7644 lets a provider do.
    page_policy=PagePolicy(max_page_size=MAX_RESULTS, over_max="clamp"),
)
