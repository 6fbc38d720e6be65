"""Who may call: keys, accounts, CurrentGen account permissions, both URL paths."""

from __future__ import annotations

import httpx
import pytest

from simulator.runtime import Simulator
from tests.harness_cg.conftest import CG, ENGINEERING, SARA, Cg, message, refusal
from tests.ids import ACCOUNT, LOCKED_KEY, SECOND_ACCOUNT, SECOND_KEY, VIEWER_KEY

USERS = "{ users(limit: 50) { pageInfo { total } nodes { id } } }"
CREATE = 'mutation { createUserGroup(input: {name: "By Viewer"}) { userGroup { id } } }'


@pytest.mark.parametrize("key", [None, "", "not-a-key"], ids=["missing", "empty", "unknown"])
def test_a_missing_or_bad_key_is_401_invalid_api_key(cg: Cg, key: str | None) -> None:
    response = cg.post(USERS, key=key)
    assert response.status_code == 401
    assert response.json() == {"errors": [{"message": "Invalid Api Key"}]}


def test_the_key_header_name_is_case_insensitive(cg: Cg) -> None:
    response = cg.post(USERS, key=None, headers={"X-Api-Key": "usersim-admin-key"})
    assert response.status_code == 200
    assert response.json()["data"]["users"]["pageInfo"]["total"] == 8


def test_a_key_of_another_account_is_invalid_here(cg: Cg) -> None:
    response = cg.post(USERS, key=SECOND_KEY, account=ACCOUNT)
    assert response.status_code == 401
    assert response.json() == {"errors": [{"message": "Invalid Api Key"}]}


def test_without_account_id_the_key_names_the_account(cg: Cg) -> None:
    own = cg.data(USERS, key=SECOND_KEY, account=None)["users"]
    assert own["pageInfo"]["total"] == 2
    assert SARA not in {node["id"] for node in own["nodes"]}
    assert cg.data(USERS, key=SECOND_KEY, account=SECOND_ACCOUNT)["users"] == own


def test_a_locked_key_owner_is_not_authorized(cg: Cg) -> None:
    response = cg.post(USERS, key=LOCKED_KEY)
    assert response.status_code == 401
    assert response.json() == {"errors": [{"message": "User not authorized"}]}


def test_read_users_and_groups_allows_reads_only(cg: Cg, sim: Simulator) -> None:
    """The viewer key's owner is in Engineering, which holds READ_USERS_AND_GROUPS only."""
    assert cg.data(USERS, key=VIEWER_KEY)["users"]["pageInfo"]["total"] == 8
    before = sim.harness.export()

    field, error = refusal(cg.post(CREATE, key=VIEWER_KEY))

    assert field == "createUserGroup"
    assert error["message"] == (
        "Exception while fetching data (/createUserGroup) : Invalid request: User not authorized"
    )
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert sim.harness.export() == before


def test_without_read_users_and_groups_nothing_is_readable(cg: Cg, sim: Simulator) -> None:
    # Take READ_USERS_AND_GROUPS from Engineering: the viewer keeps no CG permission.
    cg.data(
        "mutation($i: UpdateUserGroupPermissionsInput!) {"
        " updateUserGroupPermissions(input: $i) { clientMutationId } }",
        {"i": {"userGroupId": ENGINEERING, "permissions": {}}},
    )
    assert message(cg.post(USERS, key=VIEWER_KEY)) == "User not authorized"
    assert message(cg.post(f'{{ user(id: "{SARA}") {{ id }} }}', key=VIEWER_KEY)) == (
        "User not authorized"
    )


def test_manage_users_and_groups_granted_by_a_group_allows_mutations(cg: Cg) -> None:
    cg.data(
        "mutation($i: UpdateUserGroupPermissionsInput!) {"
        " updateUserGroupPermissions(input: $i) { clientMutationId } }",
        {
            "i": {
                "userGroupId": ENGINEERING,
                "permissions": {
                    "accountPermissions": {
                        "accountPermissionTypes": [
                            "READ_USERS_AND_GROUPS",
                            "MANAGE_USERS_AND_GROUPS",
                        ]
                    }
                },
            }
        },
    )
    created = cg.data(CREATE, key=VIEWER_KEY)
    assert created["createUserGroup"]["userGroup"]["id"]


def test_account_admins_hold_every_permission(cg: Cg) -> None:
    """The admin key's owner is a NextGen account admin; that alone is enough."""
    cg.data(
        "mutation($i: UpdateUserGroupPermissionsInput!) {"
        " updateUserGroupPermissions(input: $i) { clientMutationId } }",
        {"i": {"userGroupId": "NvZ1zIHnTvXo4l2UDtkEdQ", "permissions": {}}},
    )
    assert cg.data(CREATE)["createUserGroup"]["userGroup"]["id"]


@pytest.mark.parametrize("path", ["/gateway/api/graphql", "/api/graphql"])
def test_both_paths_serve_the_api(cg: Cg, path: str) -> None:
    assert cg.data(USERS, path=path)["users"]["pageInfo"]["total"] == 8


def test_accounts_are_isolated(cg: Cg) -> None:
    """The second account's admin sees and changes only its own account."""
    created = cg.data(
        'mutation { createUserGroup(input: {name: "Engineering"}) { userGroup { id } } }',
        key=SECOND_KEY,
        account=SECOND_ACCOUNT,
    )
    group_id = created["createUserGroup"]["userGroup"]["id"]
    assert message(cg.post(f'{{ userGroup(userGroupId: "{group_id}") {{ id }} }}')) == (
        "No User Group exists"
    )
    own = cg.data(
        '{ userByEmail(email: "sruiz@example.com") { id } }', key=SECOND_KEY, account=None
    )
    assert own["userByEmail"]["id"] != SARA


def test_the_explorer_needs_no_key(http: httpx.Client) -> None:
    response = http.get(CG, params={"accountId": ACCOUNT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()
    assert "usersim-admin-key" in response.text
    assert http.head(CG).status_code == 200
