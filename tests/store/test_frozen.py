"""quick_init: a record built through it is the record its dataclass would build."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, field, replace

import pytest

from simulator.store.frozen import quick_init


def _record_class() -> type:
    """A fresh class each time, so one test can compare it with and without quick_init."""

    @dataclass(frozen=True, slots=True)
    class Record:
        id: int
        name: str = "unnamed"
        tags: tuple[str, ...] = field(default_factory=tuple)
        notes: list[str] = field(default_factory=list, init=False)
        version: int = field(default=1, init=False)
        label: str = field(init=False, repr=False, compare=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "label", f"{self.id}:{self.name}")

    return Record


Plain = _record_class()
Quick = quick_init(_record_class())


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((1,), {}), ((2, "b"), {}), ((3,), {"tags": ("x",)}), ((), {"id": 4, "name": "d"})],
)
def test_builds_the_record_the_dataclass_builds(args: tuple, kwargs: dict) -> None:
    plain, quick = Plain(*args, **kwargs), Quick(*args, **kwargs)
    assert repr(quick).replace("Record", "") == repr(plain).replace("Record", "")
    assert quick.label == plain.label
    assert quick.notes == [] and quick.notes is not Quick(1).notes  # a factory per record


def test_the_record_stays_frozen_and_replace_goes_through_the_quick_init() -> None:
    record = Quick(1, "a")
    with pytest.raises(FrozenInstanceError):
        record.name = "b"  # type: ignore[misc]
    changed = replace(record, name="b")
    assert (changed.name, changed.label, record.name) == ("b", "1:b", "a")


def test_missing_and_unknown_arguments_fail_as_they_do_without_it() -> None:
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'id'"):
        Quick()
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        Quick(1, colour="red")


def test_refuses_what_it_cannot_build_the_same_way() -> None:
    @dataclass(frozen=True, slots=True)
    class KeywordOnly:
        id: int = field(kw_only=True)

    @dataclass(frozen=True)
    class Unslotted:
        id: int

    with pytest.raises(TypeError, match="parameters quick_init cannot build"):
        quick_init(KeywordOnly)
    with pytest.raises(TypeError, match="not a frozen, slotted dataclass"):
        quick_init(Unslotted)
