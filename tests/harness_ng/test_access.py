"""NextGen access control as one store: login settings, invites, refusals, and what a
group or an assignment made here changes through every face."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from simulator.runtime import Simulator
from simulator.store.harness.models import LoginSettings, Scope
from tests.harness_ng.conftest import error, ok
from tests.ids import (
    ACCOUNT,
    ADMIN_ID,
    ENGINEERING,
    ERIN,
    LDAP_PROVIDER,
    SARA,
    SECOND_ACCOUNT,
    SECOND_KEY,
    VIEWER_KEY,
    WEI,
)

NG = "/gateway/ng/api"
AUTHZ = "/gateway/authz/api"
CG = "/gateway/api/graphql"
Q = {"accountIdentifier": ACCOUNT}
SECOND = {"accountIdentifier": SECOND_ACCOUNT, "orgIdentifier": "default"}


def _login(sim: Simulator, account_id: str, **settings: Any) -> None:
    """Give an account other login settings (as a fixture would)."""
    from dataclasses import replace

    state = sim.harness.state
    with state.db.transaction():
        account = state.accounts[account_id]
        state.db.put(state.accounts, replace(account, login=LoginSettings(**settings)))


def _add(http: httpx.Client, email: str, key: str, params: dict[str, str]) -> str:
    body = {"emails": [email]}
    answer = ok(http.post(f"{NG}/user/users", params=params, json=body, headers={"x-api-key": key}))
    result: str = answer["addUserResponseMap"][email]
    return result


# -- login settings decide addUsers -------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "result", "member"),
    [
        ({}, "USER_INVITED_SUCCESSFULLY", False),
        (
            {"feature_flags": frozenset({"AUTO_ACCEPT_SAML_ACCOUNT_INVITES"})},
            "USER_INVITED_SUCCESSFULLY",
            False,
        ),
        (
            {"mechanism": "LDAP", "feature_flags": frozenset({"AUTO_ACCEPT_SAML_ACCOUNT_INVITES"})},
            "USER_INVITED_SUCCESSFULLY",
            True,
        ),
        (
            {
                "oauth_enabled": True,
                "feature_flags": frozenset({"AUTO_ACCEPT_SAML_ACCOUNT_INVITES"}),
            },
            "USER_INVITED_SUCCESSFULLY",
            True,
        ),
        (
            {
                "mechanism": "SAML",
                "feature_flags": frozenset({"PL_NO_EMAIL_FOR_SAML_ACCOUNT_INVITES"}),
            },
            "USER_INVITE_NOT_REQUIRED",
            True,
        ),
        (
            {
                "mechanism": "OAUTH",
                "feature_flags": frozenset(
                    {"PL_NO_EMAIL_FOR_SAML_ACCOUNT_INVITES", "AUTO_ACCEPT_SAML_ACCOUNT_INVITES"}
                ),
            },
            "USER_INVITE_NOT_REQUIRED",
            True,
        ),
        (
            {
                "mechanism": "SAML",
                "two_factor_enforced": True,
                "feature_flags": frozenset({"PL_NO_EMAIL_FOR_SAML_ACCOUNT_INVITES"}),
            },
            "USER_INVITED_SUCCESSFULLY",
            True,
        ),
        ({"mechanism": "SAML"}, "USER_INVITED_SUCCESSFULLY", False),
    ],
    ids=[
        "password",
        "password-with-auto-accept",
        "ldap-auto-accept",
        "oauth-beside-passwords-auto-accept",
        "saml-no-email",
        "no-email-wins",
        "no-email-with-2fa",
        "saml-without-flags",
    ],
)
def test_login_settings_decide_what_add_users_does(
    http: httpx.Client, sim: Simulator, settings: dict[str, Any], result: str, member: bool
) -> None:
    _login(sim, SECOND_ACCOUNT, **settings)
    assert _add(http, "newbie@example.com", SECOND_KEY, SECOND) == result
    user = sim.harness.users.by_email(SECOND_ACCOUNT, "newbie@example.com")
    assert (user is not None) == member
    pending = sim.harness.invites.pending(Scope(SECOND_ACCOUNT, "default"))
    assert [invite.email for invite in pending] == ([] if member else ["newbie@example.com"])
    if member:  # a member at once, seen by CurrentGen too
        assert user is not None and sim.harness.scopes.contains_user(
            Scope(SECOND_ACCOUNT, "default"), user
        )
    # the same email again: an existing member, or the pending invite sent again
    again = _add(http, "newbie@example.com", SECOND_KEY, SECOND)
    assert again == ("USER_ALREADY_ADDED" if member else "USER_ALREADY_INVITED")


def test_authentication_settings_show_the_login_settings(ng: httpx.Client) -> None:
    response = ng.get(f"{NG}/authentication-settings", params=Q)
    assert response.status_code == 200
    settings = response.json()["resource"]
    assert settings["authenticationMechanism"] == "SAML" and settings["oauthEnabled"] is False
    assert settings["ngAuthSettings"][-1]["settingsType"] == "USER_PASSWORD"


def test_authentication_settings_show_the_lockout_policy_that_applies(
    ng: httpx.Client, sim: Simulator
) -> None:
    def policy() -> dict[str, Any]:
        settings = ng.get(f"{NG}/authentication-settings", params=Q).json()["resource"]
        lockout: dict[str, Any] = settings["ngAuthSettings"][-1]["loginSettings"][
            "userLockoutPolicy"
        ]
        return lockout

    assert policy()["enableLockoutPolicy"] is False  # off until an admin turns it on
    sim.policies.update({"lockout": {"max_failed_attempts": 3}})
    assert policy() == {
        "enableLockoutPolicy": True,
        "numberOfFailedAttemptsBeforeLockout": 3,
        "lockOutPeriod": 86400,
    }


# -- invites ------------------------------------------------------------------------------


def test_an_invite_is_accepted_through_its_link(http: httpx.Client, sim: Simulator) -> None:
    headers = {"x-api-key": SECOND_KEY}
    group = {"accountIdentifier": SECOND_ACCOUNT, "orgIdentifier": "default"}
    ok(
        http.post(
            f"{NG}/user-groups",
            params=SECOND,
            json={**group, "identifier": "crew", "name": "Crew"},
            headers=headers,
        )
    )
    body = {
        "emails": ["joiner@example.com"],
        "userGroups": ["crew"],
        "roleBindings": [
            {
                "roleIdentifier": "_organization_admin",
                "resourceGroupIdentifier": "_all_organization_level_resources",
            }
        ],
    }
    ok(http.post(f"{NG}/user/users", params=SECOND, json=body, headers=headers))
    invite = sim.harness.invites.pending(Scope(SECOND_ACCOUNT, "default"))[0]
    token = sim.harness.invites.link_token(invite)
    # the invitee has no API key: the token is the credential
    wrong = ok(http.get(f"{NG}/invites/accept", params={"token": token + "x"}))
    assert wrong == {"response": "INVITE_INVALID"}
    accepted = ok(http.get(f"{NG}/invites/accept", params={"token": token}))
    assert accepted["response"] == "ACCOUNT_INVITE_ACCEPTED_NEED_PASSWORD"
    user_id = accepted["userInfo"]["uuid"]
    aggregate = ok(http.get(f"{NG}/user/aggregate/{user_id}", params=SECOND, headers=headers))
    assert [a["roleIdentifier"] for a in aggregate["roleAssignmentMetadata"]] == [
        "_organization_admin"
    ]
    member = ok(http.get(f"{NG}/user-groups/crew/member/{user_id}", params=SECOND, headers=headers))
    assert member is True
    assert ok(http.get(f"{NG}/invites/accept", params={"token": token})) == {
        "response": "INVITE_INVALID"
    }


def test_the_control_api_accepts_an_invite_and_expired_ones_are_refused(
    http: httpx.Client, sim: Simulator
) -> None:
    headers = {"x-api-key": SECOND_KEY}
    ok(
        http.post(
            f"{NG}/user/users",
            params=SECOND,
            json={"emails": ["a@example.com", "b@example.com"]},
            headers=headers,
        )
    )
    first, second = sorted(
        sim.harness.invites.pending(Scope(SECOND_ACCOUNT, "default")), key=lambda i: i.email
    )
    accepted = http.post(f"/_usersim/harness/invites/{first.id}/accept")
    assert accepted.status_code == 200 and accepted.json()["email"] == "a@example.com"
    assert sim.harness.users.by_email(SECOND_ACCOUNT, "a@example.com") is not None
    sim.clock.advance(31 * 24 * 3600)
    token = sim.harness.invites.link_token(second)
    assert (
        ok(http.get(f"{NG}/invites/accept", params={"token": token}))["response"]
        == "INVITE_EXPIRED"
    )
    assert http.post(f"/_usersim/harness/invites/{second.id}/accept").status_code == 404
    assert http.post("/_usersim/harness/invites/nope/accept").status_code == 404


def test_get_invite_needs_exactly_one_of_id_and_token(ng: httpx.Client) -> None:
    error(ng.get(f"{NG}/invites/invite", params=Q), 400, "INVALID_REQUEST")
    found = ng.get(f"{NG}/invites/invite", params={**Q, "inviteId": "nope"})
    assert found.status_code == 200 and "data" not in found.json()


# -- refusals every face gets -------------------------------------------------------------


def test_harness_managed_groups_refuse_changes(ng: httpx.Client) -> None:
    group = ok(ng.get(f"{NG}/user-groups/_account_all_users", params=Q))
    assert group["harnessManaged"] is True and ADMIN_ID in group["users"]
    body = {"identifier": "_account_all_users", "name": "Everyone"}
    error(ng.post(f"{NG}/user-groups", params=Q, json=body), 400, "INVALID_REQUEST")
    error(ng.put(f"{NG}/user-groups", params=Q, json=body), 400, "INVALID_REQUEST")
    error(ng.delete(f"{NG}/user-groups/_account_all_users", params=Q), 400, "INVALID_REQUEST")
    refused = error(
        ng.delete(f"{NG}/user-groups/_account_all_users/member/{WEI}", params=Q),
        400,
        "INVALID_REQUEST",
    )
    assert "harness managed" in refused["message"]


def _cg(http: httpx.Client, query: str) -> dict[str, Any]:
    body: dict[str, Any] = http.post(
        CG,
        params={"accountId": ACCOUNT},
        json={"query": query},
        headers={"x-api-key": "usersim-admin-key"},
    ).json()
    return body


def test_groups_an_identity_provider_owns_refuse_member_edits_on_every_face(
    ng: httpx.Client, http: httpx.Client, sim: Simulator
) -> None:
    externally = {
        "identifier": "okta_team",
        "name": "Okta Team",
        "externallyManaged": True,
        "users": [SARA],
    }
    ok(ng.post(f"{NG}/user-groups", params=Q, json=externally))
    linked = {
        "identifier": "ldap_team",
        "name": "LDAP Team",
        "isSsoLinked": True,
        "linkedSsoId": LDAP_PROVIDER,
        "linkedSsoType": "LDAP",
        "ssoGroupId": "cn=team,dc=example,dc=com",
        "ssoGroupName": "team",
    }
    created = ok(ng.post(f"{NG}/user-groups", params=Q, json=linked))
    assert created["linkedSsoDisplayName"] == "Corporate LDAP" and created["ssoLinked"] is True
    for identifier in ("okta_team", "ldap_team"):
        error(
            ng.put(f"{NG}/user-groups/{identifier}/member/{WEI}", params=Q), 400, "INVALID_REQUEST"
        )
        group = sim.harness.scoped_groups.find(Scope(ACCOUNT), identifier)
        assert group is not None
        answer = _cg(
            http,
            f'mutation {{ addUserToUserGroup(input: {{userId: "{WEI}", userGroupId: "{group.id}"}})'
            " { userGroup { id } } }",
        )
        assert answer["errors"], answer
    # a change that keeps the members is fine
    ok(ng.put(f"{NG}/user-groups", params=Q, json={**externally, "description": "synced"}))
    error(
        ng.put(f"{NG}/user-groups", params=Q, json={**externally, "users": []}),
        400,
        "INVALID_REQUEST",
    )


def test_the_last_admin_cannot_be_removed_through_groups_or_assignments(
    ng: httpx.Client, sim: Simulator
) -> None:
    refused = error(
        ng.delete(f"{AUTHZ}/roleassignments/admin_is_account_admin", params=Q),
        400,
        "INVALID_REQUEST",
    )
    assert "another Admin" in refused["message"]
    error(
        ng.delete(f"{AUTHZ}/roleassignments/all_users_view_account", params=Q),
        400,
        "INVALID_REQUEST",
    )


# -- one store: what NextGen makes, every face sees ------------------------------------------


def test_an_assignment_changes_what_the_user_may_do_everywhere(
    ng: httpx.Client, http: httpx.Client
) -> None:
    wei = {"x-api-key": VIEWER_KEY}
    group = {"identifier": "wei_made", "name": "Wei Made"}
    error(
        http.post(f"{NG}/user-groups", params=Q, json=group, headers=wei), 403, "NG_ACCESS_DENIED"
    )
    cg_create = 'mutation { createUserGroup(input: {name: "By Wei"}) { userGroup { id } } }'
    denied = http.post(CG, params={"accountId": ACCOUNT}, json={"query": cg_create}, headers=wei)
    assert denied.json().get("errors")
    grant = {
        "identifier": "wei_admin",
        "roleIdentifier": "_account_admin",
        "resourceGroupIdentifier": "_all_resources_including_child_scopes",
        "principal": {"identifier": WEI, "type": "USER"},
    }
    ok(ng.post(f"{AUTHZ}/roleassignments", params=Q, json=grant))
    ok(http.post(f"{NG}/user-groups", params=Q, json=group, headers=wei))
    allowed = http.post(CG, params={"accountId": ACCOUNT}, json={"query": cg_create}, headers=wei)
    assert allowed.json()["data"]["createUserGroup"]["userGroup"]["id"]
    ok(ng.delete(f"{AUTHZ}/roleassignments/wei_admin", params=Q))
    error(
        http.post(
            f"{NG}/user-groups", params=Q, json={**group, "identifier": "again"}, headers=wei
        ),
        403,
        "NG_ACCESS_DENIED",
    )


def test_currentgen_sees_account_groups_made_by_nextgen_and_the_reverse(
    ng: httpx.Client, http: httpx.Client
) -> None:
    ok(
        ng.post(
            f"{NG}/v2/user-groups",
            params=Q,
            json={"identifier": "ng_made", "name": "NG Made", "users": ["wzhang@example.com"]},
        )
    )
    answer = _cg(
        http, '{ userGroupByName(name: "NG Made") { id users(limit: 5) { nodes { id } } } }'
    )
    assert answer["data"]["userGroupByName"]["users"]["nodes"] == [{"id": WEI}]
    engineering = ok(ng.get(f"{NG}/user-groups/{ENGINEERING}", params=Q))
    assert engineering["name"] == "Engineering" and WEI in engineering["users"]


def test_group_listings_filter_by_scope_inheritance_and_search(ng: httpx.Client) -> None:
    project = {"orgIdentifier": "default", "projectIdentifier": "checkout"}
    ok(
        ng.post(
            f"{NG}/user-groups",
            params={**Q, **project},
            json={"identifier": "squad", "name": "Squad", "tags": {"area": "payments"}},
        )
    )
    grant = {
        "roleIdentifier": "_project_viewer",
        "resourceGroupIdentifier": "_all_project_level_resources",
        "principal": {"identifier": ENGINEERING, "type": "USER_GROUP", "scopeLevel": "account"},
    }
    ok(ng.post(f"{AUTHZ}/roleassignments", params={**Q, **project}, json=grant))

    def identifiers(**params: str) -> list[str]:
        page = ok(ng.get(f"{NG}/user-groups", params={**Q, **project, **params}))
        return sorted(group["identifier"] for group in page["content"])

    assert identifiers() == ["_project_all_users", "squad"]
    assert identifiers(filterType="INCLUDE_INHERITED_GROUPS") == [
        ENGINEERING,
        "_project_all_users",
        "squad",
    ]
    assert identifiers(searchTerm="PAYMENTS") == ["squad"]
    children = ok(
        ng.get(
            f"{NG}/user-groups",
            params={**Q, "filterType": "INCLUDE_CHILD_SCOPE_GROUPS", "pageSize": "100"},
        )
    )
    assert "squad" in [group["identifier"] for group in children["content"]]


def test_role_assignment_checks(ng: httpx.Client) -> None:
    project = {**Q, "orgIdentifier": "default", "projectIdentifier": "checkout"}

    def refused(body: dict[str, Any], params: dict[str, str] = project) -> str:
        message: str = error(
            ng.post(f"{AUTHZ}/roleassignments", params=params, json=body), 400, "INVALID_REQUEST"
        )["message"]
        return message

    base = {
        "roleIdentifier": "_project_viewer",
        "resourceGroupIdentifier": "_all_project_level_resources",
        "principal": {"identifier": SARA, "type": "USER"},
    }
    assert "deprecated" in refused({**base, "resourceGroupIdentifier": "_all_resources"})
    assert "Did not find role" in refused({**base, "roleIdentifier": "_account_admin"})
    assert "Did not find resource group" in refused(
        {**base, "resourceGroupIdentifier": "users_only"}
    )
    assert "user not found" in refused({**base, "principal": {"identifier": ERIN, "type": "USER"}})
    assert "Principal scope level cannot be project" in refused(
        {
            **base,
            "roleIdentifier": "_account_viewer",
            "resourceGroupIdentifier": "_all_account_level_resources",
            "principal": {"identifier": "x", "type": "USER_GROUP", "scopeLevel": "project"},
        },
        Q,
    )
    ok(ng.post(f"{AUTHZ}/roleassignments", params=project, json=base))
    duplicate = ng.post(f"{AUTHZ}/roleassignments", params=project, json=base)
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "DUPLICATE_FIELD"
    assert (
        ok(ng.post(f"{AUTHZ}/roleassignments/multi", params=project, json={"roleAssignments": []}))
        == []
    )


@pytest.mark.parametrize("face", ["nextgen", "currentgen"])
def test_deleting_a_group_removes_its_assignments_at_child_scopes_on_every_face(
    ng: httpx.Client, http: httpx.Client, sim: Simulator, face: str
) -> None:
    project = {**Q, "orgIdentifier": "default", "projectIdentifier": "checkout"}
    grant = {
        "identifier": "engineering_views_checkout",
        "roleIdentifier": "_project_viewer",
        "resourceGroupIdentifier": "_all_project_level_resources",
        "principal": {"identifier": ENGINEERING, "type": "USER_GROUP", "scopeLevel": "account"},
    }
    ok(ng.post(f"{AUTHZ}/roleassignments", params=project, json=grant))
    if face == "nextgen":
        ok(ng.delete(f"{NG}/user-groups/{ENGINEERING}", params=Q))
    else:
        group_id = _cg(http, '{ userGroupByName(name: "Engineering") { id } }')["data"][
            "userGroupByName"
        ]["id"]
        mutation = f'mutation {{ deleteUserGroup(input: {{userGroupId: "{group_id}"}}) {{ clientMutationId }} }}'
        assert "errors" not in _cg(http, mutation)
    gone = ng.get(f"{AUTHZ}/roleassignments/engineering_views_checkout", params=project)
    assert "not found" in error(gone, 400, "INVALID_REQUEST")["message"]
    assert sim.invariants() == []
