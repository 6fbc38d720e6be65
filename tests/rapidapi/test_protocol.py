"""The wire: Apollo-style errors, one operation per request, contract versions, the rate
limit switch, injected faults, and every field of the contract resolving."""

from __future__ import annotations

import pytest
from graphql import GraphQLError, build_schema, print_type

from simulator.rapidapi.errors import format_error
from simulator.resources import contracts_dir
from simulator.runtime import Simulator
from tests.rapidapi import samples
from tests.rapidapi.conftest import (
    ADMIN_KEY,
    GQL,
    GQL_2023_08,
    LENA_KEY,
    ORG_ADMIN_KEY,
    TEAM_KEY,
    USER_KEY,
    Api,
)

ME = "{ organizations { id } }"


# -- errors ------------------------------------------------------------------------------


def test_syntax_errors_are_400_parse_failed(api: Api) -> None:
    body = api.error("{ organizations { id }", code="GRAPHQL_PARSE_FAILED", status=400)
    assert "data" not in body
    assert body["errors"][0]["locations"] == [{"line": 1, "column": 23}]


def test_unknown_fields_are_400_validation_failed(api: Api) -> None:
    body = api.error("{ organizations { password } }", code="GRAPHQL_VALIDATION_FAILED", status=400)
    assert "data" not in body
    assert "password" in body["errors"][0]["message"]


def test_badly_typed_variables_are_400_bad_user_input(api: Api) -> None:
    body = api.error(samples.TEAM_USERS, {"orgId": "many"}, code="BAD_USER_INPUT", status=400)
    assert "data" not in body
    assert "$orgId" in body["errors"][0]["message"]


def test_resolver_errors_are_200_with_partial_data(api: Api) -> None:
    query = "query($id: ID!) { team(id: $id) { id } }"
    body = api.error(query, {"id": "6631475"}, key=USER_KEY, code="FORBIDDEN")
    assert body == {
        "data": {"team": None},
        "errors": [
            {
                "message": "You are not a member of team 6631475.",
                "locations": [{"line": 1, "column": 19}],
                "path": ["team"],
                "extensions": {"code": "FORBIDDEN"},
            }
        ],
    }


def test_an_unknown_operation_name_is_refused(api: Api) -> None:
    response = api.client.post(
        GQL,
        json={"query": "query A { organizations { id } }", "operationName": "B"},
        headers={"x-rapidapi-key": ORG_ADMIN_KEY},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "OPERATION_RESOLUTION_FAILURE"


def test_one_query_per_request(api: Api) -> None:
    body = api.error(
        "{ organizations { id } roles(where: {}) { nodes { id } } }",
        code="GRAPHQL_VALIDATION_FAILED",
        status=400,
    )
    assert "one query or mutation per request" in body["errors"][0]["message"]
    api.error(
        "query A { organizations { id } } query B { organizations { id } }",
        code="GRAPHQL_VALIDATION_FAILED",
        status=400,
    )
    assert (
        api.data("{ __typename organizations { id } }", key=ORG_ADMIN_KEY)["__typename"] == "Query"
    )


def test_batches_are_refused(api: Api) -> None:
    response = api.client.post(
        GQL, json=[{"query": ME}, {"query": ME}], headers={"x-rapidapi-key": ORG_ADMIN_KEY}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"query=x", "application/x-www-form-urlencoded", 415),
    ],
)
def test_bodies_that_are_not_one_json_request(
    api: Api, content: bytes, content_type: str, status: int
) -> None:
    response = api.client.post(
        GQL,
        content=content,
        headers={"x-rapidapi-key": ORG_ADMIN_KEY, "content-type": content_type},
    )
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_introspection_works(api: Api) -> None:
    data = api.data("{ __schema { queryType { name } mutationType { name } } }")
    assert data == {
        "__schema": {"queryType": {"name": "Query"}, "mutationType": {"name": "Mutation"}}
    }


# -- contract versions -------------------------------------------------------------------


def test_the_current_contract_answers_users_with_a_connection(api: Api) -> None:
    response = api.post(samples.USERS_LIST, samples.USERS_LIST_BY_IDS)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {e["extensions"]["code"] for e in errors} == {"GRAPHQL_VALIDATION_FAILED"}
    assert errors[0]["message"] == "Cannot query field 'id' on type 'UserConnection'."
    api.error(
        samples.USERS_NODES,
        samples.USERS_BY_IDS,
        path=GQL_2023_08,
        code="GRAPHQL_VALIDATION_FAILED",
        status=400,
    )


def test_the_2023_08_contract_differs_only_in_the_users_field() -> None:
    current = build_schema((contracts_dir() / "rapidapi-platform.graphql").read_text())
    older = build_schema((contracts_dir() / "rapidapi-platform-2023-08.graphql").read_text())
    assert set(current.type_map) - set(older.type_map) == {"UserConnection"}
    for name, named in older.type_map.items():
        if name.startswith("__") or name == "Query":
            continue
        assert print_type(named) == print_type(current.type_map[name]), name
    old_query, new_query = older.query_type.fields, current.query_type.fields
    assert set(old_query) == set(new_query)
    for field in set(old_query) - {"users"}:
        assert str(old_query[field].type) == str(new_query[field].type), field
    assert str(old_query["users"].type) == "[User!]"
    assert str(new_query["users"].type) == "UserConnection"


def test_both_contracts_are_published(api: Api) -> None:
    for name in ("rapidapi-platform.graphql", "rapidapi-platform-2023-08.graphql"):
        response = api.client.get(f"/_usersim/contracts/{name}")
        assert response.status_code == 200
        assert "paginatedTeamUsersByOrganizationIdV2" in response.text


# -- rate limit and injected faults ------------------------------------------------------


@pytest.fixture
def limited(api: Api) -> Api:
    """The documented limit, switched on through the control API's preset."""
    applied = api.client.post("/_usersim/scenarios/rapidapi-rate-limit")
    assert applied.status_code == 200
    return api


def test_rate_limit_is_off_by_default(api: Api) -> None:
    for _ in range(15):
        assert api.post(ME, key=USER_KEY).status_code == 200


def test_rate_limit_switch_allows_10_requests_per_minute_per_user(
    limited: Api, sim: Simulator
) -> None:
    api = limited
    for _ in range(10):
        assert api.post(ME, key=USER_KEY).status_code == 200
    refused = api.post(ME, key=USER_KEY)
    assert refused.status_code == 429
    assert refused.json() == {"message": "Too many requests"}
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    # The same user through a team context counts against the same budget...
    assert api.post(ME, key=TEAM_KEY, identity=USER_KEY).status_code == 429
    # ...other users have their own.
    assert api.post(ME, key=LENA_KEY).status_code == 200
    sim.clock.advance(60)
    assert api.post(ME, key=USER_KEY).status_code == 200


def test_a_reset_forgets_the_limit_and_the_counts(limited: Api, sim: Simulator) -> None:
    api = limited
    for _ in range(10):
        api.post(ME, key=USER_KEY)
    assert api.post(ME, key=USER_KEY).status_code == 429
    sim.reset()
    for _ in range(15):
        assert api.post(ME, key=USER_KEY).status_code == 200


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (401, "Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info."),
        (403, "You are not subscribed to this API."),
        (429, "Too many requests"),
        (502, "Bad Gateway"),
    ],
)
def test_faults_without_a_code_answer_like_the_gateway(api: Api, status: int, message: str) -> None:
    rule = {"face": "rapidapi", "error": {"status": status, "retry_after": 3}}
    assert api.client.post("/_usersim/faults", json=rule).status_code == 201
    response = api.post(ME, key=USER_KEY)
    assert response.status_code == status
    assert response.json() == {"message": message}
    assert response.headers["retry-after"] == "3"
    assert api.post(ME, key=USER_KEY).status_code == 200  # once


def test_faults_with_a_code_answer_like_the_platform_api(api: Api, sim: Simulator) -> None:
    before = sim.export()
    rule = {
        "face": "rapidapi",
        "operation": "updateUser",
        "error": {"status": 200, "code": "INTERNAL_SERVER_ERROR", "message": "boom"},
    }
    assert api.client.post("/_usersim/faults", json=rule).status_code == 201
    mutation = 'mutation { updateUser(input: {id: "7344540", status: "DEACTIVATED"}) { status } }'
    response = api.post(mutation, key=ADMIN_KEY)
    assert response.status_code == 200
    assert response.json() == {
        "data": None,
        "errors": [{"message": "boom", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}],
    }
    assert sim.export() == before
    assert api.post(ME, key=USER_KEY, headers={"X-Usersim-Fault": "status=503"}).status_code == 503


# -- every field resolves ----------------------------------------------------------------

USER_FIELDS = """id email name username thumbnail mashapeId status company position location bio
  lastActive createdAt updatedAt deletedAt apisCount isUserCreatedBySSO protected verified
  singleAdminOrgs role { id entityId roleId parentId orgId role { id key } }
  organizations { id } Teams { id } ProjectAcls { id owner project createdAt updatedAt
  Project { id mashapeId name description thumbnail
    applicationAuthorizations { id key name createdAt } } }"""
TEAM_FIELDS = """id mashapeId thumbnail name slugifiedName description createdAt updatedAt
  usersCount isTeamMember ProjectAcls { id }
  users { id name username thumbnail email inviteStatus role teamsCount teams { id } userData { id } }"""
EVERYTHING = {
    "user": f"{{ user(id: 7344547) {{ {USER_FIELDS} }} }}",
    "users": f"{{ users(where: {{ limit: 100 }}) {{ totalCount nodes {{ {USER_FIELDS} }} }} }}",
    "team": f"{{ team(id: 6631475) {{ {TEAM_FIELDS} }} }}",
    "organization": f"""{{ organization(id: 5755578) {{ id email name thumbnail slugifiedName
        status description isOrganizationAdmin apisCount occupiedSeats createdAt updatedAt
        numOfTeams numOfUsers role {{ id }} users {{ id }} teams {{ {TEAM_FIELDS} }} }} }}""",
    "organizations": "{ organizations { id name } }",
    "roles": """{ roles(where: {roleLevels: []}) { nodes { id key name description roleLevel
        isBasicRole isDefault permissions { id key displayName permissionLevel description
        dependsOn rolePermission { granted readOnly } } } } }""",
}


@pytest.mark.parametrize("name", list(EVERYTHING))
def test_every_field_resolves(api: Api, name: str) -> None:
    data = api.data(EVERYTHING[name])
    assert data[name]


# -- what the journal learns -------------------------------------------------------------


def test_the_journal_names_face_operation_and_context(api: Api, sim: Simulator) -> None:
    api.data(samples.USERS_NODES, samples.USERS_BY_IDS)
    api.data(samples.TEAMS, {"where": {"orgId": 7669830}}, key=TEAM_KEY, identity=USER_KEY)
    first, second = sim.journal.entries(face="rapidapi")[-2:]
    assert (first["operation"], first["operationName"], first["account"]) == (
        "users",
        "Users",
        "user:5500001",
    )
    assert (second["operation"], second["account"]) == ("teams", "team:7669831")
    sent = second["request"]["headers"]
    assert TEAM_KEY not in str(sent) and USER_KEY not in str(sent)


def test_unexpected_resolver_failures_are_internal_server_errors() -> None:
    error = GraphQLError("boom", path=["users"], original_error=RuntimeError("secret detail"))
    assert format_error(error) == {
        "message": "Internal server error",
        "path": ["users"],
        "extensions": {"code": "INTERNAL_SERVER_ERROR"},
    }
