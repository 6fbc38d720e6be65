"""The dashboard, driven in a real headless Chromium against a real server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from simulator.testing.server import LiveServer
from tests.delivery.conftest import needs_chromium

pytestmark = needs_chromium
LOCKED_KEY = {"x-api-key": "usersim-locked-key"}
ADMIN_KEY = {"x-api-key": "usersim-admin-key"}


@pytest.fixture
def page(browser: Any, server: LiveServer, sim: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.url}/_usersim/")
    yield page
    context.close()


def test_the_page_renders_what_the_simulator_holds(page: Any) -> None:
    assert page.title() == "usersim"
    harness = page.locator("#harness")
    assert "Account Usersim" in harness.inner_text()
    assert "8 users" in harness.inner_text()
    assert page.locator("a", has_text="GraphiQL for Harness CurrentGen GraphQL").count() == 1
    assert page.locator("a", has_text="harness-ng-user.openapi.yaml").count() == 1


def test_search_narrows_the_lists(page: Any) -> None:
    page.fill("#search", "ruiz")
    page.click("form button[type=submit]")
    page.wait_for_url("**q=ruiz")
    rows = page.locator("#harness tbody tr").all_inner_texts()
    assert any("sruiz@example.com" in row for row in rows)
    assert not any("admin@example.com" in row for row in rows)


def test_a_preset_button_adds_a_fault_that_the_next_call_returns(
    page: Any, server: LiveServer
) -> None:
    page.click("button.preset[data-preset=outage]")
    page.wait_for_selector("#faults td:has-text('error 503')")
    response = httpx.get(f"{server.url}/gateway/ng/api/user/currentUser", headers=ADMIN_KEY)
    assert response.status_code == 503
    page.click("#clear-faults")
    page.wait_for_selector("#faults td.empty")
    assert (
        httpx.get(f"{server.url}/gateway/ng/api/user/currentUser", headers=ADMIN_KEY).status_code
        == 200
    )


def test_an_unlock_button_unlocks_a_locked_user(page: Any, server: LiveServer) -> None:
    url = f"{server.url}/gateway/ng/api/user/currentUser"
    assert httpx.get(url, headers=LOCKED_KEY).status_code == 401
    page.click("button.unlock[data-user=ZRMnDiaeDTfyp03kUua0OA]")
    page.wait_for_selector("button.unlock[data-user=ZRMnDiaeDTfyp03kUua0OA]", state="detached")
    assert httpx.get(url, headers=LOCKED_KEY).status_code == 200


def test_the_page_refreshes_itself(page: Any, server: LiveServer) -> None:
    httpx.get(f"{server.url}/gateway/ng/api/user/currentUser", headers=ADMIN_KEY)
    page.wait_for_selector("#journal td:has-text('getCurrentUserInfo')", timeout=10_000)
