"""Store records: immutable to the type checker, and `replace` as `dataclasses.replace`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from mypy import api as mypy_api

from simulator.records import record, replace


@record
class Badge:
    id: str
    owner: str
    tags: tuple[str, ...] = ()
    label: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", f"{self.id}:{self.owner}")


@dataclass(frozen=True)
class Single:
    value: int


def test_replace_changes_only_what_it_is_given_and_reruns_post_init() -> None:
    badge = Badge("b1", "ann", ("x",))
    changed = replace(badge, owner="bob")
    assert changed == Badge("b1", "bob", ("x",))
    assert changed.label == "b1:bob"
    assert badge.owner == "ann" and badge.label == "b1:ann"


def test_replace_refuses_what_is_not_an_init_field() -> None:
    with pytest.raises(TypeError, match="no field 'colour'"):
        replace(Badge("b1", "ann"), colour="red")
    with pytest.raises(TypeError, match="no field 'label'"):
        replace(Badge("b1", "ann"), label="set by hand")


def test_replace_works_on_a_one_field_dataclass() -> None:
    assert replace(Single(1), value=2) == Single(2)
    assert replace(Single(1)) == Single(1)


@record
class OtherBadge:
    id: str
    owner: str
    tags: tuple[str, ...] = ()


def test_records_hash_and_compare_by_value_as_dataclasses_do() -> None:
    assert Badge("b1", "ann") == Badge("b1", "ann")
    assert Badge("b1", "ann") != Badge("b1", "bob")
    assert len({Badge("b1", "ann"), Badge("b1", "ann"), Badge("b2", "ann")}) == 2
    # Same fields, another class: not equal, as a dataclass's __eq__ answers.
    assert Badge("b1", "ann") != OtherBadge("b1", "ann")
    # A field left out of comparison changes neither equality nor hash.
    changed = Badge("b1", "ann")
    object.__setattr__(changed, "label", "something else")
    assert changed == Badge("b1", "ann") and hash(changed) == hash(Badge("b1", "ann"))


def test_a_record_prints_as_a_dataclass_does() -> None:
    assert (
        repr(Badge("b1", "ann", ("x",)))
        == "Badge(id='b1', owner='ann', tags=('x',), label='b1:ann')"
    )
    assert repr(OtherBadge("b1", "ann")) == "OtherBadge(id='b1', owner='ann', tags=())"


def test_the_type_checker_refuses_changing_a_record_in_place(tmp_path: Path) -> None:
    source = tmp_path / "change_in_place.py"
    source.write_text(
        "from simulator.records import record\n"
        "@record\n"
        "class Badge:\n"
        "    id: str\n"
        "badge = Badge('b1')\n"
        "badge.id = 'b2'\n"
    )
    out, _, status = mypy_api.run(
        ["--strict", "--no-incremental", "--follow-imports=silent", str(source)]
    )
    assert status == 1
    assert 'Property "id" defined in "Badge" is read-only' in out
