"""Tests of the team sync against usersim, through the plugin's `usersim` fixture.

    python -m pytest examples/rapidapi_team_sync                            # a real server
    python -m pytest examples/rapidapi_team_sync --usersim-mode inprocess   # no socket

The keys and ids are the default fixture's (fixtures/default.yaml): the Acme Partners
organization, its team key, and Mina Park, the organization's admin.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from team_sync import Platform, PlatformError, sync_team

from simulator.testing import Usersim

ACME, ACME_DEFAULT_TEAM = 5755578, 5755579
ACME_TEAM_KEY, MINA_KEY = "usersim-rapidapi-acme-team-key", "usersim-rapidapi-org-admin-key"
ADA, TOM, LENA = 5500001, 7344540, 7344547
DIRECTORY_GROUP = ["tom.rivers@example.com", "Lena.Fischer@example.com", "newhire@acme.example.com"]


@pytest.fixture
def sleeps() -> list[float]:
    """The delays the client asked for, recorded instead of slept."""
    return []


@pytest.fixture
def platform(usersim: Usersim, sleeps: list[float]) -> Iterator[Platform]:
    # usersim.client() reaches usersim in either mode; usersim.rapidapi_url stands in for
    # https://graphql-platform.p.rapidapi.com/.
    with usersim.client() as http:
        yield Platform(
            http,
            url=usersim.rapidapi_url,
            team_key=ACME_TEAM_KEY,
            identity_key=MINA_KEY,
            sleep=sleeps.append,
        )


def team_members(usersim: Usersim, team_id: int) -> set[int]:
    organizations = usersim.state()["rapidapi"]["organizations"]
    teams = [team for org in organizations for team in org.get("teams", [])]
    team = next(team for team in teams if team["id"] == team_id)
    return {member["user"] for member in team.get("members", [])}


def test_sync_adds_the_listed_members_once(platform: Platform, usersim: Usersim) -> None:
    assert sync_team(platform, ACME, ACME_DEFAULT_TEAM, DIRECTORY_GROUP) == [TOM, LENA]
    assert team_members(usersim, ACME_DEFAULT_TEAM) == {TOM, LENA}
    assert sync_team(platform, ACME, ACME_DEFAULT_TEAM, DIRECTORY_GROUP) == []


def test_paging_reads_every_page(platform: Platform, usersim: Usersim) -> None:
    usersim.scenario("small-pages")  # two rows a page, whatever the client asks for
    users = platform.organization_users(ACME)
    assert len(users) == len({user["id"] for user in users}) == 7
    assert len(usersim.calls(operation="paginatedTeamUsersByOrganizationIdV2")) == 4


def test_a_rate_limit_is_retried_after_retry_after(
    platform: Platform, usersim: Usersim, sleeps: list[float]
) -> None:
    with usersim.fault(
        face="rapidapi",
        operation="paginatedTeamUsersByOrganizationIdV2",
        error={"status": 429, "retry_after": 30},
    ):
        assert len(platform.organization_users(ACME)) == 7
    calls = usersim.calls(operation="paginatedTeamUsersByOrganizationIdV2")
    assert [call["status"] for call in calls] == [429, 200]
    assert sleeps == [30]


def test_graphql_errors_are_raised(platform: Platform, usersim: Usersim) -> None:
    with pytest.raises(PlatformError) as refused:
        platform.add_to_team(ACME, ADA, ACME_DEFAULT_TEAM)  # Ada is not in Acme
    assert refused.value.code == "BAD_USER_INPUT"
    assert ADA not in team_members(usersim, ACME_DEFAULT_TEAM)
