"""The Platform API face as the registry sees it."""

from __future__ import annotations

from simulator.face import Face, PublishedContract
from simulator.rapidapi.routes import ERRORS, NAME, PREFIX, build_routes, claims_root
from simulator.rapidapi.schema import CURRENT, V2023_08, VERSIONS

FACE = Face(
    name=NAME,
    title="RapidAPI Platform GraphQL",
    routes=build_routes,
    errors=ERRORS,
    contracts=(
        PublishedContract(
            CURRENT.file,
            "at `POST /rapidapi/graphql` (or `POST /` with `x-rapidapi-host`), with `x-rapidapi-key`.",
        ),
        PublishedContract(V2023_08.file, f"at `POST {V2023_08.path}`", variant_of=CURRENT.file),
    ),
    home=CURRENT.path,
    hint="or POST / with x-rapidapi-host",
    prefixes=(PREFIX,),
    claims=claims_root,
    explorers=tuple(version.path for version in VERSIONS),
)
