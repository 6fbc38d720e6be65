"""Onboard people into a Harness NextGen project: the client a platform team would write.

It adds a user to a project by email (`POST /ng/api/user/users`) and reads project
members back (`POST /ng/api/user/batch`). Harness answers 429 when a key goes over its
rate limit and 503 while it is unavailable, usually with Retry-After; the client waits as
told and tries again. Retrying this POST is safe because adding is idempotent on
Harness's side: a second add of the same email answers USER_ALREADY_ADDED.

The client takes an `httpx.Client` rather than building one, so that a test can hand it
a client bound to usersim (a real server or the in-process transport alike).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

RETRYABLE = frozenset({429, 503})


class HarnessError(Exception):
    """Harness refused a request; `code` is its error code (INVALID_REQUEST, ...)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code


class HarnessUsers:
    """Project membership through the NextGen user API.

    `http` carries the base URL: https://app.harness.io/gateway in production.
    `sleep` is injectable so that tests need not wait in real time.
    """

    def __init__(
        self,
        http: httpx.Client,
        *,
        api_key: str,
        account_id: str,
        max_attempts: int = 4,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self._http = http
        self._headers = {"x-api-key": api_key}
        self._account_id = account_id
        self._max_attempts = max_attempts
        self._sleep = sleep

    def onboard(self, email: str, org: str, project: str, role: str = "_project_viewer") -> str:
        """Add `email` to a project with `role`; Harness's verdict, such as
        USER_ADDED_SUCCESSFULLY, or USER_INVITED_SUCCESSFULLY for an unknown email."""
        body = {
            "emails": [email],
            "roleBindings": [
                {"roleIdentifier": role, "resourceGroupIdentifier": "_all_project_level_resources"}
            ],
        }
        data = self._request("POST", "/ng/api/user/users", self._scope(org, project), body)
        return data["addUserResponseMap"][email.lower()]  # Harness keys the map by lower case

    def find(self, email: str, org: str, project: str) -> dict[str, Any] | None:
        """The project member with this email (None for a pending invite or a stranger)."""
        data = self._request(
            "POST", "/ng/api/user/batch", self._scope(org, project), {"emails": [email]}
        )
        return data["content"][0] if data["content"] else None

    def _scope(self, org: str, project: str) -> dict[str, str]:
        return {
            "accountIdentifier": self._account_id,
            "orgIdentifier": org,
            "projectIdentifier": project,
        }

    def _request(self, method: str, path: str, params: dict[str, str], body: Any) -> Any:
        for attempt in range(1, self._max_attempts + 1):
            response = self._http.request(
                method, path, params=params, json=body, headers=self._headers
            )
            if response.status_code not in RETRYABLE or attempt == self._max_attempts:
                break
            self._sleep(retry_delay(response, attempt))
        payload = response.json()
        if response.status_code >= 400:
            raise HarnessError(response.status_code, payload["code"], payload["message"])
        return payload["data"]


def retry_delay(response: httpx.Response, attempt: int) -> float:
    """Seconds to wait: Retry-After when Harness sends it (in seconds), else 1, 2, 4, ..."""
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return float(2 ** (attempt - 1))
