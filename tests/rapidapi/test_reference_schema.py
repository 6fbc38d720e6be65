"""The served schema against RapidAPI's: every type, field, argument and enum value of
the Platform API reference (`../shared/reference/rapidapi-platform.graphql`) is served.

The reference's surface, one line per field, argument list and type, is kept in
`reference_surface.txt`, so the check runs wherever the suite runs; where the reference
file itself is at hand, a second test proves the list is exactly its surface. After the
reference changes, rewrite the list with
`python -m tests.rapidapi.test_reference_schema PATH/TO/rapidapi-platform.graphql`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    build_client_schema,
    build_schema,
    get_introspection_query,
)

from simulator.rapidapi.schema import VERSIONS
from simulator.rapidapi.schema import build_schema as build_served_schema
from tests.rapidapi.conftest import GQL, GQL_2023_08, Api

SURFACE_FILE = Path(__file__).with_name("reference_surface.txt")
REFERENCE_NAME = "rapidapi-platform.graphql"
# Where the vendor reference lies next to a checkout (main's or a worktree's), unless
# USERSIM_RAPIDAPI_REFERENCE names it.
_ROOT = Path(__file__).resolve().parents[2]
REFERENCE_CANDIDATES = [
    _ROOT.parent / "shared" / "reference" / REFERENCE_NAME,
    _ROOT.parent.parent / "shared" / "reference" / REFERENCE_NAME,
]
# The one place the 2023-08 contract differs: `users` is a bare list, with no connection.
CONNECTION_LINES = {
    "type Query.users(where: UserWhereInput!): UserConnection",
    "type UserConnection.nodes: [User]",
    "type UserConnection.totalCount: Int",
}
LIST_LINE = "type Query.users(where: UserWhereInput!): [User!]"


def surface(schema: GraphQLSchema) -> set[str]:
    """One line per scalar, enum value, input field and (field, arguments, type)."""
    lines = set()
    for name, named in schema.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(named, GraphQLScalarType):
            lines.add(f"scalar {name}")
        elif isinstance(named, GraphQLEnumType):
            lines.update(f"enum {name}.{value}" for value in named.values)
        elif isinstance(named, GraphQLInputObjectType):
            lines.update(f"input {name}.{f}: {field.type}" for f, field in named.fields.items())
        elif isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for f, field in named.fields.items():
                args = ", ".join(f"{a}: {arg.type}" for a, arg in field.args.items())
                lines.add(f"type {name}.{f}{f'({args})' if args else ''}: {field.type}")
        elif isinstance(named, GraphQLUnionType):
            lines.add(f"union {name} = {' | '.join(sorted(t.name for t in named.types))}")
    return lines


def reference_surface() -> set[str]:
    return {line for line in SURFACE_FILE.read_text(encoding="utf-8").splitlines() if line}


def served_schema(api: Api, path: str) -> GraphQLSchema:
    """The schema as a client sees it: introspected over HTTP, as GraphiQL would ask."""
    data = api.data(get_introspection_query(descriptions=False), path=path)
    return build_client_schema(data)


def test_the_current_contract_serves_every_reference_type_and_field(api: Api) -> None:
    missing = reference_surface() - surface(served_schema(api, GQL))
    assert missing == set()


def test_the_2023_08_contract_serves_every_reference_type_and_field(api: Api) -> None:
    expected = (reference_surface() - CONNECTION_LINES) | {LIST_LINE}
    served = surface(served_schema(api, GQL_2023_08))
    assert expected - served == set()
    assert not any(line.startswith("type UserConnection.") for line in served)


def test_every_root_operation_of_the_reference_has_a_resolver() -> None:
    """Declared is not enough: each root field is bound to a resolver of its own."""
    roots = [
        line.removeprefix("type ").split("(")[0].split(":")[0].split(".")
        for line in reference_surface()
        if line.startswith(("type Query.", "type Mutation."))
    ]
    assert len(roots) == 38
    for version in VERSIONS:
        served = build_served_schema(version)
        for kind, name in roots:
            root = served.query_type if kind == "Query" else served.mutation_type
            assert root is not None and root.fields[name].resolve is not None, (version, name)


def _reference_file() -> Path | None:
    named = os.environ.get("USERSIM_RAPIDAPI_REFERENCE")
    candidates = [Path(named)] if named else REFERENCE_CANDIDATES
    return next((path for path in candidates if path.is_file()), None)


def test_the_surface_list_is_the_reference_s_surface() -> None:
    reference = _reference_file()
    if reference is None:
        pytest.skip(
            "the vendor reference is not next to this checkout (USERSIM_RAPIDAPI_REFERENCE)"
        )
    assert surface(build_schema(reference.read_text(encoding="utf-8"))) == reference_surface()


if __name__ == "__main__":
    lines = surface(build_schema(Path(sys.argv[1]).read_text(encoding="utf-8")))
    SURFACE_FILE.write_text("".join(f"{line}\n" for line in sorted(lines)), encoding="utf-8")
