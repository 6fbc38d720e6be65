"""The README's table of supported operations, generated from the contracts.

Routes, request validation and the test suite are all built from the contracts, so a
table rendered from them cannot disagree with what is served. README.md keeps a copy
between two markers; tests/test_docs.py fails when that copy falls behind, and
`usersim docs operations --write README.md` refreshes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from graphql import build_schema, print_ast

from simulator.cache import yaml_file
from simulator.face import PublishedContract
from simulator.registry import FACES
from simulator.resources import contracts_dir

START = "<!-- operations:start -->"
END = "<!-- operations:end -->"
REFRESH = "usersim docs operations --write README.md"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def operations_markdown(contracts: Path | None = None) -> str:
    """The whole block: one section with a table per face (the README gives the heading)."""
    where = contracts or contracts_dir()
    lines = [
        "Every operation each face serves, generated from its contract in `contracts/` by "
        f"`usersim docs operations` (after changing a contract, run `{REFRESH}`)."
    ]
    for face in FACES:
        lines += ["", f"### {face.title}"]
        for contract in face.contracts:
            if contract.variant_of is None:
                variants = [c for c in face.contracts if c.variant_of == contract.file]
                lines += ["", *_section(contract, variants, where)]
    return "\n".join(lines) + "\n"


def read_block(text: str) -> str:
    """What README text holds between the markers (surrounding blank lines dropped)."""
    start, end = _markers(text)
    return text[start + len(START) : end].strip() + "\n"


def replace_block(text: str, markdown: str) -> str:
    """`text` with only the block between the markers replaced by `markdown`."""
    start, end = _markers(text)
    return f"{text[: start + len(START)]}\n\n{markdown.strip()}\n\n{text[end:]}"


def write_operations(path: Path) -> bool:
    """Refresh the block in the file at `path`; whether anything changed."""
    text = path.read_text()
    updated = replace_block(text, operations_markdown())
    if updated == text:
        return False
    path.write_text(updated)
    return True


def _markers(text: str) -> tuple[int, int]:
    start = text.find(START)
    end = text.find(END, start + len(START)) if start >= 0 else -1
    if end < 0:
        raise ValueError(f"no {START} ... {END} block")
    return start, end


def _section(
    contract: PublishedContract, variants: list[PublishedContract], contracts: Path
) -> list[str]:
    """A contract's operations, then its variants: named when their operations are the
    same, else tabled too."""
    rows = _rows(contracts / contract.file)
    lines = [
        f"{len(rows)} operations (`contracts/{contract.file}`), served {contract.where}",
        "",
        *_table(rows, contract.file),
    ]
    for variant in variants:
        other = _rows(contracts / variant.file)
        if other == rows:
            lines += [
                "",
                f"The same operations, in the shape of `contracts/{variant.file}`, are served"
                f" {variant.where}.",
            ]
        else:
            lines += [
                "",
                f"#### `contracts/{variant.file}`: {variant.where}",
                "",
                *_table(other, variant.file),
            ]
    return lines


def _rows(contract: Path) -> list[tuple[str, ...]]:
    if contract.suffix == ".graphql":
        return list(_graphql_rows(contract))
    return list(_rest_rows(contract))


def _table(rows: list[tuple[str, ...]], contract: str) -> list[str]:
    header = (
        ("Kind", "Field", "Arguments", "Description")
        if contract.endswith(".graphql")
        else ("Method", "Path", "operationId", "Summary")
    )
    return [
        _row(header),
        _row(("---",) * len(header)),
        *(_row(row) for row in rows),
    ]


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(cells) + " |"


def _rest_rows(contract: Path) -> Iterator[tuple[str, ...]]:
    """Method, path, operationId and summary of each operation, in the contract's order."""
    document = yaml_file(contract)
    for path, item in document["paths"].items():
        for method in (key for key in item if key in HTTP_METHODS):
            operation = item[method]
            yield (
                f"`{method.upper()}`",
                f"`{path}`",
                f"`{operation['operationId']}`",
                _cell(operation.get("summary") or operation.get("description") or ""),
            )


def _graphql_rows(contract: Path) -> Iterator[tuple[str, ...]]:
    """Kind, name, arguments and description of each root field, in the SDL's order."""
    schema = build_schema(contract.read_text())
    for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        for name, field in (root.fields if root else {}).items():
            arguments = ", ".join(
                f"{node.name.value}: {print_ast(node.type)}"
                + (f" = {print_ast(node.default_value)}" if node.default_value else "")
                for node in (field.ast_node.arguments if field.ast_node else ()) or ()
            )
            yield (
                kind,
                f"`{name}`",
                f"`{arguments}`" if arguments else "",
                _cell(field.description or ""),
            )


def _cell(text: str) -> str:
    """One table cell: on one line, with pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")
