"""Compiled execution plans: each prepared operation executed by code made for it.

graphql-core walks every field of every request through its general executor (about
5 µs a field here). A prepared document's operation selects the same fields in the
same shape every time, so the work that depends only on the document is done once:
fields are collected, merged and looked up, resolvers and argument values fixed, and
each object selection becomes a specialised Python function (simulator/graphql/
codegen.py). A request then coerces its variables and runs those functions.

The result is meant to be exactly what graphql-core 3.3.2's `execute_sync` with our
`PlainLeafExecutor` returns: the same data in the same key order, the same errors
(message, locations, path, original error) in the same order, the same null
propagation. `USERSIM_GRAPHQL_DIFFERENTIAL=1` checks that on every request
(simulator/graphql/differential.py); the test suite and `make fuzz` run with it on.

What is not compiled (`OperationPlans.execute` answers `Fallback`, and the request
goes to graphql-core as before):

* a document graphql-core would refuse to execute: no operation, an unknown
  operation name, several operations and no name (graphql-core words the error);
* subscriptions, and operations without a root type in the schema;
* introspection (`__schema`, `__type`; `__typename` is compiled);
* directives on the operation itself (`@experimental_disableErrorPropagation`...);
* fragment arguments (graphql-core's experimental fragment variables);
* an `@skip`/`@include` condition that is a variable graphql-core would refuse to
  read (it reports the error; the plan does not try to);
* more than `MAX_VARIANTS` combinations of variable `@skip`/`@include` outcomes of
  one operation (a plan exists per combination);
* anything the compiler fails on (a bug: logged once, then served by graphql-core).

Known limits of the imitation, none reachable through usersim's schemas: resolvers
that return awaitables are not supported (as with `execute_sync`); `info.async_helpers`
cannot gather; argument values without variables are coerced once per plan (custom
scalar input values are not, they are read per request).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLDirective,
    GraphQLError,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    Node,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
)
from graphql.execution.collect_fields import (
    FragmentDetails,
    GroupedFieldSet,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values

from simulator.graphql import codegen
from simulator.graphql.completion import FieldPlan, ObjectFunction, Run
from simulator.records import record

log = logging.getLogger("usersim.graphql")

MAX_VARIANTS = 16
MAX_COERCION_ERRORS = 50  # graphql-core's default
_INTROSPECTION = frozenset({"__schema", "__type"})
_CONDITIONS = {"skip": GraphQLSkipDirective, "include": GraphQLIncludeDirective}


@record
class Fallback:
    """The request goes to graphql-core; `reason` says why (the bench counts them)."""

    reason: str


@record
class _Variant:
    root_type: GraphQLObjectType
    function: ObjectFunction


@dataclass
class _Operation:
    """One operation of the document, ready to compile for each @skip/@include outcome."""

    schema: GraphQLSchema
    operation: OperationDefinitionNode
    root_type: GraphQLObjectType
    fragments: dict[str, FragmentDetails]
    fragment_definitions: dict[str, FragmentDefinitionNode]
    conditions: list[tuple[GraphQLDirective, DirectiveNode]]
    variants: dict[tuple[Any, ...], _Variant | Fallback] = field(default_factory=dict)

    def outcome(self, variables: VariableValues) -> tuple[Any, ...] | Fallback:
        """The values of the conditions that read variables: they decide the selection."""
        if not self.conditions:
            return ()
        try:
            return tuple(
                get_argument_values(directive, node, variables).get("if")
                for directive, node in self.conditions
            )
        except Exception:  # graphql-core reports it where it reads the condition
            return Fallback("a variable @skip/@include graphql-core refuses")

    def variant(self, outcome: tuple[Any, ...], variables: VariableValues) -> _Variant | Fallback:
        variant = self.variants.get(outcome)
        if variant is None:
            if len(self.variants) >= MAX_VARIANTS:
                return Fallback(f"more than {MAX_VARIANTS} @skip/@include variants")
            variant = self.variants[outcome] = self._compile(variables)
        return variant

    def _compile(self, variables: VariableValues) -> _Variant | Fallback:
        try:
            grouped = collect_fields(
                self.schema, self.fragments, variables, self.root_type, self.operation
            ).grouped_field_set
            if any(details[0].node.name.value in _INTROSPECTION for details in grouped.values()):
                return Fallback("introspection")
            fields = self.field_plans(self.root_type, grouped)
            return _Variant(
                self.root_type, codegen.object_function(self.root_type, fields, variables)
            )
        except Exception as exc:
            log.warning("GraphQL operation not compiled (graphql-core serves it)", exc_info=True)
            return Fallback(f"compiler failed: {type(exc).__name__}")

    # -- ChildCompiler -------------------------------------------------------------------

    def object_function(
        self, plan: FieldPlan, object_type: GraphQLObjectType, variables: VariableValues
    ) -> ObjectFunction:
        grouped = collect_subfields(
            self.schema, self.fragments, variables, self.operation, object_type, plan.details
        ).grouped_field_set
        return codegen.object_function(
            object_type, self.field_plans(object_type, grouped), variables
        )

    def field_plans(self, parent: GraphQLObjectType, grouped: GroupedFieldSet) -> list[FieldPlan]:
        plans = []
        for key, details in grouped.items():
            node = details[0].node
            definition = self.schema.get_field(parent, node.name.value)
            if definition is None:  # graphql-core leaves such a key out of the result
                continue
            static = None
            if definition.args or node.arguments:
                static = _static_arguments(definition, node)
            plans.append(FieldPlan(key, parent, definition, details, self, static))
        return plans


class OperationPlans:
    """The compiled plans of one prepared document, kept with it (simulator/graphql/
    prepared.py), built when an operation is first executed."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self._schema = schema
        self._document = document
        self._operations: dict[str | None, _Operation | Fallback] = {}

    def execute(
        self,
        context: Any,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        root_value: Any = None,
    ) -> ExecutionResult | Fallback:
        operation = self._operations.get(operation_name)
        if operation is None:
            operation = self._operations[operation_name] = self._select(operation_name)
        if isinstance(operation, Fallback):
            return operation
        definitions = operation.operation.variable_definitions
        if not definitions:  # what graphql-core's coercion gives when nothing is declared
            coerced: VariableValues | list[GraphQLError] = VariableValues({}, {})
        else:
            coerced = get_variable_values(
                self._schema, definitions, variables or {}, max_errors=MAX_COERCION_ERRORS
            )
        if isinstance(coerced, list):
            return ExecutionResult(None, coerced)
        outcome = operation.outcome(coerced)
        if isinstance(outcome, Fallback):
            return outcome
        variant = operation.variant(outcome, coerced)
        if isinstance(variant, Fallback):
            return variant
        run = Run(
            self._schema,
            operation.operation,
            operation.fragment_definitions,
            coerced,
            context,
            root_value,
        )
        return run.execute(variant.root_type, variant.function)

    def _select(self, operation_name: str | None) -> _Operation | Fallback:
        """The operation graphql-core would pick (Executor.build), if it would run it."""
        operations = [
            definition
            for definition in self._document.definitions
            if isinstance(definition, OperationDefinitionNode)
        ]
        if operation_name is None:
            chosen = operations[0] if len(operations) == 1 else None
        else:
            named = [op for op in operations if op.name and op.name.value == operation_name]
            chosen = named[-1] if named else None
        if chosen is None:
            return Fallback("no operation to execute")
        if chosen.operation == OperationType.SUBSCRIPTION:
            return Fallback("subscription")
        if chosen.directives:
            return Fallback("directives on the operation")
        root_type = self._schema.get_root_type(chosen.operation)
        if root_type is None:
            return Fallback("no root type for the operation")
        definitions = {
            definition.name.value: definition
            for definition in self._document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        if any(definition.variable_definitions for definition in definitions.values()):
            return Fallback("fragment arguments")
        return _Operation(
            self._schema,
            chosen,
            root_type,
            {name: FragmentDetails(definition) for name, definition in definitions.items()},
            definitions,
            list(_variable_conditions(chosen.selection_set, definitions)),
        )


def _variable_conditions(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[tuple[GraphQLDirective, DirectiveNode]]:
    """Every @skip/@include reachable from the selection whose condition is a variable."""
    pending = [selection_set]
    seen: set[str] = set()
    while pending:
        for selection in pending.pop().selections:
            for directive in selection.directives or ():
                definition = _CONDITIONS.get(directive.name.value)
                if definition is not None and _has_variable(directive):
                    yield definition, directive
            if isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:
                    seen.add(name)
                    pending.append(fragment.selection_set)
            elif (
                isinstance(selection, FieldNode | InlineFragmentNode)
                and selection.selection_set is not None
            ):
                pending.append(selection.selection_set)


def _has_variable(node: Node) -> bool:
    if isinstance(node, VariableNode):
        return True
    for key in node.keys:
        value = getattr(node, key, None)
        children = value if isinstance(value, tuple | list) else (value,)
        if any(isinstance(child, Node) and _has_variable(child) for child in children):
            return True
    return False


def _static_arguments(definition: Any, node: FieldNode) -> dict[str, Any] | None:
    """The field's argument values when no variable can change them, else None."""
    if any(_has_variable(argument) for argument in node.arguments or ()):
        return None
    try:
        values = get_argument_values(definition, node)
    except Exception:  # graphql-core raises it on each execution: so will the plan
        return None
    return values if _plain_data(values) else None


def _plain_data(value: Any) -> bool:
    """Values a plan may keep and copy: JSON-like data (custom scalars parse per request)."""
    if type(value) is dict:
        return all(_plain_data(item) for item in value.values())
    if type(value) is list:
        return all(_plain_data(item) for item in value)
    return value is None or type(value) in (str, int, float, bool)
