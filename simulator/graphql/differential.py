"""Each GraphQL request executed both ways and compared: the plan must be graphql-core.

With `USERSIM_GRAPHQL_DIFFERENTIAL=1` in the environment (the test suite and `make
fuzz` set it) every request a compiled plan serves runs twice from one state: first
the plan, then, after the store took back whatever the plan's run changed (a mutation,
a drifting list) and with the clock stopped for both, graphql-core as it ran before
plans existed. The two results must be identical in everything a response is built
from: the data with its key order, and each error's message, locations, path,
extensions and original exception. The client gets graphql-core's answer.

A difference fails loudly: it is logged, kept for the test fixtures to assert on
(`take_mismatches`), and the request fails (HTTP 500), so no test or fuzz run passes
over one.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol

import orjson
from graphql import ExecutionResult, GraphQLError

from simulator.graphql.compiled import Fallback

log = logging.getLogger("usersim.graphql")

ENV = "USERSIM_GRAPHQL_DIFFERENTIAL"

_enabled = os.environ.get(ENV) == "1"
_mismatches: list[str] = []
_lock = threading.Lock()


class Replayable(Protocol):
    """A store that can run something twice from one state (`HarnessStore.replay`)."""

    def replay(self) -> AbstractContextManager[Callable[[], None]]: ...


class Mismatch(AssertionError):
    """The compiled plan and graphql-core answered one request differently."""


def enabled() -> bool:
    return _enabled


def enable() -> None:
    """Switch the check on in this process (the environment variable does it at import)."""
    global _enabled
    _enabled = True


def take_mismatches() -> list[str]:
    """The differences seen since the last call (the test fixtures assert there are none)."""
    with _lock:
        found = list(_mismatches)
        _mismatches.clear()
    return found


def check(
    store: Replayable,
    compiled: Callable[[], ExecutionResult | Fallback],
    reference: Callable[[], ExecutionResult],
    describe: Callable[[], str],
) -> tuple[ExecutionResult, Fallback | None]:
    """graphql-core's result, after the plan's result was compared with it; `describe`
    names the request in the report of a difference."""
    with store.replay() as rewind:
        try:
            first: ExecutionResult | Fallback | Exception = compiled()
        except Exception as exc:  # a bug in the plan: reported below, like a difference
            first = exc
        rewind()
        second = reference()
    if isinstance(first, Fallback):
        return second, first
    expected = canonical(second)
    got = repr(first).encode() if isinstance(first, Exception) else canonical(first)
    if got != expected:
        report = f"{describe()}\n  compiled: {got.decode()}\n  graphql-core: {expected.decode()}"
        with _lock:
            _mismatches.append(report)
        log.error("compiled GraphQL plan differs from graphql-core: %s", report)
        raise Mismatch(report)
    return second, None


def canonical(result: ExecutionResult) -> bytes:
    """Everything a face renders from a result, as bytes that differ when it does."""
    errors = [_error(error) for error in result.errors or ()]
    return orjson.dumps({"data": result.data, "errors": errors}, default=repr)


def _error(error: GraphQLError) -> dict[str, Any]:
    original = error.original_error
    described: list[Any] | None = None
    if original is not None:
        kind = type(original)
        attributes = sorted((k, repr(v)) for k, v in getattr(original, "__dict__", {}).items())
        described = [f"{kind.__module__}.{kind.__qualname__}", repr(original.args), attributes]
        if isinstance(original, GraphQLError):
            described.append(original.formatted)
    return {
        "message": error.message,
        "locations": [location.formatted for location in error.locations or ()],
        "path": error.path,
        "extensions": error.extensions,
        "original": described,
    }
