"""Parsing and validating a query document once, then reusing the result.

Parsing and validating cost far more than executing (about 1 ms against 60 µs in
graphql-core here), and clients send the same few documents over and over. The
cache is keyed by the exact query text, which determines the parsed document and,
since no validation rule here depends on variables, the validation result too: a
hit can never serve another document's result. The document's compiled execution
plans (simulator/graphql/compiled.py) live with it, so they last as long as it.
The cost of each operation (see `cost.py`) is computed here too, when no
variable decides it.

The cache is bounded in bytes as well as entries: a parsed document takes about 300
bytes per token besides its text, so a client sending many distinct large documents
would otherwise grow it by gigabytes. A document too large for a sixteenth of the
budget is prepared every time instead of kept.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    specified_rules,
    validate,
)

from simulator.graphql.bounds import CostLimits
from simulator.graphql.compiled import OperationPlans
from simulator.graphql.cost import Cost, operation_cost
from simulator.records import record

# Bytes a parsed document holds per token, beyond its text (measured: 280 for a dense
# document); what the byte budget charges.
BYTES_PER_TOKEN = 300
_TOKEN = re.compile(r"[_A-Za-z0-9.+-]+|\.\.\.|\S")
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


@record
class OperationSummary:
    name: str | None
    kind: str  # "query", "mutation" or "subscription"
    root_fields: tuple[str, ...]


@record
class Prepared:
    """A query document after parsing and validation, with what the journal needs."""

    document: DocumentNode | None
    syntax_errors: tuple[GraphQLError, ...]
    validation_errors: tuple[GraphQLError, ...]
    operations: tuple[OperationSummary, ...]
    costs: tuple[Cost, ...] = ()  # one per operation, in order
    weight: int = 0  # what the cache charges for keeping it, in bytes
    # The compiled execution plans of a valid document, built as its operations run.
    plans: OperationPlans | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        return not self.syntax_errors and not self.validation_errors

    def operation(self, name: str | None) -> OperationSummary | None:
        """The operation a request selects: by name, or the only one."""
        if name:
            return next((op for op in self.operations if op.name == name), None)
        return self.operations[0] if len(self.operations) == 1 else None

    def cost(self, operation: OperationSummary) -> Cost:
        return self.costs[self.operations.index(operation)]


class QueryPreparer:
    """A bounded LRU cache of prepared documents for one schema."""

    def __init__(
        self,
        schema: GraphQLSchema,
        *,
        extra_rules: Sequence[type[ASTValidationRule]] = (),
        max_entries: int = 1024,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_tokens: int = 10_000,
        cost_limits: CostLimits | None = None,
    ) -> None:
        self._schema = schema
        self._rules = (*specified_rules, *extra_rules)
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._max_tokens = max_tokens
        self.cost_limits = cost_limits or CostLimits()
        self._entries: OrderedDict[str, Prepared] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def prepare(self, query: str) -> Prepared:
        with self._lock:
            prepared = self._entries.get(query)
            if prepared is not None:
                self._entries.move_to_end(query)
                return prepared
        prepared = self._prepare(query)
        if prepared.weight > self._max_bytes // 16:
            return prepared
        with self._lock:
            if query not in self._entries:
                self._entries[query] = prepared
                self._bytes += prepared.weight
            while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.weight
        return prepared

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        """What the kept documents are charged, in all."""
        return self._bytes

    def cost(
        self, prepared: Prepared, operation: OperationSummary, variables: Mapping[str, Any]
    ) -> int:
        """The operation's cost for a request: from preparation unless a variable decides it."""
        cost = prepared.cost(operation)
        if not cost.uses_variables or prepared.document is None:
            return cost.value
        definition = _definition(prepared.document, operation.name)
        return operation_cost(
            self._schema, prepared.document, definition, self.cost_limits, variables
        ).value

    def _prepare(self, query: str) -> Prepared:
        try:
            document = parse(query, max_tokens=self._max_tokens)
        except GraphQLError as error:
            return Prepared(None, (error,), (), (), weight=len(query))
        errors = validate(self._schema, document, self._rules)
        weight = len(query) + BYTES_PER_TOKEN * len(_TOKEN.findall(query))
        if errors:
            return Prepared(document, (), tuple(errors), _summaries(document), weight=weight)
        costs = tuple(
            operation_cost(self._schema, document, definition, self.cost_limits)
            for definition in document.definitions
            if isinstance(definition, OperationDefinitionNode)
        )
        plans = OperationPlans(self._schema, document)
        return Prepared(document, (), (), _summaries(document), costs, weight, plans)


def _definition(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
    return next(
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode) and (d.name.value if d.name else None) == name
    )


def _summaries(document: DocumentNode) -> tuple[OperationSummary, ...]:
    summaries = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            fields = tuple(
                selection.name.value
                for selection in definition.selection_set.selections
                if isinstance(selection, FieldNode)
            )
            name = definition.name.value if definition.name else None
            summaries.append(OperationSummary(name, definition.operation.value, fields))
    return tuple(summaries)
