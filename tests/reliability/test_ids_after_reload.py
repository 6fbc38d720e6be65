"""Creates succeed after records arrive that no generator of this process made: a reset
then a PUT of a state saved after creates (the generators rewind, the records stay), and
a `--state-file` restore. Each face creates what draws a new id of every kind it has."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator.app import build_app
from simulator.testing.server import LiveServer
from tests.ids import ACCOUNT, ADMIN_KEY, PLATFORM, RAPIDAPI_ADMIN_KEY

NG = "/gateway/ng/api/user/users"
CG = f"/gateway/api/graphql?accountId={ACCOUNT}"
RAPIDAPI = "/rapidapi/graphql"


def _ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body
    return body


def ng_adds_users_to_a_project(http: httpx.Client, n: int) -> None:
    """A new user, an invite and project role assignments (random ids and tokens)."""
    params = {
        "accountIdentifier": ACCOUNT,
        "orgIdentifier": "platform",
        "projectIdentifier": "infrastructure",
    }
    emails = ["ghughes@example.com", f"new{n}@example.com"]
    response = http.post(
        NG, params=params, json={"emails": emails}, headers={"x-api-key": ADMIN_KEY}
    )
    _ok(response)


def cg_creates_a_user_and_a_group(http: httpx.Client, n: int) -> None:
    mutation = """mutation($u: CreateUserInput!, $g: CreateUserGroupInput!) {
      createUser(input: $u) { user { id } }
      createUserGroup(input: $g) { userGroup { id } }
    }"""
    variables = {
        "u": {"name": f"New {n}", "email": f"cg{n}@example.com"},
        "g": {"name": f"Group {n}"},
    }
    headers = {"x-api-key": ADMIN_KEY}
    _ok(http.post(CG, json={"query": mutation, "variables": variables}, headers=headers))


def rapidapi_creates_a_team_and_invites(http: httpx.Client, n: int) -> None:
    """A team (entity id, app, ACL, app key id and key) and an invite (entity id)."""
    headers = {"x-rapidapi-key": RAPIDAPI_ADMIN_KEY}
    for mutation, variables in [
        (
            "mutation($t: TeamCreateInput!) { createTeam(input: $t) { id } }",
            {"t": {"organizationId": PLATFORM, "name": f"Team {n}"}},
        ),
        (
            "mutation($i: UserInvitesInput) { createUserInvites(input: $i) }",
            {"i": {"email": f"in{n}@example.com", "teamIds": [], "organizationId": PLATFORM}},
        ),
    ]:
        body = {"query": mutation, "variables": variables}
        _ok(http.post(RAPIDAPI, json=body, headers=headers))


CREATES: list[Callable[[httpx.Client, int], None]] = [
    ng_adds_users_to_a_project,
    cg_creates_a_user_and_a_group,
    rapidapi_creates_a_team_and_invites,
]


@pytest.mark.parametrize("create", CREATES, ids=lambda c: c.__name__)
def test_creates_after_reset_and_put_state(http: httpx.Client, create: Any) -> None:
    create(http, 1)
    saved = http.get("/_usersim/state").json()
    assert http.post("/_usersim/reset").status_code == 200
    assert http.put("/_usersim/state", json=saved).status_code == 200
    create(http, 2)
    # Twice over: the stream after a PUT is not one a later PUT starts again.
    saved = http.get("/_usersim/state").json()
    assert http.post("/_usersim/reset").status_code == 200
    assert http.put("/_usersim/state", json=saved).status_code == 200
    create(http, 3)


def test_creates_after_a_state_file_restore(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    for run in range(2):
        with (
            LiveServer(build_app(state_file=path)) as live,
            httpx.Client(base_url=live.url) as http,
        ):
            for create in CREATES:
                create(http, run)
            assert live.simulator.invariants() == []
