"""Tests of the onboarding client against usersim, through the plugin's `usersim` fixture.

    python -m pytest examples/harness_onboarding                            # a real server
    python -m pytest examples/harness_onboarding --usersim-mode inprocess   # no socket

Each test starts from the default fixture (fixtures/default.yaml) with no faults; the
client never learns which mode it runs in, it is only handed an httpx client.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from onboarding import HarnessError, HarnessUsers

from simulator.testing import Usersim

CHECKOUT = {"org": "default", "project": "checkout"}  # a project of the default fixture


@pytest.fixture
def sleeps() -> list[float]:
    """The delays the client asked for, recorded instead of slept."""
    return []


@pytest.fixture
def harness(usersim: Usersim, sleeps: list[float]) -> Iterator[HarnessUsers]:
    # usersim.client() reaches usersim in either mode; the client only needs the base URL.
    with usersim.client(base_url=usersim.harness_ng_url) as http:
        yield HarnessUsers(
            http, api_key=usersim.api_key, account_id=usersim.account_id, sleep=sleeps.append
        )


def test_onboards_an_account_user_into_a_project(harness: HarnessUsers) -> None:
    assert harness.onboard("ghughes@example.com", **CHECKOUT) == "USER_ADDED_SUCCESSFULLY"
    member = harness.find("ghughes@example.com", **CHECKOUT)
    assert member is not None and member["name"] == "Gary Hughes"
    assert harness.onboard("ghughes@example.com", **CHECKOUT) == "USER_ALREADY_ADDED"


def test_an_unknown_email_is_invited_and_joins_at_once(harness: HarnessUsers) -> None:
    """The default account signs in with SAML and auto-accepts invites (as Harness
    documents for Terraform-managed users): the answer says invited, the member is there."""
    assert harness.onboard("New.Hire@example.com", **CHECKOUT) == "USER_INVITED_SUCCESSFULLY"
    member = harness.find("new.hire@example.com", **CHECKOUT)
    assert member is not None and member["email"] == "new.hire@example.com"


def test_a_503_is_retried_after_retry_after(
    harness: HarnessUsers, usersim: Usersim, sleeps: list[float]
) -> None:
    with usersim.fault(operation="addUsers", error={"status": 503, "retry_after": 7}):
        assert harness.onboard("ghughes@example.com", **CHECKOUT) == "USER_ADDED_SUCCESSFULLY"
    assert [call["status"] for call in usersim.calls(operation="addUsers")] == [503, 200]
    assert sleeps == [7]


def test_an_outage_ends_in_an_error_after_backing_off(
    harness: HarnessUsers, usersim: Usersim, sleeps: list[float]
) -> None:
    usersim.scenario("outage")  # every request 503, without Retry-After
    with pytest.raises(HarnessError) as refused:
        harness.onboard("ghughes@example.com", **CHECKOUT)
    assert refused.value.status == 503
    assert sleeps == [1, 2, 4]


def test_a_rate_limit_is_waited_out_on_simulated_time(usersim: Usersim) -> None:
    """The rate-limited preset allows 10 requests a minute per key. Sleeping by advancing
    usersim's clock makes the wait Retry-After asks for take no real time."""
    usersim.scenario("rate-limited")
    with usersim.client(base_url=usersim.harness_ng_url) as http:
        harness = HarnessUsers(
            http,
            api_key=usersim.api_key,
            account_id=usersim.account_id,
            sleep=usersim.advance_clock,
        )
        verdicts = {harness.onboard(f"hire{n}@example.com", **CHECKOUT) for n in range(12)}
    assert verdicts == {"USER_INVITED_SUCCESSFULLY"}
    assert len(usersim.calls(operation="addUsers", status=429)) == 1
