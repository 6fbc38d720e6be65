"""The pytest plugin, exercised the way a user's suite uses it (pytester runs real sessions)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

USING_THE_FIXTURE = """
import httpx


def test_defaults_and_a_fault(usersim):
    assert usersim.account_id == "UsersimAccount00000001"
    headers = {"x-api-key": usersim.api_key}
    url = usersim.harness_ng_url + "/ng/api/user/currentUser"
    with usersim.client() as client:
        assert client.get(url, headers=headers).json()["data"]["email"] == "admin@example.com"
        with usersim.fault(operation="getCurrentUserInfo", error={"status": 503}, times="unlimited"):
            assert client.get(url, headers=headers).status_code == 503
            assert client.get(url, headers=headers).status_code == 503
        assert client.get(url, headers=headers).status_code == 200
    statuses = [call["status"] for call in usersim.calls(operation="getCurrentUserInfo")]
    assert statuses == [200, 503, 503, 200]


def test_changes_do_not_leak_between_tests_part_one(usersim):
    with usersim.client() as client:
        response = client.delete(
            "/ng/api/user/SArz5MsSS8y2PNbwhc8INw",
            params={"accountIdentifier": usersim.account_id},
            headers={"x-api-key": usersim.api_key},
        )
        assert response.json()["data"] is True


def test_changes_do_not_leak_between_tests_part_two(usersim):
    assert usersim.calls() == []
    with usersim.client() as client:
        response = client.get(
            "/ng/api/user/aggregate/SArz5MsSS8y2PNbwhc8INw",
            params={"accountIdentifier": usersim.account_id},
            headers={"x-api-key": usersim.api_key},
        )
        assert response.status_code == 200


def test_a_scenario_and_policies(usersim):
    usersim.scenario("small-pages")
    with usersim.client() as client:
        page = client.post(
            "/ng/api/user/batch",
            params={"accountIdentifier": usersim.account_id},
            headers={"x-api-key": usersim.api_key},
        ).json()["data"]
    assert page["pageSize"] == 2 and page["totalPages"] == 4


def test_an_identity_provider(usersim):
    headers = {"Authorization": "Bearer " + usersim.api_key}
    with usersim.client() as client:
        created = client.post(
            usersim.harness_scim_url + "/Users", json={"userName": "idp@example.com"}, headers=headers
        )
        assert created.status_code == 201
    assert [call["operation"] for call in usersim.calls(face="harness-scim")] == ["createScimUser"]
"""

TINY_FIXTURE = """
harness:
  accounts:
    - id: Tiny
      name: Tiny
      users:
        - {id: TinyAdmin, name: Tiny Admin, email: tiny@example.com}
      roleAssignments:
        - principal: {type: USER, id: TinyAdmin}
          role: _account_admin
          resourceGroup: _all_resources_including_child_scopes
      apiKeys:
        - {token: tiny-key, user: TinyAdmin}
"""

MARKED = """
import pytest


@pytest.mark.usersim(fixtures=["tiny.yaml"])
def test_marker_loads_a_fixture(usersim):
    with usersim.client() as client:
        response = client.get("/ng/api/user/currentUser", headers={"x-api-key": "tiny-key"})
        assert response.json()["data"]["email"] == "tiny@example.com"
        assert client.get("/ng/api/user/currentUser", headers={"x-api-key": usersim.api_key}).status_code == 401


@pytest.mark.usersim(scenario="outage")
def test_marker_applies_a_scenario(usersim):
    with usersim.client() as client:
        assert client.get("/ng/api/user/currentUser", headers={"x-api-key": usersim.api_key}).status_code == 503


def test_the_next_test_is_back_to_the_default_fixture(usersim):
    with usersim.client() as client:
        assert client.get("/ng/api/user/currentUser", headers={"x-api-key": usersim.api_key}).status_code == 200
"""


@pytest.mark.parametrize("mode", ["server", "inprocess"])
def test_the_usersim_fixture(pytester: pytest.Pytester, mode: str) -> None:
    pytester.makepyfile(test_usersim=USING_THE_FIXTURE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--usersim-mode={mode}")
    result.assert_outcomes(passed=5)


def test_the_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_marked=MARKED)
    # The marker reads relative fixture paths from the test file's directory.
    (pytester.path / "tiny.yaml").write_text(TINY_FIXTURE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_one_server_per_xdist_worker(pytester: pytest.Pytester) -> None:
    record = pytester.path / "servers.txt"
    pytester.makepyfile(
        test_workers=f"""
import os

def test_a(usersim):
    with open({str(record)!r}, "a") as out:
        out.write(os.environ["PYTEST_XDIST_WORKER"] + " " + usersim.base_url + "\\n")

def test_b(usersim):
    with open({str(record)!r}, "a") as out:
        out.write(os.environ["PYTEST_XDIST_WORKER"] + " " + usersim.base_url + "\\n")
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", "--dist", "each")
    result.assert_outcomes(passed=4)
    servers: dict[str, set[str]] = {}
    for line in record.read_text().splitlines():
        worker, url = line.split()
        servers.setdefault(worker, set()).add(url)
    assert sorted(servers) == ["gw0", "gw1"]
    assert all(len(urls) == 1 for urls in servers.values())  # one server per worker, reused
    assert servers["gw0"] != servers["gw1"]
