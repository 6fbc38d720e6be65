"""Helpers for the CurrentGen tests: a GraphQL client, seed samples and answer checks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator.testing.server import LiveServer
from tests.ids import (  # noqa: F401  (re-exported: the CurrentGen tests import them from here)
    ACCOUNT,
    ADMIN_KEY,
    ADMINS,
    ENGINEERING,
    ERIN,
    GARY,
    LDAP_PROVIDER,
    LIAM,
    PAYMENTS,
    PRIYA,
    PRODUCTION,
    RELEASE_MANAGERS,
    SAML_PROVIDER,
    SARA,
    STAGING,
    STOREFRONT,
    SUPPORT,
    TOMAS,
    WEI,
)

CG = "/gateway/api/graphql"
SAMPLES = Path(__file__).parent / "samples"


class Cg:
    """Posts GraphQL documents to the CurrentGen endpoint of the live server."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        key: str | None = ADMIN_KEY,
        account: str | None = ACCOUNT,
        path: str = CG,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        params = {"accountId": account} if account else {}
        sent = dict(headers or {})
        if key is not None:
            sent["x-api-key"] = key
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return self.client.post(path, params=params, json=body, headers=sent)

    def data(self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """The `data` of an answer without errors (fails the test on anything else)."""
        return data(self.post(query, variables, **kwargs))

    def refusal(
        self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
    ) -> tuple[str, dict[str, Any]]:
        """(field, error) of an answer whose single root field was refused by its resolver."""
        return refusal(self.post(query, variables, **kwargs))


@pytest.fixture
def cg(server: LiveServer, http: httpx.Client) -> Iterator[Cg]:
    yield Cg(http)


def data(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def refusal(response: httpx.Response) -> tuple[str, dict[str, Any]]:
    """A resolver refusal: HTTP 200, the field null, one error with Harness's message."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["errors"]) == 1, body
    error = body["errors"][0]
    field = error["path"][0]
    assert body["data"] == {field: None}, body
    assert error["extensions"]["code"] in ("BAD_USER_INPUT", "FORBIDDEN"), error
    return field, error


def message(response: httpx.Response) -> str:
    """The message of a refused root field, without graphql-java's fetching prefix."""
    field, error = refusal(response)
    prefix = f"Exception while fetching data (/{field}) : Invalid request: "
    assert error["message"].startswith(prefix), error
    return error["message"][len(prefix) :]


def sample(name: str) -> str:
    """A seed sample, byte for byte."""
    return (SAMPLES / name).read_text(encoding="utf-8")


def sample_variables(name: str, **placeholders: str) -> dict[str, Any]:
    """A seed's variables; a leading "query variables:" label and `<placeholders>` filled."""
    text = sample(name).removeprefix("query variables:").strip()
    for placeholder, value in placeholders.items():
        text = text.replace(f"<{placeholder}>", value)
    return json.loads(text)


def ng_user_ids(client: httpx.Client) -> set[str]:
    """Every user of the default account as the NextGen face lists them."""
    response = client.post(
        "/ng/api/user/batch",
        params={"accountIdentifier": ACCOUNT, "pageSize": "100"},
        headers={"x-api-key": ADMIN_KEY},
    )
    assert response.status_code == 200, response.text
    return {item["uuid"] for item in response.json()["data"]["content"]}
