"""The plain-leaf executor answers exactly as graphql-core's own, errors included."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from graphql import build_schema, execute_sync, parse

from simulator.graphql.execution import plain_leaf_execution

SCHEMA = build_schema(
    """
    enum Color { RED GREEN }
    type Item {
      id: ID!
      name: String
      count: Int
      color: Color
      required: String!
      computed: String
      sized(limit: Int): String
    }
    type Query { items: [Item] mapped: Item }
    """
)


def computed(info: object) -> str:
    return "from a method"


ITEMS = [
    SimpleNamespace(
        id="a", name="plain", count=3, color="RED", required="x", computed=computed, sized="s"
    ),
    SimpleNamespace(
        id=7, name=None, count="not a number", color="BLUE", required=None, computed=None, sized=1
    ),
]
ROOT = {
    "items": ITEMS,
    "mapped": {"id": "m", "name": "from a mapping", "count": 2.0, "required": "y"},
}

QUERIES = [
    "{ items { id name count color required computed sized(limit: 2) } }",
    "{ items { id name } mapped { id name count required } }",
    "{ items { alias: name name } }",
    "{ mapped { ...F } } fragment F on Item { id count }",
    "{ items { id @skip(if: true) name @include(if: false) count } }",
]


@pytest.mark.parametrize("query", QUERIES)
def test_results_and_errors_match_graphql_core(query: str) -> None:
    document = parse(query)
    expected = execute_sync(SCHEMA, document, root_value=ROOT)
    got = execute_sync(SCHEMA, document, root_value=ROOT, executor_class=plain_leaf_execution())
    assert got.data == expected.data
    assert [e.formatted for e in got.errors or []] == [e.formatted for e in expected.errors or []]


def test_the_short_path_is_taken_for_plain_leaves_only() -> None:
    executor = plain_leaf_execution()
    execute_sync(SCHEMA, parse(QUERIES[0]), root_value=ROOT, executor_class=executor)
    planned = {name for (_, name), leaf in executor.plans.items() if leaf is not None}
    assert planned == {"id", "name", "count", "color", "required", "computed"}
    assert plain_leaf_execution().plans == {}
