"""Random sequences of CurrentGen mutations against a model of the account.

schemathesis's stateful phase cannot chain this schema's operations (see
test_contract.py), so this hypothesis state machine does it: it creates and deletes users
and groups, moves members, renames groups and sets permissions through real HTTP,
predicts each answer (including Harness's refusals) from a small model, and after every
step compares the whole account as CurrentGen lists it, and its users as NextGen lists
them, with the model.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from simulator.runtime import Simulator
from tests.harness_cg.conftest import Cg, ng_user_ids
from tests.ids import ACCOUNT, ADMIN_ID

USER_NAMES = ["Ann Lee", "Bob Stone", "ann lee", "Cy Twombly"]
EMAILS = ["ann@example.com", "ANN@example.com", "bob@example.com", "sruiz@example.com"]
GROUP_NAMES = ["Ops", "ops", "Engineering", "Auditors", " Ops "]
ACCOUNT_PERMISSIONS = ["READ_USERS_AND_GROUPS", "MANAGE_USERS_AND_GROUPS", "VIEW_AUDITS"]

ACCOUNT_STATE = """{
  users(limit: 500) { pageInfo { total } nodes { id email userGroups(limit: 50) { nodes { id } } } }
  userGroups(limit: 500) {
    pageInfo { total }
    nodes {
      id name
      users(limit: 500) { pageInfo { total } nodes { id } }
      permissions { accountPermissions { accountPermissionTypes } }
    }
  }
}"""


class CurrentGenAccount(RuleBasedStateMachine):
    """The default account seen through CurrentGen, with `users` and `groups` as the model."""

    cg: Cg
    sim: Simulator

    users = Bundle("users")
    groups = Bundle("groups")

    def __init__(self) -> None:
        super().__init__()
        self.sim.reset()
        state = self.sim.harness.state
        self.emails: dict[str, str] = {
            user.id: user.email for user in state.users.values() if user.account_id == ACCOUNT
        }
        self.group_names: dict[str, str] = {}
        self.members: dict[str, set[str]] = {}
        self.permissions: dict[str, list[str]] = {}
        for group in state.groups.values():
            if group.account_id == ACCOUNT and group.org is None:
                self.group_names[group.id] = group.name
                self.members[group.id] = set(group.member_ids)
                account = (group.permissions or {}).get("accountPermissions") or {}
                self.permissions[group.id] = list(account.get("accountPermissionTypes") or ())

    # -- helpers -------------------------------------------------------------------------

    def call(self, query: str, variables: dict[str, Any]) -> tuple[Any, str | None]:
        """(data of the root field, None) or (None, the refusal message)."""
        body = self.cg.post(query, variables).json()
        field = next(iter(body["data"]))
        if not body.get("errors"):
            return body["data"][field], None
        prefix = f"Exception while fetching data (/{field}) : Invalid request: "
        message = body["errors"][0]["message"]
        assert message.startswith(prefix), body
        assert body["data"][field] is None, body
        return None, message[len(prefix) :]

    def expect(self, outcome: tuple[Any, str | None], refusal: str | None) -> Any:
        data, message = outcome
        assert message == refusal, (message, refusal)
        return data

    def name_holder(self, name: str) -> str | None:
        return next((gid for gid, held in self.group_names.items() if held == name.strip()), None)

    # -- rules ---------------------------------------------------------------------------

    @initialize(target=users)
    def fixture_users(self) -> Any:
        return multiple(*sorted(self.emails))

    @initialize(target=groups)
    def fixture_groups(self) -> Any:
        return multiple(*sorted(self.group_names), "NoSuchGroup00000000000")

    @rule(
        target=users,
        name=st.sampled_from(USER_NAMES),
        email=st.sampled_from(EMAILS),
        group_ids=st.lists(groups, max_size=2),
    )
    def create_user(self, name: str, email: str, group_ids: list[str]) -> Any:
        unknown = [gid for gid in group_ids if gid not in self.group_names]
        if unknown:
            refusal = f"Invalid userGroupId: {', '.join(unknown)} provided in the request"
        elif email.lower() in {held.lower() for held in self.emails.values()}:
            refusal = f"User with email {email.lower()} already exists"
        else:
            refusal = None
        data = self.expect(
            self.call(
                "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }",
                {"i": {"name": name, "email": email, "userGroupIds": group_ids}},
            ),
            refusal,
        )
        if data is None:
            return "NoSuchUser000000000000"
        user_id = data["user"]["id"]
        self.emails[user_id] = email.lower()
        for gid in group_ids:
            self.members[gid].add(user_id)
        return user_id

    @rule(user_id=users)
    def delete_user(self, user_id: str) -> None:
        if user_id not in self.emails:
            refusal: str | None = "User not found"
        elif user_id == ADMIN_ID:
            refusal = "The last account admin cannot be removed; the account must keep one admin."
        else:
            refusal = None
        self.expect(
            self.call(
                "mutation($i: DeleteUserInput!) { deleteUser(input: $i) { clientMutationId } }",
                {"i": {"id": user_id}},
            ),
            refusal,
        )
        if refusal is None:
            del self.emails[user_id]
            for members in self.members.values():
                members.discard(user_id)

    @rule(target=groups, name=st.sampled_from(GROUP_NAMES), user_ids=st.lists(users, max_size=3))
    def create_group(self, name: str, user_ids: list[str]) -> Any:
        unknown = [uid for uid in user_ids if uid not in self.emails]
        if unknown:
            refusal: str | None = f"Invalid id/s {', '.join(unknown)} provided in the request"
        elif self.name_holder(name) is not None:
            refusal = f"A user group already exists with the name {name.strip()}"
        else:
            refusal = None
        data = self.expect(
            self.call(
                "mutation($i: CreateUserGroupInput!) { createUserGroup(input: $i) {"
                " userGroup { id } } }",
                {"i": {"name": name, "userIds": user_ids}},
            ),
            refusal,
        )
        if data is None:
            return "NoSuchGroup00000000000"
        group_id = data["userGroup"]["id"]
        self.group_names[group_id] = name.strip()
        self.members[group_id] = set(user_ids)
        self.permissions[group_id] = []
        return group_id

    @rule(user_id=users, group_id=groups, add=st.booleans())
    def move_member(self, user_id: str, group_id: str, add: bool) -> None:
        if group_id not in self.group_names:
            refusal: str | None = f"No user group exists with the id {group_id}"
        elif user_id not in self.emails:
            refusal = f"No user exists with the id {user_id}"
        elif add and user_id in self.members[group_id]:
            refusal = f"A user with id {user_id} already exists in the user group"
        elif not add and user_id not in self.members[group_id]:
            refusal = f"No user with id {user_id} exists in the user group"
        else:
            refusal = None
        mutation, input_type = (
            ("addUserToUserGroup", "AddUserToUserGroupInput")
            if add
            else ("removeUserFromUserGroup", "RemoveUserFromUserGroupInput")
        )
        self.expect(
            self.call(
                f"mutation($i: {input_type}!) {{ {mutation}(input: $i) {{ clientMutationId }} }}",
                {"i": {"userGroupId": group_id, "userId": user_id}},
            ),
            refusal,
        )
        if refusal is None:
            (self.members[group_id].add if add else self.members[group_id].discard)(user_id)

    @rule(group_id=groups, name=st.sampled_from(GROUP_NAMES))
    def rename_group(self, group_id: str, name: str) -> None:
        holder = self.name_holder(name)
        if group_id not in self.group_names:
            refusal: str | None = f"No user group exists with the id {group_id}"
        elif holder is not None and holder != group_id:
            refusal = f"A user group already exists with the name {name.strip()}"
        else:
            refusal = None
        self.expect(
            self.call(
                "mutation($i: UpdateUserGroupInput!) { updateUserGroup(input: $i) {"
                " clientMutationId } }",
                {"i": {"userGroupId": group_id, "name": name}},
            ),
            refusal,
        )
        if refusal is None:
            self.group_names[group_id] = name.strip()

    @rule(group_id=groups, read=st.booleans(), manage=st.booleans())
    def set_permissions(self, group_id: str, read: bool, manage: bool) -> None:
        types = [
            t
            for t, on in (("READ_USERS_AND_GROUPS", read), ("MANAGE_USERS_AND_GROUPS", manage))
            if on
        ]
        if group_id not in self.group_names:
            refusal: str | None = f"No userGroup Exists with id {group_id}"
        elif manage and not read:
            refusal = (
                "The permission MANAGE_USERS_AND_GROUPS cannot be set without setting"
                " READ_USERS_AND_GROUPS"
            )
        else:
            refusal = None
        self.expect(
            self.call(
                "mutation($i: UpdateUserGroupPermissionsInput!) {"
                " updateUserGroupPermissions(input: $i) { clientMutationId } }",
                {
                    "i": {
                        "userGroupId": group_id,
                        "permissions": {"accountPermissions": {"accountPermissionTypes": types}},
                    }
                },
            ),
            refusal,
        )
        if refusal is None:
            self.permissions[group_id] = types

    @rule(group_id=groups, permission=st.sampled_from(ACCOUNT_PERMISSIONS))
    def add_account_permission(self, group_id: str, permission: str) -> None:
        held = self.permissions.get(group_id)
        if held is None:
            refusal: str | None = f"No user group exists with the id {group_id}"
        elif permission in held:
            refusal = "The account permission already exists in the user group"
        elif permission == "MANAGE_USERS_AND_GROUPS" and "READ_USERS_AND_GROUPS" not in held:
            refusal = "Invalid account permission"
        else:
            refusal = None
        self.expect(
            self.call(
                "mutation($i: AddAccountPermissionInput!) { addAccountPermission(input: $i) {"
                " userGroup { permissions { accountPermissions { accountPermissionTypes } } } } }",
                {"i": {"userGroupId": group_id, "accountPermission": permission}},
            ),
            refusal,
        )
        if held is not None and refusal is None:
            held.append(permission)

    @rule(group_id=groups)
    def delete_group(self, group_id: str) -> None:
        known = group_id in self.group_names
        self.expect(
            self.call(
                "mutation($i: DeleteUserGroupInput!) { deleteUserGroup(input: $i) {"
                " clientMutationId } }",
                {"i": {"userGroupId": group_id}},
            ),
            None if known else f"No user group exists with the id {group_id}",
        )
        if known:
            for table in (self.group_names, self.members, self.permissions):
                del table[group_id]

    # -- the account, seen both ways ------------------------------------------------------

    @invariant()
    def both_faces_show_the_model(self) -> None:
        account = self.cg.data(ACCOUNT_STATE)
        users = {node["id"]: node for node in account["users"]["nodes"]}
        assert account["users"]["pageInfo"]["total"] == len(self.emails)
        assert {uid: node["email"] for uid, node in users.items()} == self.emails
        for uid, node in users.items():
            listed = {group["id"] for group in node["userGroups"]["nodes"]}
            assert listed == {gid for gid, members in self.members.items() if uid in members}
        groups = {node["id"]: node for node in account["userGroups"]["nodes"]}
        assert {gid: node["name"] for gid, node in groups.items()} == self.group_names
        for gid, node in groups.items():
            assert {member["id"] for member in node["users"]["nodes"]} == self.members[gid]
            types = node["permissions"]["accountPermissions"]["accountPermissionTypes"]
            assert sorted(types) == sorted(self.permissions[gid])
        assert ng_user_ids(self.cg.client) == set(self.emails)
        assert self.sim.invariants() == []


def test_random_mutation_sequences_match_the_model(cg: Cg, sim: Simulator) -> None:
    class Machine(CurrentGenAccount):
        pass

    Machine.cg, Machine.sim = cg, sim
    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=20,
            stateful_step_count=12,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
