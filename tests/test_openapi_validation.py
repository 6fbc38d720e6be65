"""The contract validator's query checks: remembered per query string, within bounds,
and never shared between callers."""

from __future__ import annotations

from typing import Any

from simulator.openapi.spec import Operation, Parameter
from simulator.openapi.validation import RequestValidator


def _validator() -> RequestValidator:
    parameters = (
        Parameter("pageSize", "query", False, {"type": "integer", "maximum": 100}),
        Parameter("tags", "query", False, {"type": "array", "items": {"type": "string"}}),
        Parameter("note", "query", False, {"type": "string"}),
    )
    return RequestValidator(Operation("listThings", "GET", "/things", parameters, None, False))


def _remembered(validator: RequestValidator) -> int:
    info: Any = validator._remembered_query.cache_info()
    return int(info.currsize)


def test_a_repeated_query_gets_the_same_outcome_in_a_copy_of_its_own() -> None:
    validator = _validator()
    items = [("pageSize", "500"), ("tags", "a"), ("tags", "b")]
    values, errors = validator.query(items)
    assert values == {"pageSize": 500, "tags": ["a", "b"]}
    assert errors == [("pageSize", "must be less than or equal to 100")]
    # What one caller does to its answer is not what the next caller gets.
    values["pageSize"] = 1
    values["tags"].append("changed")
    errors.append(("extra", "added by the caller"))
    again, again_errors = validator.query(items)
    assert again == {"pageSize": 500, "tags": ["a", "b"]}
    assert again_errors == [("pageSize", "must be less than or equal to 100")]
    assert _remembered(validator) == 1


def test_a_long_query_is_checked_but_not_remembered() -> None:
    validator = _validator()
    values, errors = validator.query([("note", "x" * 600)])
    assert values == {"note": "x" * 600} and errors == []
    assert _remembered(validator) == 0


def test_the_number_of_remembered_queries_is_bounded() -> None:
    validator = _validator()
    for n in range(400):
        assert validator.query([("pageSize", str(n % 100 + 1)), ("note", str(n))])[1] == []
    assert _remembered(validator) == 256
