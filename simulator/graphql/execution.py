"""graphql-core's executor with a short path for plain leaf fields.

graphql-core executes every field the same way: it builds a `GraphQLResolveInfo`, reads
the arguments, calls the resolver and completes the value through the general
non-null/list/leaf/object dispatch, about 5 µs a field here. Most fields of a user list
are plain attributes (`id`, `name`, `email`): no arguments, no resolver of their own, a
scalar or enum type. For those the work is a read and a coercion, so this context does
that and nothing else. Every field first checks the request's `Deadline` (its abort
signal), so a budget stops an execution of any size. Anything unusual (a value that is missing, null or callable, a
coercion that fails) is handed back to graphql-core, which produces the spec's result
and errors exactly as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    GraphQLLeafType,
    GraphQLObjectType,
    Undefined,
    default_field_resolver,
    get_nullable_type,
    is_leaf_type,
)
from graphql.execution import Executor
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path

from simulator.graphql.limits import Deadline


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
            value = source.get(name) if isinstance(source, Mapping) else getattr(source, name, None)
            if value is not None and not callable(value):
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
