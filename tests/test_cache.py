"""What is derived from files is kept on disk, and only ever saves time."""

from __future__ import annotations

import os
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from simulator import cache
from simulator.app import build_app
from simulator.openapi.spec import load_contract
from simulator.resources import contracts_dir, default_fixture


@pytest.fixture
def directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def counting(value: Any) -> tuple[list[int], Any]:
    calls: list[int] = []

    def derive() -> Any:
        calls.append(1)
        return value

    return calls, derive


def test_the_same_bytes_are_derived_once(directory: Path, tmp_path: Path) -> None:
    source = tmp_path / "a.yaml"
    source.write_text("a: 1\n")
    calls, derive = counting({"frozen": MappingProxyType({"b": (1, 2)})})
    first = cache.derived("test", [source], derive)
    second = cache.derived("test", [source], derive)
    assert calls == [1]
    assert second == first and isinstance(second["frozen"], MappingProxyType)
    source.write_text("a: 2\n")
    cache.derived("test", [source], derive)
    assert calls == [1, 1]


def test_a_damaged_entry_is_derived_again(directory: Path, tmp_path: Path) -> None:
    source = tmp_path / "a.yaml"
    source.write_text("a: 1\n")
    calls, derive = counting([1, 2, 3])
    cache.derived("test", [source], derive)
    for entry in directory.glob("test-*.pickle"):
        entry.write_bytes(b"not a pickle")
    assert cache.derived("test", [source], derive) == [1, 2, 3]
    assert cache.derived("test", [source], derive) == [1, 2, 3]
    assert calls == [1, 1]


def test_large_inputs_and_a_cache_turned_off_are_not_kept(
    directory: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    large = tmp_path / "large.json"
    large.write_bytes(b" " * (cache.MAX_SOURCE_BYTES + 1))
    calls, derive = counting("value")
    cache.derived("test", [large], derive)
    cache.derived("test", [large], derive)
    monkeypatch.setenv(cache.ENV, "off")
    small = tmp_path / "small.yaml"
    small.write_text("x: 1\n")
    cache.derived("test", [small], derive)
    cache.derived("test", [small], derive)
    assert calls == [1, 1, 1, 1]
    assert not directory.exists()


def test_a_cache_that_cannot_be_written_is_passed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))  # under a file: cannot exist
    source = tmp_path / "a.yaml"
    source.write_text("a: 1\n")
    calls, derive = counting("value")
    assert cache.derived("test", [source], derive) == "value"
    assert cache.derived("test", [source], derive) == "value"
    assert calls == [1, 1]


def test_an_unreadable_source_is_left_to_the_reader(directory: Path, tmp_path: Path) -> None:
    def derive() -> Any:
        raise FileNotFoundError("reported by the reader")

    with pytest.raises(FileNotFoundError, match="reported by the reader"):
        cache.derived("test", [tmp_path / "missing.yaml"], derive)


def test_only_so_many_entries_are_kept(directory: Path, tmp_path: Path) -> None:
    for number in range(cache.MAX_ENTRIES + 5):
        source = tmp_path / f"{number}.yaml"
        source.write_text(f"n: {number}\n")
        cache.derived("test", [source], lambda: number)  # noqa: B023
    assert len(list(directory.glob("*.pickle"))) == cache.MAX_ENTRIES


def test_a_start_from_the_cache_serves_the_same_state(directory: Path) -> None:
    cold = build_app([default_fixture()])
    assert list(directory.glob("fixtures-*.pickle"))
    warm = build_app([default_fixture()])
    assert warm.state.simulator.export() == cold.state.simulator.export()
    assert warm.state.simulator.invariants() == []


def test_yaml_files_read_through_the_cache(directory: Path, tmp_path: Path) -> None:
    source = tmp_path / "a.yaml"
    source.write_text("a: [1, 2]\nb: {c: d}\n")
    assert cache.yaml_file(source) == {"a": [1, 2], "b": {"c": "d"}}
    os.utime(source, (0, 0))  # same bytes, other times: still the same entry
    assert cache.yaml_file(source) == {"a": [1, 2], "b": {"c": "d"}}
    assert len(list(directory.glob("yaml-*.pickle"))) == 1


def test_contracts_are_resolved_once_unless_the_run_fills_them_in(directory: Path) -> None:
    path = contracts_dir() / "harness-scim.openapi.yaml"
    first = load_contract(path)
    assert len(list(directory.glob("contract-*.pickle"))) == 1
    assert load_contract(path) == first
    # Values only this run knows (the registered faces) are filled in at each read.
    control = contracts_dir() / "usersim-control.openapi.yaml"
    assert load_contract(control, enums={"faces": ["a", "b"]}) != load_contract(
        control, enums={"faces": ["c"]}
    )
    assert len(list(directory.glob("contract-*.pickle"))) == 1


def test_the_code_fingerprint_covers_every_module_of_the_package() -> None:
    """A change to any module, in any subpackage, must change the cache's keys."""
    package = Path(cache.__file__).resolve().parent
    lines = set(cache._code_fingerprint().decode().splitlines())
    for path in package.rglob("*.py"):
        stat = path.stat()
        assert f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}" in lines
