"""How much work an operation can ask for: fields resolved, multiplied through lists.

Depth and field-count limits count what a document *says*; a fragment spread three
times under three aliases says little and asks for nine times the work, and each
nested list multiplies again. The cost here is the number of fields execution would
resolve if every list were as long as it may be: a field costs 1, plus its
selection's cost times the length of the list it returns. A list's length is its size
argument (`limit`, `first`..., directly or inside an input object such as
`pagination: {first: 10}`), capped at `max_list_size`; a list without one (a user's
teams, an organization's users) is assumed to hold `list_size` items. A connection (`users(limit: 10) { nodes {...} }`) passes its
size to the list fields right below it.

The cost of a document whose sizes are all literals is computed once, when it is
prepared; a size given by a variable makes the cost depend on the request, and it is
computed again with the request's variables (a walk of the document, memoized per
fragment, so it costs about what validation costs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)
from graphql.type.definition import GraphQLInterfaceType, GraphQLObjectType

from simulator.graphql.bounds import CostLimits
from simulator.records import record


@record
class Cost:
    value: int
    uses_variables: bool  # a size came from a variable: recompute with each request's


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    limits: CostLimits,
    variables: Mapping[str, Any] | None = None,
) -> Cost:
    """The cost of `operation`; with `variables` None, sizes given by variables count as
    `max_list_size` (and the result says so)."""
    walk = _Walk(schema, document, limits, variables)
    root = schema.get_root_type(operation.operation)
    value = 0 if root is None else walk.selection_cost(operation.selection_set, root, None)
    return Cost(value, walk.uses_variables)


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        limits: CostLimits,
        variables: Mapping[str, Any] | None,
    ) -> None:
        self.schema = schema
        self.limits = limits
        self.variables = variables
        self.uses_variables = False
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.memo: dict[tuple[str, int | None], int] = {}
        self.open: set[str] = set()  # fragments being walked (a cycle validation refuses)

    def selection_cost(
        self, selections: SelectionSetNode | None, parent: GraphQLNamedType, pending: int | None
    ) -> int:
        """The cost of a selection set, once; `pending` is a connection's page size."""
        if selections is None:
            return 0
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self.field_cost(selection, parent, pending)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                if target is not None:
                    total += self.selection_cost(selection.selection_set, target, pending)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment_cost(selection.name.value, pending)
        return total

    def fragment_cost(self, name: str, pending: int | None) -> int:
        key = (name, pending)
        if key in self.memo:
            return self.memo[key]
        fragment = self.fragments.get(name)
        if fragment is None or name in self.open:
            return 0
        target = self.schema.get_type(fragment.type_condition.name.value)
        if target is None:
            return 0
        self.open.add(name)
        try:
            cost = self.selection_cost(fragment.selection_set, target, pending)
        finally:
            self.open.discard(name)
        self.memo[key] = cost
        return cost

    def field_cost(self, node: FieldNode, parent: GraphQLNamedType, pending: int | None) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 1  # __typename, and introspection, which is a fixed document
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 1
        definition = parent.fields.get(name)
        if definition is None:
            return 1  # validation reports it
        size = self.size_argument(node)
        returns_list = is_list_type(get_nullable_type(definition.type))
        multiplier = 1
        below = None
        if returns_list:
            multiplier = size if size is not None else (pending or self.limits.list_size)
        elif size is not None:
            below = size  # a connection: its list fields hold this many
        if node.selection_set is None:
            return 1
        return 1 + multiplier * self.selection_cost(
            node.selection_set, get_named_type(definition.type), below
        )

    def size_argument(self, node: FieldNode) -> int | None:
        """The list length a field's arguments ask for (capped), or None if none do."""
        sizes = self.limits.size_arguments
        for argument in node.arguments or ():
            if argument.name.value in sizes:
                size = self.size_value(argument.value)
                if size is not None:
                    return size
            elif isinstance(argument.value, ObjectValueNode):
                for item in argument.value.fields:
                    if item.name.value in sizes:
                        size = self.size_value(item.value)
                        if size is not None:
                            return size
            elif isinstance(argument.value, VariableNode):
                size = self.size_in_variable(argument.value.name.value)
                if size is not None:
                    return size
        return None

    def size_in_variable(self, name: str) -> int | None:
        """A size inside an input object given as a variable (`pagination: $page`)."""
        self.uses_variables = True
        given = None if self.variables is None else self.variables.get(name)
        if isinstance(given, Mapping):
            for key in self.limits.size_arguments:
                size = given.get(key)
                if isinstance(size, int) and not isinstance(size, bool):
                    return max(0, min(size, self.limits.max_list_size))
        return None

    def size_value(self, value: ValueNode) -> int | None:
        cap = self.limits.max_list_size
        if isinstance(value, IntValueNode):
            return max(0, min(int(value.value), cap))
        if isinstance(value, VariableNode):
            self.uses_variables = True
            if self.variables is None:
                return cap
            given = self.variables.get(value.name.value)
            if isinstance(given, int) and not isinstance(given, bool):
                return max(0, min(given, cap))
            return cap
        return None
