"""Faces are registered, not wired: a face made up by a test gets every shared mechanism."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from simulator.app import build_app
from simulator.face import Faces
from simulator.registry import FACES
from simulator.testing.server import LiveServer
from tests import throwaway_face
from tests.throwaway_face import KEY

LIMIT = 1024
KEYED = {"x-throwaway-key": KEY}


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    # The registry line: every face usersim has, and the new one.
    faces = Faces((*FACES.all, throwaway_face.FACE))
    with (
        LiveServer(build_app(faces=faces, max_body_size=LIMIT)) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        yield client


def test_its_operation_is_served_as_its_contract_says(http: httpx.Client) -> None:
    response = http.post(
        "/throwaway/echo", params={"shout": "true"}, json={"text": "hi"}, headers=KEYED
    )
    assert response.json() == {"echo": "HI", "handler": "the echo handler"}
    refused = http.post("/throwaway/echo", json={"text": 7}, headers=KEYED)
    assert refused.status_code == 400 and refused.json()["oops"].startswith("text")


def test_its_errors_come_in_its_own_shape(http: httpx.Client) -> None:
    assert http.post("/throwaway/echo", json={"text": "x"}).json() == {
        "oops": "who are you?",
        "status": 401,
    }
    wrong_method = http.get("/throwaway/echo")
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "POST"
    assert wrong_method.json()["oops"] == "use POST"
    for method in ("GET", "PUT", "DELETE"):
        unknown = http.request(method, "/throwaway/nothing/here")
        assert (unknown.status_code, unknown.json()) == (
            404,
            {"oops": "nothing here", "status": 404},
        )


def test_it_is_body_limited(http: httpx.Client) -> None:
    response = http.post("/throwaway/echo", json={"text": "x" * LIMIT}, headers=KEYED)
    assert response.status_code == 413
    assert response.json() == {
        "oops": f"The request body is larger than the limit of {LIMIT} bytes.",
        "status": 413,
    }


def test_fault_rules_name_it_and_fire_in_its_shape(http: httpx.Client) -> None:
    rule = {"face": "throwaway", "error": {"status": 503, "retry_after": 3}}
    assert http.post("/_usersim/faults", json=rule).status_code == 201
    try:
        faulted = http.post("/throwaway/echo", json={"text": "x"}, headers=KEYED)
        assert (faulted.status_code, faulted.headers["retry-after"]) == (503, "3")
        assert faulted.json() == {"oops": "injected", "status": 503}
        assert http.post("/throwaway/echo", json={"text": "x"}, headers=KEYED).status_code == 200
        header = http.post(
            "/throwaway/echo",
            json={"text": "x"},
            headers={**KEYED, "X-Usersim-Fault": "status=429"},
        )
        assert header.json() == {"oops": "injected", "status": 429}
    finally:
        http.delete("/_usersim/faults")
    unknown = http.post("/_usersim/faults", json={"face": "nobody", "error": {"status": 500}})
    assert unknown.status_code == 400 and "throwaway" in unknown.json()["problems"][0]


def test_it_is_journaled_and_has_a_pagination_policy(http: httpx.Client) -> None:
    http.delete("/_usersim/journal")
    http.post("/throwaway/echo", json={"text": "journal me"}, headers=KEYED)
    entries = http.get("/_usersim/journal", params={"face": "throwaway"}).json()["entries"]
    assert [(e["operation"], e["account"], e["status"]) for e in entries] == [
        ("echo", "throwaway-account", 200)
    ]
    assert entries[0]["request"]["body"] == {"text": "journal me"}
    policies = http.put(
        "/_usersim/policies", json={"pagination": {"throwaway": {"max_page_size": 5}}}
    )
    assert policies.json()["pagination"]["throwaway"]["max_page_size"] == 5
    http.post("/_usersim/reset")
    ready = http.get("/_usersim/ready").json()
    assert ready["faces"]["throwaway"] == "/throwaway/echo"
