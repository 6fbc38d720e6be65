"""The one filter Harness reads: `ATTR eq "value"`, split on ` eq `.

Anything else (another operator, `and`, a typo) is not an error for Harness: it is
treated as no filter at all, and each listing decides what "no filter" lists.
"""

from __future__ import annotations

from typing import NamedTuple

_EQ = " eq "


class Equality(NamedTuple):
    attribute: str
    value: str


def equality(text: str | None) -> Equality | None:
    """The attribute and value of an `ATTR eq "value"` filter, or None for any other."""
    if not text or _EQ not in text:
        return None
    attribute, _, value = text.partition(_EQ)
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return Equality(attribute.strip(), value)
