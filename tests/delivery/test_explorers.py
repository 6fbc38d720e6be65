"""The GraphiQL explorers in a real headless Chromium that can reach nothing but usersim.

Every request the page makes to anywhere but 127.0.0.1 is blocked (and remembered), as
on a machine without internet: the explorer of every GraphQL face and contract version
must still render, load its schema and run a query. Every link on the dashboard must
open what it names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from simulator.registry import FACES
from simulator.testing.server import LiveServer
from tests.delivery.conftest import needs_chromium

pytestmark = needs_chromium

# Each explorer's default query, and a value its answer shows (default fixture).
EXPLORERS = {path: face.name for face in FACES for path in face.explorers}
ANSWERS = {"harness-cg": "Ada Admin", "rapidapi": "USER_TEAM"}


@pytest.fixture
def offline_page(browser: Any, server: LiveServer, sim: Any) -> Iterator[tuple[Any, list[str]]]:
    context = browser.new_context()
    blocked: list[str] = []

    def only_usersim(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_usersim)
    yield context.new_page(), blocked
    context.close()


def test_every_graphql_contract_has_an_explorer() -> None:
    for face in FACES:
        graphql = [c for c in face.contracts if c.file.endswith(".graphql")]
        assert len(face.explorers) == len(graphql), face.name
    expected = {"/gateway/api/graphql", "/rapidapi/graphql", "/rapidapi/2023-08/graphql"}
    assert expected <= set(EXPLORERS)


@pytest.mark.parametrize("path", sorted(EXPLORERS))
def test_the_explorer_runs_a_query_offline(
    offline_page: tuple[Any, list[str]], server: LiveServer, path: str
) -> None:
    page, blocked = offline_page
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(f"{server.url}{path}")
    # The editor is up and the schema arrived (the docs explorer button needs it).
    page.wait_for_selector(".graphiql-container .graphiql-query-editor .CodeMirror")
    page.click(".graphiql-execute-button")
    response = page.locator(".graphiql-response")
    response.filter(has_text=ANSWERS[EXPLORERS[path]]).wait_for()
    assert '"errors"' not in response.inner_text()
    assert blocked == [] and failed == []


def test_every_dashboard_link_opens_what_it_names(
    offline_page: tuple[Any, list[str]], server: LiveServer
) -> None:
    page, blocked = offline_page
    page.goto(f"{server.url}/_usersim/")
    links = page.eval_on_selector_all(
        "a[href]", "anchors => anchors.map(a => [a.textContent, a.getAttribute('href')])"
    )
    assert links
    for text, href in links:
        response = httpx.get(f"{server.url}{href}")
        assert response.status_code == 200, (text, href)
        if text.startswith("GraphiQL for "):
            title = re.search(r"<title>(.*)</title>", response.text)
            assert title and text.removeprefix("GraphiQL for ") in title.group(1)
        elif href.startswith("/_usersim/contracts/"):
            assert href.rsplit("/", 1)[1] == text and response.text.strip()
    assert blocked == []
