"""Passwords, lockout and two-factor auth."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import httpx
import pyotp

from simulator.runtime import Simulator
from tests.harness_ng.conftest import NG, error, failure, ok, q

GOOD = {"currentPassword": "usersim-password", "newPassword": "a-much-better-one"}


def test_password_change_statuses(ng: httpx.Client, sim: Simulator) -> None:
    wrong = {"currentPassword": "nope", "newPassword": "a-much-better-one"}
    assert ok(ng.put(f"{NG}/password", json=wrong)) == "INCORRECT_CURRENT_PASSWORD"
    weak = {"currentPassword": "usersim-password", "newPassword": "short"}
    assert ok(ng.put(f"{NG}/password", json=weak)) == "PASSWORD_STRENGTH_VIOLATED"
    assert ok(ng.put(f"{NG}/password", json=GOOD)) == "PASSWORD_CHANGED"
    again = {"currentPassword": "a-much-better-one", "newPassword": "and-another-one"}
    assert ok(ng.put(f"{NG}/password", json=again)) == "PASSWORD_CHANGED"


def test_password_change_needs_both_fields(ng: httpx.Client) -> None:
    failure(ng.put(f"{NG}/password", json={"newPassword": "x" * 10}), "currentPassword")
    failure(ng.put(f"{NG}/password", json={"currentPassword": 5}), "newPassword", "currentPassword")


def test_wrong_passwords_lock_the_user_until_unlocked(ng: httpx.Client, sim: Simulator) -> None:
    sim.policies.update({"lockout": {"max_failed_attempts": 5}})
    viewer = {"x-api-key": "usersim-viewer-key"}
    wrong = {"currentPassword": "nope", "newPassword": "a-much-better-one"}
    for _ in range(4):
        assert (
            ok(ng.put(f"{NG}/password", json=wrong, headers=viewer)) == "INCORRECT_CURRENT_PASSWORD"
        )
    assert ok(ng.put(f"{NG}/password", json=wrong, headers=viewer)) == "INCORRECT_CURRENT_PASSWORD"
    error(ng.get(f"{NG}/currentUser", headers=viewer), 401, "USER_LOCKED")
    listed = ok(
        ng.post(f"{NG}/batch", params=q(), json={"identifiers": ["W_zq_nwvTCm50wX3cI6Nhw"]})
    )
    assert listed["content"][0]["locked"] is True
    ok(ng.put(f"{NG}/unlock-user/W_zq_nwvTCm50wX3cI6Nhw", params=q()))
    assert ok(ng.get(f"{NG}/currentUser", headers=viewer))["locked"] is False


def test_a_lockout_expires_on_the_simulated_clock(ng: httpx.Client, sim: Simulator) -> None:
    sim.policies.update({"lockout": {"max_failed_attempts": 5, "lockout_seconds": 900}})
    viewer = {"x-api-key": "usersim-viewer-key"}
    wrong = {"currentPassword": "nope", "newPassword": "a-much-better-one"}
    for _ in range(5):
        ok(ng.put(f"{NG}/password", json=wrong, headers=viewer))
    error(ng.get(f"{NG}/currentUser", headers=viewer), 401, "USER_LOCKED")
    sim.clock.advance(901)
    assert ok(ng.get(f"{NG}/currentUser", headers=viewer))["locked"] is False


def test_two_factor_enrolment_with_a_real_totp_secret(ng: httpx.Client, sim: Simulator) -> None:
    settings = ok(ng.get(f"{NG}/two-factor-auth/TOTP"))
    assert settings["mechanism"] == "TOTP" and settings["twoFactorAuthenticationEnabled"] is False
    url = urlparse(settings["totpqrurl"])
    assert url.scheme == "otpauth" and url.netloc == "totp"
    assert parse_qs(url.query)["secret"] == [settings["totpSecretKey"]]
    totp = pyotp.parse_uri(settings["totpqrurl"])
    assert totp.verify(totp.now())
    enabled = ok(ng.put(f"{NG}/enable-two-factor-auth", json=settings))
    assert enabled["twoFactorAuthenticationEnabled"] is True
    user = sim.harness.users.get("UsersimAccount00000001", "UsersimAdminUser000001")
    assert user.totp_secret == settings["totpSecretKey"]
    disabled = ok(ng.put(f"{NG}/disable-two-factor-auth"))
    assert disabled["twoFactorAuthenticationEnabled"] is False


def test_two_factor_needs_a_valid_secret(ng: httpx.Client, sim: Simulator) -> None:
    before = sim.harness.export()
    failure(
        ng.put(f"{NG}/enable-two-factor-auth", json={"totpSecretKey": "not base32!"}),
        "totpSecretKey",
    )
    failure(ng.put(f"{NG}/enable-two-factor-auth", json={"mechanism": "TOTP"}), "totpSecretKey")
    failure(
        ng.put(f"{NG}/enable-two-factor-auth", json={"mechanism": "SMS"}),
        "totpSecretKey",
        "mechanism",
    )
    failure(ng.get(f"{NG}/two-factor-auth/SMS"), "authMechanism")
    assert sim.harness.export() == before


def test_reset_two_factor_answers_in_the_rest_response_envelope(
    ng: httpx.Client, sim: Simulator
) -> None:
    tomas = "lTGYXV2dyfgYGOgRiS-QKw"
    old = sim.harness.users.get("UsersimAccount00000001", tomas).totp_secret
    response = ng.get(f"{NG}/reset-two-factor-auth/{tomas}", params=q())
    assert response.status_code == 200
    assert response.json() == {"metaData": {}, "resource": True, "responseMessages": []}
    assert sim.harness.users.get("UsersimAccount00000001", tomas).totp_secret != old
    assert (
        ng.get(f"{NG}/reset-two-factor-auth/SArz5MsSS8y2PNbwhc8INw", params=q()).json()["resource"]
        is False
    )
    error(ng.get(f"{NG}/reset-two-factor-auth/nobody", params=q()), 404, "ENTITY_NOT_FOUND")


def test_an_account_whose_login_settings_turn_lockout_on(ng: httpx.Client, sim: Simulator) -> None:
    harness = sim.export()["harness"]
    settings = harness["accounts"][0]["loginSettings"]
    assert "lockout" not in settings  # off, Harness's default
    settings["lockout"] = {"enabled": True, "maxFailedAttempts": 2}
    sim.replace_state({"harness": harness})
    viewer = {"x-api-key": "usersim-viewer-key"}
    wrong = {"currentPassword": "nope", "newPassword": "a-much-better-one"}
    ok(ng.put(f"{NG}/password", json=wrong, headers=viewer))
    assert ok(ng.get(f"{NG}/currentUser", headers=viewer))["locked"] is False
    ok(ng.put(f"{NG}/password", json=wrong, headers=viewer))
    error(ng.get(f"{NG}/currentUser", headers=viewer), 401, "USER_LOCKED")
    assert sim.export()["harness"]["accounts"][0]["loginSettings"] == settings
    # The run-time switch wins over the account's setting until the next reset.
    sim.policies.update({"lockout": {"enabled": False}})
    ok(ng.put(f"{NG}/unlock-user/W_zq_nwvTCm50wX3cI6Nhw", params=q()))
    for _ in range(3):
        ok(ng.put(f"{NG}/password", json=wrong, headers=viewer))
    assert ok(ng.get(f"{NG}/currentUser", headers=viewer))["locked"] is False
