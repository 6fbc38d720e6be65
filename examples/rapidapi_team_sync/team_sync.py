"""Keep a RapidAPI team in step with a directory group: a plain GraphQL-over-HTTP client.

No GraphQL library: each call is a POST of {"query", "variables"} with httpx, as most
integrations do. The Platform API answers an organization's user list only in a team
context: x-rapidapi-key is a team's application key and x-rapidapi-identity-key the
personal key of the member acting (an organization admin, to change teams). Errors come
back with HTTP 200 in `errors[]`; rate limits (10 requests a minute per user) as HTTP 429
with Retry-After, which the client waits out before trying again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

import httpx

PLATFORM_URL = "https://graphql-platform.p.rapidapi.com/"
RETRYABLE = frozenset({429, 503})

ORGANIZATION_USERS = """
query OrganizationUsers($orgId: Int!, $pagingArgs: PagingArgs) {
  paginatedTeamUsersByOrganizationIdV2(orgId: $orgId, pagingArgs: $pagingArgs) {
    total
    data { id email inviteStatus teams { id } }
  }
}
"""

ADD_TO_TEAM = """
mutation AddToTeam($input: TeamUserUpdateInput) {
  updateTeamUser(input: $input)
}
"""


class PlatformError(Exception):
    """The API answered with errors[]; `code` is the first error's extensions.code."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(error["message"] for error in errors))
        self.code = errors[0].get("extensions", {}).get("code")


class Platform:
    """The RapidAPI Platform API in a team context. `url` is PLATFORM_URL in production;
    `sleep` is injectable so that tests need not wait in real time."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        url: str = PLATFORM_URL,
        team_key: str,
        identity_key: str,
        page_size: int = 50,
        max_attempts: int = 3,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self._http = http
        self._url = url
        self._headers = {"x-rapidapi-key": team_key, "x-rapidapi-identity-key": identity_key}
        self._page_size = page_size
        self._max_attempts = max_attempts
        self._sleep = sleep

    def execute(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The `data` of a response without errors (else PlatformError)."""
        for attempt in range(1, self._max_attempts + 1):
            response = self._http.post(
                self._url, json={"query": query, "variables": variables}, headers=self._headers
            )
            if response.status_code not in RETRYABLE or attempt == self._max_attempts:
                break
            self._sleep(float(response.headers.get("Retry-After", 2 ** (attempt - 1))))
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise PlatformError(body["errors"])
        return body["data"]

    def organization_users(self, org_id: int) -> list[dict[str, Any]]:
        """Every member and pending invite of an organization, page after page. The server
        may serve fewer rows than asked for, so the next offset counts the rows received."""
        users: list[dict[str, Any]] = []
        while True:
            paging = {"offset": len(users), "limit": self._page_size}
            page = self.execute(ORGANIZATION_USERS, {"orgId": org_id, "pagingArgs": paging})
            rows = page["paginatedTeamUsersByOrganizationIdV2"]
            users += rows["data"]
            if not rows["data"] or len(users) >= rows["total"]:
                return users

    def add_to_team(self, org_id: int, user_id: int, team_id: int) -> None:
        self.execute(
            ADD_TO_TEAM, {"input": {"orgId": org_id, "teamUserId": user_id, "teamToAdd": team_id}}
        )


def sync_team(platform: Platform, org_id: int, team_id: int, emails: Iterable[str]) -> list[int]:
    """Add each organization member whose email is listed to the team; the ids added.

    It only adds: a sync that removes can lock people out when the directory export is
    incomplete. Pending invites are left alone (they join their teams on accepting).
    """
    wanted = {email.lower() for email in emails}
    added = []
    for user in platform.organization_users(org_id):
        in_team = any(int(team["id"]) == team_id for team in user["teams"] or [])
        if user["email"].lower() in wanted and user["inviteStatus"] == "ACCEPTED" and not in_team:
            platform.add_to_team(org_id, user["id"], team_id)
            added.append(user["id"])
    return added
