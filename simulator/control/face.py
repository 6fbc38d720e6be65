"""The control API as the registry sees it: served like a face, but neither journaled
nor open to fault rules, since it is how tests observe and drive the faces."""

from __future__ import annotations

from simulator.control.endpoint import ERRORS
from simulator.control.routes import CONTRACT_FILE, PREFIX, build_routes
from simulator.face import Face, PublishedContract

FACE = Face(
    name="control",
    title="usersim control API",
    routes=build_routes,
    errors=ERRORS,
    contracts=(
        PublishedContract(
            CONTRACT_FILE,
            "under `/_usersim/`, with `X-Usersim-Token` when the server runs with `--control-token`.",
        ),
    ),
    home=PREFIX + "/",
    prefixes=(PREFIX,),
    journaled=False,
    faultable=False,
)
