"""Helpers for the RapidAPI tests: the default fixture's keys and ids, and a client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from simulator.runtime import Simulator
from simulator.store.rapidapi import RapidApiStore
from simulator.testing.server import LiveServer

GQL = "/rapidapi/graphql"
GQL_2023_08 = "/rapidapi/2023-08/graphql"
PLATFORM_HOST = "graphql-platform.p.rapidapi.com"

# Keys of the default fixture (see fixtures/default.yaml).
ADMIN_KEY = "usersim-rapidapi-key"  # Ada Admin: Environment Admin, admin of 7669830
USER_KEY = "usersim-rapidapi-user-key"  # Dev Patel: no admin role, member of team 7669831
ORG_ADMIN_KEY = "usersim-rapidapi-org-admin-key"  # Mina Park: only admin of 5755578
LENA_KEY = "usersim-rapidapi-lena-key"  # Lena Fischer: not in team 7669831
DEACTIVATED_KEY = "usersim-rapidapi-deactivated-key"  # Omar Haddad: DEACTIVATED
TEAM_KEY = "usersim-rapidapi-team-key"  # team 7669831
ACME_TEAM_KEY = "usersim-rapidapi-acme-team-key"  # team 6631475

ADA, MINA, DEV, TOM, OMAR, GWEN, PAT, LENA = (
    5500001,
    5713300,
    6049746,
    7344540,
    7344541,
    7344542,
    7344543,
    7344547,
)
ACME, PLATFORM = 5755578, 7669830
ACME_DEFAULT_TEAM, ACME_TEAM, PLATFORM_TEAM, DATA_TEAM = 5755579, 6631475, 7669831, 7669832
ORG_ADMIN_ROLE, DEVELOPER_ROLE = 580, 581
TEAM_DEVELOPER_ROLE, TEAM_VIEWER_ROLE = 626, 627
ENV_ADMIN_ROLE, DEFAULT_USER_ROLE = 575, 576


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
