"""The parts of a compiled plan that run: field plans and one execution's state.

A compiled operation (simulator/graphql/compiled.py) is a tree of `FieldPlan`s whose
object selections are specialised functions (simulator/graphql/codegen.py). Those
functions handle the common values inline (a string read from a record, a list of
records) and hand everything else to `Run`, which completes a value exactly as
graphql-core 3.3.2's `Executor` does: the same checks in the same order, the same
messages, errors located at the same paths and null propagation up to the nearest
nullable parent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLAbstractType,
    GraphQLError,
    GraphQLField,
    GraphQLFieldResolver,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    OperationDefinitionNode,
    Undefined,
    default_field_resolver,
    default_type_resolver,
    get_nullable_type,
    is_abstract_type,
    is_leaf_type,
    is_object_type,
    located_error,
)
from graphql.execution import Executor
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.execute import assume_not_awaitable
from graphql.execution.executor import CollectedErrors
from graphql.execution.values import VariableValues, get_argument_values
from graphql.pyutils import Path, inspect, is_iterable
from graphql.type.definition import GraphQLResolveInfoHelpers

ObjectFunction = Callable[[Any, "Path | None", "Run"], dict[str, Any]]
"""A compiled object selection: (source value, its path, the run) -> the result map."""


class ChildCompiler(Protocol):
    """Compiles a field's selection for one runtime object type (abstract fields compile
    each type the first time a value of it shows up)."""

    def object_function(
        self, plan: FieldPlan, object_type: GraphQLObjectType, variables: VariableValues
    ) -> ObjectFunction: ...


@dataclass(eq=False)
class FieldPlan:
    """One response key of one selection set, with everything its execution needs."""

    key: str
    parent: GraphQLObjectType
    definition: GraphQLField
    details: FieldDetailsList
    compiler: ChildCompiler
    # The argument values when the document fixes them (no variables): coerced once,
    # copied for each call (a resolver may change the dicts it is given).
    static_arguments: dict[str, Any] | None
    children: dict[GraphQLObjectType, ObjectFunction] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.nodes: list[FieldNode] = [details.node for details in self.details]
        self.name = self.nodes[0].name.value
        self.return_type: GraphQLOutputType = self.definition.type
        self.null_message = f"Cannot return null for non-nullable field {self.parent}.{self.name}."
        # graphql-core reads arguments only where the field declares or is given some.
        self.has_arguments = bool(self.definition.args or self.nodes[0].arguments)
        nullable = get_nullable_type(self.return_type)
        self.item_type: GraphQLOutputType | None = (
            nullable.of_type if isinstance(nullable, GraphQLList) else None
        )

    def object_function(
        self, object_type: GraphQLObjectType, variables: VariableValues
    ) -> ObjectFunction:
        """The compiled selection for values of `object_type` (compiled when first needed)."""
        function = self.children.get(object_type)
        if function is None:
            function = self.compiler.object_function(self, object_type, variables)
            self.children[object_type] = function
        return function


def _no_gather(values: Any) -> Any:
    raise RuntimeError("compiled plans execute synchronous resolvers only")


def _no_track(values: Any) -> None:
    """Nothing is awaitable in a synchronous execution (as `execute_sync` assumes)."""


SYNC_HELPERS = GraphQLResolveInfoHelpers(gather=_no_gather, track=_no_track)


def fresh(value: Any) -> Any:
    """A copy of coerced argument values, down to every dict and list in them."""
    if type(value) is dict:
        return {key: fresh(item) for key, item in value.items()}
    if type(value) is list:
        return [fresh(item) for item in value]
    return value


class Run:
    """The state of one execution: what resolvers see in `info`, and the errors so far."""

    __slots__ = (
        "context",
        "errors",
        "fragments",
        "operation",
        "root_value",
        "schema",
        "variable_values",
    )

    def __init__(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        variable_values: VariableValues,
        context: Any,
        root_value: Any,
    ) -> None:
        self.schema = schema
        self.operation = operation
        self.fragments = fragments
        self.variable_values = variable_values
        self.context = context
        self.root_value = root_value
        self.errors = CollectedErrors()

    def execute(self, root_type: GraphQLObjectType, root: ObjectFunction) -> ExecutionResult:
        """The operation's response; an error that propagates to the root nulls `data`."""
        data: dict[str, Any] | None
        try:
            data = root(self.root_value, None, self)
        except GraphQLError as error:
            self.errors.add(error, None)
            data = None
        return ExecutionResult(data, self.errors.errors or None)

    # -- what resolvers receive ------------------------------------------------------------

    def info(self, plan: FieldPlan, path: Path) -> GraphQLResolveInfo[Any]:
        return GraphQLResolveInfo(
            plan.name,
            plan.nodes,
            plan.return_type,
            plan.parent,
            path,
            self.schema,
            self.fragments,
            self.root_value,
            self.operation,
            self.variable_values,
            self.context,
            assume_not_awaitable,
            None,
            SYNC_HELPERS,
        )

    def arguments(self, plan: FieldPlan) -> dict[str, Any]:
        if plan.static_arguments is not None:
            return cast(dict[str, Any], fresh(plan.static_arguments))
        if not plan.has_arguments:
            return {}
        return get_argument_values(plan.definition, plan.nodes[0], self.variable_values)

    # -- fields --------------------------------------------------------------------------

    def field(self, plan: FieldPlan, source: Any, parent_path: Path | None) -> Any:
        """Execute a field the general way (graphql-core's `execute_field`)."""
        path = Path(parent_path, plan.key, plan.parent.name)
        resolve: GraphQLFieldResolver = plan.definition.resolve or default_field_resolver
        info = self.info(plan, path)
        try:
            result = resolve(source, info, **self.arguments(plan))
            return self.complete(plan, plan.return_type, result, path, path)
        except Exception as raw:
            self.handle(raw, plan.return_type, plan, path)
            return None

    def read(self, plan: FieldPlan, source: Any, value: Any, parent_path: Path | None) -> Any:
        """Finish a field read from its source's attribute or key (the default resolver),
        when the value is not one the compiled code completes by itself."""
        path = Path(parent_path, plan.key, plan.parent.name)
        if callable(value):
            value = value(self.info(plan, path), **self.arguments(plan))
        return self.complete(plan, plan.return_type, value, path, path)

    def fail(self, plan: FieldPlan, raw: Exception, parent_path: Path | None) -> None:
        """A field's resolver or completion raised: record it, or pass it up (non-null)."""
        self.handle(raw, plan.return_type, plan, Path(parent_path, plan.key, plan.parent.name))

    def handle(
        self, raw: Exception, return_type: GraphQLOutputType, plan: FieldPlan, path: Path
    ) -> None:
        error = located_error(raw, plan.nodes, path.as_list())
        if isinstance(return_type, GraphQLNonNull):
            raise error
        self.errors.add(error, path)

    # -- completion ----------------------------------------------------------------------

    def complete(
        self,
        plan: FieldPlan,
        return_type: GraphQLOutputType,
        result: Any,
        path: Path,
        field_path: Path,
    ) -> Any:
        """graphql-core's `complete_value`; `path` is where the value goes, `field_path`
        the field's own path (what `info.path` says, also for list items)."""
        if isinstance(result, Exception):
            raise result
        if isinstance(return_type, GraphQLNonNull):
            completed = self.complete(plan, return_type.of_type, result, path, field_path)
            if completed is None:
                raise TypeError(plan.null_message)
            return completed
        if result is None or result is Undefined:
            return None
        if isinstance(return_type, GraphQLList):
            return self.complete_list(plan, return_type, result, path, field_path)
        if is_leaf_type(return_type):
            return Executor.complete_leaf_value(return_type, result)
        if is_abstract_type(return_type):
            return self.complete_abstract(plan, return_type, result, path, field_path)
        if is_object_type(return_type):
            return self.complete_object(plan, return_type, result, path, field_path)
        raise TypeError(
            f"Cannot complete value of unexpected output type: '{inspect(return_type)}'."
        )

    def complete_list(
        self,
        plan: FieldPlan,
        return_type: GraphQLList[Any],
        result: Any,
        path: Path,
        field_path: Path,
    ) -> list[Any]:
        item_type = return_type.of_type
        if not is_iterable(result):
            raise GraphQLError(
                f"Expected Iterable, but did not find one for field '{plan.parent}.{plan.name}'."
            )
        completed: list[Any] = []
        iterator = iter(result)
        try:
            for index, item in enumerate(iterator):
                item_path = Path(path, index, None)
                try:
                    completed.append(self.complete(plan, item_type, item, item_path, field_path))
                except Exception as raw:
                    self.handle(raw, item_type, plan, item_path)
                    completed.append(None)
        except Exception:
            # graphql-core drains the rest of the iterable (looking for awaitables to settle).
            with suppress(Exception):
                for _ in iterator:
                    pass
            raise
        return completed

    def objects(
        self, plan: FieldPlan, items: list[Any], path: Path, function: ObjectFunction
    ) -> list[Any]:
        """A list of values of one object type (the compiled code checked the types)."""
        item_type = plan.item_type
        assert item_type is not None  # the compiled code calls this for list fields only
        completed: list[Any] = []
        append = completed.append
        new = tuple.__new__
        for index, item in enumerate(items):
            item_path = new(Path, (path, index, None))
            try:
                if item is None or item is Undefined or isinstance(item, Exception):
                    append(self.complete(plan, item_type, item, item_path, path))
                else:
                    append(function(item, item_path, self))
            except Exception as raw:
                self.handle(raw, item_type, plan, item_path)
                append(None)
        return completed

    def complete_abstract(
        self,
        plan: FieldPlan,
        return_type: GraphQLAbstractType,
        result: Any,
        path: Path,
        field_path: Path,
    ) -> dict[str, Any]:
        info = self.info(plan, field_path)
        resolve_type = return_type.resolve_type or default_type_resolver
        runtime_type = self.runtime_type(
            resolve_type(result, info, return_type), return_type, plan, info, result
        )
        return self.complete_object(plan, runtime_type, result, path, field_path)

    def runtime_type(
        self,
        name: Any,
        return_type: GraphQLAbstractType,
        plan: FieldPlan,
        info: GraphQLResolveInfo[Any],
        result: Any,
    ) -> GraphQLObjectType:
        """graphql-core's `ensure_valid_runtime_type`, with its messages."""
        if name is None:
            raise GraphQLError(
                f"Abstract type '{return_type}' must resolve to an Object type at runtime"
                f" for field '{info.parent_type}.{info.field_name}'."
                f" Either the '{return_type}' type should provide a 'resolve_type'"
                " function or each possible type should provide an 'is_type_of' function.",
                plan.nodes,
            )
        if not isinstance(name, str):
            raise GraphQLError(
                f"Abstract type '{return_type}' must resolve to an Object type at runtime"
                f" for field '{info.parent_type}.{info.field_name}' with value"
                f" {inspect(result)}, received '{inspect(name)}',"
                " which is not a valid Object type name.",
                plan.nodes,
            )
        runtime_type = self.schema.get_type(name)
        if runtime_type is None:
            raise GraphQLError(
                f"Abstract type '{return_type}' was resolved to a type '{name}'"
                " that does not exist inside the schema.",
                plan.nodes,
            )
        if not is_object_type(runtime_type):
            raise GraphQLError(
                f"Abstract type '{return_type}' was resolved to a non-object type '{name}'.",
                plan.nodes,
            )
        if not self.schema.is_sub_type(return_type, runtime_type):
            raise GraphQLError(
                f"Runtime Object type '{runtime_type}' is not a possible type for '{return_type}'.",
                plan.nodes,
            )
        return runtime_type

    def complete_object(
        self,
        plan: FieldPlan,
        object_type: GraphQLObjectType,
        result: Any,
        path: Path,
        field_path: Path,
    ) -> dict[str, Any]:
        if object_type.is_type_of and not object_type.is_type_of(
            result, self.info(plan, field_path)
        ):
            raise GraphQLError(
                f"Expected value of type '{object_type}' but got: {inspect(result)}.",
                plan.nodes,
            )
        return plan.object_function(object_type, self.variable_values)(result, path, self)


MAPPINGS: dict[type, bool] = {}
"""Whether the default resolver reads values of a type by key (else by attribute)."""


def is_mapping(value: Any) -> bool:
    mapping = MAPPINGS[type(value)] = isinstance(value, Mapping)
    return mapping
