"""`record`, the decorator of usersim's immutable value classes, and `replace`, how one
changes.

Records are immutable: a change builds a new record (`replace`), and the store's undo
log and reset baseline keep references to old ones. A frozen dataclass makes that hold
at run time by setting every field through `object.__setattr__` in its `__init__`, which
costs ten times a plain slotted `__init__` (about 6 us for a 22-field user against
0.6 us): paid by every change a request makes and by every record a 100k fixture loads.
So immutability is enforced where it costs nothing, by the type checker:
`dataclass_transform(frozen_default=True)` makes mypy refuse any assignment to a field.

Building a dataclass compiles each method it generates, and `usersim serve` imports
some eighty of them before it can answer: the generated `__repr__`, `__eq__` and
`__hash__` were most of what its start cost over a bare Starlette app's. A record has
only its `__init__` generated; it compares, hashes and prints through the functions
below, which read its fields with one `attrgetter` laid out once per class. Equality
and hashing are the dataclass's: the fields with `compare=True`, same class only.

`dataclasses.replace` walks the class's fields and reads them one by one on every call;
`replace` reads them with the same layout, at about a third of the cost.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """An immutable value class (to the type checker), slotted, compared by value."""
    made = dataclass(slots=True, repr=False, eq=False)(cls)
    for name in ("__repr__", "__eq__", "__hash__"):
        setattr(made, name, vars(_ByValue)[name])
    return made


def replace(record: T, /, **changes: Any) -> T:
    """A copy of `record` (any dataclass instance) with `changes`, built through its
    `__init__` as `dataclasses.replace` builds it (so `__post_init__` runs)."""
    cls = type(record)
    layout = _layout(cls)
    values = list(layout.init_values(record))
    for name, value in changes.items():
        position = layout.positions.get(name)
        if position is None:
            raise TypeError(f"{cls.__name__} has no field {name!r} to replace")
        values[position] = value
    return cls(*values)


class _ByValue:
    """The methods every record shares instead of generating its own."""

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _layout(type(self)).shown)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        compared = _layout(type(self)).compared_values
        return bool(compared(self) == compared(other))

    def __hash__(self) -> int:
        return hash(_layout(type(self)).compared_values(self))


class _Layout(NamedTuple):
    init_values: Callable[[Any], tuple[Any, ...]]  # the `__init__` fields, in order
    positions: dict[str, int]  # where each `__init__` field goes
    compared_values: Callable[[Any], tuple[Any, ...]]  # what equality and hash use
    shown: tuple[str, ...]  # what the repr shows


# One per class ever compared, printed or replaced: as many as there are record classes.
_LAYOUTS: dict[type, _Layout] = {}


def _layout(cls: type) -> _Layout:
    layout = _LAYOUTS.get(cls)
    if layout is None:
        fields = dataclasses.fields(cls)
        init = [f.name for f in fields if f.init]
        layout = _LAYOUTS[cls] = _Layout(
            _reader(init),
            {name: n for n, name in enumerate(init)},
            _reader([f.name for f in fields if f.compare]),
            tuple(f.name for f in fields if f.repr),
        )
    return layout


def _reader(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The values of `names`, always as a tuple (attrgetter of one name is the value)."""
    if len(names) == 1:
        only = names[0]
        return lambda value: (getattr(value, only),)
    if not names:
        return lambda value: ()
    return operator.attrgetter(*names)
