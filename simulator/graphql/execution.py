"""Executing a prepared request: its compiled plan, or graphql-core's executor.

`execute_prepared` is what the GraphQL faces call. Most requests run their compiled
plan (simulator/graphql/compiled.py); the rest run graphql-core's executor, with the
short path for plain leaf fields below.

graphql-core executes every field the same way: it builds a `GraphQLResolveInfo`, reads
the arguments, calls the resolver and completes the value through the general
non-null/list/leaf/object dispatch, about 5 µs a field here. Most fields of a user list
are plain attributes (`id`, `name`, `email`): no arguments, no resolver of their own, a
scalar or enum type. For those the work is a read and a coercion, so this context does
that and nothing else. Every field first checks the request's `Deadline` (its abort
signal), so a budget stops an execution of any size. Anything unusual (a value that is
missing, null or callable, a coercion that fails) is handed back to graphql-core, which
produces the spec's result and errors exactly as before.
"""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from functools import partial
from typing import Any

from graphql import (
    ExecutionResult,
    GraphQLLeafType,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    default_field_resolver,
    execute_sync,
    get_nullable_type,
    is_leaf_type,
)
from graphql.execution import Executor
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path

from simulator.graphql import differential, tally
from simulator.graphql.compiled import Fallback
from simulator.graphql.differential import Replayable
from simulator.graphql.limits import Deadline
from simulator.graphql.prepared import Prepared
from simulator.graphql.requests import GraphQLParams


class PlainLeafExecutor(Executor[Any]):
    """Pass a subclass from `plain_leaf_execution()` as `executor_class`."""

    # (object type, field name) -> the leaf type, or None when the field takes the long
    # path. Each subclass has its own, so plans live as long as the schema that uses them.
    plans: dict[tuple[GraphQLObjectType, str], GraphQLLeafType | None]

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        signal = self.abort_signal
        if isinstance(signal, Deadline):
            signal.check()
        node = field_details_list[0].node
        name = node.name.value
        key = (parent_type, name)
        leaf = self.plans[key] if key in self.plans else self._plan(parent_type, name)
        plain = self.field_resolver is default_field_resolver and self.middleware_manager is None
        if leaf is not None and plain and not node.arguments:
            try:
                value = (
                    source.get(name) if isinstance(source, Mapping) else getattr(source, name, None)
                )
            except Exception:  # graphql-core's resolver reads it again and reports it
                value = None
            plain_value = not (callable(value) or isinstance(value, Exception))
            if value is not None and value is not Undefined and plain_value:
                try:
                    coerced = leaf.coerce_output_value(value)
                except Exception:  # graphql-core reports it, with the field's path
                    coerced = None
                if coerced is not None and coerced is not Undefined:
                    return coerced
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def _plan(self, parent_type: GraphQLObjectType, name: str) -> GraphQLLeafType | None:
        field = parent_type.fields.get(name)
        leaf = None
        if field is not None and field.resolve is None and not field.args:
            nullable = get_nullable_type(field.type)
            if is_leaf_type(nullable):
                leaf = nullable
        self.plans[(parent_type, name)] = leaf
        return leaf


def plain_leaf_execution() -> type[PlainLeafExecutor]:
    """An execution context class with a plan cache of its own, for one schema."""
    return type("PlainLeafExecution", (PlainLeafExecutor,), {"plans": {}})


# -- one call for the faces ------------------------------------------------------------------


def execute_prepared(
    schema: GraphQLSchema,
    prepared: Prepared,
    params: GraphQLParams,
    *,
    context: Any,
    executor: type[PlainLeafExecutor],
    store: Replayable,
    abort_signal: Deadline | None = None,
) -> ExecutionResult:
    """Execute a request's operation: by its compiled plan, or by graphql-core where the
    plan does not cover it; both ways (compared) when the differential check is on.

    With a `Deadline`, graphql-core's path alone, since only it checks one per field.
    """
    if abort_signal is not None:
        return _reference(schema, prepared, params, context, executor, abort_signal)
    if differential.enabled():
        result, fallback = differential.check(
            store,
            partial(_compiled, prepared, params, context),
            partial(_reference, schema, prepared, params, context, executor),
            partial(_describe, params),
        )
        tally.count(None if fallback is None else fallback.reason)
        return result
    outcome = _compiled(prepared, params, context)
    if isinstance(outcome, Fallback):
        tally.count(outcome.reason)
        return _reference(schema, prepared, params, context, executor)
    tally.count(None)
    return outcome


def _compiled(
    prepared: Prepared, params: GraphQLParams, context: Any
) -> ExecutionResult | Fallback:
    if prepared.plans is None:
        return Fallback("document not valid")
    return prepared.plans.execute(context, params.variables, params.operation_name)


def _reference(
    schema: GraphQLSchema,
    prepared: Prepared,
    params: GraphQLParams,
    context: Any,
    executor: type[PlainLeafExecutor],
    abort_signal: Deadline | None = None,
) -> ExecutionResult:
    """graphql-core's execution, as the faces ran every request before plans."""
    assert prepared.document is not None
    return execute_sync(
        schema,
        prepared.document,
        context_value=context,
        variable_values=params.variables,
        operation_name=params.operation_name,
        executor_class=executor,
        abort_signal=abort_signal,
    )


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring = 8, 200


def _describe(params: GraphQLParams) -> str:
    """The request, for a report (variables may nest deeper than a plain repr can go)."""
    variables = _SHORT.repr(params.variables)
    return f"query {params.query!r}, variables {variables}, operation {params.operation_name!r}"
