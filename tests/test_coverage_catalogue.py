"""The coverage report's denominators come from the contracts of whatever faces are
registered: a new face or operation is covered without a change to simulator/coverage."""

from __future__ import annotations

from pathlib import Path

from simulator.coverage.catalogue import catalogue
from simulator.coverage.report import build, merge
from simulator.coverage.tally import CoverageTally
from simulator.face import Face, PublishedContract
from tests import throwaway_face

# A SCIM-like REST contract: its error code is `scimType`, marked for the catalogue.
REST = """
openapi: 3.0.3
info: {title: made up, version: "1"}
paths:
  /Users/{id}:
    get:
      operationId: getUser
      responses:
        "200": {description: the user}
        "404": {$ref: "#/components/responses/Error"}
    delete:
      operationId: deleteUser
      responses:
        "204": {description: gone}
        4XX: {$ref: "#/components/responses/Error"}
components:
  responses:
    Error:
      description: a SCIM error
      content:
        application/scim+json:
          schema: {$ref: "#/components/schemas/Error"}
  schemas:
    Error:
      type: object
      properties:
        status: {type: string}
        scimType: {$ref: "#/components/schemas/ScimType"}
    ScimType:
      type: string
      x-usersim-error-code: true
      enum: [invalidFilter, uniqueness]
"""

GRAPHQL = """# A made-up GraphQL contract.
# extensions.code: BAD_USER_INPUT, FORBIDDEN
type Query { things: [String] thing(id: ID!): String }
type Mutation { makeThing: String }
"""


def made_up_face(tmp_path: Path) -> Face:
    (tmp_path / "scim.yaml").write_text(REST)
    (tmp_path / "things.graphql").write_text(GRAPHQL)
    contracts = (
        PublishedContract("scim.yaml", "here"),
        PublishedContract("things.graphql", "there"),
    )
    return Face(
        name="made-up",
        title="Made up",
        routes=throwaway_face.routes,
        errors=throwaway_face.ERRORS,
        contracts=contracts,
        home="/",
    )


def test_operations_answers_and_codes_come_from_the_contracts(tmp_path: Path) -> None:
    [entry] = catalogue([made_up_face(tmp_path)], tmp_path)
    assert entry.operations == {
        "getUser": ["200", "404"],
        "deleteUser": ["204", "4XX"],
        "things": [],
        "thing": [],
        "makeThing": [],
    }
    assert entry.codes == ["invalidFilter", "uniqueness", "BAD_USER_INPUT", "FORBIDDEN"]


def test_counts_become_a_report_and_reports_merge(tmp_path: Path) -> None:
    faces = catalogue([made_up_face(tmp_path)], tmp_path)
    tally = CoverageTally()
    tally.record("made-up", "deleteUser", 409, ["uniqueness"])
    tally.record("made-up", "things,thing", 200, ["FORBIDDEN", "FORBIDDEN"])
    tally.record("made-up", None, 401, [])
    tally.record("made-up", "getUser", 0, [])  # a dropped connection: called, no answer
    report = build(faces, tally, ["a-preset"], ["lockout"])
    entry = report["faces"]["made-up"]
    assert entry["operations"]["deleteUser"]["answers"] == {"204": 0, "4XX": 1}
    assert entry["operations"]["getUser"] == {
        "calls": 1,
        "answers": {"200": 0, "404": 0},
        "statuses": {},
        "codes": {},
        "undocumented": [],
    }
    assert entry["operations"]["thing"]["codes"] == {"FORBIDDEN": 1}  # once per request
    assert entry["outside_operations"]["statuses"] == {"401": 1}
    assert entry["totals"]["operations"] == {"covered": 4, "total": 5, "percent": 80.0}
    assert entry["totals"]["answers"] == {"covered": 1, "total": 4, "percent": 25.0}
    assert entry["totals"]["codes"] == {"covered": 2, "total": 4, "percent": 50.0}
    merged = merge([report, report])
    assert merged["faces"]["made-up"]["operations"]["deleteUser"]["answers"]["4XX"] == 2
    assert merged["faces"]["made-up"]["totals"] == entry["totals"]
    assert merged["scenarios"]["presets"] == {"a-preset": {"applied": 0, "fired": 0}}
