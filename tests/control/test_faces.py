"""Every scenario switch through every face it applies to, in that face's own shape.

One request per face stands in for "a call": the switches are one mechanism each, so
what must be shown per face is that the face consults them and renders the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from simulator.runtime import Simulator
from tests.ids import ACCOUNT


@dataclass(frozen=True)
class Face:
    name: str
    call: Callable[[httpx.Client, dict[str, str]], httpx.Response]
    operation: str


def _ng(client: httpx.Client, headers: dict[str, str]) -> httpx.Response:
    return client.get(
        "/gateway/ng/api/user/currentUser", headers={"x-api-key": "usersim-admin-key", **headers}
    )


def _cg(client: httpx.Client, headers: dict[str, str]) -> httpx.Response:
    return client.post(
        f"/gateway/api/graphql?accountId={ACCOUNT}",
        json={"query": "{ users(limit: 2) { nodes { id } } }"},
        headers={"x-api-key": "usersim-admin-key", **headers},
    )


def _rapidapi(client: httpx.Client, headers: dict[str, str]) -> httpx.Response:
    return client.post(
        "/rapidapi/graphql",
        json={"query": "{ roles(where: {roleLevels: [USER_TEAM]}) { nodes { id } } }"},
        headers={"x-rapidapi-key": "usersim-rapidapi-key", **headers},
    )


FACES = [
    Face("harness-ng", _ng, "getCurrentUserInfo"),
    Face("harness-cg", _cg, "users"),
    Face("rapidapi", _rapidapi, "roles"),
]
ids = [face.name for face in FACES]


def fault(http: httpx.Client, **rule: Any) -> None:
    assert http.post("/_usersim/faults", json=rule).status_code == 201


@pytest.mark.parametrize("face", FACES, ids=ids)
def test_an_error_rule_matches_by_face_and_operation(http: httpx.Client, face: Face) -> None:
    other = next(f for f in FACES if f is not face)
    fault(http, face=other.name, error={"status": 500}, times="unlimited")
    assert face.call(http, {}).status_code == 200
    fault(http, face=face.name, operation=face.operation, error={"status": 503})
    failed = face.call(http, {})
    assert failed.status_code == 503
    assert failed.headers["content-type"].startswith("application/json")
    assert face.call(http, {}).status_code == 200
    entry = http.get("/_usersim/journal", params={"face": face.name}).json()["entries"][1]
    assert entry["operation"] == face.operation and entry["fault"] is not None


# An error without a status: what each face answers when its own code fails.
INJECTED = {"message": "injected", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
NATURAL_FAILURES = {
    "harness-ng": (500, {"status": "ERROR", "code": "UNKNOWN_ERROR", "message": "injected"}),
    "harness-cg": (200, {"data": None, "errors": [INJECTED]}),
    "rapidapi": (200, {"data": None, "errors": [INJECTED]}),
}


@pytest.mark.parametrize("face", FACES, ids=ids)
def test_an_error_without_a_status_is_the_faces_natural_failure(
    http: httpx.Client, face: Face
) -> None:
    fault(http, face=face.name, error={"message": "injected"})
    failed = face.call(http, {})
    status, expected = NATURAL_FAILURES[face.name]
    assert failed.status_code == status
    assert {key: failed.json()[key] for key in expected} == expected
    assert face.call(http, {}).status_code == 200
    rule = http.get("/_usersim/faults").json()["faults"][0]
    assert rule["error"]["status"] is None and rule["fired"] == 1


@pytest.mark.parametrize("face", FACES, ids=ids)
def test_latency(http: httpx.Client, face: Face) -> None:
    fault(http, face=face.name, latency_ms=250, times=1)
    response = face.call(http, {})
    assert response.status_code == 200 and response.elapsed.total_seconds() >= 0.25


@pytest.mark.parametrize("face", FACES, ids=ids)
def test_a_dropped_connection(http: httpx.Client, face: Face) -> None:
    fault(http, face=face.name, drop=True)
    with pytest.raises(httpx.RemoteProtocolError):
        face.call(http, {})
    assert face.call(http, {}).status_code == 200


@pytest.mark.parametrize("face", FACES, ids=ids)
def test_a_rate_limit_per_key(http: httpx.Client, face: Face) -> None:
    fault(http, face=face.name, rate_limit={"requests": 1, "per_seconds": 30})
    assert face.call(http, {}).status_code == 200
    limited = face.call(http, {})
    assert limited.status_code == 429 and 1 <= int(limited.headers["retry-after"]) <= 30
    http.post("/_usersim/clock", json={"advance_seconds": 31})
    assert face.call(http, {}).status_code == 200


@pytest.mark.parametrize("face", FACES, ids=ids)
def test_the_fault_header(http: httpx.Client, face: Face) -> None:
    assert face.call(http, {"X-Usersim-Fault": "status=502"}).status_code == 502
    assert face.call(http, {}).status_code == 200


# -- lockout (Harness users have passwords; RapidAPI's do not) ------------------------------


def test_a_locked_user_shows_and_is_refused_in_currentgen_too(http: httpx.Client) -> None:
    http.put("/_usersim/policies", json={"lockout": {"max_failed_attempts": 1}})
    http.post("/_usersim/harness/users/W_zq_nwvTCm50wX3cI6Nhw/failed-login")
    query = '{ user(id: "W_zq_nwvTCm50wX3cI6Nhw") { isUserLocked } }'
    seen = http.post(
        f"/gateway/api/graphql?accountId={ACCOUNT}",
        json={"query": query},
        headers={"x-api-key": "usersim-admin-key"},
    )
    assert seen.json()["data"]["user"]["isUserLocked"] is True
    refused = http.post(
        f"/gateway/api/graphql?accountId={ACCOUNT}",
        json={"query": query},
        headers={"x-api-key": "usersim-viewer-key"},
    )
    assert refused.status_code == 401


# -- pagination -----------------------------------------------------------------------------

CG_USERS = "{ users(limit: 50) { pageInfo { total limit hasMore } nodes { id } } }"


def cg(http: httpx.Client, query: str) -> dict[str, Any]:
    response = http.post(
        f"/gateway/api/graphql?accountId={ACCOUNT}",
        json={"query": query},
        headers={"x-api-key": "usersim-admin-key"},
    )
    return response.json()


def test_currentgen_pages_follow_the_policy(http: httpx.Client) -> None:
    http.put("/_usersim/policies", json={"pagination": {"harness-cg": {"forced_page_size": 3}}})
    page = cg(http, CG_USERS)["data"]["users"]
    assert page["pageInfo"] == {"total": 8, "limit": 3, "hasMore": True} and len(page["nodes"]) == 3
    http.put(
        "/_usersim/policies",
        json={
            "pagination": {
                "harness-cg": {"forced_page_size": None, "max_page_size": 4, "over_max": "clamp"}
            }
        },
    )
    assert len(cg(http, CG_USERS)["data"]["users"]["nodes"]) == 4
    http.put("/_usersim/policies", json={"pagination": {"harness-cg": {"over_max": "error"}}})
    refused = cg(http, CG_USERS)
    assert refused["data"]["users"] is None
    assert "Limit argument accepts at most 4" in refused["errors"][0]["message"]


def test_currentgen_drift_inserts_before_the_next_page(http: httpx.Client) -> None:
    http.put("/_usersim/policies", json={"pagination": {"harness-cg": {"drift": "insert"}}})
    first = [
        n["id"] for n in cg(http, "{ users(limit: 3) { nodes { id } } }")["data"]["users"]["nodes"]
    ]
    second = [
        n["id"]
        for n in cg(http, "{ users(limit: 3, offset: 3) { nodes { id } } }")["data"]["users"][
            "nodes"
        ]
    ]
    assert second[0] == first[-1]


def rapidapi(http: httpx.Client, query: str) -> dict[str, Any]:
    response = http.post(
        "/rapidapi/graphql",
        json={"query": query},
        headers={"x-rapidapi-key": "usersim-rapidapi-key"},
    )
    return response.json()


def test_rapidapi_pages_follow_the_policy(http: httpx.Client) -> None:
    users = "{ users(where: {limit: 100, offset: 0}) { totalCount nodes { id } } }"
    roles = "{ roles(where: {roleLevels: []}, pagination: {first: 100}) { nodes { id } pageInfo { hasNextPage } } }"
    http.put("/_usersim/policies", json={"pagination": {"rapidapi": {"forced_page_size": 2}}})
    assert len(rapidapi(http, users)["data"]["users"]["nodes"]) == 2
    forced_roles = rapidapi(http, roles)["data"]["roles"]
    assert len(forced_roles["nodes"]) == 2 and forced_roles["pageInfo"]["hasNextPage"] is True
    http.put(
        "/_usersim/policies",
        json={
            "pagination": {
                "rapidapi": {"forced_page_size": None, "max_page_size": 3, "over_max": "error"}
            }
        },
    )
    refused = rapidapi(http, users)
    assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "at most 3" in refused["errors"][0]["message"]


def test_an_injected_error_changes_nothing_on_any_face(http: httpx.Client, sim: Simulator) -> None:
    before = sim.export()
    fault(http, error={"status": 500}, times="unlimited")
    http.delete(
        "/gateway/ng/api/user/SArz5MsSS8y2PNbwhc8INw",
        params={"accountIdentifier": ACCOUNT},
        headers={"x-api-key": "usersim-admin-key"},
    )
    http.post(
        f"/gateway/api/graphql?accountId={ACCOUNT}",
        json={
            "query": 'mutation { deleteUser(input: {id: "SArz5MsSS8y2PNbwhc8INw"}) { clientMutationId } }'
        },
        headers={"x-api-key": "usersim-admin-key"},
    )
    http.post(
        "/rapidapi/graphql",
        json={
            "query": 'mutation { updateUser(input: {id: "7344540", status: "DEACTIVATED"}) { status } }'
        },
        headers={"x-rapidapi-key": "usersim-rapidapi-key"},
    )
    assert sim.export() == before
