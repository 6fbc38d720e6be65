"""What the contracts document, per face: the denominators of the coverage report.

Read from the registered faces' published contracts, never from a list of faces here,
so a face or an operation added to a contract is covered without a change to this module:

* an OpenAPI contract documents its operations (operationIds), each operation's answers
  (the keys of its `responses`: `200`, `404`, `4XX`, `default`) and the vendor's error
  codes: the `enum` of a `code` property (or of a property marked
  `x-usersim-error-code: true`, for a vendor whose field has another name) in the schemas
  of its error responses;
* a GraphQL contract documents its operations (the root fields of Query, Mutation and
  Subscription) and, on a comment line `# extensions.code: A, B, ...`, the codes its errors
  carry. GraphQL answers are HTTP 200 whatever happened, so its statuses document nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.cache import yaml_file
from simulator.face import Face, Faces
from simulator.openapi.spec import HTTP_METHODS
from simulator.resources import contracts_dir

_GRAPHQL_CODES = re.compile(r"^#\s*extensions\.code:\s*(.+)$", re.MULTILINE)
ERROR_CODE_MARKER = "x-usersim-error-code"


@dataclass
class FaceCatalogue:
    """One face's documented operations, answers per operation, and error codes."""

    name: str
    title: str
    contracts: list[str]
    operations: dict[str, list[str]] = field(default_factory=dict)  # operation -> answers
    codes: list[str] = field(default_factory=list)


@functools.cache
def face_catalogue(faces: Faces) -> tuple[FaceCatalogue, ...]:
    """The registered faces' catalogue, read from the contracts once per process."""
    return tuple(catalogue(faces, contracts_dir()))


def catalogue(faces: Iterable[Face], contracts: Path) -> list[FaceCatalogue]:
    """Every face that serves clients (the control API observes, it is not covered)."""
    result = []
    for face in faces:
        if not face.journaled:
            continue
        entry = FaceCatalogue(face.name, face.title, [c.file for c in face.contracts])
        for contract in face.contracts:
            path = contracts / contract.file
            if path.suffix == ".graphql":
                _read_graphql(path.read_text(), entry)
            else:
                _read_openapi(yaml_file(path), entry)
        result.append(entry)
    return result


def _add_codes(entry: FaceCatalogue, codes: Iterable[str]) -> None:
    for code in codes:
        if code not in entry.codes:
            entry.codes.append(code)


def _read_graphql(text: str, entry: FaceCatalogue) -> None:
    # graphql-core only when a report is asked for: `usersim serve` starts without it.
    from graphql import build_schema

    schema = build_schema(text)
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        for name in root.fields if root else {}:
            entry.operations.setdefault(name, [])
    for line in _GRAPHQL_CODES.findall(text):
        _add_codes(entry, (code for code in re.split(r"[,\s]+", line.strip(" .")) if code))


def _read_openapi(document: Mapping[str, Any], entry: FaceCatalogue) -> None:
    for item in document.get("paths", {}).values():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.get("responses", {})
            answers = entry.operations.setdefault(operation["operationId"], [])
            answers.extend(str(key) for key in responses if str(key) not in answers)
            for key, response in responses.items():
                if str(key)[0] in "45" or key == "default":
                    _add_codes(entry, _error_codes(document, response, set()))


def _error_codes(document: Mapping[str, Any], node: Any, seen: set[str]) -> Iterator[str]:
    """The enums of error-code properties anywhere under `node`, following local refs."""
    if isinstance(node, list):
        for item in node:
            yield from _error_codes(document, item, seen)
        return
    if not isinstance(node, Mapping):
        return
    ref = node.get("$ref")
    if isinstance(ref, str):
        if ref not in seen and ref.startswith("#/"):
            seen.add(ref)
            yield from _error_codes(document, _target(document, ref), seen)
        return
    for name, prop in (node.get("properties") or {}).items():
        schema = _follow(document, prop)
        if (name == "code" or schema.get(ERROR_CODE_MARKER)) and "enum" in schema:
            yield from (str(value) for value in schema["enum"])
    for value in node.values():
        yield from _error_codes(document, value, seen)


def _follow(document: Mapping[str, Any], node: Any) -> Mapping[str, Any]:
    """A schema, with a local `$ref` (chains too) followed."""
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        node = _target(document, node["$ref"])
    return node if isinstance(node, Mapping) else {}


def _target(document: Mapping[str, Any], ref: str) -> Any:
    """What a local reference (`#/components/schemas/Error`) points at, or {}."""
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = (
            node.get(part.replace("~1", "/").replace("~0", "~"), {})
            if isinstance(node, Mapping)
            else {}
        )
    return node
