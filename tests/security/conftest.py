"""Helpers for the security tests: what the contracts declare, liveness, account data."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

import httpx
import pytest
import yaml
from graphql import (
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    build_schema,
    is_non_null_type,
    parse,
)

from simulator.resources import contracts_dir
from simulator.testing.server import LiveServer

NG_CONTRACT = "harness-ng-user.openapi.yaml"
CG_CONTRACT = "harness-cg.graphql"
RAPIDAPI_CONTRACT = "rapidapi-platform.graphql"
RAPIDAPI_2023_CONTRACT = "rapidapi-platform-2023-08.graphql"
CONTROL_CONTRACT = "usersim-control.openapi.yaml"

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@pytest.fixture(scope="session")
def client(server: LiveServer) -> Iterator[httpx.Client]:
    """One keep-alive client for the whole session (a new httpx.Client costs ~50 ms).

    Tests that need a fresh state ask for `sim` as well.
    """
    with httpx.Client(base_url=server.url, timeout=10.0) as session_client:
        yield session_client


@cache
def openapi_operations(name: str) -> dict[str, tuple[str, str]]:
    """operationId -> (METHOD, path) for every operation a contract declares."""
    document = yaml.safe_load((contracts_dir() / name).read_text(encoding="utf-8"))
    return {
        operation["operationId"]: (method.upper(), path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


@cache
def graphql_root_fields(name: str) -> frozenset[str]:
    """Every root field of an SDL, as "Query.users" / "Mutation.createTeam"."""
    document = parse((contracts_dir() / name).read_text(encoding="utf-8"))
    fields = set()
    for definition in document.definitions:
        if isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode) and (
            definition.name.value in ("Query", "Mutation", "Subscription")
        ):
            fields.update(f"{definition.name.value}.{f.name.value}" for f in definition.fields)
    return frozenset(fields)


@cache
def graphql_non_null_root_fields(name: str) -> frozenset[str]:
    """The root fields of an SDL whose type is non-null ("Query.roles")."""
    schema = build_schema((contracts_dir() / name).read_text(encoding="utf-8"))
    roots = [t for t in (schema.query_type, schema.mutation_type) if t is not None]
    return frozenset(
        f"{root.name}.{name}"
        for root in roots
        for name, field in root.fields.items()
        if is_non_null_type(field.type)
    )


def assert_up(http: httpx.Client) -> None:
    """The server still answers (after whatever the test sent it)."""
    response = http.get("/_usersim/health")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ok"


def harness_account(export: dict[str, Any], account_id: str) -> dict[str, Any]:
    """One account's section of a state export."""
    return next(a for a in export["harness"]["accounts"] if a["id"] == account_id)


def identifiers_of(account: dict[str, Any]) -> set[str]:
    """Ids that belong to one Harness account only: its users, groups and projects."""
    ids = {account["id"]}
    ids.update(user["id"] for user in account.get("users", ()))
    ids.update(group["id"] for group in account.get("userGroups", ()))
    for org in account.get("organizations", ()):
        ids.update(project["identifier"] for project in org.get("projects", ()))
    return ids


def leaked(response: httpx.Response, identifiers: set[str]) -> set[str]:
    """Which of `identifiers` appear in a response body."""
    return {identifier for identifier in identifiers if identifier in response.text}
