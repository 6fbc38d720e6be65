"""The settings that bound GraphQL work: the cost bound's and the per-request limits'.

They are plain values that `usersim serve` reads from its options and hands to every
face when the app is built, so they live apart from the rules that apply them
(`limits.py`, `cost.py`): importing this module imports nothing from graphql-core, which
stays off the start-up path (simulator/graphql/deferred.py).
"""

from __future__ import annotations

from dataclasses import field

from simulator.records import record

SIZE_ARGUMENTS = frozenset({"limit", "first", "last", "pageSize", "size", "take"})


@record
class CostLimits:
    """The bound on one operation's cost, the list length assumed when no argument gives
    one, and the cap on the length an argument asks for."""

    max_cost: int = 100_000
    list_size: int = 10
    max_list_size: int = 100
    size_arguments: frozenset[str] = field(default=SIZE_ARGUMENTS)


@record
class QueryLimits:
    """What one request may cost: the bound on its estimated cost, the wall-clock budget
    of its execution, and the cost above which it runs in a worker thread (cheaper ones
    run on the event loop: the hop would cost more than they do)."""

    cost: CostLimits = field(default_factory=CostLimits)
    budget_seconds: float = 5.0
    threaded_cost: int = 2_000
