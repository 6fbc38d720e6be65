"""The faces usersim serves. Adding a face: its package, and its name in the two lines below.

Order does not decide which face owns a path (the most specific prefix does); it is the
order of routes, of the docs' sections and of the start-up banner.
"""

from __future__ import annotations

from simulator import control, harness_cg, harness_ng, harness_scim, rapidapi
from simulator.face import Faces

FACES = Faces((harness_ng.FACE, harness_scim.FACE, harness_cg.FACE, rapidapi.FACE, control.FACE))
