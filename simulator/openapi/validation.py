"""Checking a request's parameters and JSON body against the contract.

Only the JSON Schema subset the contracts use is supported (types, formats, enums,
bounds, required properties, array sizes). Problems come back as (field, message)
pairs in the words of Java bean validation, which is what Harness reports.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from simulator.openapi.spec import Operation

FieldError = tuple[str, str]

# How many distinct query strings each operation remembers the outcome of, and up to
# what length (names and values) a query string is remembered.
_REMEMBERED_QUERIES = 256
_REMEMBERED_QUERY_LENGTH = 512

_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


class RequestValidator:
    """Validates and converts one operation's inputs."""

    def __init__(self, operation: Operation) -> None:
        self.operation = operation
        self._query = [p for p in operation.parameters if p.location == "query"]
        self._path = [p for p in operation.parameters if p.location == "path"]
        self._arrays = frozenset(p.name for p in self._query if p.schema.get("type") == "array")
        self._remembered_query = functools.lru_cache(maxsize=_REMEMBERED_QUERIES)(self._check_query)

    def query(self, items: Iterable[tuple[str, str]]) -> tuple[dict[str, Any], list[FieldError]]:
        """Typed query values (defaults applied) from the raw multi-valued query string.

        Clients send the same few query strings again and again, so the outcome for a
        short one is remembered (a bounded number per operation); the caller gets its
        own copy to change.
        """
        key = tuple(items)
        if sum(map(len, itertools.chain.from_iterable(key))) > _REMEMBERED_QUERY_LENGTH:
            values, errors = self._check_query(key)
        else:
            values, errors = self._remembered_query(key)
        copied = dict(values)
        for name in self._arrays.intersection(copied):
            copied[name] = list(copied[name])
        return copied, list(errors)

    def _check_query(
        self, items: tuple[tuple[str, str], ...]
    ) -> tuple[dict[str, Any], list[FieldError]]:
        raw: dict[str, list[str]] = {}
        for key, value in items:
            raw.setdefault(key, []).append(value)
        values: dict[str, Any] = {}
        errors: list[FieldError] = []
        for parameter in self._query:
            given = raw.get(parameter.name)
            schema = parameter.schema
            if not given:
                if parameter.required:
                    errors.append((parameter.name, "must not be null"))
                elif "default" in schema:
                    values[parameter.name] = schema["default"]
                continue
            if schema.get("type") == "array":
                item_schema = schema.get("items", {})
                converted = [
                    _convert(item_schema, text, f"{parameter.name}[{i}]", errors)
                    for i, text in enumerate(given)
                ]
                values[parameter.name] = converted
            else:
                values[parameter.name] = _convert(schema, given[0], parameter.name, errors)
        return values, errors

    def path(self, params: Mapping[str, str]) -> tuple[dict[str, Any], list[FieldError]]:
        values: dict[str, Any] = {}
        errors: list[FieldError] = []
        for parameter in self._path:
            text = params.get(parameter.name, "")
            if text == "":
                errors.append((parameter.name, "must not be empty"))
                continue
            values[parameter.name] = _convert(parameter.schema, text, parameter.name, errors)
        return values, errors

    def body(self, value: Any, *, present: bool) -> list[FieldError]:
        """Problems with an already-parsed JSON body (`present` is False for no body)."""
        schema = self.operation.body_schema
        if not present:
            return [("body", "must not be null")] if self.operation.body_required else []
        if schema is None:
            return []
        errors: list[FieldError] = []
        check(schema, value, "", errors)
        return errors


def _convert(schema: Mapping[str, Any], text: str, field: str, errors: list[FieldError]) -> Any:
    """A query or path string turned into the schema's type, checked against its bounds."""
    kind = schema.get("type", "string")
    value: Any = text
    if kind == "integer":
        if not _INTEGER.match(text):
            errors.append((field, "must be an integer"))
            return None
        try:
            value = int(text)
        except ValueError:  # more digits than int() converts (4300): beyond any range
            errors.append((field, "must be an integer of at most 4300 digits"))
            return None
    elif kind == "number":
        if not _NUMBER.match(text):
            errors.append((field, "must be a number"))
            return None
        value = float(text)
    elif kind == "boolean":
        if text not in ("true", "false"):
            errors.append((field, "must be true or false"))
            return None
        value = text == "true"
    check(schema, value, field, errors)
    return value


def check(schema: Mapping[str, Any], value: Any, field: str, errors: list[FieldError]) -> None:
    """Append to `errors` every way `value` breaks `schema`."""
    if value is None and schema.get("nullable"):
        return
    if "oneOf" in schema or "anyOf" in schema:
        _check_alternatives(schema, value, field, errors)
        return
    kind = schema.get("type")
    if value is None:
        if kind is not None:
            errors.append((field or "body", "must not be null"))
        return
    if kind is not None and not _is_type(kind, value):
        errors.append((field or "body", f"must be {_article(kind)}"))
        return
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(str(v) for v in schema["enum"])
        errors.append((field or "body", f"must be one of [{allowed}]"))
        return
    if kind == "integer":
        _check_integer(schema, value, field, errors)
    elif kind == "number":
        _check_bounds(schema, value, field, errors)
    elif kind == "string":
        if "pattern" in schema and not _pattern(schema["pattern"]).search(value):
            errors.append((field, f'must match "{schema["pattern"]}"'))
        if len(value) < schema.get("minLength", 0):
            errors.append((field, f"size must be at least {schema['minLength']}"))
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append((field, f"size must be at most {schema['maxLength']}"))
    elif kind == "array":
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append((field, f"size must be between 0 and {schema['maxItems']}"))
        item_schema = schema.get("items", {})
        for position, item in enumerate(value):
            check(item_schema, item, f"{field}[{position}]", errors)
    elif kind == "object":
        for name in schema.get("required", ()):
            if value.get(name) is None:
                errors.append((_join(field, name), "must not be null"))
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                check(properties[name], item, _join(field, name), errors)
            elif extra is False:
                errors.append((_join(field, name), "is not a known field"))
            elif isinstance(extra, Mapping):
                check(extra, item, _join(field, name), errors)


def _check_alternatives(
    schema: Mapping[str, Any], value: Any, field: str, errors: list[FieldError]
) -> None:
    """anyOf: some alternative accepts the value; oneOf: exactly one does.

    When none does, the errors of the closest alternative are reported.
    """
    exclusive = "oneOf" in schema
    alternatives = schema["oneOf"] if exclusive else schema["anyOf"]
    accepted = 0
    closest: list[FieldError] | None = None
    for alternative in alternatives:
        found: list[FieldError] = []
        check(alternative, value, field, found)
        if not found:
            accepted += 1
        elif closest is None or len(found) < len(closest):
            closest = found
    if accepted == 0:
        errors.extend(closest or [])
    elif exclusive and accepted > 1:
        errors.append((field or "body", "matches more than one of the allowed shapes"))


def _check_integer(
    schema: Mapping[str, Any], value: int, field: str, errors: list[FieldError]
) -> None:
    integer_format = schema.get("format")
    if integer_format in _INT_RANGES:
        low, high = _INT_RANGES[integer_format]
        if not low <= value <= high:
            errors.append((field, f"must be a {integer_format} number"))
            return
    _check_bounds(schema, value, field, errors)


def _check_bounds(
    schema: Mapping[str, Any], value: float, field: str, errors: list[FieldError]
) -> None:
    if "minimum" in schema and value < schema["minimum"]:
        errors.append((field, f"must be greater than or equal to {schema['minimum']}"))
    if "maximum" in schema and value > schema["maximum"]:
        errors.append((field, f"must be less than or equal to {schema['maximum']}"))


@functools.cache
def _pattern(expression: str) -> re.Pattern[str]:
    return re.compile(expression)


def _is_type(kind: str, value: Any) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    return True


def _article(kind: str) -> str:
    return {"integer": "an integer", "array": "an array", "object": "an object"}.get(
        kind, f"a {kind}"
    )


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name
