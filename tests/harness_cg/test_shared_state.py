"""One Harness account, two ways in: what one face changes, the other sees at once."""

from __future__ import annotations

import httpx

from simulator.runtime import Simulator
from tests.harness_cg.conftest import SARA, Cg, message, ng_user_ids
from tests.ids import ACCOUNT, ADMIN_KEY

NG = "/ng/api/user"
NG_HEADERS = {"x-api-key": ADMIN_KEY}


def test_a_currentgen_user_is_a_nextgen_user(cg: Cg, http: httpx.Client) -> None:
    user = cg.data(
        'mutation { createUser(input: {name: "Both Ways", email: "both@example.com"}) {'
        " user { id } } }"
    )["createUser"]["user"]
    assert user["id"] in ng_user_ids(http)
    response = http.put(
        f"{NG}/{user['id']}",
        params={"accountIdentifier": ACCOUNT},
        headers=NG_HEADERS,
        json={"name": "Both Ways Renamed"},
    )
    assert response.status_code == 200, response.text
    renamed = cg.data("query($id: String!) { user(id: $id) { name } }", {"id": user["id"]})
    assert renamed == {"user": {"name": "Both Ways Renamed"}}


def test_a_user_nextgen_removes_from_the_account_is_gone_in_currentgen(
    cg: Cg, http: httpx.Client
) -> None:
    response = http.delete(
        f"{NG}/{SARA}", params={"accountIdentifier": ACCOUNT}, headers=NG_HEADERS
    )
    assert response.status_code == 200, response.text
    assert message(cg.post("query($id: String!) { user(id: $id) { id } }", {"id": SARA})) == (
        "User does not exist"
    )
    engineering = cg.data(
        '{ userGroupByName(name: "Engineering") { users(limit: 9) { pageInfo { total } } } }'
    )
    assert engineering["userGroupByName"]["users"]["pageInfo"]["total"] == 1


def test_currentgen_create_user_accepts_a_nextgen_invite(
    cg: Cg, sim: Simulator, http: httpx.Client
) -> None:
    """The fixture invites newhire@example.com to project checkout through NextGen."""
    user = cg.data(
        'mutation { createUser(input: {name: "New Hire", email: "NewHire@example.com"}) {'
        " user { id } } }"
    )["createUser"]["user"]
    checkout = http.post(
        f"{NG}/batch",
        params={
            "accountIdentifier": ACCOUNT,
            "orgIdentifier": "default",
            "projectIdentifier": "checkout",
        },
        headers=NG_HEADERS,
    )
    assert user["id"] in {item["uuid"] for item in checkout.json()["data"]["content"]}
    assert (
        sim.harness.state.invites.find_all("account_email", (ACCOUNT, "newhire@example.com")) == []
    )
