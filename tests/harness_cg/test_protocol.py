"""GraphQL over HTTP: request errors, resolver errors, methods, the document cache."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from simulator.app import build_app
from simulator.graphql.endpoint import GraphQLEndpoint as CgEndpoint
from simulator.harness_cg.errors import fetch_path
from simulator.observe import call_info
from simulator.runtime import Simulator
from simulator.testing.server import LiveServer
from tests.harness_cg.conftest import CG, SARA, Cg
from tests.ids import ACCOUNT, ADMIN_KEY

GRAPHQL_RESPONSE = "application/graphql-response+json"


def test_a_resolver_error_is_200_with_the_field_null(cg: Cg) -> None:
    response = cg.post(
        'query($id: String!) { a: user(id: "nope") { id } b: user(id: $id) { name } }',
        {"id": SARA},
    )
    assert response.status_code == 200
    assert response.json() == {
        "data": {"a": None, "b": {"name": "Sara Ruiz"}},
        "errors": [
            {
                "message": "Exception while fetching data (/a) : Invalid request: User does not exist",
                "locations": [{"line": 1, "column": 23}],
                "path": ["a"],
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ],
    }


def test_a_syntax_error_is_a_request_error(cg: Cg) -> None:
    response = cg.post("{ users(limit: 1) { nodes { name }")
    assert response.status_code == 200
    body = response.json()
    assert "data" not in body
    error = body["errors"][0]
    assert error["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert error["message"].startswith("Syntax Error")
    assert error["locations"] == [{"line": 1, "column": 35}]


def test_a_validation_error_is_a_request_error(cg: Cg) -> None:
    body = cg.post("{ users(limit: 1) { nodes { password } } }").json()
    assert body == {
        "errors": [
            {
                "message": "Cannot query field 'password' on type 'User'.",
                "locations": [{"line": 1, "column": 29}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ]
    }


def test_graphql_response_json_clients_get_400_for_request_errors(cg: Cg) -> None:
    headers = {"accept": GRAPHQL_RESPONSE}
    refused = cg.post("{ nope }", headers=headers)
    assert refused.status_code == 400
    assert refused.headers["content-type"] == GRAPHQL_RESPONSE
    served = cg.post('{ user(id: "nope") { id } }', headers=headers)
    assert served.status_code == 200
    assert served.headers["content-type"] == GRAPHQL_RESPONSE
    assert served.json()["data"] == {"user": None}


def test_variables_of_the_wrong_type_are_a_request_error(cg: Cg, sim: Any) -> None:
    before = sim.harness.export()
    body = cg.post(
        "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }",
        {"i": {"name": "No Email"}},
    ).json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "email" in body["errors"][0]["message"]
    assert sim.harness.export() == before


def test_the_operation_is_chosen_by_name(cg: Cg) -> None:
    document = (
        'query A { user(id: "Nobody") { name } }'
        " query B { userGroups(limit: 1) { pageInfo { total } } }"
    )
    chosen = cg.client.post(
        CG,
        params={"accountId": ACCOUNT},
        headers={"x-api-key": ADMIN_KEY},
        json={"query": document, "operationName": "B"},
    )
    assert chosen.json() == {"data": {"userGroups": {"pageInfo": {"total": 4}}}}
    unnamed = cg.post(document).json()
    assert unnamed["errors"][0]["message"] == (
        "Must provide operation name if query contains multiple operations."
    )
    assert unnamed["errors"][0]["extensions"]["code"] == "OPERATION_RESOLUTION_FAILURE"
    unknown = cg.client.post(
        CG,
        params={"accountId": ACCOUNT},
        headers={"x-api-key": ADMIN_KEY},
        json={"query": document, "operationName": "C"},
    ).json()
    assert unknown["errors"][0]["message"] == "Unknown operation named 'C'."


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b'{"query": ', "application/json", 400),
        (b'[{"query": "{ __typename }"}]', "application/json", 400),
        (b'{"variables": {}}', "application/json", 400),
        (b"query=%7B__typename%7D", "application/x-www-form-urlencoded", 415),
    ],
    ids=["malformed", "batch", "no-query", "form"],
)
def test_bodies_that_are_not_one_request_are_refused(
    cg: Cg, content: bytes, content_type: str, status: int
) -> None:
    response = cg.client.post(
        CG,
        params={"accountId": ACCOUNT},
        headers={"x-api-key": ADMIN_KEY, "content-type": content_type},
        content=content,
    )
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_the_key_is_checked_before_the_body(cg: Cg) -> None:
    response = cg.client.post(CG, content=b"not json", headers={"content-type": "text/plain"})
    assert response.status_code == 401


def test_other_methods_are_405_with_allow(http: httpx.Client) -> None:
    for method in ("PUT", "DELETE", "PATCH"):
        response = http.request(method, CG)
        assert response.status_code == 405
        assert response.headers["allow"] == "GET, HEAD, POST"


def test_introspection_is_served(cg: Cg) -> None:
    result = cg.data('{ __type(name: "AccountPermissionType") { enumValues { name } } }')
    values = [value["name"] for value in result["__type"]["enumValues"]]
    assert values[:3] == [
        "CREATE_AND_DELETE_APPLICATION",
        "READ_USERS_AND_GROUPS",
        "MANAGE_USERS_AND_GROUPS",
    ]
    assert len(values) == 32


def test_a_bug_in_a_resolver_is_harness_s_generic_error(
    cg: Cg, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        raise KeyError("boom")

    monkeypatch.setattr("simulator.store.harness.users.Users.by_email", broken)
    body = cg.post('{ userByEmail(email: "a@example.com") { id } }').json()
    assert body["data"] == {"userByEmail": None}
    assert body["errors"][0]["message"] == (
        "Exception while fetching data (/userByEmail) : An error has occurred."
        " Please contact the Harness support team."
    )
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert "resolver failed" in caplog.text


def test_graphql_java_paths() -> None:
    assert fetch_path(["users", "nodes", 0, "userGroups"]) == "/users/nodes[0]/userGroups"
    assert fetch_path(["createUser"]) == "/createUser"


# -- the document cache ----------------------------------------------------------------------


def _flattened(routes: list) -> list:
    return [inner for route in routes for inner in getattr(route, "routes", [route])]


def _endpoint(server: LiveServer) -> CgEndpoint:
    for route in _flattened(server.app.routes):
        if getattr(route, "path", None) == CG:
            return route.app.get()  # type: ignore[attr-defined, no-any-return]
    raise AssertionError("no CurrentGen route")


def test_repeated_documents_are_prepared_once(cg: Cg, server: LiveServer) -> None:
    preparer = _endpoint(server).preparer
    query = "{ users(limit: 1) { pageInfo { total } } } # cache test"
    cg.data(query)
    size = len(preparer)
    for _ in range(3):
        cg.data(query)
    assert len(preparer) == size
    assert preparer.prepare(query) is preparer.prepare(query)


def test_a_cached_document_never_answers_for_another(cg: Cg) -> None:
    """Documents of the same length that differ in one place each get their own result."""
    valid = "query($id: String!) { user(id: $id) { name } }"
    invalid = "query($id: String!) { user(id: $id) { namx } }"
    other = "query($id: String!) { user(id: $id) { id   } }"
    assert len(valid) == len(invalid) == len(other)
    for _ in range(2):
        assert cg.data(valid, {"id": SARA}) == {"user": {"name": "Sara Ruiz"}}
        assert cg.post(invalid, {"id": SARA}).json()["errors"][0]["extensions"]["code"] == (
            "GRAPHQL_VALIDATION_FAILED"
        )
        assert cg.data(other, {"id": SARA}) == {"user": {"id": SARA}}


# -- what the journal learns -----------------------------------------------------------------


def test_call_info_names_face_operation_and_account() -> None:
    app = build_app()
    seen: list[Any] = []

    async def recording(scope: Any, receive: Any, send: Any) -> None:
        await app(scope, receive, send)
        if scope["type"] == "http":
            seen.append(call_info(scope))

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=recording)
        async with httpx.AsyncClient(transport=transport, base_url="http://usersim") as client:
            return await client.post(
                CG,
                params={"accountId": ACCOUNT},
                headers={"x-api-key": ADMIN_KEY},
                json={
                    "query": "query Pair { users(limit: 1) { nodes { id } } userGroups(limit: 1)"
                    " { nodes { id } } }"
                },
            )

    assert isinstance(app, Starlette)
    response = asyncio.run(call())
    assert response.status_code == 200
    info = seen[-1]
    assert (info.face, info.operation, info.operation_name, info.account) == (
        "harness-cg",
        "users,userGroups",
        "Pair",
        ACCOUNT,
    )


# -- injected faults -------------------------------------------------------------------------


def add_fault(cg: Cg, **rule: Any) -> None:
    response = cg.client.post("/_usersim/faults", json={"face": "harness-cg", **rule})
    assert response.status_code == 201, response.text


def test_injected_faults_answer_as_currentgen_would(cg: Cg, sim: Simulator) -> None:
    query = "{ users(limit: 1) { nodes { id } } }"
    add_fault(cg, error={"status": 401})
    unauthorized = cg.post(query)
    assert unauthorized.status_code == 401
    assert unauthorized.json() == {"errors": [{"message": "Invalid Api Key"}]}
    add_fault(cg, error={"status": 429, "code": "TOO_MANY_REQUESTS", "retry_after": 3})
    limited = cg.post(query)
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "3"
    assert "You've reached your account's rate limit for data queries." in limited.text
    before = sim.export()
    add_fault(
        cg,
        operation="deleteUserGroup",
        error={"status": 503, "code": "SERVICE_UNAVAILABLE", "message": "down for maintenance"},
    )
    failing = cg.post(
        'mutation { deleteUserGroup(input: {userGroupId: "KYppi5LjSdCYH8DLT34exA"}) { clientMutationId } }'
    )
    assert failing.status_code == 503
    assert failing.json() == {
        "errors": [
            {"message": "down for maintenance", "extensions": {"code": "SERVICE_UNAVAILABLE"}}
        ]
    }
    assert sim.export() == before
    assert cg.post(query).status_code == 200
