"""The Platform API takes one query or mutation per request (release notes, Dec 2022)."""

from __future__ import annotations

from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
)


class OneOperation(ASTValidationRule):
    """Refuse documents with several operations, or an operation with several root
    fields (introspection fields such as `__typename` do not count)."""

    def enter_document(self, node: DocumentNode, *_: Any) -> None:
        operations = [d for d in node.definitions if isinstance(d, OperationDefinitionNode)]
        if len(operations) > 1:
            self.report_error(
                GraphQLError("Only one query or mutation per request is supported.", operations[1])
            )

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        fields = [
            s
            for s in node.selection_set.selections
            if not isinstance(s, FieldNode) or not s.name.value.startswith("__")
        ]
        if len(fields) > 1:
            self.report_error(
                GraphQLError(
                    "Only one query or mutation per request is supported: select one root field.",
                    fields[1],
                )
            )
