"""Drift: changing a user listing between page requests, so clients must cope.

A client paging through users while others change them sees items shift: an insertion
before its position makes the next page repeat an item, a deletion makes it skip one.
The drift policy provokes exactly that, on demand, with users that are plainly synthetic.
"""

from __future__ import annotations

from simulator.records import replace
from simulator.store.harness.models import Scope, User
from simulator.store.harness.store import HarnessStore


def drift_users(
    store: HarnessStore, account_id: str, mode: str, *, keep: str, order: str = "created"
) -> User | None:
    """Insert a user that sorts first (by creation and by name), or delete the first one,
    in the listing's `order`, that may go (not an admin, not `keep`). Returns that user."""
    state = store.state
    with store.transaction():
        if mode == "insert":
            first = state.users.slice("created", account_id, 0, 1)
            number = state.ids.unused(
                lambda: state.ids.token(3),
                lambda n: (
                    state.users.find("email", (account_id, f"drift-{n}@usersim.invalid"))
                    is not None
                ),
            )
            user = store.users.create(
                account_id, name=f"!drift {number}", email=f"drift-{number}@usersim.invalid"
            )
            earliest = (first[0].created_at if first else state.now()) - 1
            user = replace(user, created_at=earliest, last_updated_at=earliest)
            state.db.put(state.users, user)
            return user
        admins = store.access.account_admins(account_id)
        for user in state.users.ordered(order, account_id):
            if user.id != keep and user.id not in admins:
                store.users.remove_from_scope(Scope(account_id), user.id)
                return user
        return None
