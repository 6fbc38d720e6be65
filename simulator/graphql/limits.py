"""What bounds the work one request can ask for: validation rules (depth, fields) and the
wall-clock budget of an execution. The settings they apply are in `bounds.py`."""

from __future__ import annotations

import time
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
)
from graphql.pyutils import AbortSignal


def depth_limit(max_depth: int) -> type[ASTValidationRule]:
    """A rule refusing operations nested deeper than `max_depth` fields.

    Introspection fields (`__schema`, `__type`) are not counted: the standard
    introspection query is 15 levels deep and tools must be able to load the schema.
    """

    class DepthLimit(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self._fragments = {
                definition.name.value: definition
                for definition in context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            depth = self._depth(node.selection_set, 0, set())
            if depth > max_depth:
                name = node.name.value if node.name else "anonymous"
                self.report_error(
                    GraphQLError(
                        f"The operation '{name}' is {depth} levels deep; the limit is {max_depth}.",
                        node,
                        extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                    )
                )

        def _depth(self, selection_set: SelectionSetNode | None, depth: int, seen: set[str]) -> int:
            if selection_set is None:
                return depth
            deepest = depth
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    if selection.name.value.startswith("__"):
                        continue
                    deepest = max(deepest, self._depth(selection.selection_set, depth + 1, seen))
                elif isinstance(selection, InlineFragmentNode):
                    deepest = max(deepest, self._depth(selection.selection_set, depth, seen))
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self._fragments.get(name)
                    if fragment is not None and name not in seen:
                        deepest = max(
                            deepest, self._depth(fragment.selection_set, depth, seen | {name})
                        )
            return deepest

    return DepthLimit


def selection_limit(max_fields: int) -> type[ASTValidationRule]:
    """A rule refusing documents that select more than `max_fields` fields in all."""

    class SelectionLimit(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self._count = 0
            self._reported = False

        def enter_field(self, node: FieldNode, *_: Any) -> None:
            self._count += 1
            if self._count > max_fields and not self._reported:
                self._reported = True
                self.report_error(
                    GraphQLError(
                        f"The document selects more than {max_fields} fields.",
                        node,
                        extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                    )
                )

    return SelectionLimit


class OverBudget(BaseException):
    """Execution ran past its wall-clock budget.

    A BaseException, so graphql-core's per-field error handling (which catches
    Exception and carries on with the siblings) lets it through and the whole execution
    stops at once.
    """


class Deadline(AbortSignal):
    """A per-request wall-clock budget that the executor checks between fields.

    Passed to graphql-core as the abort signal, so its own checks see `aborted` once the
    budget tripped; `check` reads the clock every 32 fields, which keeps the cost of the
    budget to a few nanoseconds a field.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self._end = time.monotonic() + seconds
        self._ticks = 0

    def check(self) -> None:
        self._ticks += 1
        if not self._ticks & 31 and time.monotonic() > self._end:
            self.aborted = True
            raise OverBudget
