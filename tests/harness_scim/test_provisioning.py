"""Okta's and Entra ID's provisioning sequences, call for call, through real HTTP.

Each step is checked through the three Harness faces: SCIM shows what the provider
expects, NextGen's aggregate and CurrentGen's GraphQL show the same account change.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx

from simulator.runtime import Simulator
from simulator.store.harness.models import LoginSettings
from tests.harness_scim.faces import (
    GROUP_SCHEMA,
    USER_SCHEMA,
    cg,
    cg_group,
    cg_user,
    ng_group,
    ng_member,
    patch_ops,
    scim,
)
from tests.ids import ACCOUNT, ADMIN_KEY, ERIN, GARY, SARA

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def okta_user(email: str, given: str, family: str) -> dict[str, Any]:
    """The body Okta's SCIM 2.0 connector sends to create or update a user."""
    return {
        "schemas": [USER_SCHEMA],
        "userName": email,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"primary": True, "value": email, "type": "work"}],
        "displayName": f"{given} {family}",
        "locale": "en-US",
        "externalId": "00u1okta9mlyfEC5d0h8",
        "groups": [],
        "password": "an-initial-password",
        "active": True,
    }


def patch_group(http: httpx.Client, group_id: str, *operations: dict[str, Any]) -> httpx.Response:
    return scim(http, "PATCH", f"/Groups/{group_id}", patch_ops(*operations))


def set_active(http: httpx.Client, user_id: str, active: bool) -> httpx.Response:
    """Okta's (de)activation: a path-less replace."""
    return scim(
        http,
        "PATCH",
        f"/Users/{user_id}",
        patch_ops({"op": "replace", "value": {"active": active}}),
    )


def assert_member(http: httpx.Client, user_id: str, *, name: str, email: str) -> None:
    """A member of the account, the provider's, the same in every face."""
    scim_user = scim(http, "GET", f"/Users/{user_id}").json()
    assert (scim_user["active"], scim_user["displayName"], scim_user["userName"]) == (
        True,
        name,
        email,
    )
    ng = ng_member(http, user_id)
    assert ng is not None and ng["externallyManaged"] is True
    assert (ng["name"], ng["email"]) == (name, email)
    cg = cg_user(http, user_id)
    assert cg is not None and cg["isImportedFromIdentityProvider"] is True
    assert (cg["name"], cg["email"]) == (name, email)


def assert_out_of_account(http: httpx.Client, user_id: str) -> None:
    assert ng_member(http, user_id) is None
    assert cg_user(http, user_id) is None


def test_okta_provisions_deactivates_reactivates_renames_and_pushes_a_group(
    http: httpx.Client, sim: Simulator
) -> None:
    email = "grace.hopper@example.com"
    # Okta looks the user up first, then creates it.
    lookup = scim(http, "GET", "/Users", filter=f'userName eq "{email}"', startIndex=1, count=100)
    assert lookup.status_code == 200 and lookup.json()["Resources"] == []
    created = scim(http, "POST", "/Users", okta_user(email, "Grace", "Hopper"))
    assert created.status_code == 201, created.text
    assert created.headers["content-type"] == "application/scim+json"
    user = created.json()
    user_id = user["id"]
    assert user["externalId"] == "00u1okta9mlyfEC5d0h8" and "password" not in user
    assert_member(http, user_id, name="Grace Hopper", email=email)
    found = scim(http, "GET", "/Users", filter=f'userName eq "{email.upper()}"').json()
    assert [u["id"] for u in found["Resources"]] == [user_id]

    # Deactivation: a path-less replace. The user leaves the account, SCIM still knows it.
    off = set_active(http, user_id, False)
    assert off.status_code == 200 and off.json()["active"] is False
    assert scim(http, "GET", f"/Users/{user_id}").json()["active"] is False
    assert_out_of_account(http, user_id)

    on = set_active(http, user_id, True)
    assert on.status_code == 200 and on.json()["active"] is True
    assert_member(http, user_id, name="Grace Hopper", email=email)

    # Okta updates profiles with PUT.
    renamed = scim(
        http, "PUT", f"/Users/{user_id}", {**okta_user(email, "Grace", "Brewster"), "id": user_id}
    )
    assert renamed.status_code == 200 and renamed.json()["displayName"] == "Grace Brewster"
    assert_member(http, user_id, name="Grace Brewster", email=email)

    # Group push: look up by name, create, add and remove members, rename, delete.
    assert (
        scim(http, "GET", "/Groups", filter='displayName eq "Compilers"').json()["Resources"] == []
    )
    group = scim(
        http,
        "POST",
        "/Groups",
        {"schemas": [GROUP_SCHEMA], "displayName": "Compilers", "members": []},
    )
    assert group.status_code == 201, group.text
    group_id = group.json()["id"]
    assert group_id == "Compilers"
    ng_seen = ng_group(http, group_id)
    assert ng_seen is not None and ng_seen["externallyManaged"] is True
    assert (ng_seen["name"], ng_seen["users"]) == ("Compilers", [])
    added = patch_group(
        http,
        group_id,
        {
            "op": "add",
            "path": "members",
            "value": [{"value": user_id, "display": email}, {"value": GARY}],
        },
    )
    assert added.status_code == 204 and added.content == b""
    members = scim(http, "GET", f"/Groups/{group_id}").json()["members"]
    assert members == [
        {"value": user_id, "display": email},
        {"value": GARY, "display": "ghughes@example.com"},
    ]
    cg_seen = cg_group(http, "Compilers")
    assert cg_seen is not None and cg_seen["importedByScim"] is True
    assert {u["id"] for u in cg_seen["users"]["nodes"]} == {user_id, GARY}
    ng_seen = ng_group(http, group_id)
    assert ng_seen is not None and set(ng_seen["users"]) == {user_id, GARY}
    assert scim(http, "GET", f"/Users/{user_id}").json()["groups"] == [
        {"value": "Compilers", "display": "Compilers"}
    ]
    user_groups = cg_user(http, user_id)
    assert user_groups is not None and [g["name"] for g in user_groups["userGroups"]["nodes"]] == [
        "Compilers"
    ]

    removed = patch_group(http, group_id, {"op": "remove", "path": f'members[value eq "{GARY}"]'})
    assert removed.status_code == 204
    cg_seen = cg_group(http, "Compilers")
    assert cg_seen is not None and [u["id"] for u in cg_seen["users"]["nodes"]] == [user_id]
    ng_seen = ng_group(http, group_id)
    assert ng_seen is not None and ng_seen["users"] == [user_id]

    renamed_group = patch_group(
        http, group_id, {"op": "replace", "value": {"id": group_id, "displayName": "Compiler Team"}}
    )
    assert renamed_group.status_code == 204
    assert scim(http, "GET", f"/Groups/{group_id}").json()["displayName"] == "Compiler Team"
    assert cg_group(http, "Compilers") is None and cg_group(http, "Compiler Team") is not None
    ng_seen = ng_group(http, group_id)
    assert ng_seen is not None and ng_seen["name"] == "Compiler Team"

    # Deactivating a member takes it out of the group too, in every face.
    set_active(http, user_id, False)
    assert scim(http, "GET", f"/Groups/{group_id}").json()["members"] == []
    cg_seen = cg_group(http, "Compiler Team")
    assert cg_seen is not None and cg_seen["users"]["nodes"] == []
    ng_seen = ng_group(http, group_id)
    assert ng_seen is not None and ng_seen["users"] == []

    assert scim(http, "DELETE", f"/Groups/{group_id}").status_code == 204
    assert scim(http, "GET", f"/Groups/{group_id}").status_code == 404
    assert cg_group(http, "Compiler Team") is None and ng_group(http, group_id) is None


def test_entra_id_provisions_renames_deactivates_and_deletes(
    http: httpx.Client, sim: Simulator
) -> None:
    email = "alan.turing@example.com"
    lookup = scim(http, "GET", "/Users", filter=f'userName eq "{email}"')
    assert lookup.json()["totalResults"] == 0
    created = scim(
        http,
        "POST",
        "/Users",
        {
            "schemas": [USER_SCHEMA, ENTERPRISE],
            "externalId": "4f1d2b3c-entra",
            "userName": email,
            "active": True,
            "displayName": "Alan Turing",
            "emails": [{"primary": True, "type": "work", "value": email}],
            "meta": {"resourceType": "User"},
            "name": {"formatted": "Alan Turing", "familyName": "Turing", "givenName": "Alan"},
            ENTERPRISE: {"department": "Cryptanalysis"},
        },
    )
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    assert ENTERPRISE not in created.json()
    assert_member(http, user_id, name="Alan Turing", email=email)
    cg = cg_user(http, user_id)
    assert cg is not None and cg["externalUserId"] == "4f1d2b3c-entra"

    renamed = scim(
        http,
        "PATCH",
        f"/Users/{user_id}",
        patch_ops(
            {"op": "Replace", "path": "displayName", "value": "Alan M. Turing"},
            {"op": "Replace", "path": "name.givenName", "value": "Alan M."},
        ),
    )
    assert renamed.status_code == 200 and renamed.json()["displayName"] == "Alan M. Turing"
    assert_member(http, user_id, name="Alan M. Turing", email=email)

    # Entra ID sends booleans as text, with a path; path-less works the same.
    off = scim(
        http,
        "PATCH",
        f"/Users/{user_id}",
        patch_ops({"op": "Replace", "path": "active", "value": "False"}),
    )
    assert off.status_code == 200 and off.json()["active"] is False
    assert_out_of_account(http, user_id)
    on = scim(
        http,
        "PATCH",
        f"/Users/{user_id}",
        patch_ops({"op": "Replace", "path": "active", "value": "True"}),
    )
    assert on.json()["active"] is True
    assert_member(http, user_id, name="Alan M. Turing", email=email)

    group = scim(
        http,
        "POST",
        "/Groups",
        {
            "schemas": [GROUP_SCHEMA],
            "externalId": "g-entra-1",
            "displayName": "Bletchley-Park.Hut 8",
            "members": [],
        },
    )
    assert group.status_code == 201 and group.json()["id"] == "Bletchley_Park_Hut_8"
    group_id = group.json()["id"]
    add = patch_group(
        http, group_id, {"op": "Add", "path": "members", "value": [{"value": user_id}]}
    )
    assert add.status_code == 204
    seen = cg_group(http, "Bletchley-Park.Hut 8")
    assert seen is not None and [u["id"] for u in seen["users"]["nodes"]] == [user_id]
    ng_seen = ng_group(http, group_id)
    assert ng_seen is not None and ng_seen["externallyManaged"] is True
    assert ng_seen["users"] == [user_id]
    remove = patch_group(
        http, group_id, {"op": "Remove", "path": "members", "value": [{"value": user_id}]}
    )
    assert remove.status_code == 204
    seen = cg_group(http, "Bletchley-Park.Hut 8")
    assert seen is not None and seen["users"]["nodes"] == []
    ng_seen = ng_group(http, group_id)
    assert ng_seen is not None and ng_seen["users"] == []

    assert scim(http, "DELETE", f"/Users/{user_id}").status_code == 204
    assert scim(http, "GET", f"/Users/{user_id}").status_code == 404
    assert_out_of_account(http, user_id)
    assert scim(http, "DELETE", f"/Groups/{group_id}").status_code == 204
    assert cg_group(http, "Bletchley-Park.Hut 8") is None and ng_group(http, group_id) is None


def test_a_create_for_an_existing_email_takes_the_user_over(
    http: httpx.Client, sim: Simulator
) -> None:
    """Harness answers 201 with the account's user, now the provider's."""
    created = scim(http, "POST", "/Users", okta_user("GHughes@example.com", "Gary", "Hughes"))
    assert created.status_code == 201
    assert created.json()["id"] == GARY
    assert_member(http, GARY, name="Gary Hughes", email="ghughes@example.com")


def test_the_flag_off_leaves_meta_and_groups_out(http: httpx.Client, sim: Simulator) -> None:
    """An account without PL_NEW_SCIM_STANDARDS: no meta, no groups, only the name shown."""
    state = sim.harness.state
    with sim.harness.transaction():
        account = state.accounts[ACCOUNT]
        state.db.put(state.accounts, replace(account, login=LoginSettings()))
    user = scim(http, "GET", f"/Users/{GARY}").json()
    assert "meta" not in user and "groups" not in user
    assert user["name"] == {"displayName": "Gary Hughes"}


def test_a_deactivated_user_survives_an_export_and_a_reload(
    http: httpx.Client, sim: Simulator
) -> None:
    off = set_active(http, ERIN, False)
    assert off.status_code == 200
    state = http.get("/_usersim/state").json()
    account = next(a for a in state["harness"]["accounts"] if a["id"] == ACCOUNT)
    assert [u["id"] for u in account["scimDeactivatedUsers"]] == [ERIN]
    assert ERIN not in {u["id"] for u in account["users"]}
    http.post("/_usersim/reset")
    assert scim(http, "GET", f"/Users/{ERIN}").json()["active"] is True
    assert http.put("/_usersim/state", json=state).status_code == 200
    assert scim(http, "GET", f"/Users/{ERIN}").json()["active"] is False
    on = set_active(http, ERIN, True)
    assert on.json()["active"] is True
    assert_member(http, ERIN, name="Erin Okafor", email="eokafor@example.com")


def test_harness_scopes_put_a_group_at_a_project(http: httpx.Client, sim: Simulator) -> None:
    created = scim(
        http,
        "POST",
        "/Groups",
        {"displayName": "Checkout On-Call", "harnessScopes": f"{ACCOUNT}:default:checkout"},
    )
    assert created.status_code == 201, created.text
    assert created.json()["id"] == "Checkout_On_Call"
    group = sim.harness.state.groups.find(
        "identifier", (ACCOUNT, "default", "checkout", "Checkout_On_Call")
    )
    assert group is not None and group.imported_by_scim
    assert scim(http, "GET", "/Groups/Checkout_On_Call").json()["displayName"] == "Checkout On-Call"
    # CurrentGen's groups are the account's: a project's group is not one of them.
    assert cg_group(http, "Checkout On-Call") is None
    # Members must belong to the group's scope: Gary is not in the project, Sara is.
    members = [{"value": GARY}, {"value": SARA}]
    added = patch_group(
        http, "Checkout_On_Call", {"op": "add", "path": "members", "value": members}
    )
    assert added.status_code == 204
    assert scim(http, "GET", "/Groups/Checkout_On_Call").json()["members"] == [
        {"value": SARA, "display": "sruiz@example.com"}
    ]


def provisioned_group(http: httpx.Client, sim: Simulator) -> str:
    """Okta Engineers, pushed by the provider with Erin in it; its CurrentGen id."""
    created = scim(
        http, "POST", "/Groups", {"displayName": "Okta Engineers", "members": [{"value": ERIN}]}
    )
    assert created.status_code == 201
    group = sim.harness.state.groups.find("identifier", (ACCOUNT, None, None, "Okta_Engineers"))
    assert group is not None
    return group.id


def test_currentgen_cannot_rename_a_group_the_provider_owns(
    http: httpx.Client, sim: Simulator
) -> None:
    group_id = provisioned_group(http, sim)
    before = sim.export()
    renamed = cg(
        http,
        f'mutation {{ updateUserGroup(input: {{userGroupId: "{group_id}", name: "Renamed"}})'
        " { userGroup { name } } }",
    )
    assert renamed["data"] == {"updateUserGroup": None}
    assert (
        "The name cannot be updated for externally managed group" in renamed["errors"][0]["message"]
    )
    assert sim.export() == before


def test_nextgen_and_currentgen_refuse_member_edits_of_a_provisioned_group(
    http: httpx.Client, sim: Simulator
) -> None:
    group_id = provisioned_group(http, sim)
    before = sim.export()
    added = cg(
        http,
        f'mutation {{ addUserToUserGroup(input: {{userGroupId: "{group_id}", userId: "{GARY}"}})'
        " { userGroup { id } } }",
    )
    assert "not supported for externally managed group" in added["errors"][0]["message"]
    ng = http.put(
        f"/gateway/ng/api/user-groups/Okta_Engineers/member/{GARY}",
        params={"accountIdentifier": ACCOUNT},
        headers={"x-api-key": ADMIN_KEY},
    )
    assert ng.status_code == 400
    assert "not supported for externally managed group" in ng.json()["message"]
    assert sim.export() == before
