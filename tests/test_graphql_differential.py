"""The differential check: both ways from one state, compared, and loud about a difference."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from graphql import ExecutionResult, GraphQLError

from simulator.app import build_app
from simulator.graphql import differential
from simulator.graphql.compiled import Fallback
from simulator.graphql.execution import execute_prepared, plain_leaf_execution
from simulator.graphql.prepared import QueryPreparer
from simulator.graphql.requests import GraphQLParams
from simulator.harness_cg.context import CgContext
from simulator.harness_cg.schema import build_schema
from simulator.runtime import Simulator
from tests.ids import ACCOUNT, ADMIN_ID


class Store:
    """Counts rewinds; nothing to take back."""

    def __init__(self) -> None:
        self.rewinds = 0

    @contextmanager
    def replay(self) -> Iterator[Callable[[], None]]:
        def rewind() -> None:
            self.rewinds += 1

        yield rewind


def result(data: Any, *errors: GraphQLError) -> Callable[[], ExecutionResult]:
    return lambda: ExecutionResult(data, list(errors) or None)


def test_equal_results_pass_and_graphql_core_answers() -> None:
    store = Store()
    reference = ExecutionResult({"a": 1}, None)
    got, fallback = differential.check(
        store, result({"a": 1}), lambda: reference, lambda: "the request"
    )
    assert got is reference and fallback is None and store.rewinds == 1
    assert differential.take_mismatches() == []


@pytest.mark.parametrize(
    ("compiled", "reference"),
    [
        (result({"a": 1, "b": 2}), result({"b": 2, "a": 1})),  # key order is part of it
        (result({"a": None}, GraphQLError("x", path=["a"])), result({"a": None})),
        (
            result({"a": None}, GraphQLError("x", path=["a"], original_error=ValueError("v"))),
            result({"a": None}, GraphQLError("x", path=["a"], original_error=KeyError("v"))),
        ),
    ],
)
def test_a_difference_fails_loudly(
    compiled: Callable[[], ExecutionResult], reference: Callable[[], ExecutionResult]
) -> None:
    with pytest.raises(differential.Mismatch, match="the request"):
        differential.check(Store(), compiled, reference, lambda: "the request")
    assert len(differential.take_mismatches()) == 1
    assert differential.take_mismatches() == []


def test_a_plan_that_raises_is_a_difference() -> None:
    def broken() -> ExecutionResult:
        raise RuntimeError("a bug in the plan")

    with pytest.raises(differential.Mismatch, match="a bug in the plan"):
        differential.check(Store(), broken, result({}), lambda: "the request")
    assert len(differential.take_mismatches()) == 1


def test_what_the_plans_leave_to_graphql_core_is_not_compared() -> None:
    got, fallback = differential.check(
        Store(), lambda: Fallback("introspection"), result({"a": 1}), lambda: "the request"
    )
    assert got.data == {"a": 1} and fallback == Fallback("introspection")


def test_a_mutation_checked_both_ways_happens_once() -> None:
    """The plan's run is taken back (records and id generators) before graphql-core's."""
    simulator: Simulator = build_app().state.simulator
    store = simulator.harness
    schema = build_schema()
    query = (
        'mutation { createUser(input: {name: "Twice", email: "twice@example.com"}) '
        "{ user { id name email } } }"
    )
    prepared = QueryPreparer(schema).prepare(query)
    caller = store.users.find(ACCOUNT, ADMIN_ID)
    assert caller is not None
    context = CgContext(store, caller, ACCOUNT, simulator.policies.page("harness-cg"))
    assert differential.enabled()  # the suite runs with the check on (tests/conftest.py)
    with store.lock:
        got = execute_prepared(
            schema,
            prepared,
            GraphQLParams(query, {}, None),
            context=context,
            executor=plain_leaf_execution(),
            store=store,
        )
    assert got.errors is None
    created = got.data["createUser"]["user"]  # type: ignore[index]
    same_email = [user for user in store.state.users.values() if user.email == "twice@example.com"]
    assert [user.id for user in same_email] == [created["id"]]
    assert simulator.invariants() == []
