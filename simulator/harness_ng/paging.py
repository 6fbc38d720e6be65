"""Page sizes under the pagination policy, and which listings drift between pages."""

from __future__ import annotations

# User listings that the drift policy changes between page requests.
DRIFTING = frozenset({"getUsers", "getCurrentGenUsers", "getAggregatedUsers"})


def split_page_size(items: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], int | None]:
    """Take a well-formed `pageSize` out of the query of an operation that takes one,
    for the policy rather than the contract to judge (a policy may allow more than the
    vendor's 100). A malformed one stays in, for the contract's validation to refuse."""
    values = [value for name, value in items if name == "pageSize"]
    # ASCII digits only ("²" is a digit to str.isdigit, not to int), at most 18 of them;
    # anything else stays for the contract's validation to refuse.
    text = values[0] if len(values) == 1 else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 18 or int(text) < 1:
        return items, None
    return [(name, value) for name, value in items if name != "pageSize"], int(values[0])
