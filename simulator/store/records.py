"""`record`, the class decorator of the store's records, and `replace`, how one changes.

Records are immutable: a change builds a new record (`dataclasses.replace`), and the
undo log and the reset baseline keep references to old ones. A frozen dataclass makes
that hold at run time by setting every field through `object.__setattr__` in its
`__init__`, which costs ten times a plain slotted `__init__` (about 6 us for a 22-field
user against 0.6 us): paid by every change a request makes and by every record a 100k
fixture loads. So immutability is enforced where it costs nothing, by the type checker:
`dataclass_transform(frozen_default=True)` makes mypy refuse any assignment to a field,
and at run time a record is a slotted dataclass with the same equality and hash.

The values the store's services take and give (a role assignment's spec, a page of
users, an invite's outcome) are records too, for the same reasons, and because every
frozen dataclass costs `usersim serve` two more generated methods to build at start.

`dataclasses.replace` walks the class's fields and reads them one by one on every call;
`replace` reads them with one `attrgetter` laid out once per class, at about a third of
the cost, on the path of every mutation.
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
    """A store record: immutable to the type checker, hashable by value."""
    return dataclass(slots=True, unsafe_hash=True)(cls)


def replace(record: T, /, **changes: Any) -> T:
    """A copy of `record` (any dataclass instance) with `changes`, built through its
    `__init__` as `dataclasses.replace` builds it (so `__post_init__` runs)."""
    cls = type(record)
    layout = _LAYOUTS.get(cls) or _lay_out(cls)
    values = list(layout.read(record))
    for name, value in changes.items():
        position = layout.positions.get(name)
        if position is None:
            raise TypeError(f"{cls.__name__} has no field {name!r} to replace")
        values[position] = value
    return cls(*values)


class _Layout(NamedTuple):
    read: Callable[[Any], tuple[Any, ...]]  # the `__init__` fields' values, in order
    positions: dict[str, int]


# One per dataclass ever replaced: as many as the store has record classes.
_LAYOUTS: dict[type, _Layout] = {}


def _lay_out(cls: type) -> _Layout:
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    if len(names) == 1:  # attrgetter of one name returns the value itself
        only = names[0]
        layout = _Layout(lambda record: (getattr(record, only),), {only: 0})
    else:
        layout = _Layout(operator.attrgetter(*names), {name: n for n, name in enumerate(names)})
    _LAYOUTS[cls] = layout
    return layout
