"""`Usersim`: a test's handle on a running simulator, through its control API.

Everything goes over HTTP (or the in-process transport), so the same handle drives a
server started by the pytest plugin, a container in CI, or a developer's `make serve`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from simulator.yamlfast import safe_load

DEFAULT_ACCOUNT = "UsersimAccount00000001"
DEFAULT_API_KEY = "usersim-admin-key"
SECOND_ACCOUNT = "UsersimAccount00000002"
SECOND_API_KEY = "usersim-second-key"
RAPIDAPI_KEY = "usersim-rapidapi-key"


class UsersimError(AssertionError):
    """The control API refused a request (the message lists its problems)."""


class Usersim:
    account_id = DEFAULT_ACCOUNT
    api_key = DEFAULT_API_KEY
    second_account_id = SECOND_ACCOUNT
    second_api_key = SECOND_API_KEY
    rapidapi_key = RAPIDAPI_KEY

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.BaseTransport | None = None,
        in_process: bool = False,
        control_token: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._transport = transport
        self._in_process = in_process
        headers = {"X-Usersim-Token": control_token} if control_token else {}
        self._control = httpx.Client(
            base_url=self.base_url, transport=transport, headers=headers, timeout=30.0
        )

    # -- where things are ------------------------------------------------------------------

    @property
    def in_process(self) -> bool:
        """Whether requests go through an in-process transport (no socket): a client
        under test must then be handed `client()` rather than just a base URL."""
        return self._in_process

    @property
    def harness_ng_url(self) -> str:
        """The base URL a Harness NextGen client uses (as `https://app.harness.io/gateway`)."""
        return f"{self.base_url}/gateway"

    @property
    def harness_scim_url(self) -> str:
        """The SCIM base URL an identity provider uses for the default account."""
        return f"{self.base_url}/gateway/ng/api/scim/account/{self.account_id}"

    @property
    def harness_cg_url(self) -> str:
        return f"{self.base_url}/gateway/api/graphql"

    @property
    def rapidapi_url(self) -> str:
        return f"{self.base_url}/rapidapi/graphql"

    def client(self, **kwargs: Any) -> httpx.Client:
        """An httpx client for the simulator (in-process mode included)."""
        kwargs.setdefault("base_url", self.base_url)
        kwargs.setdefault("transport", self._transport)
        return httpx.Client(**kwargs)

    # -- state -----------------------------------------------------------------------------

    def reset(self) -> dict[str, Any]:
        return self._call("POST", "/_usersim/reset")

    def state(self) -> dict[str, Any]:
        return self._call("GET", "/_usersim/state")

    def load_state(self, document: dict[str, Any]) -> None:
        """Replace the state (checked like a fixture; the next reset returns to the start)."""
        self._call("PUT", "/_usersim/state", json=document)

    def load_fixtures(self, *paths: str | Path) -> None:
        """Replace the state with fixture files for this test (merged, as `--fixtures` does)."""
        merged: dict[str, dict[str, list[Any]]] = {}
        for path in paths:
            document = safe_load(Path(path).read_text()) or {}
            for vendor, section in document.items():
                target = merged.setdefault(vendor, {})
                for key, items in (section or {}).items():
                    target.setdefault(key, []).extend(items or [])
        self.load_state(merged)

    def invariants(self) -> list[str]:
        violations: list[str] = self._call("GET", "/_usersim/invariants")["violations"]
        return violations

    def assert_invariants(self) -> None:
        violations = self.invariants()
        if violations:
            raise UsersimError("usersim invariants broken:\n" + "\n".join(violations))

    # -- scenarios -------------------------------------------------------------------------

    def add_fault(self, **rule: Any) -> dict[str, Any]:
        added: dict[str, Any] = self._call("POST", "/_usersim/faults", json=rule)["faults"][0]
        return added

    def remove_fault(self, rule_id: str) -> None:
        self._call("DELETE", f"/_usersim/faults/{rule_id}")

    @contextmanager
    def fault(self, **rule: Any) -> Iterator[dict[str, Any]]:
        """A fault rule for the duration of a `with` block (see the control API for fields)."""
        added = self.add_fault(**rule)
        try:
            yield added
        finally:
            self.remove_fault(added["id"])

    def faults(self) -> list[dict[str, Any]]:
        faults: list[dict[str, Any]] = self._call("GET", "/_usersim/faults")["faults"]
        return faults

    def scenario(self, name: str) -> list[dict[str, Any]]:
        faults: list[dict[str, Any]] = self._call("POST", f"/_usersim/scenarios/{name}")["faults"]
        return faults

    def set_policies(self, policies: dict[str, Any]) -> dict[str, Any]:
        return self._call("PUT", "/_usersim/policies", json=policies)

    def advance_clock(self, seconds: float) -> dict[str, Any]:
        return self._call("POST", "/_usersim/clock", json={"advance_seconds": seconds})

    # -- journal ---------------------------------------------------------------------------

    def calls(
        self,
        *,
        face: str | None = None,
        operation: str | None = None,
        status: int | None = None,
        since: int | None = None,
    ) -> list[dict[str, Any]]:
        """Requests the simulator received, oldest first (secrets redacted)."""
        params = {
            key: value
            for key, value in {
                "face": face,
                "operation": operation,
                "status": status,
                "since": since,
            }.items()
            if value is not None
        }
        entries: list[dict[str, Any]] = self._call("GET", "/_usersim/journal", params=params)[
            "entries"
        ]
        return entries

    # -- coverage --------------------------------------------------------------------------

    def coverage(self) -> dict[str, Any]:
        """The coverage report: operations, documented answers and error codes given per
        face, and the scenario switches that fired (see `GET /_usersim/coverage`)."""
        return self._call("GET", "/_usersim/coverage")

    def reset_coverage(self) -> None:
        self._call("POST", "/_usersim/coverage/reset")

    # -- plumbing --------------------------------------------------------------------------

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self._control.request(method, path, **kwargs)
        if response.status_code >= 400:
            body = (
                response.json()
                if response.headers.get("content-type", "").startswith("application/json")
                else {}
            )
            problems = "\n".join(body.get("problems", []))
            raise UsersimError(
                f"{method} {path}: {response.status_code} {body.get('message', response.text)}\n{problems}"
            )
        answer: dict[str, Any] = response.json()
        return answer

    def close(self) -> None:
        self._control.close()

    def __enter__(self) -> Usersim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
