"""SSO providers as CurrentGen reads them: one by id, and the whole list whatever the page."""

from __future__ import annotations

from typing import Any

import pytest

from simulator.runtime import Simulator
from simulator.store.harness.models import SsoProvider
from tests.harness_cg.conftest import ENGINEERING, LDAP_PROVIDER, SAML_PROVIDER, Cg, message
from tests.ids import SECOND_ACCOUNT, VIEWER_KEY

ONE = "query($id: String!) { ssoProvider(ssoProviderId: $id) { id name ssoType } }"
LIST = """query($limit: Int!, $offset: Int) {
  ssoProviders(limit: $limit, offset: $offset) {
    pageInfo { total limit offset hasMore }
    nodes { id name ssoType }
  }
}"""
LDAP = {"id": LDAP_PROVIDER, "name": "Corporate LDAP", "ssoType": "LDAP"}
SAML = {"id": SAML_PROVIDER, "name": "Okta SAML", "ssoType": "SAML"}


def providers(cg: Cg, limit: int, offset: int | None = None, **kwargs: Any) -> Any:
    return cg.data(LIST, {"limit": limit, "offset": offset}, **kwargs)["ssoProviders"]


@pytest.mark.parametrize(
    ("provider_id", "expected"), [(LDAP_PROVIDER, LDAP), (SAML_PROVIDER, SAML)]
)
def test_a_provider_by_id(cg: Cg, provider_id: str, expected: dict[str, str]) -> None:
    assert cg.data(ONE, {"id": provider_id}) == {"ssoProvider": expected}


def test_an_unknown_provider_or_one_of_another_account_does_not_exist(
    cg: Cg, sim: Simulator
) -> None:
    with sim.harness.transaction():
        sim.harness.state.db.insert(
            sim.harness.state.sso_providers,
            SsoProvider("SecondAccountLdap00001", SECOND_ACCOUNT, "Their LDAP", "LDAP", 0),
        )
    for provider_id in ("nope", "SecondAccountLdap00001"):
        assert message(cg.post(ONE, {"id": provider_id})) == "SSO Provider does not exist"
    assert providers(cg, 10)["nodes"] == [LDAP, SAML]


def test_every_provider_is_answered_whatever_the_page(cg: Cg) -> None:
    """Harness lists every provider on every page; only hasMore looks at the offset."""
    assert providers(cg, 1) == {
        "pageInfo": {"total": 2, "limit": 1, "offset": 0, "hasMore": True},
        "nodes": [LDAP, SAML],
    }
    assert providers(cg, 1, 1)["pageInfo"] == {"total": 2, "limit": 1, "offset": 1, "hasMore": True}
    later = providers(cg, 10, 2)
    assert later == {
        "pageInfo": {"total": 2, "limit": 10, "offset": 2, "hasMore": False},
        "nodes": [LDAP, SAML],
    }
    assert providers(cg, 500)["pageInfo"]["limit"] == 100


def test_small_pages_do_not_page_providers(cg: Cg, sim: Simulator) -> None:
    sim.policies.update({"pagination": {"harness-cg": {"forced_page_size": 1}}})
    assert providers(cg, 10)["nodes"] == [LDAP, SAML]


@pytest.mark.parametrize(
    ("limit", "offset", "expected"),
    [
        (-1, 0, "Limit argument accepts only non negative values"),
        (1, -1, "Offset argument accepts only non negative values"),
    ],
)
def test_negative_windows_are_refused(cg: Cg, limit: int, offset: int, expected: str) -> None:
    assert message(cg.post(LIST, {"limit": limit, "offset": offset})) == expected


def test_reading_providers_needs_manage_authentication_settings(cg: Cg) -> None:
    """Wei (Engineering: READ_USERS_AND_GROUPS only) may not; the permission lets him."""
    for query, variables in ((ONE, {"id": LDAP_PROVIDER}), (LIST, {"limit": 10})):
        response = cg.post(query, variables, key=VIEWER_KEY)
        assert message(response) == "User not authorized"
        assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    cg.data(
        "mutation($i: AddAccountPermissionInput!) { addAccountPermission(input: $i) {"
        " clientMutationId } }",
        {"i": {"userGroupId": ENGINEERING, "accountPermission": "MANAGE_AUTHENTICATION_SETTINGS"}},
    )
    assert cg.data(ONE, {"id": LDAP_PROVIDER}, key=VIEWER_KEY) == {"ssoProvider": LDAP}
    assert providers(cg, 10, key=VIEWER_KEY)["nodes"] == [LDAP, SAML]
