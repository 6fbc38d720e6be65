"""Reading an OpenAPI 3.0 contract into the operations a router and validator need."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from simulator.cache import derived, yaml_file
from simulator.records import record

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@record
class Parameter:
    name: str
    location: str  # "query", "path" or "header"
    required: bool
    schema: Mapping[str, Any]


@record
class Operation:
    operation_id: str
    method: str  # upper case
    path: str  # as written in the contract, with {placeholders}
    parameters: tuple[Parameter, ...]
    body_schema: Mapping[str, Any] | None
    body_required: bool


@record
class Contract:
    document: Mapping[str, Any]
    operations: tuple[Operation, ...]


# A schema's values that only the running server knows (the registered faces, say):
# `x-usersim-enum: NAME` in a contract becomes `enum: [...]` from `load_contract`'s `enums`.
ENUM_EXTENSION = "x-usersim-enum"


def load_contract(path: Path, enums: Mapping[str, Sequence[str]] | None = None) -> Contract:
    """The contract at `path`, with every operation's parameters and body resolved.

    Resolving costs more than reading the YAML and depends only on the file, so it is
    done once and kept (simulator/cache.py); a contract read with `enums` (values only
    this run knows) is resolved each time.
    """
    if enums:
        return _resolved(path, enums)
    return derived("contract", [path], lambda: _resolved(path, {}))


def _resolved(path: Path, enums: Mapping[str, Sequence[str]]) -> Contract:
    document = yaml_file(path)
    return Contract(document, tuple(_operations(document, enums)))


def resolve(document: Mapping[str, Any], node: Any, enums: Mapping[str, Sequence[str]]) -> Any:
    """Inline every local `$ref` in `node` (contracts here have no recursive schemas), and
    fill in the `x-usersim-enum`s named in `enums`."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str):
            return resolve(document, _follow(document, ref), enums)
        resolved = {key: resolve(document, value, enums) for key, value in node.items()}
        named = node.get(ENUM_EXTENSION)
        if named is not None:
            resolved["enum"] = list(enums[named])
        return resolved
    if isinstance(node, list):
        return [resolve(document, item, enums) for item in node]
    return node


def _follow(document: Mapping[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are supported: {ref}")
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _operations(document: Mapping[str, Any], enums: Mapping[str, Sequence[str]]) -> list[Operation]:
    operations = []
    for path, item in document.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            spec = item.get(method)
            if spec is None:
                continue
            parameters = [
                resolve(document, p, enums) for p in [*shared, *spec.get("parameters", [])]
            ]
            body = (
                resolve(document, spec.get("requestBody"), enums)
                if spec.get("requestBody")
                else None
            )
            body_schema = None
            if body is not None:
                media = body.get("content", {}).get("application/json")
                body_schema = media.get("schema") if media else None
            operations.append(
                Operation(
                    operation_id=spec["operationId"],
                    method=method.upper(),
                    path=path,
                    parameters=tuple(
                        Parameter(p["name"], p["in"], bool(p.get("required")), p.get("schema", {}))
                        for p in parameters
                    ),
                    body_schema=body_schema,
                    body_required=bool(body and body.get("required")),
                )
            )
    return operations
