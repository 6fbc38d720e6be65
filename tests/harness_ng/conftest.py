"""Helpers for the NextGen tests: an authenticated client and envelope assertions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from simulator.testing.server import LiveServer
from tests.ids import ACCOUNT, ADMIN_KEY

NG = "/gateway/ng/api/user"


@pytest.fixture
def ng(server: LiveServer, sim: Any, transport: httpx.BaseTransport) -> Iterator[httpx.Client]:
    """A client authenticated as the default account's admin."""
    with httpx.Client(
        base_url=server.url, headers={"x-api-key": ADMIN_KEY}, timeout=10.0, transport=transport
    ) as client:
        yield client


def q(**params: str) -> dict[str, str]:
    """Query parameters for the default account plus `params`."""
    return {"accountIdentifier": ACCOUNT, **params}


def ok(response: httpx.Response) -> Any:
    """The `data` of a SUCCESS envelope (fails the test on anything else)."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "SUCCESS"
    assert isinstance(body["correlationId"], str) and body["correlationId"]
    return body["data"]


def error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """An ERROR envelope with the given HTTP status and Harness code."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == "ERROR", body
    assert body["code"] == code, body
    assert body["responseMessages"][0]["message"] == body["message"]
    return body


def failure(response: httpx.Response, *fields: str) -> dict[str, Any]:
    """A FAILURE envelope (HTTP 400) naming exactly `fields`."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status"] == "FAILURE" and body["code"] == "INVALID_REQUEST", body
    assert [e["fieldId"] for e in body["errors"]] == list(fields), body
    return body


def emails(page: dict[str, Any]) -> list[str]:
    return [item["email"] for item in page["content"]]
