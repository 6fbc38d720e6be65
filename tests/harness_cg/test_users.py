"""createUser, updateUser, deleteUser and the user queries, beyond the seed samples."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
import pytest

from simulator.runtime import Simulator
from tests.harness_cg.conftest import (
    ENGINEERING,
    ERIN,
    PRIYA,
    RELEASE_MANAGERS,
    SARA,
    SUPPORT,
    WEI,
    Cg,
    message,
    ng_user_ids,
)
from tests.ids import ACCOUNT, ADMIN_ID, ADMIN_KEY

CREATE = """mutation($i: CreateUserInput!) {
  createUser(input: $i) { user { id name email externalUserId isEmailVerified userGroups(limit: 5) { nodes { name } } } }
}"""
UPDATE = """mutation($i: UpdateUserInput!) {
  updateUser(input: $i) { user { id name externalUserId userGroups(limit: 5) { nodes { name } } } }
}"""
DELETE = "mutation($i: DeleteUserInput!) { deleteUser(input: $i) { clientMutationId } }"


def create(cg: Cg, **fields: Any) -> Any:
    return cg.post(CREATE, {"i": {"name": "New Hire", "email": "new@example.com", **fields}})


def test_create_user_with_an_external_id_and_no_groups(cg: Cg) -> None:
    user = create(cg, externalUserId="okta-42").json()["data"]["createUser"]["user"]
    assert user["externalUserId"] == "okta-42"
    assert user["isEmailVerified"] is False
    assert user["userGroups"] == {"nodes": []}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"email": "  "}, "Invalid argument(s): email: cannot be empty or blank"),
        ({"name": ""}, "Invalid argument(s): name: cannot be empty or blank"),
        (
            {"userGroupIds": [ENGINEERING, ""]},
            "Invalid argument(s): userGroupId: cannot be empty or blank",
        ),
        ({"email": "not-an-email"}, "not-an-email is not a valid email address"),
    ],
    ids=["blank-email", "blank-name", "blank-group", "bad-email"],
)
def test_create_user_refuses_bad_input(
    cg: Cg, sim: Simulator, fields: dict[str, Any], expected: str
) -> None:
    before = sim.harness.export()
    assert message(create(cg, **fields)) == expected
    assert sim.harness.export() == before


def test_update_user_changes_only_what_was_sent(cg: Cg, sim: Simulator) -> None:
    renamed = cg.data(UPDATE, {"i": {"id": SARA, "name": "Sara Ruiz-Diaz"}})["updateUser"]["user"]
    assert renamed["name"] == "Sara Ruiz-Diaz"
    stored = sim.harness.users.get(ACCOUNT, SARA)
    assert (stored.email, stored.external_id) == ("sruiz@example.com", None)

    grouped = cg.data(
        UPDATE, {"i": {"id": SARA, "userGroupIds": [SUPPORT], "externalUserId": "ext-1"}}
    )["updateUser"]["user"]
    # userGroupIds adds groups: Engineering stays.
    assert grouped["userGroups"] == {"nodes": [{"name": "Engineering"}, {"name": "Support"}]}
    assert grouped["name"] == "Sara Ruiz-Diaz"
    assert grouped["externalUserId"] == "ext-1"


def test_update_user_refuses_a_null_name(cg: Cg, sim: Simulator) -> None:
    before = sim.harness.export()
    response = cg.post(UPDATE, {"i": {"id": SARA, "name": None}})
    assert message(response) == "Invalid argument(s): name: cannot be null"
    assert message(cg.post(UPDATE, {"i": {"id": " ", "name": "X"}})) == (
        "Invalid argument(s): id: cannot be empty or blank"
    )
    assert sim.harness.export() == before


def test_update_user_reaches_users_an_identity_provider_manages(cg: Cg) -> None:
    """SCIM bridges keep such users in step through CurrentGen's API."""
    user = cg.data(UPDATE, {"i": {"id": ERIN, "externalUserId": "okta-new"}})["updateUser"]["user"]
    assert user["externalUserId"] == "okta-new"


def test_delete_user_removes_it_everywhere(cg: Cg, sim: Simulator, http: httpx.Client) -> None:
    """Sara is in Engineering, the default org, project checkout, with role assignments."""
    state = sim.harness.state
    assert state.members.find_all("user", SARA)
    cg.data(DELETE, {"i": {"id": SARA}})

    assert all(SARA not in group.member_ids for group in state.groups.values())
    assert state.members.find_all("user", SARA) == []
    assert state.role_assignments.find_all("principal", (ACCOUNT, "USER", SARA)) == []
    assert SARA not in ng_user_ids(http)
    engineering = cg.data(
        "query($id: String!) { userGroup(userGroupId: $id) { users(limit: 9) { nodes { id } } } }",
        {"id": ENGINEERING},
    )
    assert engineering["userGroup"]["users"]["nodes"] == [{"id": WEI}]
    project = http.post(
        "/ng/api/user/batch",
        params={
            "accountIdentifier": ACCOUNT,
            "orgIdentifier": "default",
            "projectIdentifier": "checkout",
        },
        headers={"x-api-key": ADMIN_KEY},
    )
    assert SARA not in {item["uuid"] for item in project.json()["data"]["content"]}


def test_the_last_account_admin_cannot_be_deleted(cg: Cg, sim: Simulator) -> None:
    before = sim.harness.export()
    refused = message(cg.post(DELETE, {"i": {"id": ADMIN_ID}}))
    assert "last account admin" in refused
    assert sim.harness.export() == before


def test_disabled_users_are_listed_only_when_asked(cg: Cg, sim: Simulator) -> None:
    with sim.harness.transaction():
        user = sim.harness.users.get(ACCOUNT, PRIYA)
        sim.harness.state.db.put(sim.harness.state.users, replace(user, disabled=True))
    query = "query($f: [UserFilter]) { users(limit: 20, filters: $f) { pageInfo { total } nodes { id isDisabled } } }"

    default = cg.data(query)["users"]
    included = cg.data(query, {"f": [{"includeDisabled": True}]})["users"]
    excluded = cg.data(query, {"f": [{"includeDisabled": False}]})["users"]

    assert default["pageInfo"]["total"] == 7 and PRIYA not in {n["id"] for n in default["nodes"]}
    assert excluded == default
    assert included["pageInfo"]["total"] == 8
    assert {"id": PRIYA, "isDisabled": True} in included["nodes"]
    # Looked up directly, a disabled user is still found.
    direct = cg.data("query($id: String!) { user(id: $id) { isDisabled } }", {"id": PRIYA})
    assert direct == {"user": {"isDisabled": True}}


def test_user_by_name_is_exact_and_takes_the_first_match(cg: Cg, sim: Simulator) -> None:
    twin = sim.harness.users.create(ACCOUNT, name="Sara Ruiz", email="sara2@example.com")
    found = cg.data('{ userByName(name: "Sara Ruiz") { id } }')["userByName"]["id"]
    assert found == min(SARA, twin.id)
    assert message(cg.post('{ userByName(name: "sara ruiz") { id } }')) == "User does not exist"


def test_a_user_reads_every_field(cg: Cg) -> None:
    result = cg.data(
        """query($id: String!) { user(id: $id) {
            id name email isEmailVerified isTwoFactorAuthenticationEnabled isUserLocked
            isPasswordExpired isImportedFromIdentityProvider externalUserId isDisabled
            userGroups(limit: 5, offset: 0) { pageInfo { total limit hasMore offset } nodes { id } }
        } }""",
        {"id": PRIYA},
    )
    assert result["user"] == {
        "id": PRIYA,
        "name": "Priya Bose",
        "email": "pbose@example.com",
        "isEmailVerified": True,
        "isTwoFactorAuthenticationEnabled": False,
        "isUserLocked": False,
        "isPasswordExpired": False,
        "isImportedFromIdentityProvider": False,
        "externalUserId": None,
        "isDisabled": False,
        "userGroups": {
            "pageInfo": {"total": 1, "limit": 5, "hasMore": False, "offset": 0},
            "nodes": [{"id": RELEASE_MANAGERS}],
        },
    }
