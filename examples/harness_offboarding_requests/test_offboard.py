"""Tests of the offboarding script against usersim, through the plugin's `usersim` fixture.

    python -m pytest examples/harness_offboarding_requests                            # a real server
    python -m pytest examples/harness_offboarding_requests --usersim-mode inprocess   # no socket

In server mode the script's `requests.Session` talks HTTP to a real usersim as it would to
Harness. In-process there is no socket, so the `session` fixture mounts `HttpxAdapter`
(requests_inprocess.py), which hands each request to `usersim.client()`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from offboard import main, offboard
from requests_inprocess import HttpxAdapter

from simulator.testing import Usersim

ADMIN, SARA, WEI = "UsersimAdminUser000001", "SArz5MsSS8y2PNbwhc8INw", "W_zq_nwvTCm50wX3cI6Nhw"


@pytest.fixture
def session(usersim: Usersim) -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.headers["x-api-key"] = usersim.api_key
        if usersim.in_process:  # --usersim-mode inprocess
            session.mount(usersim.base_url, HttpxAdapter(usersim.client()))
        yield session


def user_ids(usersim: Usersim) -> set[str]:
    return {user["id"] for user in usersim.state()["harness"]["accounts"][0]["users"]}


def test_removes_leavers_and_a_second_run_finds_them_gone(
    session: requests.Session, usersim: Usersim
) -> None:
    report = offboard(session, usersim.harness_ng_url, usersim.account_id, [SARA, WEI])
    assert report.removed == [SARA, WEI] and not report.failed
    assert not user_ids(usersim) & {SARA, WEI}
    again = offboard(session, usersim.harness_ng_url, usersim.account_id, [SARA, WEI])
    assert again.already_gone == [SARA, WEI] and not again.removed


def test_keeps_the_last_admin(session: requests.Session, usersim: Usersim) -> None:
    report = offboard(session, usersim.harness_ng_url, usersim.account_id, [ADMIN, SARA])
    assert report.kept_last_admin == [ADMIN] and report.removed == [SARA]
    assert ADMIN in user_ids(usersim)


def test_one_failure_does_not_stop_the_run(session: requests.Session, usersim: Usersim) -> None:
    with usersim.fault(operation="removeUser", error={"status": 500}):  # the first call only
        report = offboard(session, usersim.harness_ng_url, usersim.account_id, [SARA, WEI])
    assert list(report.failed) == [SARA] and report.removed == [WEI]
    assert [call["status"] for call in usersim.calls(operation="removeUser")] == [500, 200]


def test_the_command_fails_during_an_outage(
    session: requests.Session,
    usersim: Usersim,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    usersim.scenario("outage")
    monkeypatch.setenv("HARNESS_API_KEY", usersim.api_key)
    argv = ["--base-url", usersim.harness_ng_url, "--account", usersim.account_id, SARA]
    assert main(argv, session=session) == 1
    assert f"FAILED {SARA}: 503" in capsys.readouterr().err
    assert SARA in user_ids(usersim)
