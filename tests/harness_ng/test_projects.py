"""The projects a user can open."""

from __future__ import annotations

import httpx

from tests.harness_ng.conftest import NG, error, ok, q

VIEWER = {"x-api-key": "usersim-viewer-key"}


def test_an_admin_sees_every_project(ng: httpx.Client) -> None:
    projects = ok(ng.get(f"{NG}/all-projects"))
    assert [(p["orgIdentifier"], p["identifier"]) for p in projects] == [
        ("default", "billing"),
        ("default", "checkout"),
        ("platform", "infrastructure"),
    ]
    assert projects[1]["modules"] == ["CD", "CI"] and projects[1]["tags"] == {"team": "payments"}


def test_a_member_sees_the_projects_they_joined(ng: httpx.Client) -> None:
    page = ok(ng.get(f"{NG}/projects", headers=VIEWER))
    assert [p["identifier"] for p in page["content"]] == ["checkout"]
    assert ok(ng.get(f"{NG}/projects-count", headers=VIEWER)) == {"count": 1}


def test_projects_page(ng: httpx.Client) -> None:
    page = ok(
        ng.get(f"{NG}/projects", params={"pageSize": 2, "pageIndex": 1, "sortOrders": "name,ASC"})
    )
    assert (page["totalItems"], page["pageItemCount"], page["totalPages"]) == (3, 1, 2)
    assert page["content"][0]["name"] == "Infrastructure"


def test_projects_of_another_user(ng: httpx.Client) -> None:
    projects = ok(ng.get(f"{NG}/all-projects", params={"userId": "Pbx8egtqTMCClUGNg00PTw"}))
    assert [p["identifier"] for p in projects] == ["billing"]
    error(ng.get(f"{NG}/all-projects", params={"userId": "nobody"}), 404, "ENTITY_NOT_FOUND")


def test_projects_count_in_a_time_window(ng: httpx.Client) -> None:
    everything = ok(ng.get(f"{NG}/projects-count", params=q()))["count"]
    assert everything == 3
    assert ok(ng.get(f"{NG}/projects-count", params=q(startTime="0", endTime="1")))["count"] == 0
