"""schemathesis against our own CurrentGen contract, in-process, with its default checks.

Two things schemathesis cannot know from an SDL are stated here:

* A resolver's refusal of a well-typed request (an id that does not exist, a name that
  is taken) is Harness's documented answer, not a rejected document. schemathesis files
  every coded client error under `positive_data_acceptance`; for OpenAPI the same check
  accepts 404 and 409. `documented_refusals_are_answers` drops exactly those failures:
  an error with a path (a resolver ran), the BAD_USER_INPUT code and Harness's
  "Exception while fetching data (...) : Invalid request: ..." text. A document the
  server refuses before execution, or any other error, still fails the run.
* Its stateful phase (4.32.5) links operations through `ID`-typed arguments and
  mutations that return an object with an `id`. Harness's schema has neither (ids are
  `String`, mutations take an `input` object and return a payload), so the phase finds
  no producer; `test_stateful_phase_finds_no_links_in_this_schema` keeps that on record,
  and `test_stateful.py` drives chains of real mutations instead.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.core.errors import NoProducers
from schemathesis.graphql.checks import GraphQLClientError

from simulator.app import build_app
from simulator.harness_cg.schema import CONTRACT_FILE
from simulator.resources import contracts_dir
from tests.harness_cg.conftest import (
    ADMINS,
    ENGINEERING,
    ERIN,
    GARY,
    LDAP_PROVIDER,
    LIAM,
    PAYMENTS,
    PRIYA,
    PRODUCTION,
    RELEASE_MANAGERS,
    SAML_PROVIDER,
    SARA,
    STAGING,
    STOREFRONT,
    SUPPORT,
    WEI,
)
from tests.ids import ACCOUNT, ADMIN_ID, ADMIN_KEY

REFUSAL = re.compile(r"^Exception while fetching data \(/\S*\) : Invalid request: .+")

app = build_app()
simulator = app.state.simulator

# Arguments that name something get, most of the time, a name the fixture has: without
# them nearly every generated call would stop at "does not exist" and the fuzzer would
# never reach the code behind it. The rest of the time the generated value stays.
DICTIONARIES = {
    "user_ids": [SARA, WEI, PRIYA, GARY, LIAM, ERIN, ADMIN_ID],
    "group_ids": [ENGINEERING, RELEASE_MANAGERS, SUPPORT, ADMINS],
    "emails": [
        "sruiz@example.com",
        "PBose@Example.com",
        "fresh@example.com",
        "new.hire@example.com",
    ],
    "user_names": ["Sara Ruiz", "Wei Zhang", "Gary Hughes"],
    "group_names": ["Engineering", "Support", "Fresh Group", "Platform", "On Call"],
    "app_ids": [STOREFRONT, PAYMENTS],
    "env_ids": [PRODUCTION, STAGING],
    "ldap_providers": [LDAP_PROVIDER],
    "saml_providers": [SAML_PROVIDER],
    "sso_providers": [LDAP_PROVIDER, SAML_PROVIDER],
}
BINDINGS = {
    "Query.user.id": "user_ids",
    "Query.userByEmail.email": "emails",
    "Query.userByName.name": "user_names",
    "Query.userGroup.userGroupId": "group_ids",
    "Query.userGroupByName.name": "group_names",
    "Query.ssoProvider.ssoProviderId": "sso_providers",
    "Mutation.*.input.id": "user_ids",
    "Mutation.*.input.userId": "user_ids",
    "Mutation.*.input.userIds[*]": "user_ids",
    "Mutation.*.input.userGroupId": "group_ids",
    "Mutation.*.input.userGroupIds[*]": "group_ids",
    "Mutation.*.input.email": "emails",
    "Mutation.*.input.name": "group_names",
    "Mutation.*.input.permissions.appPermissions[*].applications.appIds[*]": "app_ids",
    "Mutation.*.input.permissions.appPermissions[*].environments.envIds[*]": "env_ids",
    "Mutation.*.input.appPermission.applications.appIds[*]": "app_ids",
    "Mutation.*.input.appPermission.environments.envIds[*]": "env_ids",
    "Mutation.*.input.ssoSetting.ldapSettings.ssoProviderId": "ldap_providers",
    "Mutation.*.input.ssoSetting.samlSettings.ssoProviderId": "saml_providers",
}

config = SchemathesisConfig.from_dict(
    {
        "dictionaries": {name: {"values": values} for name, values in DICTIONARIES.items()},
        "parameters": {
            key: {"dictionary": name, "probability": 0.8} for key, name in BINDINGS.items()
        },
    }
)
schema = schemathesis.graphql.from_path(contracts_dir() / CONTRACT_FILE, config=config)
schema.app = app
schema.config.update(
    base_url=f"http://localhost/gateway/api/graphql?accountId={ACCOUNT}",
    headers={"x-api-key": ADMIN_KEY},
)
schema.config.generation.update(max_examples=25)


def is_documented_refusal(error: dict[str, Any]) -> bool:
    """A resolver's refusal of well-typed input, or the cost bound's of a generated
    document nesting lists three deep with large limits."""
    if (error.get("extensions") or {}).get("code") == "QUERY_TOO_COMPLEX":
        return True
    return (
        "path" in error
        and (error.get("extensions") or {}).get("code") == "BAD_USER_INPUT"
        and bool(REFUSAL.match(error.get("message", "")))
    )


@schema.hook("filter_failure")
def documented_refusals_are_answers(
    context: Any, failure: Any, case: schemathesis.Case, response: Any
) -> bool:
    """Keep every failure except a resolver's documented refusal of well-typed input."""
    if isinstance(failure, GraphQLClientError):
        return not all(is_documented_refusal(error) for error in failure.errors)
    return True


@schema.parametrize()
def test_every_operation_conforms(case: schemathesis.Case) -> None:
    simulator.reset()
    before = simulator.harness.export()
    response = case.call_and_validate()
    refused = [
        error for error in response.json().get("errors") or () if len(error.get("path") or ()) == 1
    ]
    if refused and case.operation.label.startswith("Mutation."):
        # A refused mutation leaves no trace (a refused nested field does not undo it).
        assert simulator.harness.export() == before
    assert simulator.invariants() == []


def test_stateful_phase_finds_no_links_in_this_schema() -> None:
    with pytest.raises(NoProducers):
        schema.as_state_machine()()
