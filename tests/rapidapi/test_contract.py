"""schemathesis against our own RapidAPI contract, in-process, with its default checks.

Every operation runs with the default fixture's Environment Admin key (a personal
context), except the two `paginatedTeamUsersByOrganizationId` versions, which the API
serves only in a team context. Generated arguments name ids, sort fields and cursors
that mostly do not exist: for the operations whose documented rules refuse such values
(BAD_USER_INPUT by design, as the other tests show), `positive_data_acceptance` is left
out. Every other check runs on every operation, and each case starts from the fixture
and must leave the state's invariants intact. A generated document that nests lists five
deep (users -> organizations -> users...) is over the cost bound: that refusal is the
documented answer, not a failure.
"""

from __future__ import annotations

import logging

import hypothesis
import schemathesis
from schemathesis.graphql.checks import GraphQLClientError
from schemathesis.specs.openapi.checks import positive_data_acceptance

from simulator.app import build_app
from simulator.resources import contracts_dir
from tests.rapidapi.conftest import ADMIN_KEY, GQL, TEAM_KEY

logging.getLogger("usersim.rapidapi").setLevel(logging.CRITICAL)

app = build_app()
simulator = app.state.simulator

schema = schemathesis.graphql.from_path(contracts_dir() / "rapidapi-platform.graphql")
schema.app = app
schema.config.update(base_url=f"http://localhost{GQL}", headers={"x-rapidapi-key": ADMIN_KEY})
schema.config.generation.update(max_examples=25)

TEAM_CONTEXT = {"x-rapidapi-key": TEAM_KEY, "x-rapidapi-identity-key": ADMIN_KEY}
HEADERS = {
    "Query.paginatedTeamUsersByOrganizationIdV2": TEAM_CONTEXT,
    "Query.paginatedTeamUsersByOrganizationId": TEAM_CONTEXT,
}

# Operations that refuse most arbitrary arguments: unknown sort fields, statuses and
# cursors, negative windows, lists naming no organization or holding nulls, and every
# mutation (unknown ids, teams of other organizations, roles of the wrong level...).
REFUSE_ARBITRARY_INPUT = {
    "Query.users",
    "Query.paginatedTeamUsersByOrganizationIdV2",
    "Query.paginatedTeamUsersByOrganizationId",
    "Query.teams",
    "Query.teamsByOrganizationId",
    "Query.findUsersInOrganization",
    "Query.roles",
    "Query.entitiesRoles",
    "Query.getEntitiesRoles",
}


def excluded_checks(case: schemathesis.Case) -> list | None:
    label = case.operation.label
    if label in REFUSE_ARBITRARY_INPUT or label.startswith("Mutation."):
        return [positive_data_acceptance]
    return None


@schema.hook("filter_failure")
def cost_refusals_are_answers(
    context: object, failure: object, case: schemathesis.Case, response: object
) -> bool:
    """Keep every failure except the cost bound's refusal of a generated document."""
    if isinstance(failure, GraphQLClientError):
        return not all(
            error.get("message", "").startswith("Query is too complex") for error in failure.errors
        )
    return True


@schema.parametrize()
def test_every_operation_conforms(case: schemathesis.Case) -> None:
    simulator.reset()
    response = case.call_and_validate(
        headers=HEADERS.get(case.operation.label), excluded_checks=excluded_checks(case)
    )
    # A gateway refusal (401/403/429) would pass every GraphQL check while testing
    # nothing: each case must reach the Platform API.
    assert response.status_code in (200, 400), response.text
    assert simulator.invariants() == []


class RapidApiWorkflow(schema.as_state_machine()):  # type: ignore[misc]
    """Chains mutations that return objects (createTeam) into operations taking their id."""

    def setup(self) -> None:
        simulator.reset()

    def get_call_kwargs(self, case: schemathesis.Case) -> dict:
        # The GraphQL state machine does not send the configured headers by itself.
        return {"headers": HEADERS.get(case.operation.label, {"x-rapidapi-key": ADMIN_KEY})}

    def validate_response(self, response, case, additional_checks=None, **kwargs):  # type: ignore[no-untyped-def]
        case.validate_response(
            response,
            additional_checks=additional_checks,
            excluded_checks=excluded_checks(case),
            transport_kwargs=kwargs or None,
            recorder=self.recorder,
        )

    def teardown(self) -> None:
        assert simulator.invariants() == []


TestRapidApiStateful = RapidApiWorkflow.TestCase
TestRapidApiStateful.settings = hypothesis.settings(
    TestRapidApiStateful.settings, max_examples=15, stateful_step_count=5
)
