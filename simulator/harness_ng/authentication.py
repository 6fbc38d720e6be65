"""The account's authentication settings (`/ng/api/authentication-settings`), read."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from simulator.harness_ng import envelopes
from simulator.harness_ng.context import NgContext
from simulator.harness_ng.operations import operation
from simulator.store.harness.access import AUTHSETTING_VIEW


@operation("getAuthenticationSettings", permission=AUTHSETTING_VIEW)
def get_authentication_settings(context: NgContext) -> Response:
    """In CurrentGen's RestResponse envelope, as Harness answers. The list of ways to sign
    in always ends with passwords (and the lockout policy), as Harness builds it."""
    store = context.store
    account = store.state.accounts[context.account_id]
    login = account.login
    lockout = store.signin.lockout_policy(account.id)
    ways: list[dict[str, Any]] = [
        {"settingsType": provider.sso_type, "identifier": provider.id, "displayName": provider.name}
        for provider in store.state.sso_providers.ordered("account", account.id)
    ]
    if login.oauth_enabled or login.mechanism == "OAUTH":
        ways.append({"settingsType": "OAUTH", "allowedProviders": ["GITHUB", "GOOGLE"]})
    ways.append(
        {
            "settingsType": "USER_PASSWORD",
            "loginSettings": {
                "accountId": account.id,
                "userLockoutPolicy": {
                    "enableLockoutPolicy": lockout.enabled,
                    "numberOfFailedAttemptsBeforeLockout": lockout.max_failed_attempts,
                    "lockOutPeriod": lockout.lockout_seconds,
                },
            },
        }
    )
    return envelopes.rest_response(
        {
            "authenticationMechanism": login.mechanism,
            "ngAuthSettings": ways,
            "whitelistedDomains": list(login.whitelisted_domains),
            "twoFactorEnabled": login.two_factor_enforced,
            "oauthEnabled": login.oauth_enabled,
            "publicAccessEnabled": login.public_access,
            "sessionTimeoutInMinutes": login.session_timeout_minutes,
        }
    )
