"""`record`: the class decorator of the store's records.

Records are immutable: a change builds a new record (`dataclasses.replace`), and the
undo log and the reset baseline keep references to old ones. A frozen dataclass makes
that hold at run time by setting every field through `object.__setattr__` in its
`__init__`, which costs ten times a plain slotted `__init__` (about 6 us for a 22-field
user against 0.6 us): paid by every change a request makes and by every record a 100k
fixture loads. So immutability is enforced where it costs nothing, by the type checker:
`dataclass_transform(frozen_default=True)` makes mypy refuse any assignment to a field,
and at run time a record is a slotted dataclass with the same equality and hash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from typing_extensions import dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """A store record: immutable to the type checker, hashable by value."""
    return dataclass(slots=True, unsafe_hash=True)(cls)
