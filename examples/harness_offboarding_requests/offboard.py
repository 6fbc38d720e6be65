"""Offboard leavers from a Harness account: a `requests` script a scheduled job runs.

    HARNESS_API_KEY=... python offboard.py --account ACCOUNT_ID USER_ID [USER_ID ...]

Each user is removed with `DELETE /ng/api/user/{userId}`. Harness refuses to remove the
last account admin (400 INVALID_REQUEST); the script asks `GET /ng/api/user/last-admin`
to tell that refusal from other bad requests, keeps the user and says so, rather than
failing the run. A user who is already gone (404) is fine: the job may run twice. Any
other failure is reported, the run goes on with the next user and exits with status 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import requests

HARNESS_URL = "https://app.harness.io/gateway"
TIMEOUT = 30.0


@dataclass
class Report:
    removed: list[str] = field(default_factory=list)
    already_gone: list[str] = field(default_factory=list)
    kept_last_admin: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # user id -> what went wrong


def offboard(
    session: requests.Session, base_url: str, account_id: str, user_ids: Iterable[str]
) -> Report:
    """Remove each user from the account. `session` carries the x-api-key header."""
    report = Report()
    account = {"accountIdentifier": account_id}
    for user_id in user_ids:
        response = session.delete(
            f"{base_url}/ng/api/user/{user_id}", params=account, timeout=TIMEOUT
        )
        if response.status_code == 200:
            report.removed.append(user_id)
        elif response.status_code == 404:
            report.already_gone.append(user_id)
        elif response.status_code == 400 and is_last_admin(session, base_url, account_id, user_id):
            report.kept_last_admin.append(user_id)
        else:
            report.failed[user_id] = f"{response.status_code} {response.json().get('message')}"
    return report


def is_last_admin(session: requests.Session, base_url: str, account_id: str, user_id: str) -> bool:
    response = session.get(
        f"{base_url}/ng/api/user/last-admin",
        params={"accountIdentifier": account_id, "userId": user_id},
        timeout=TIMEOUT,
    )
    return response.ok and response.json()["data"] is True


def main(argv: Sequence[str] | None = None, session: requests.Session | None = None) -> int:
    """The command line; `session` lets a test route the requests (see the tests)."""
    parser = argparse.ArgumentParser(description="Remove users from a Harness account.")
    parser.add_argument("--base-url", default=HARNESS_URL)
    parser.add_argument("--account", required=True)
    parser.add_argument("user_ids", nargs="+")
    args = parser.parse_args(argv)
    session = session or requests.Session()
    session.headers["x-api-key"] = os.environ["HARNESS_API_KEY"]
    report = offboard(session, args.base_url, args.account, args.user_ids)
    for user_id in report.removed:
        print(f"removed {user_id}")
    for user_id in report.already_gone:
        print(f"already gone {user_id}")
    for user_id in report.kept_last_admin:
        print(f"kept {user_id}: the account's last admin")
    for user_id, problem in report.failed.items():
        print(f"FAILED {user_id}: {problem}", file=sys.stderr)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
