"""The SSO providers of an account (LDAP and SAML settings), as CurrentGen reads them."""

from __future__ import annotations

from simulator.store.harness.models import SsoProvider
from simulator.store.harness.state import HarnessState


class SsoProviders:
    def __init__(self, state: HarnessState) -> None:
        self._state = state

    def find(self, account_id: str, provider_id: str) -> SsoProvider | None:
        """A provider of the account (another account's provider is not found)."""
        provider = self._state.sso_providers.get(provider_id)
        if provider is None or provider.account_id != account_id:
            return None
        return provider

    def of_account(self, account_id: str) -> list[SsoProvider]:
        """Every provider of the account in the order they were set up, as Harness keeps them."""
        providers = self._state.sso_providers.ordered("account", account_id)
        return sorted(providers, key=lambda provider: (provider.created_at, provider.id))
