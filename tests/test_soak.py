"""A short soak in the suite: concurrent clients on every face against a real server."""

from __future__ import annotations

from tests.soak import serve_and_soak


def test_a_short_soak_leaves_a_consistent_server() -> None:
    result = serve_and_soak(clients=16, seconds=5)
    assert result["problems"] == [] and result["errors"] == 0
    assert result["requests"] > 100
    assert all(status < 500 for status in result["statuses"])
