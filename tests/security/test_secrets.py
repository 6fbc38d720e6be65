"""Secrets stay in the store: passwords as hashes, keys and TOTP secrets never echoed.

A password, an API key or a TOTP secret may appear in exactly one response: the one
that issues it (getTwoFactorAuthSettings issues a TOTP secret). RapidAPI's Platform API
also shows an app's keys to the app's owner, team members and admins
(`applicationAuthorizations.key`), as the real one does: that is the only other place.
The control API's state export is a fixture document and keeps TOTP secrets so that a
snapshot restores two-factor users; it is not checked here.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from simulator.runtime import Simulator
from simulator.store import credentials
from tests.ids import (  # Tomas has two-factor auth on in the default fixture
    ACCOUNT,
    ADMIN_KEY,
    LOCKED_KEY,
    PASSWORD,
    SECOND_KEY,
    TOMAS,
    VIEWER_KEY,
)

HARNESS_KEYS = [ADMIN_KEY, VIEWER_KEY, LOCKED_KEY, SECOND_KEY]
NG = "/gateway/ng/api/user"
CG = "/gateway/api/graphql"
RAPID = "/rapidapi/graphql"
PARAMS = {"accountIdentifier": ACCOUNT}
NOT_KEPT = "[redacted: "  # what stands for a body that could not be parsed


def rapidapi_keys(sim: Simulator) -> list[str]:
    return [key.key for key in sim.rapidapi.state.app_keys.values()]


def test_passwords_and_harness_keys_are_stored_as_hashes(sim: Simulator) -> None:
    users = list(sim.harness.state.users.values())
    with_password = [user for user in users if user.password_hash is not None]
    assert len(with_password) >= 8
    for user in with_password:
        assert credentials.is_password_hash(user.password_hash), user.id
        assert credentials.verify_password(PASSWORD, user.password_hash)
    for key in sim.harness.state.api_keys.values():
        assert not hasattr(key, "token") and key.token_hash not in HARNESS_KEYS
    exported = json.dumps(sim.export()["harness"])
    assert "passwordHash" in exported and "tokenHash" in exported
    for secret in (PASSWORD, *HARNESS_KEYS):
        assert secret not in exported


def where(data: Any, secrets: set[str], path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The paths of JSON string values that contain one of `secrets`."""
    if isinstance(data, dict):
        for key, item in data.items():
            yield from where(item, secrets, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from where(item, secrets, (*path, index))
    elif isinstance(data, str) and any(secret in data for secret in secrets):
        yield path


def is_app_key_field(path: tuple[Any, ...]) -> bool:
    return len(path) >= 3 and path[-3] == "applicationAuthorizations" and path[-1] == "key"


def test_secrets_reach_no_response_journal_entry_or_log_line(
    client: httpx.Client, sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    admin = {"x-api-key": ADMIN_KEY}
    responses: list[httpx.Response] = []

    def send(method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = client.request(method, path, **kwargs)
        assert response.status_code < 500, response.text
        responses.append(response)
        return response

    # Passwords: changed as JSON and as YAML, refused as wrong, weak, malformed, plain text.
    new_passwords = ["Json-Secret-1234", "Yaml-Secret-1234"]
    send(
        "PUT",
        f"{NG}/password",
        params=PARAMS,
        headers=admin,
        json={"currentPassword": PASSWORD, "newPassword": new_passwords[0]},
    )
    send(
        "PUT",
        f"{NG}/password",
        params=PARAMS,
        headers={**admin, "content-type": "application/yaml"},
        content=f"currentPassword: {new_passwords[0]}\nnewPassword: {new_passwords[1]}\n",
    )
    assert [r.json()["data"] for r in responses] == ["PASSWORD_CHANGED", "PASSWORD_CHANGED"]
    refused_passwords = ["Wrong-Secret-1234", "Weak1", "Broken-Secret-1234", "Plain-Secret-1234"]
    send(
        "PUT",
        f"{NG}/password",
        params=PARAMS,
        headers={"x-api-key": VIEWER_KEY},
        json={"currentPassword": refused_passwords[0], "newPassword": "whatever-it-is"},
    )
    send(
        "PUT",
        f"{NG}/password",
        params=PARAMS,
        headers={"x-api-key": VIEWER_KEY},
        json={"currentPassword": PASSWORD, "newPassword": refused_passwords[1]},
    )
    send(
        "PUT",
        f"{NG}/password",
        params=PARAMS,
        headers={**admin, "content-type": "application/json"},
        content=f'{{"currentPassword": "{refused_passwords[2]}", "newPassword": "x',
    )
    send(
        "PUT",
        f"{NG}/password",
        params=PARAMS,
        headers={**admin, "content-type": "text/plain"},
        content=f'{{"currentPassword": "{PASSWORD}", "newPassword": "{refused_passwords[3]}"}}',
    )

    # TOTP: a secret issued, then enabled; another issued to Tomas by an admin's reset.
    issuing = client.get(f"{NG}/two-factor-auth/TOTP", params=PARAMS, headers=admin)
    totp_secret = issuing.json()["data"]["totpSecretKey"]
    assert totp_secret in issuing.text  # the one response that may carry it
    send(
        "PUT",
        f"{NG}/enable-two-factor-auth",
        params=PARAMS,
        headers=admin,
        json={"totpSecretKey": totp_secret},
    )
    send("GET", f"{NG}/reset-two-factor-auth/{TOMAS}", params=PARAMS, headers=admin)
    tomas_secret = sim.harness.users.get(ACCOUNT, TOMAS).totp_secret
    assert tomas_secret is not None and tomas_secret != "JBSWY3DPEHPK3PXPJBSWY3DP"

    # Reads of everything that describes users, on every face, with every kind of key.
    send("GET", f"{NG}/currentUser", params=PARAMS, headers={"X-API-KEY": ADMIN_KEY})
    send("POST", f"{NG}/batch", params=PARAMS, headers=admin, json={})
    send("POST", f"{NG}/aggregate", params=PARAMS, headers=admin, json={})
    send("GET", f"{NG}/currentgen", params=PARAMS, headers=admin)
    send("GET", f"{NG}/currentUser", headers={"x-api-key": SECOND_KEY})
    send("GET", f"{NG}/currentUser", params=PARAMS, headers={"x-api-key": LOCKED_KEY})
    users = "{ users(limit: 100) { nodes { id name email isTwoFactorAuthenticationEnabled } } }"
    send("POST", CG, params={"accountId": ACCOUNT}, headers=admin, json={"query": users})
    rapid_keys = rapidapi_keys(sim)
    organizations = "{ organizations { id } }"
    lena = """query($w: UserWhereInput!) { users(where: $w) { nodes {
        ProjectAcls { Project { applicationAuthorizations { key } } } } } }"""
    rapid_admin, rapid_user = "usersim-rapidapi-key", "usersim-rapidapi-user-key"
    send("POST", RAPID, headers={"x-rapidapi-key": rapid_admin}, json={"query": organizations})
    send(
        "POST",
        RAPID,
        headers={
            "x-rapidapi-key": "usersim-rapidapi-team-key",
            "x-rapidapi-identity-key": rapid_user,
        },
        json={"query": organizations},
    )
    shown = send(
        "POST",
        RAPID,
        headers={"x-rapidapi-key": rapid_admin},
        json={"query": lena, "variables": {"w": {"email": "lena.fischer@example.com"}}},
    )
    send(
        "POST",
        RAPID,
        headers={"x-rapidapi-key": rapid_admin, "content-type": "application/json"},
        content=f'{{"query": "{{ organizations {{ id }} }}", "x-rapidapi-key": "{rapid_user}"',
    )

    secrets = {PASSWORD, *new_passwords, *refused_passwords, *HARNESS_KEYS}
    secrets |= {totp_secret, tomas_secret, *rapid_keys}
    for response in responses:
        found = [
            path
            for path in where(response.json(), secrets)
            if not (response is shown and is_app_key_field(path))
        ]
        assert found == [], (response.request.url, response.text)
    assert [path for path in where(shown.json(), secrets) if is_app_key_field(path)]

    journal = client.get("/_usersim/journal").json()["entries"]
    assert len(journal) == len(responses) + 1  # and the issuing response's request
    assert list(where(journal, secrets)) == []
    bodies = [entry["request"]["body"] for entry in journal]
    unparsed = [b for b in bodies if isinstance(b, str) and b.startswith(NOT_KEPT)]
    assert len(unparsed) == 3  # malformed JSON, plain text, a key in a cut-off body
    assert any(isinstance(b, dict) and b.get("newPassword") == "[redacted]" for b in bodies)
    assert {"currentPassword": "[redacted]", "newPassword": "[redacted]"} in bodies
    assert all(
        entry["request"]["headers"].get("x-api-key") in (None, "[redacted]") for entry in journal
    )

    assert caplog.records, "the request log was not captured"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert [secret for secret in secrets if secret in logged] == []
