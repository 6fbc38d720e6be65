"""User listing, adding, removing and updating through the NextGen routes."""

from __future__ import annotations

import httpx
import pytest

from simulator.runtime import Simulator
from tests.harness_ng.conftest import NG, emails, error, failure, ok, q
from tests.ids import (
    ADMIN_ID,
    ERIN,
    GARY,
    LIAM,
    PRIYA,
    SARA,
    SECOND_ACCOUNT,
    SECOND_KEY,
    WEI,
)

CHECKOUT = {"orgIdentifier": "default", "projectIdentifier": "checkout"}


# -- getUsers ------------------------------------------------------------------------------


def test_get_users_pages_through_the_account(ng: httpx.Client) -> None:
    first = ok(ng.post(f"{NG}/batch", params=q(pageSize="3")))
    assert (first["totalItems"], first["totalPages"], first["pageItemCount"]) == (8, 3, 3)
    assert first["pageIndex"] == 0 and first["empty"] is False
    last = ok(ng.post(f"{NG}/batch", params=q(pageSize="3", pageIndex="2")))
    assert last["pageItemCount"] == 2
    beyond = ok(ng.post(f"{NG}/batch", params=q(pageSize="3", pageIndex="3")))
    assert beyond["content"] == [] and beyond["empty"] is True and beyond["totalItems"] == 8
    seen = (
        emails(first)
        + emails(ok(ng.post(f"{NG}/batch", params=q(pageSize="3", pageIndex="1"))))
        + emails(last)
    )
    assert len(set(seen)) == 8


def test_get_users_content_has_every_required_field(ng: httpx.Client) -> None:
    user = ok(ng.post(f"{NG}/batch", params=q(), json={"identifiers": [LIAM]}))["content"][0]
    assert user == {
        "name": "Liam Locke",
        "email": "llocke@example.com",
        "uuid": LIAM,
        "locked": True,
        "disabled": False,
        "externallyManaged": False,
        "twoFactorAuthenticationEnabled": False,
    }


def test_get_users_filters(ng: httpx.Client) -> None:
    assert emails(ok(ng.post(f"{NG}/batch", params=q(), json={"searchTerm": "RUIZ"}))) == [
        "sruiz@example.com"
    ]
    assert emails(
        ok(
            ng.post(
                f"{NG}/batch",
                params=q(),
                json={"searchTerm": "example.com", "emails": ["PBOSE@example.com"]},
            )
        )
    ) == ["pbose@example.com"]
    by_id = ok(ng.post(f"{NG}/batch", params=q(), json={"identifiers": [WEI, GARY]}))
    assert sorted(emails(by_id)) == ["ghughes@example.com", "wzhang@example.com"]


def test_get_users_sorts(ng: httpx.Client) -> None:
    page = ok(ng.post(f"{NG}/batch", params=[*q().items(), ("sortOrders", "name,DESC")]))
    names = [u["name"] for u in page["content"]]
    assert names == sorted(names, key=str.lower, reverse=True)
    # An unknown field sorts nothing, as in Harness's datastore.
    unsorted = ok(ng.post(f"{NG}/batch", params=[*q().items(), ("sortOrders", "password,DESC")]))
    assert emails(unsorted) == emails(ok(ng.post(f"{NG}/batch", params=q())))


def test_get_users_in_a_project_and_its_parents(ng: httpx.Client) -> None:
    own = ok(
        ng.post(f"{NG}/batch", params=q(**CHECKOUT), json={"parentFilter": "NO_PARENT_SCOPES"})
    )
    assert sorted(emails(own)) == ["sruiz@example.com", "wzhang@example.com"]
    every = ok(
        ng.post(f"{NG}/batch", params=q(**CHECKOUT), json={"parentFilter": "INCLUDE_PARENT_SCOPES"})
    )
    assert every["totalItems"] == 8
    parents_only = ok(
        ng.post(
            f"{NG}/batch", params=q(**CHECKOUT), json={"parentFilter": "STRICTLY_PARENT_SCOPES"}
        )
    )
    assert parents_only["totalItems"] == 6
    assert "sruiz@example.com" not in emails(parents_only)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"pageSize": "101"}, "pageSize"),
        ({"pageSize": "0"}, "pageSize"),
        ({"pageIndex": "-1"}, "pageIndex"),
        ({"pageIndex": "x"}, "pageIndex"),
    ],
)
def test_get_users_refuses_bad_paging(ng: httpx.Client, params: dict, field: str) -> None:
    failure(ng.post(f"{NG}/batch", params=q(**params)), field)


def test_get_users_refuses_a_bad_filter_body(ng: httpx.Client) -> None:
    failure(ng.post(f"{NG}/batch", params=q(), json={"parentFilter": "SIDEWAYS"}), "parentFilter")
    failure(ng.post(f"{NG}/batch", params=q(), json={"identifiers": "not-a-list"}), "identifiers")


def test_unknown_scope_is_404(ng: httpx.Client) -> None:
    body = error(ng.post(f"{NG}/batch", params=q(orgIdentifier="nope")), 404, "ENTITY_NOT_FOUND")
    assert "nope" in body["message"]
    error(
        ng.post(f"{NG}/batch", params=q(orgIdentifier="default", projectIdentifier="nope")),
        404,
        "ENTITY_NOT_FOUND",
    )


def test_current_gen_users_search(ng: httpx.Client) -> None:
    page = ok(ng.get(f"{NG}/currentgen", params=q(searchString="zhang")))
    assert emails(page) == ["wzhang@example.com"]


# -- addUsers ------------------------------------------------------------------------------


def test_add_users_answers_per_email(ng: httpx.Client, sim: Simulator) -> None:
    body = {
        "emails": [
            "pbose@example.com",
            "New.Person@Example.com",
            "sruiz@example.com",
            "newhire@example.com",
        ],
        "roleBindings": [
            {
                "roleIdentifier": "_project_viewer",
                "resourceGroupIdentifier": "_all_project_level_resources",
            }
        ],
        "userGroups": [],
    }
    result = ok(ng.post(f"{NG}/users", params=q(**CHECKOUT), json=body))["addUserResponseMap"]
    assert result == {
        "pbose@example.com": "USER_ADDED_SUCCESSFULLY",
        "new.person@example.com": "USER_INVITED_SUCCESSFULLY",
        "sruiz@example.com": "USER_ALREADY_ADDED",
        "newhire@example.com": "USER_ALREADY_INVITED",
    }
    # The default account signs in with SAML and auto-accepts invites: the new email is a
    # member at once, although Harness still answers USER_INVITED_SUCCESSFULLY.
    members = emails(ok(ng.post(f"{NG}/batch", params=q(**CHECKOUT))))
    assert "pbose@example.com" in members and "new.person@example.com" in members
    aggregate = ok(ng.get(f"{NG}/aggregate/{PRIYA}", params=q(**CHECKOUT)))
    assert [r["roleIdentifier"] for r in aggregate["roleAssignmentMetadata"]] == ["_project_viewer"]


def test_add_users_gives_the_default_role_when_none_is_given(ng: httpx.Client) -> None:
    ok(
        ng.post(
            f"{NG}/users",
            params=q(orgIdentifier="platform", projectIdentifier="infrastructure"),
            json={"emails": ["ghughes@example.com"]},
        )
    )
    aggregate = ok(
        ng.get(
            f"{NG}/aggregate/{GARY}",
            params=q(orgIdentifier="platform", projectIdentifier="infrastructure"),
        )
    )
    role = aggregate["roleAssignmentMetadata"][0]
    assert (role["roleIdentifier"], role["resourceGroupIdentifier"]) == (
        "_project_viewer",
        "_all_project_level_resources",
    )
    assert role["roleName"] == "Project Viewer" and role["managedRole"] is True


def test_an_invited_user_joins_with_the_invitation_once_created(
    ng: httpx.Client, sim: Simulator
) -> None:
    """The second account signs in with passwords: a new email stays a pending invite."""
    secret = {"accountIdentifier": SECOND_ACCOUNT, "orgIdentifier": "default"}
    headers = {"x-api-key": SECOND_KEY}
    body = {"emails": ["joiner@example.com"]}
    result = ok(ng.post(f"{NG}/users", params=secret, json=body, headers=headers))
    assert result["addUserResponseMap"] == {"joiner@example.com": "USER_INVITED_SUCCESSFULLY"}
    assert "joiner@example.com" not in emails(
        ok(ng.post(f"{NG}/batch", params=secret, headers=headers))
    )
    user = sim.harness.users.create(SECOND_ACCOUNT, name="Jo Iner", email="Joiner@example.com")
    members = emails(ok(ng.post(f"{NG}/batch", params=secret, headers=headers)))
    assert "joiner@example.com" in members
    aggregate = ok(ng.get(f"{NG}/aggregate/{user.id}", params=secret, headers=headers))
    assert aggregate["roleAssignmentMetadata"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"emails": ["good@example.com", "not-an-email"]}, 400, "INVALID_REQUEST"),
        (
            {
                "emails": ["good@example.com"],
                "roleBindings": [
                    {
                        "roleIdentifier": "_no_such_role",
                        "resourceGroupIdentifier": "_all_account_level_resources",
                    }
                ],
            },
            404,
            "ENTITY_NOT_FOUND",
        ),
        (
            {"emails": ["good@example.com"], "userGroups": ["no_such_group"]},
            404,
            "ENTITY_NOT_FOUND",
        ),
    ],
)
def test_add_users_refuses_bad_input_and_changes_nothing(
    ng: httpx.Client, sim: Simulator, body: dict, status: int, code: str
) -> None:
    before = sim.harness.export()
    error(ng.post(f"{NG}/users", params=q(), json=body), status, code)
    assert sim.harness.export() == before


def test_add_users_needs_emails_and_at_most_100(ng: httpx.Client) -> None:
    failure(ng.post(f"{NG}/users", params=q(), json={"userGroups": []}), "emails")
    too_many = [f"user{i}@example.com" for i in range(101)]
    failure(ng.post(f"{NG}/users", params=q(), json={"emails": too_many}), "emails")


# -- removeUser ----------------------------------------------------------------------------


def test_remove_user_from_the_account_removes_it_everywhere(
    ng: httpx.Client, sim: Simulator
) -> None:
    assert ok(ng.delete(f"{NG}/{SARA}", params=q())) is True
    assert "sruiz@example.com" not in emails(ok(ng.post(f"{NG}/batch", params=q())))
    assert "sruiz@example.com" not in emails(ok(ng.post(f"{NG}/batch", params=q(**CHECKOUT))))
    assert all(SARA not in g.member_ids for g in sim.harness.state.groups.values())
    error(ng.delete(f"{NG}/{SARA}", params=q()), 404, "ENTITY_NOT_FOUND")


def test_remove_user_from_a_project_keeps_them_in_the_account(ng: httpx.Client) -> None:
    assert ok(ng.delete(f"{NG}/{WEI}", params=q(**CHECKOUT))) is True
    assert "wzhang@example.com" not in emails(ok(ng.post(f"{NG}/batch", params=q(**CHECKOUT))))
    assert "wzhang@example.com" in emails(ok(ng.post(f"{NG}/batch", params=q())))
    error(ng.delete(f"{NG}/{WEI}", params=q(**CHECKOUT)), 404, "ENTITY_NOT_FOUND")


def test_the_last_account_admin_cannot_be_removed(ng: httpx.Client, sim: Simulator) -> None:
    before = sim.harness.export()
    body = error(ng.delete(f"{NG}/{ADMIN_ID}", params=q()), 400, "INVALID_REQUEST")
    assert "admin" in body["message"]
    assert sim.harness.export() == before
    assert ok(ng.get(f"{NG}/last-admin", params=q(userId=ADMIN_ID))) is True
    assert ok(ng.get(f"{NG}/last-admin", params=q(userId=SARA))) is False
    assert ok(ng.get(f"{NG}/last-admin", params=q())) is True  # the caller, by default


def test_an_admin_can_be_removed_once_another_exists(ng: httpx.Client) -> None:
    body = {
        "emails": ["sruiz@example.com"],
        "roleBindings": [
            {
                "roleIdentifier": "_account_admin",
                "resourceGroupIdentifier": "_all_resources_including_child_scopes",
            }
        ],
    }
    ok(ng.post(f"{NG}/users", params=q(), json=body))
    assert ok(ng.get(f"{NG}/last-admin", params=q(userId=ADMIN_ID))) is False
    assert (
        ok(ng.delete(f"{NG}/{ADMIN_ID}", params=q(), headers={"x-api-key": "usersim-admin-key"}))
        is True
    )


# -- aggregate -----------------------------------------------------------------------------


def test_aggregated_users_filter_by_role(ng: httpx.Client) -> None:
    page = ok(
        ng.post(
            f"{NG}/aggregate", params=q(**CHECKOUT), json={"roleIdentifiers": ["_project_admin"]}
        )
    )
    assert [row["user"]["uuid"] for row in page["content"]] == [SARA]
    assert page["content"][0]["roleAssignmentMetadata"][0]["roleName"] == "Project Admin"


def test_aggregated_users_refuse_search_with_filter(ng: httpx.Client) -> None:
    response = ng.post(
        f"{NG}/aggregate", params=q(searchTerm="a"), json={"roleIdentifiers": ["_account_admin"]}
    )
    body = error(response, 400, "INVALID_REQUEST")
    assert body["message"] == "Invalid request: Search and Filter are not supported together"


def test_aggregated_user_not_in_scope_is_404(ng: httpx.Client) -> None:
    body = error(ng.get(f"{NG}/aggregate/{GARY}", params=q(**CHECKOUT)), 404, "ENTITY_NOT_FOUND")
    assert body["message"] == f"User with id {GARY} not found in the given scope"


# -- updates, unlock, groups ------------------------------------------------------------------


def test_update_user_info_changes_the_current_user(ng: httpx.Client) -> None:
    data = ok(
        ng.put(NG, json={"name": "Ada Lovelace", "givenName": "Ada", "familyName": "Lovelace"})
    )
    assert (data["name"], data["familyName"]) == ("Ada Lovelace", "Lovelace")
    assert ok(ng.get(f"{NG}/currentUser"))["name"] == "Ada Lovelace"


def test_update_user_by_id(ng: httpx.Client) -> None:
    data = ok(ng.put(f"{NG}/{GARY}", params=q(), json={"email": "Gary.H@example.com"}))
    assert data["email"] == "gary.h@example.com"
    error(
        ng.put(f"{NG}/{WEI}", params=q(), json={"email": "gary.h@example.com"}),
        400,
        "DUPLICATE_FIELD",
    )


def test_externally_managed_users_cannot_be_updated(ng: httpx.Client, sim: Simulator) -> None:
    before = sim.harness.export()
    body = error(ng.put(f"{NG}/{ERIN}", params=q(), json={"name": "Erin"}), 400, "INVALID_REQUEST")
    assert "externally managed by your Identity Provider" in body["message"]
    assert sim.harness.export() == before


def test_unlock_user(ng: httpx.Client) -> None:
    assert ok(ng.put(f"{NG}/unlock-user/{LIAM}", params=q()))["locked"] is False
    current = ok(ng.get(f"{NG}/currentUser", headers={"x-api-key": "usersim-locked-key"}))
    assert current["uuid"] == LIAM


def test_add_user_to_groups_replaces_groups_but_keeps_managed_ones(
    ng: httpx.Client, sim: Simulator
) -> None:
    engineering, release = "7mejLPDtRvOCF8K3roIEVg", "KYppi5LjSdCYH8DLT34exA"
    body = {"userGroupIdsToAdd": [release, "_account_all_users"]}
    assert ok(ng.put(f"{NG}/add-user-to-groups/{SARA}", params=q(), json=body)) is True
    groups = {g.id for g in sim.harness.state.groups.values() if SARA in g.member_ids}
    assert groups == {release}
    assert engineering not in groups
    # The managed all-users group still grants Sara its account view role.
    assert (
        ok(ng.post(f"{NG}/batch", params=q(), headers={"x-api-key": "usersim-viewer-key"}))[
            "totalItems"
        ]
        == 8
    )


def test_add_user_to_unknown_group_changes_nothing(ng: httpx.Client, sim: Simulator) -> None:
    before = sim.harness.export()
    response = ng.put(
        f"{NG}/add-user-to-groups/{SARA}",
        params=q(),
        json={"userGroupIdsToAdd": ["KYppi5LjSdCYH8DLT34exA", "missing"]},
    )
    error(response, 404, "ENTITY_NOT_FOUND")
    assert sim.harness.export() == before
