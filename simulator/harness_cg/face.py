"""The CurrentGen face as the registry sees it."""

from __future__ import annotations

from simulator.face import Face, PublishedContract
from simulator.harness_cg.routes import ERRORS, NAME, PATHS, build_routes
from simulator.harness_cg.schema import CONTRACT_FILE

FACE = Face(
    name=NAME,
    title="Harness CurrentGen GraphQL",
    routes=build_routes,
    errors=ERRORS,
    contracts=(
        PublishedContract(
            CONTRACT_FILE,
            "at `POST /gateway/api/graphql?accountId=ACCOUNT` (also `/api/graphql`), with `x-api-key`.",
        ),
    ),
    home=PATHS[0],
    hint="GET opens GraphiQL",
    paths=PATHS,
    explorers=PATHS[:1],
)
