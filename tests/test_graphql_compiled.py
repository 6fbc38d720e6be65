"""Compiled plans answer exactly as graphql-core does, on a schema built to be awkward.

Every field of `Probe` returns the same value, chosen by the `kind` argument: plain
values, values that need coercion or fail it, nulls in non-null places, callables,
exceptions returned or raised, mappings, generators, records of the wrong type. Each
query runs through the compiled plan and through graphql-core (with the executor the
faces used before plans); the two results must be identical byte for byte, errors and
their original exceptions included. Hypothesis then writes queries of its own.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import pytest
from ariadne import InterfaceType, ObjectType, ScalarType, UnionType, make_executable_schema
from graphql import ExecutionResult, GraphQLSchema, execute_sync, parse, validate
from graphql.pyutils import Undefined
from hypothesis import HealthCheck, given, settings
from hypothesis_graphql import mutations, queries

from simulator.graphql.compiled import Fallback, OperationPlans
from simulator.graphql.differential import canonical
from simulator.graphql.execution import plain_leaf_execution

SDL = """
directive @traced on QUERY | MUTATION
scalar Stamp
enum Color { RED GREEN BLUE }
interface Node { id: ID! }
union Thing = Person | Team

type Person implements Node {
  id: ID!
  name: String
  strict: String!
  count: Int
  color: Color
  tags: [String]
  friends(first: Int = 2, filter: Filter): [Person]
  strictFriends: [Person!]!
  best: Person!
  team: Team
  thing: Thing
  node: Node
  renamed: String
  computed(suffix: String): String
  probe(kind: String!): Probe
}

type Team implements Node {
  id: ID!
  title: String
  members: [Person!]
}

type Probe {
  s: String
  sn: String!
  i: Int
  inn: Int!
  id: ID
  f: Float
  b: Boolean
  c: Color
  st: Stamp
  ls: [String]
  lsn: [String!]
  lnn: [String!]!
  p: Person
  pn: Person!
  lp: [Person]
  lpn: [Person!]!
  t: Thing
  n: Node
  nested: [[Person]]
  rs: String
  rsn: String!
  ri: Int
  rc: Color
  rp: Person
  rpn: Person!
  rlp: [Person]
  rlpn: [Person!]!
  rt: Thing
  rn: Node
  args(a: Int, b: String = "dflt", f: Filter): String
}

input Filter { name: String, tags: [String!], color: Color, inner: Filter }

type Query {
  person(id: ID!): Person
  people(filter: Filter, limit: Int = 3): [Person]
  things: [Thing]
  nodes: [Node!]
  probe(kind: String!): Probe
  echo(filter: Filter, limit: Int): String
  fail: String
  failStrict: String!
}

type Mutation {
  rename(id: ID!, name: String!): Person
  failStrict: String!
  probe(kind: String!): Probe
}
"""


class Record:
    """A record read by attribute, as the store's are."""

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def __repr__(self) -> str:  # no address: the two runs build their own records
        return f"Record({self.__dict__.get('id')!r})"


class Raising:
    """Attribute reads raise: a property that fails inside the default resolver."""

    def __repr__(self) -> str:
        return "Raising()"

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"no {name} today")


class Hidden:
    def __repr__(self) -> str:
        return "Hidden()"

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(name)  # the default resolver reads None


def called(info: Any, **arguments: Any) -> str:
    return f"called {info.field_name} {sorted(arguments.items())}"


def person(number: int, **extra: Any) -> Record:
    fields: dict[str, Any] = {
        "id": f"p{number}" if number % 3 else number,
        "name": None if number == 4 else f"Person {number}",
        "strict": None if number == 5 else "s",
        "count": [1, "2", 2.0, 3.5, True, 2**40][number % 6],
        "color": ["RED", "GREEN", "PURPLE"][number % 3],
        "tags": ["a", None, 3] if number % 2 else ("x", "y"),
        "strictFriends": [],
        "team": None,
        "kind": "Person",
        "real_name": f"real {number}",
    }
    fields.update(extra)
    return Record(**fields)


def team(number: int) -> Record:
    return Record(
        id=f"t{number}", title=f"Team {number}", members=[person(1), person(2)], kind="Team"
    )


# Every value a Probe field can return; `kind` picks one by its checksum, so any string
# (hypothesis writes any) lands on one of them.
KINDS: dict[str, Callable[[], Any]] = {
    "str": lambda: "text",
    "empty": lambda: "",
    "int": lambda: 7,
    "negative": lambda: -3,
    "big": lambda: 2**40,
    "float": lambda: 1.5,
    "whole-float": lambda: 2.0,
    "nan": lambda: float("nan"),
    "bool": lambda: True,
    "none": lambda: None,
    "undefined": lambda: Undefined,
    "enum": lambda: "GREEN",
    "bad-enum": lambda: "PURPLE",
    "numeric-str": lambda: "12",
    "list": lambda: ["a", None, "b"],
    "list-nn": lambda: ["a", "b"],
    "list-mixed": lambda: [1, "x", 2.5, None, True],
    "tuple": lambda: ("a", "b"),
    "generator": lambda: (item for item in ["g1", "g2"]),
    "dict": lambda: {"id": "d1", "name": "from a dict", "strict": "s", "kind": "Person"},
    "mapping": lambda: MappingProxyType({"id": "m1", "name": "mapped", "strict": "s"}),
    "typename-dict": lambda: {"__typename": "Team", "id": "td", "title": "typed"},
    "person": lambda: person(1),
    "person-broken": lambda: person(5),
    "people": lambda: [person(1), None, person(2)],
    "people-nn": lambda: [person(1), person(2), person(3)],
    "people-broken": lambda: [person(1), person(5), person(2)],
    "team": lambda: team(1),
    "teams": lambda: [team(1), person(2)],
    "nested": lambda: [[person(1), None], None, [person(2)]],
    "exception": lambda: ValueError("returned, not raised"),
    "callable": lambda: called,
    "object": lambda: object,
    "raising": lambda: Raising(),
    "hidden": lambda: Hidden(),
}
KIND_NAMES = sorted(KINDS)


def kind_of(name: str) -> str:
    return name if name in KINDS else KIND_NAMES[zlib.crc32(name.encode()) % len(KIND_NAMES)]


class Probe:
    """Every field (attribute or resolver) holds the value of one kind."""

    def __init__(self, kind: str) -> None:
        self.kind = kind_of(kind)
        self.raises = self.kind == "raising"

    def value(self) -> Any:
        if self.raises:
            raise RuntimeError("the resolver raised")
        return KINDS[self.kind]()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.value()


def build() -> GraphQLSchema:
    query = ObjectType("Query")
    mutation = ObjectType("Mutation")
    person_type = ObjectType("Person")
    probe_type = ObjectType("Probe")
    thing = UnionType("Thing")
    node = InterfaceType("Node")
    stamp = ScalarType("Stamp")

    @stamp.serializer
    def serialize_stamp(value: Any) -> Any:
        if value == "text":
            return None
        if isinstance(value, int) and value > 100:
            raise ValueError("stamp out of range")
        return f"stamp:{value}"

    @thing.type_resolver
    def resolve_thing(value: Any, *_: Any) -> Any:
        kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
        return {"Person": "Person", "Team": "Team", None: None}.get(kind, kind)

    @query.field("person")
    def resolve_person(_: Any, info: Any, id: str) -> Any:
        return None if id == "none" else person(int(id) if id.isdigit() else 1)

    @query.field("people")
    def resolve_people(_: Any, info: Any, limit: int, filter: Any = None) -> Any:
        if limit < 0:
            raise ValueError("negative limit")
        return [person(n) for n in range(min(limit, 6))]  # generated limits can be huge

    query.set_field("things", lambda *_: [person(1), team(2), {"kind": "Nope"}, {"kind": 5}])
    query.set_field("nodes", lambda *_: [person(1), {"__typename": "Team", "id": "n"}, team(3)])
    query.set_field("probe", lambda _, info, kind: Probe(kind))
    query.set_field("echo", lambda _, info, **arguments: repr(sorted(arguments.items())))

    @query.field("fail")
    @query.field("failStrict")
    def resolve_fail(*_: Any) -> Any:
        raise RuntimeError("failed on purpose")

    mutation.set_field("rename", lambda _, info, id, name: person(1, name=name))
    mutation.set_field("failStrict", resolve_fail)
    mutation.set_field("probe", lambda _, info, kind: Probe(kind))

    person_type.set_alias("renamed", "real_name")
    person_type.set_field("best", lambda p, info: None if p.id == "p5" else person(8))
    person_type.set_field(
        "friends",
        lambda p, info, first, filter=None: [person(n + 10) for n in range(min(first, 3))],
    )
    person_type.set_field("computed", lambda p, info, suffix=None: f"{p.name}{suffix or ''}")
    person_type.set_field("probe", lambda p, info, kind: Probe(kind))
    person_type.set_field("thing", lambda p, info: team(4))
    person_type.set_field("node", lambda p, info: {"__typename": "Person", "id": "np"})

    for name in ("rs", "rsn", "ri", "rc", "rp", "rpn", "rlp", "rlpn", "rt", "rn"):
        probe_type.set_field(name, lambda probe, info: probe.value())
    probe_type.set_field("args", lambda probe, info, **arguments: repr(sorted(arguments.items())))

    schema = make_executable_schema(
        SDL, query, mutation, person_type, probe_type, thing, node, stamp
    )
    team_type = schema.type_map["Team"]
    team_type.is_type_of = lambda value, info: getattr(value, "kind", "Team") == "Team"  # type: ignore[attr-defined]
    return schema


SCHEMA = build()
EXECUTOR = plain_leaf_execution()


def both(
    query: str, variables: dict[str, Any] | None = None, operation_name: str | None = None
) -> tuple[ExecutionResult, ExecutionResult | Fallback]:
    document = parse(query)
    assert validate(SCHEMA, document) == []
    expected = execute_sync(
        SCHEMA,
        document,
        variable_values=variables,
        operation_name=operation_name,
        executor_class=EXECUTOR,
    )
    got = OperationPlans(SCHEMA, document).execute(None, variables, operation_name)
    return expected, got


def assert_same(
    query: str, variables: dict[str, Any] | None = None, operation_name: str | None = None
) -> ExecutionResult:
    expected, got = both(query, variables, operation_name)
    assert not isinstance(got, Fallback), got
    assert canonical(got) == canonical(expected)
    return got


PROBE_SELECTIONS = [
    *("s", "sn", "i", "inn", "id", "f", "b", "c", "st", "ls", "lsn", "lnn"),
    *("rs", "rsn", "ri", "rc"),
    'args(a: 1, f: {name: "n", tags: ["t"]})',
    "p { id name strict }",
    "pn { id strict }",
    "lp { id name }",
    "lpn { id strict }",
    "t { __typename ... on Person { id name } ... on Team { id title } }",
    "n { __typename id ... on Team { title } }",
    "nested { id name }",
    "rp { id }",
    "rpn { id name strict }",
    "rlp { id }",
    "rlpn { id strict }",
    "rt { ... on Person { id } }",
    "rn { id }",
]
PROBE_FIELDS = " ".join(PROBE_SELECTIONS)


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_every_kind_of_value_completes_as_graphql_core(kind: str) -> None:
    assert_same(f'{{ probe(kind: "{kind}") {{ {PROBE_FIELDS} }} }}')


@pytest.mark.parametrize("kind", ["person", "people-broken", "dict", "raising", "none"])
def test_each_probe_field_alone_propagates_its_own_way(kind: str) -> None:
    """One field per query: a non-null failure nulls exactly its nearest nullable parent."""
    for selection in PROBE_SELECTIONS:
        assert_same(
            f'{{ a: probe(kind: "{kind}") {{ {selection} }} b: probe(kind: "int") {{ i }} }}'
        )


QUERIES = [
    '{ person(id: "1") { id name strict count color tags renamed computed(suffix: "!") } }',
    '{ person(id: "5") { id strict } other: person(id: "1") { id } }',
    '{ person(id: "5") { best { id } } }',
    "{ people { id name friends { id friends(first: 1) { id } } } }",
    "{ people(limit: 2) { ...P ...P } } fragment P on Person { id alias: name name }",
    "{ people(limit: 2) { id } people(limit: 2) { name } }",
    "{ people(limit: -1) { id } }",
    "{ things { __typename ... on Person { id } ... on Team { title members { id } } } }",
    "{ things { ... on Node { id } } }",
    "{ nodes { id __typename ... on Team { title } } }",
    '{ person(id: "1") { thing { ... on Team { id title } } node { id } } }',
    '{ echo(filter: {name: "n", tags: ["a"], color: RED, inner: {name: "i"}}, limit: 3) }',
    "{ echo }",
    "{ fail echo }",
    "{ failStrict echo }",
    '{ __typename a: __typename person(id: "1") { __typename } }',
    '{ person(id: "none") { id } }',
    '{ person(id: "2") { probe(kind: "people") { lp { id probe(kind: "exception") { s } } } } }',
    '{ person(id: "1") { id @skip(if: true) name @include(if: false) count @include(if: true) } }',
    '{ person(id: "1") { ... @skip(if: true) { id } ... on Person @include(if: true) { name } } }',
    'mutation { first: rename(id: "1", name: "A") { name } probe(kind: "int") { s i } }',
    'mutation { rename(id: "1", name: "A") { name } failStrict }',
    'query Q { person(id: "1") { id } }',
]


@pytest.mark.parametrize("query", QUERIES)
def test_queries_answer_as_graphql_core(query: str) -> None:
    assert_same(query)


VARIABLE_QUERY = """
query Q($id: ID!, $kind: String = "str", $skip: Boolean!, $f: Filter, $n: Int = 2) {
  person(id: $id) {
    id @skip(if: $skip)
    name @include(if: $skip)
    friends(first: $n, filter: $f) { id }
    probe(kind: $kind) { s sn args(a: $n, f: $f) }
  }
  echo(filter: $f, limit: $n)
}
"""


@pytest.mark.parametrize(
    "variables",
    [
        {"id": "1", "skip": True},
        {"id": "1", "skip": False, "kind": "none", "f": {"name": "x", "tags": ["a"]}},
        {"id": "2", "skip": False, "n": None},
        {"id": "2", "skip": "yes"},
        {"skip": True},
        {"id": "1", "skip": True, "f": {"tags": [None]}, "n": "three"},
        {"id": "1", "skip": True, "f": {"inner": {"inner": {"color": "BLUE"}}}},
    ],
)
def test_variables_are_coerced_and_refused_as_graphql_core(variables: dict[str, Any]) -> None:
    assert_same(VARIABLE_QUERY, variables)


def test_one_plan_serves_each_skip_and_include_outcome() -> None:
    plans = OperationPlans(SCHEMA, parse(VARIABLE_QUERY))
    for skip in (True, False, True):
        got = plans.execute(None, {"id": "1", "skip": skip}, None)
        assert isinstance(got, ExecutionResult)
        assert ("id" in got.data["person"]) is not skip  # type: ignore[index]
    operation = plans._operations[None]
    assert not isinstance(operation, Fallback)
    assert sorted(operation.variants) == [(False, False), (True, True)]


@pytest.mark.parametrize(
    ("query", "operation_name", "reason"),
    [
        ("{ __schema { queryType { name } } }", None, "introspection"),
        ('{ __type(name: "Person") { name } }', None, "introspection"),
        ("query A { echo } query B { fail }", None, "no operation to execute"),
        ("query A { echo }", "B", "no operation to execute"),
        ("query A @traced { echo }", None, "directives on the operation"),
    ],
)
def test_what_is_not_compiled_goes_to_graphql_core(
    query: str, operation_name: str | None, reason: str
) -> None:
    _, got = both(query, None, operation_name)
    assert got == Fallback(reason)


def test_named_operations_are_picked_like_graphql_core() -> None:
    query = 'query A { echo } query B { person(id: "1") { id } }'
    assert assert_same(query, None, "B").data == {"person": {"id": "p1"}}
    assert assert_same(query, None, "A").data == {"echo": "[]"}


def test_a_resolver_may_change_the_arguments_it_is_given() -> None:
    """Argument values fixed by the document are copied for each call."""
    seen: list[Any] = []

    def keep(_: Any, info: Any, filter: Any = None, limit: Any = None) -> str:
        seen.append(filter)
        filter["tags"].append("changed")
        return repr(filter)

    query = ObjectType("Query")
    query.set_field("echo", keep)
    schema = make_executable_schema(SDL, query)
    plans = OperationPlans(schema, parse('{ echo(filter: {tags: ["a"]}) }'))
    first, second = (plans.execute(None, None, None) for _ in range(2))
    assert first == second  # type: ignore[comparison-overlap]
    assert seen[0] is not seen[1]


# -- hypothesis writes the queries --------------------------------------------------------------


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(query=queries(SDL) | mutations(SDL))
def test_generated_documents_answer_as_graphql_core(query: str) -> None:
    assert_same(query)
