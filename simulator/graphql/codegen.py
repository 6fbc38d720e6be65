"""Python source specialised to one object selection, compiled once per plan.

graphql-core executes every field through the same general path: build a resolve
info, look the resolver up, read the arguments, then dispatch on the return type to
complete the value. For a selection known in advance most of that is fixed: which
fields, read how (attribute, key or resolver), with which argument values, completed
as which type. The function written here does only what is left: read each value,
check it is the plain value its type expects (a `str` for a String, a record for an
object), and store it. Anything else (null in a non-null field, a value that needs
coercion, a callable, an error) goes to `Run`, which completes it exactly as
graphql-core does; exceptions are caught per field, as graphql-core catches them.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    Undefined,
)
from graphql.execution.execute import assume_not_awaitable
from graphql.execution.values import VariableValues
from graphql.pyutils import Path
from graphql.type.scalars import serialize_boolean, serialize_id, serialize_int, serialize_string

from simulator.graphql.completion import (
    MAPPINGS,
    SYNC_HELPERS,
    FieldPlan,
    ObjectFunction,
    fresh,
    is_mapping,
)

_INT_RANGE = "-2147483648 <= v <= 2147483647"

# Names every generated function can use.
_GLOBALS: dict[str, Any] = {
    "_Path": Path,
    "_Info": GraphQLResolveInfo,
    "_new": tuple.__new__,
    "_aw": assume_not_awaitable,
    "_hp": SYNC_HELPERS,
    "_U": Undefined,
    "_Exc": Exception,
    "_fresh": fresh,
    "_is_mapping": is_mapping,
    "_MAPPINGS": MAPPINGS,
}


def object_function(
    object_type: GraphQLObjectType, fields: list[FieldPlan], variables: VariableValues
) -> ObjectFunction:
    """The compiled selection of `fields` on values of `object_type`; the selections of
    fields of an object type are compiled now too (`variables` decide their @skip and
    @include)."""
    writer = _Writer(object_type, variables)
    for number, plan in enumerate(fields):
        writer.field(number, plan)
    namespace = dict(_GLOBALS)
    namespace.update(writer.constants)
    source = writer.source()
    exec(compile(source, f"<graphql plan {object_type.name}>", "exec"), namespace)
    function: ObjectFunction = namespace["_object"]
    function.__doc__ = source  # what was generated, for a debugger or a curious reader
    return function


def attribute_read(plan: FieldPlan) -> str | None:
    """The attribute (or key) a field's value is read from, when no resolver of ours
    runs: graphql-core's default resolver, or an ariadne alias (`set_alias`)."""
    resolve = plan.definition.resolve
    if resolve is None:
        return plan.name
    if getattr(resolve, "_ariadne_alias_resolver", False) and resolve.__closure__:
        cells = dict(zip(resolve.__code__.co_freevars, resolve.__closure__, strict=True))
        cell = cells.get("attr_name")
        name = None if cell is None else cell.cell_contents
        if isinstance(name, str) and "." not in name:
            return name
    return None


def _leaf_branches(leaf: Any, number: int) -> list[tuple[str, str]] | None:
    """(condition, statement) pairs for values a leaf type passes through unchanged or
    maps directly; None when every value goes the general way (custom scalars...)."""
    if isinstance(leaf, GraphQLScalarType):
        coerce = leaf.coerce_output_value
        if coerce is serialize_string:
            return [("type(v) is str", "pass")]
        if coerce is serialize_id:
            return [("type(v) is str", "pass"), ("type(v) is int", "v = str(v)")]
        if coerce is serialize_int:
            return [(f"type(v) is int and {_INT_RANGE}", "pass")]
        if coerce is serialize_boolean:
            return [("type(v) is bool", "pass")]
        return None
    if (
        isinstance(leaf, GraphQLEnumType)
        and "coerce_output_value" not in vars(leaf)
        and type(leaf).coerce_output_value is GraphQLEnumType.coerce_output_value
    ):
        return [(f"type(v) is str and v in L{number}", f"v = L{number}[v]")]
    return None


def _plain_object(named: Any) -> TypeGuard[GraphQLObjectType]:
    """An object type whose values need no check before their selection runs."""
    return isinstance(named, GraphQLObjectType) and not named.is_type_of


class _Writer:
    def __init__(self, object_type: GraphQLObjectType, variables: VariableValues) -> None:
        self.object_type = object_type
        self.variables = variables
        self.constants: dict[str, Any] = {}
        self.body: list[str] = []
        self.reads_attributes = False
        self.calls_resolvers = False

    def source(self) -> str:
        lines = ["def _object(src, path, ex):"]
        if self.reads_attributes:
            lines.append("    m = _MAPPINGS.get(type(src))")
            lines.append("    if m is None:")
            lines.append("        m = _is_mapping(src)")
        if self.calls_resolvers:
            lines.append(
                "    sch, frg, root, op, vv, ctx = ex.schema, ex.fragments, ex.root_value,"
                " ex.operation, ex.variable_values, ex.context"
            )
        lines.append("    r = {}")
        lines.extend(self.body)
        lines.append("    return r")
        return "\n".join(lines) + "\n"

    def field(self, number: int, plan: FieldPlan) -> None:
        key = repr(plan.key)
        if plan.name == "__typename":
            self.body.append(f"    r[{key}] = {self.object_type.name!r}")
            return
        self.constants[f"F{number}"] = plan
        attribute = attribute_read(plan)
        if attribute is not None and plan.has_arguments and plan.static_arguments is None:
            attribute = None  # arguments that vary by request: read them the general way
        lines = self._read(number, plan, attribute)
        if lines is None:
            self.body.append(f"    r[{key}] = ex.field(F{number}, src, path)")
            return
        completion = self._complete(number, plan, attribute is not None)
        self.body.append("    try:")
        self.body.extend("        " + line for line in lines + completion)
        self.body.append("    except Exception as e:")
        self.body.append(f"        v = ex.fail(F{number}, e, path)")
        self.body.append(f"    r[{key}] = v")

    def _read(self, number: int, plan: FieldPlan, attribute: str | None) -> list[str] | None:
        if attribute is not None:
            self.reads_attributes = True
            name = repr(attribute)
            return [f"v = src.get({name}) if m else getattr(src, {name}, None)"]
        resolve = plan.definition.resolve
        if resolve is None:
            return None
        self.calls_resolvers = True
        self.constants[f"R{number}"] = resolve
        self.constants[f"N{number}"] = plan.nodes
        self.constants[f"T{number}"] = plan.return_type
        self.constants[f"P{number}"] = plan.parent
        if not plan.has_arguments:
            arguments = ""
        elif plan.static_arguments is None:
            arguments = f", **ex.arguments(F{number})"
        else:
            self.constants[f"A{number}"] = plan.static_arguments
            copied = _holds_containers(plan.static_arguments)
            arguments = f", **_fresh(A{number})" if copied else f", **A{number}"
        info = (
            f"_new(_Info, ({plan.name!r}, N{number}, T{number}, P{number}, fp, sch, frg,"
            " root, op, vv, ctx, _aw, None, _hp))"
        )
        return [
            f"fp = _new(_Path, (path, {plan.key!r}, {plan.parent.name!r}))",
            f"v = R{number}(src, {info}{arguments})",
        ]

    def _complete(self, number: int, plan: FieldPlan, read: bool) -> list[str]:
        """Statements turning the raw value `v` into its result."""
        return_type: GraphQLOutputType = plan.return_type
        non_null = isinstance(return_type, GraphQLNonNull)
        inner = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if read:
            general = f"v = ex.read(F{number}, src, v, path)"
            path = f"_new(_Path, (path, {plan.key!r}, {plan.parent.name!r}))"
            unusual = "callable(v) or isinstance(v, _Exc) or v is _U"
        else:
            general = f"v = ex.complete(F{number}, T{number}, v, fp, fp)"
            path = "fp"
            unusual = "isinstance(v, _Exc) or v is _U"
        branches: list[tuple[str, str]] = []
        otherwise = general
        leaf = _leaf_branches(inner, number)
        if leaf is not None:
            if isinstance(inner, GraphQLEnumType):
                self.constants[f"L{number}"] = dict(inner._value_lookup)
            branches = leaf
        elif _plain_object(inner):
            self.constants[f"C{number}"] = plan.object_function(inner, self.variables)
            branches = [(unusual, general)]
            otherwise = f"v = C{number}(v, {path}, ex)"
        elif isinstance(inner, GraphQLList):
            item = inner.of_type
            named = item.of_type if isinstance(item, GraphQLNonNull) else item
            if _plain_object(named):
                self.constants[f"C{number}"] = plan.object_function(named, self.variables)
                branches = [("type(v) is list", f"v = ex.objects(F{number}, v, {path}, C{number})")]
        lines = ["if v is None:", f"    {general}" if non_null else "    pass"]
        for condition, statement in branches:
            lines += [f"elif {condition}:", f"    {statement}"]
        return [*lines, "else:", f"    {otherwise}"]


def _holds_containers(arguments: dict[str, Any]) -> bool:
    return any(type(value) in (dict, list) for value in arguments.values())
