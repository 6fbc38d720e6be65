"""README.md's table of supported operations is the one the contracts generate."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.docs import END, REFRESH, START, operations_markdown, read_block, replace_block

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_lists_every_operation_of_the_contracts() -> None:
    assert read_block(README.read_text()) == operations_markdown(), (
        f"README.md's operations table is stale: run `{REFRESH}`"
    )


def test_every_face_and_operation_is_in_the_table() -> None:
    markdown = operations_markdown()
    for face in ("Harness NextGen REST", "Harness CurrentGen GraphQL", "RapidAPI Platform GraphQL"):
        assert f"### {face}" in markdown
    for operation in ("`addUsers`", "`removeUser`", "`createUserGroup`", "`updateTeamUser`"):
        assert operation in markdown
    assert "| `POST` | `/_usersim/faults` | `addFaults` |" in markdown
    assert "| query | `users` | `limit: Int!, offset: Int, filters: [UserFilter]` |" in markdown


def test_the_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["docs", "operations"])
    assert done.value.code == 0
    assert capsys.readouterr().out == operations_markdown()


def test_write_replaces_only_the_block(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nBefore.\n\n{START}\nold table\n{END}\n## After\n")
    with pytest.raises(SystemExit) as done:
        main(["docs", "operations", "--write", str(readme)])
    assert done.value.code == 0 and "updated" in capsys.readouterr().out
    text = readme.read_text()
    assert text.startswith(f"# Title\n\nBefore.\n\n{START}\n\n")
    assert text.endswith(f"\n\n{END}\n## After\n")
    assert read_block(text) == operations_markdown()
    assert replace_block(text, operations_markdown()) == text  # a second write changes nothing


def test_write_refuses_a_file_without_the_markers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n")
    with pytest.raises(SystemExit) as done:
        main(["docs", "operations", "--write", str(readme)])
    assert done.value.code == 1 and START in capsys.readouterr().err
    assert readme.read_text() == "# Title\n"
