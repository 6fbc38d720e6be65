"""Reading an OpenAPI 3.0 contract into the operations a router and validator need."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # "query", "path" or "header"
    required: bool
    schema: Mapping[str, Any]


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # upper case
    path: str  # as written in the contract, with {placeholders}
    parameters: tuple[Parameter, ...]
    body_schema: Mapping[str, Any] | None
    body_required: bool


@dataclass(frozen=True)
class Contract:
    document: Mapping[str, Any]
    operations: tuple[Operation, ...]

    def by_path(self) -> dict[str, dict[str, Operation]]:
        """Operations grouped by path, so each path becomes one route with its methods."""
        grouped: dict[str, dict[str, Operation]] = {}
        for operation in self.operations:
            grouped.setdefault(operation.path, {})[operation.method] = operation
        return grouped


def load_contract(path: Path) -> Contract:
    with path.open("rb") as handle:
        document = yaml.load(handle, Loader=_Loader)
    return Contract(document, tuple(_operations(document)))


def resolve(document: Mapping[str, Any], node: Any) -> Any:
    """Inline every local `$ref` in `node` (contracts here have no recursive schemas)."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str):
            return resolve(document, _follow(document, ref))
        return {key: resolve(document, value) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(document, item) for item in node]
    return node


def _follow(document: Mapping[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are supported: {ref}")
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _operations(document: Mapping[str, Any]) -> list[Operation]:
    operations = []
    for path, item in document.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            spec = item.get(method)
            if spec is None:
                continue
            parameters = [resolve(document, p) for p in [*shared, *spec.get("parameters", [])]]
            body = resolve(document, spec.get("requestBody")) if spec.get("requestBody") else None
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
