"""NextGen invites: the pending ones, sending again, revoking, and the email link."""

from __future__ import annotations

from typing import Any

from simulator.harness_ng.context import NgContext
from simulator.harness_ng.operations import operation, page_args, role_bindings
from simulator.harness_ng.serializers import compact, page_response, user_info
from simulator.store.errors import InvalidInput
from simulator.store.harness.access import USER_MANAGE, USER_VIEW
from simulator.store.harness.models import Invite
from simulator.store.harness.users import normalise_email
from simulator.store.values import Page


def invite_view(context: NgContext, invite: Invite) -> dict[str, Any]:
    store, scope = context.store, invite.scope
    bindings = []
    for binding in invite.role_bindings:
        role = store.access.role(scope, binding.role)
        group = store.access.resource_group(scope, binding.resource_group)
        bindings.append(
            {
                "roleIdentifier": binding.role,
                "roleName": role.name if role else binding.role,
                "resourceGroupIdentifier": binding.resource_group,
                "resourceGroupName": group.name if group else binding.resource_group,
                "managedRole": bool(role and role.managed),
            }
        )
    groups = (store.state.groups.get(group_id) for group_id in invite.user_groups)
    return compact(
        {
            "id": invite.id,
            "email": invite.email,
            "name": invite.name or invite.email,
            "accountIdentifier": invite.account_id,
            "orgIdentifier": invite.org,
            "projectIdentifier": invite.project,
            "roleBindings": bindings,
            "userGroups": [group.identifier for group in groups if group is not None],
            "inviteType": "ADMIN_INITIATED_INVITE",
            "approved": False,
        }
    )


def _paged(context: NgContext, invites: list[Invite]) -> Any:
    index, size = page_args(context.query)
    page = Page(len(invites), invites[index * size : index * size + size])
    return page_response(page, index, size, lambda invite: invite_view(context, invite))


@operation("getInvites", permission=USER_VIEW)
def get_invites(context: NgContext) -> Any:
    return _paged(context, context.store.invites.pending(context.scope))


@operation("getPendingUsersAggregated", permission=USER_VIEW)
def get_pending_users_aggregated(context: NgContext) -> Any:
    body = context.body or {}
    roles = set(body.get("roleIdentifiers") or ())
    groups = set(body.get("resourceGroupIdentifiers") or ())
    search = (context.query.get("searchTerm") or "").lower()
    if search and (roles or groups):
        raise InvalidInput(
            None,
            "Search term and filter on role/resourcegroup identifiers can't be applied at the"
            " same time",
        )
    invites = [
        invite
        for invite in context.store.invites.pending(context.scope)
        if search in f"{invite.email}\x00{invite.name or ''}".lower()
        and (not roles or roles & {b.role for b in invite.role_bindings})
        and (not groups or groups & {b.resource_group for b in invite.role_bindings})
    ]
    return _paged(context, invites)


@operation("getInvite", permission=USER_VIEW)
def get_invite(context: NgContext) -> Any:
    invite_id, token = context.query.get("inviteId"), context.query.get("jwttoken")
    if bool(invite_id) == bool(token):
        raise InvalidInput(None, "Specify either inviteId or jwtToken")
    invites = context.store.invites
    invite = (
        invites.find(context.account_id, invite_id) if invite_id else invites.by_token(token or "")
    )
    if invite is None or invite.account_id != context.account_id:
        return None
    return invite_view(context, invite)


@operation("sendInvite", permission=USER_MANAGE)
def send_invite(context: NgContext) -> Any:
    """The deprecated invite call: addUsers' decision for each email, in order."""
    body = context.body
    emails = body["users"]
    results = context.store.users.add_to_scope(
        context.scope, emails, role_bindings(body), body.get("userGroups") or []
    )
    return [results[normalise_email(email)] for email in emails]


@operation("updateInvite", permission=USER_MANAGE)
def update_invite(context: NgContext) -> Any:
    body = context.body
    invite = context.store.invites.resend(
        context.account_id,
        context.path["inviteId"],
        email=body["email"],
        bindings=role_bindings(body),
        group_refs=body.get("userGroups") or [],
    )
    return None if invite is None else invite_view(context, invite)


@operation("deleteInvite", permission=USER_MANAGE)
def delete_invite(context: NgContext) -> Any:
    invite = context.store.invites.delete(context.account_id, context.path["inviteId"])
    return None if invite is None else invite_view(context, invite)


@operation("accept", public=True)
def accept(context: NgContext) -> Any:
    """The invite email's link: no API key, the token is the invitee's credential."""
    outcome = context.store.invites.accept(context.query["token"])
    invite, user = outcome.invite, outcome.user
    data: dict[str, Any] = {"response": outcome.response}
    if invite is not None:
        data.update(
            compact(
                {
                    "inviteId": invite.id,
                    "email": invite.email,
                    "accountIdentifier": invite.account_id,
                    "orgIdentifier": invite.org,
                    "projectIdentifier": invite.project,
                }
            )
        )
    if user is not None:
        info = user_info(context.store, user)
        data["userInfo"] = {
            key: info[key] for key in ("uuid", "name", "email", "defaultAccountId", "emailVerified")
        }
    return data
