"""The GraphQL cost bound and the wall-clock budget: fan-out through fragments and
aliases is refused before execution, in each vendor's words, and a slow execution
neither holds up `/_usersim/health` nor runs past its budget."""

from __future__ import annotations

import threading

import httpx
import pytest

from simulator.app import build_app
from simulator.graphql.bounds import CostLimits, QueryLimits
from simulator.graphql.prepared import QueryPreparer
from simulator.harness_cg.schema import build_schema as build_cg_schema
from simulator.testing.server import LiveServer
from tests.ids import ACCOUNT, ADMIN_KEY, RAPIDAPI_ADMIN_KEY

CG = f"/gateway/api/graphql?accountId={ACCOUNT}"
RAPIDAPI = "/rapidapi/graphql"
RAPIDAPI_HEADERS = {"x-rapidapi-key": RAPIDAPI_ADMIN_KEY}


def _fan_out(aliases: str) -> str:
    """users -> N x userGroups -> N x users -> N x userGroups -> N x users: each fragment
    is counted once by the depth and field limits (11 levels, under 100 fields)."""

    def lists(field: str, fragment: str) -> str:
        return " ".join(
            f"{a}: {field}(limit: 100) {{ nodes {{ ...{fragment} }} }}" for a in aliases
        )

    return f"""
    query FanOut {{ users(limit: 100) {{ nodes {{ ...U1 }} }} }}
    fragment U1 on User {{ id name email {lists("userGroups", "G1")} }}
    fragment G1 on UserGroup {{ id name {lists("users", "U2")} }}
    fragment U2 on User {{ id name email {lists("userGroups", "G2")} }}
    fragment G2 on UserGroup {{ id name {lists("users", "U3")} }}
    fragment U3 on User {{ id name email isEmailVerified }}
    """


CG_FAN_OUT = _fan_out("abc")
# Six aliases a level: some seconds of work on the default fixture, unbounded.
CG_SLOW = _fan_out("abcdef")

# user -> organizations -> users -> organizations -> users, three aliases a level.
RAPIDAPI_FAN_OUT = """
query FanOut { user(id: "5500001") { ...U1 } }
fragment U1 on User { id a: organizations { ...O1 } b: organizations { ...O1 } c: organizations { ...O1 } }
fragment O1 on Organization { id a: users { ...U2 } b: users { ...U2 } c: users { ...U2 } }
fragment U2 on User { id a: organizations { ...O2 } b: organizations { ...O2 } c: organizations { ...O2 } }
fragment O2 on Organization { id a: users { id name } b: users { id name } c: users { id name } }
"""

NESTED = """
query Nested($n: Int!) {
  users(limit: $n) { nodes { userGroups(limit: $n) { nodes { users(limit: $n) { nodes { id } } } } } }
}
"""


def test_the_currentgen_fan_out_is_refused_at_preparation() -> None:
    prepared = QueryPreparer(build_cg_schema()).prepare(CG_FAN_OUT)
    assert prepared.ok
    (cost,) = prepared.costs
    assert not cost.uses_variables
    assert cost.value > CostLimits().max_cost


def test_the_currentgen_fan_out_gets_graphql_javas_complexity_error(http: httpx.Client) -> None:
    response = http.post(CG, json={"query": CG_FAN_OUT}, headers={"x-api-key": ADMIN_KEY})
    assert response.status_code == 200
    body = response.json()
    assert "data" not in body
    (error,) = body["errors"]
    assert error["message"].startswith("maximum query complexity exceeded ")
    assert error["extensions"] == {
        "classification": "ExecutionAborted",
        "code": "QUERY_TOO_COMPLEX",
    }


def test_the_rapidapi_fan_out_gets_apollos_validation_error(http: httpx.Client) -> None:
    assert len(RAPIDAPI_FAN_OUT) < 900
    response = http.post(RAPIDAPI, json={"query": RAPIDAPI_FAN_OUT}, headers=RAPIDAPI_HEADERS)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["message"].startswith("Query is too complex: its cost is ")
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_a_refused_query_is_in_the_journal_and_changes_nothing(
    http: httpx.Client, server: LiveServer
) -> None:
    http.post(CG, json={"query": CG_FAN_OUT}, headers={"x-api-key": ADMIN_KEY})
    (entry,) = server.simulator.journal.entries(face="harness-cg")
    assert entry["operation"] == "users"
    assert entry["status"] == 200


@pytest.mark.parametrize(("n", "refused"), [(3, False), (100, True)])
def test_sizes_given_by_variables_count_with_the_requests_values(
    http: httpx.Client, n: int, refused: bool
) -> None:
    response = http.post(
        CG, json={"query": NESTED, "variables": {"n": n}}, headers={"x-api-key": ADMIN_KEY}
    )
    body = response.json()
    assert ("data" not in body) is refused
    if refused:
        assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"


def test_a_connections_page_size_counts_once() -> None:
    """`users(limit: 100) { nodes { id } }` is about 100 fields, not 100 x 100."""
    prepared = QueryPreparer(build_cg_schema()).prepare(
        "{ users(limit: 100) { nodes { id name } } }"
    )
    assert prepared.costs[0].value == 2 + 100 * 2


def cheap_query(url: str) -> httpx.Response:
    with httpx.Client(base_url=url, timeout=30) as client:
        query = "{ users(limit: 2) { nodes { id } } }"
        return client.post(CG, json={"query": query}, headers={"x-api-key": ADMIN_KEY})


def test_health_answers_while_a_slow_query_runs_and_the_budget_stops_it() -> None:
    """With no cost bound, the fan-out runs until its budget (0.5 s here) stops it; the
    health probe sent meanwhile is answered before the slow request is."""
    limits = QueryLimits(cost=CostLimits(max_cost=10**30), budget_seconds=0.5)
    finished: list[str] = []
    answers: dict[str, httpx.Response] = {}  # by request: the two finish in either order
    with LiveServer(build_app(graphql_limits=limits)) as live:
        slow_started = threading.Event()

        def slow() -> None:
            with httpx.Client(base_url=live.url, timeout=30) as client:
                slow_started.set()
                response = client.post(
                    CG, json={"query": CG_SLOW}, headers={"x-api-key": ADMIN_KEY}
                )
            finished.append("slow")
            answers["slow"] = response

        thread = threading.Thread(target=slow)
        thread.start()
        slow_started.wait()
        with httpx.Client(base_url=live.url, timeout=30) as client:
            # Wait until the slow request is executing (it is in flight, not yet journaled).
            while live.simulator.harness.state.db.lock.acquire(blocking=False):
                live.simulator.harness.state.db.lock.release()
                if finished:
                    break
            # A cheap query now waits for the store in a worker thread, not on the loop.
            cheap = threading.Thread(target=lambda: answers.update(cheap=cheap_query(live.url)))
            cheap.start()
            assert client.get("/_usersim/health").status_code == 200
            finished.append("health")
        thread.join()
        cheap.join()
        assert live.simulator.invariants() == []
    assert finished == ["health", "slow"]
    assert answers["cheap"].json()["data"]["users"]["nodes"]
    (error,) = answers["slow"].json()["errors"]
    assert error["extensions"]["code"] == "QUERY_TIMEOUT"
    assert error["message"] == "Execution aborted: it ran longer than 0.5 s"


def test_the_prepared_document_cache_is_bounded_in_bytes() -> None:
    preparer = QueryPreparer(build_cg_schema(), max_bytes=1_600_000)
    padding = " ".join(f"a{i}: __typename" for i in range(100))  # about 90 KB charged
    for n in range(30):
        preparer.prepare(f"query Q{n} {{ {padding} }}")
    assert 0 < preparer.bytes <= 1_600_000
    assert 1 < len(preparer) < 30
