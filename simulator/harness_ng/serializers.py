"""Store records rendered as NextGen DTOs (UserInfo, UserMetadata, Project, PageResponse...)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from simulator.store.harness import HarnessStore
from simulator.store.harness.models import Project, RoleAssignment, User
from simulator.store.values import Page


def compact(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def user_info(store: HarnessStore, user: User) -> dict[str, Any]:
    account = store.state.accounts.get(user.account_id)
    accounts = []
    if account is not None:
        accounts.append(
            {
                "uuid": account.id,
                "accountName": account.name,
                "companyName": account.company_name,
                "defaultExperience": "NG",
                "createdFromNG": True,
                "isNextGenEnabled": True,
                "nextGenEnabled": True,
            }
        )
    return compact(
        {
            "uuid": user.id,
            "name": user.name,
            "email": user.email,
            "defaultAccountId": user.account_id,
            "accounts": accounts,
            "admin": store.access.is_account_admin(user),
            "twoFactorAuthenticationEnabled": user.two_factor_enabled,
            "emailVerified": user.email_verified,
            "locked": store.signin.is_locked(user),
            "disabled": user.disabled,
            "externallyManaged": user.externally_managed,
            "givenName": user.given_name,
            "familyName": user.family_name,
            "externalId": user.external_id,
            "createdAt": user.created_at,
            "lastUpdatedAt": user.last_updated_at,
            "lastLogin": user.last_login,
        }
    )


def user_metadata(store: HarnessStore, user: User) -> dict[str, Any]:
    return {
        "name": user.name,
        "email": user.email,
        "uuid": user.id,
        "locked": store.signin.is_locked(user),
        "disabled": user.disabled,
        "externallyManaged": user.externally_managed,
        "twoFactorAuthenticationEnabled": user.two_factor_enabled,
    }


def role_assignment(store: HarnessStore, assignment: RoleAssignment) -> dict[str, Any]:
    scope = assignment.scope
    role = store.access.role(scope, assignment.role)
    group = store.access.resource_group(scope, assignment.resource_group)
    return {
        "identifier": assignment.identifier,
        "roleIdentifier": assignment.role,
        "roleName": role.name if role else assignment.role,
        "resourceGroupIdentifier": assignment.resource_group,
        "resourceGroupName": group.name if group else assignment.resource_group,
        "managedRole": bool(role and role.managed),
        "managedRoleAssignment": assignment.managed,
    }


def user_aggregate(
    store: HarnessStore, user: User, assignments: Iterable[RoleAssignment]
) -> dict[str, Any]:
    return {
        "user": user_metadata(store, user),
        "roleAssignmentMetadata": [role_assignment(store, a) for a in assignments],
    }


def project(item: Project) -> dict[str, Any]:
    return {
        "identifier": item.identifier,
        "org": item.org,
        "orgIdentifier": item.org,
        "name": item.name,
        "color": item.color,
        "modules": list(item.modules),
        "description": item.description,
        "tags": dict(item.tags),
    }


def page_response(
    page: Page, page_index: int, page_size: int, render: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    content = [render(item) for item in page.items]
    return {
        "totalPages": math.ceil(page.total / page_size) if page_size else 0,
        "totalItems": page.total,
        "pageItemCount": len(content),
        "pageSize": page_size,
        "content": content,
        "pageIndex": page_index,
        "empty": not content,
    }
