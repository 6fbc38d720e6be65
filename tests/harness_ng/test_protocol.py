"""HTTP-level behaviour: malformed bodies, content types, unknown paths and methods."""

from __future__ import annotations

import httpx

from tests.harness_ng.conftest import NG, error, failure, q


def test_malformed_json_is_400_not_500(ng: httpx.Client) -> None:
    response = ng.post(
        f"{NG}/users",
        params=q(),
        content=b'{"emails": [',
        headers={"content-type": "application/json"},
    )
    body = error(response, 400, "INVALID_REQUEST")
    assert "JSON" in body["message"]


def test_a_body_of_the_wrong_type_is_a_failure(ng: httpx.Client) -> None:
    failure(ng.post(f"{NG}/users", params=q(), json=["a@b.example.com"]), "body")
    failure(ng.post(f"{NG}/users", params=q(), json={"emails": [1, 2]}), "emails[0]", "emails[1]")


def test_a_failure_lists_at_most_a_hundred_field_errors(ng: httpx.Client) -> None:
    response = ng.post(f"{NG}/users", params=q(), json={"emails": list(range(250))})
    body = failure(response, "emails", *(f"emails[{n}]" for n in range(99)))
    assert body["message"].count("emails[") == 99


def test_a_non_json_content_type_is_415(ng: httpx.Client) -> None:
    response = ng.post(
        f"{NG}/users",
        params=q(),
        content=b"emails=a",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    error(response, 415, "MEDIA_NOT_SUPPORTED")


def test_no_content_type_is_read_as_json(ng: httpx.Client) -> None:
    response = ng.post(f"{NG}/batch", params=q(), content=b'{"searchTerm": "ruiz"}')
    assert response.json()["data"]["totalItems"] == 1


def test_an_unknown_path_is_harness_s_400_failure(ng: httpx.Client) -> None:
    response = ng.get("/ng/api/user/does/not/exist")
    assert response.status_code == 400
    assert response.json()["code"] == "RESOURCE_NOT_FOUND_EXCEPTION"


def test_a_wrong_method_is_405_with_allow(ng: httpx.Client) -> None:
    response = ng.get(f"{NG}/password")
    error(response, 405, "INVALID_REQUEST")
    assert response.headers["allow"] == "PUT"
    assert ng.post(f"{NG}/SArz5MsSS8y2PNbwhc8INw", params=q()).headers["allow"] == "DELETE, PUT"


def test_responses_are_json(ng: httpx.Client) -> None:
    response = ng.get(f"{NG}/currentUser")
    assert response.headers["content-type"] == "application/json"
