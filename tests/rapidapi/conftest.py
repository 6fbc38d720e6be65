"""Helpers for the RapidAPI tests: the default fixture's keys and ids, and a client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from simulator.runtime import Simulator
from simulator.store.rapidapi import RapidApiStore
from simulator.testing.server import LiveServer
from tests.ids import (  # noqa: F401  (re-exported: the RapidAPI tests import them from here)
    ACME,
    ACME_DEFAULT_TEAM,
    ACME_TEAM,
    ADA,
    DATA_TEAM,
    DEFAULT_USER_ROLE,
    DEV,
    DEVELOPER_ROLE,
    ENV_ADMIN_ROLE,
    GWEN,
    LENA,
    MINA,
    OMAR,
    ORG_ADMIN_ROLE,
    PAT,
    PLATFORM,
    PLATFORM_TEAM,
    TEAM_DEVELOPER_ROLE,
    TEAM_VIEWER_ROLE,
    TOM,
)
from tests.ids import RAPIDAPI_ACME_TEAM_KEY as ACME_TEAM_KEY  # noqa: F401
from tests.ids import RAPIDAPI_ADMIN_KEY as ADMIN_KEY
from tests.ids import RAPIDAPI_DEACTIVATED_KEY as DEACTIVATED_KEY  # noqa: F401
from tests.ids import RAPIDAPI_LENA_KEY as LENA_KEY  # noqa: F401
from tests.ids import RAPIDAPI_ORG_ADMIN_KEY as ORG_ADMIN_KEY  # noqa: F401
from tests.ids import RAPIDAPI_TEAM_KEY as TEAM_KEY  # noqa: F401
from tests.ids import RAPIDAPI_USER_KEY as USER_KEY  # noqa: F401

GQL = "/rapidapi/graphql"
GQL_2023_08 = "/rapidapi/2023-08/graphql"
PLATFORM_HOST = "graphql-platform.p.rapidapi.com"


class Api:
    """Posts GraphQL requests the way RapidAPI clients do, with the chosen keys."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        key: str | None = ADMIN_KEY,
        identity: str | None = None,
        path: str = GQL,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = {"content-type": "application/json"}
        if key is not None:
            sent["x-rapidapi-key"] = key
        if identity is not None:
            sent["x-rapidapi-identity-key"] = identity
        sent.update(headers or {})
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return self.client.post(path, json=body, headers=sent)

    def data(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        """The `data` of a fully successful response."""
        response = self.post(query, variables, **kw)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    def error(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        code: str,
        status: int = 200,
        **kw: Any,
    ) -> dict[str, Any]:
        """The body of a response whose (first and only) error has `code`."""
        response = self.post(query, variables, **kw)
        assert response.status_code == status, response.text
        body = response.json()
        assert len(body["errors"]) == 1, body
        assert body["errors"][0]["extensions"]["code"] == code, body
        return body


@pytest.fixture
def api(server: LiveServer, sim: Simulator, transport: httpx.BaseTransport) -> Iterator[Api]:
    with httpx.Client(base_url=server.url, timeout=10.0, transport=transport) as client:
        yield Api(client)


@pytest.fixture
def store(sim: Simulator) -> RapidApiStore:
    return sim.rapidapi


def org_role(store: RapidApiStore, user_id: int, org_id: int) -> int | None:
    assignment = store.access.assignment(user_id, org_id)
    return None if assignment is None else assignment.role_id
