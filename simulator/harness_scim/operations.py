"""One handler per contract operation, and how each answers a refusal.

Harness answers refusals differently per operation (its resources catch exceptions
with different statuses): a failed create is HTTP 409 with `status: 404` in the body,
a failed group PUT HTTP 412 with `status: 404`, a user PUT for an unknown id a bare 404.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from starlette.responses import Response

from simulator.harness_scim import discovery, errors, patch
from simulator.harness_scim.context import ScimContext
from simulator.harness_scim.filters import equality
from simulator.harness_scim.media import ScimResponse
from simulator.harness_scim.representations import group_resource, list_response, user_resource
from simulator.records import record
from simulator.store.errors import (
    AlreadyExists,
    ConstraintViolation,
    InvalidInput,
    NotFound,
    StoreError,
)
from simulator.store.harness.models import Scope, User, UserGroup
from simulator.store.harness.scim import ProvisionedUser, UserChanges
from simulator.store.values import UNSET

DEFAULT_COUNT = 20


def refusal(error: StoreError) -> Response:
    """How an operation that catches nothing in particular answers a store refusal."""
    if isinstance(error, NotFound):
        return errors.error(f"Resource {error.key} not found", status=404)
    if isinstance(error, InvalidInput):
        return errors.bad_request(error.message)
    if isinstance(error, AlreadyExists):
        return errors.error(
            f"A {error.kind} with {error.field} {error.key} already exists", status=409
        )
    if isinstance(error, ConstraintViolation):
        return errors.error(error.message, status=409)
    return errors.error(str(error), status=500)


def create_refusal(error: StoreError) -> Response:
    """Harness's create resources answer any failure with HTTP 409 and `status: 404`."""
    detail = error.message if isinstance(error, InvalidInput | ConstraintViolation) else str(error)
    return errors.error(detail, status=409, body_status=404)


def group_put_refusal(error: StoreError) -> Response:
    """Harness's group PUT answers any failure with HTTP 412 and `status: 404`."""
    return errors.error(str(error), status=412, body_status=404)


def user_put_refusal(error: StoreError) -> Response:
    """An unknown user is a 404 without a body; other refusals as usual."""
    if isinstance(error, NotFound):
        return Response(status_code=404)
    return refusal(error)


@record
class ScimOperation:
    run: Callable[[ScimContext], Response]
    refuse: Callable[[StoreError], Response] = refusal


# -- users -------------------------------------------------------------------------------


def _user_body(context: ScimContext, provisioned: ProvisionedUser) -> dict[str, Any]:
    user = provisioned.user
    groups = context.store.scim.groups_of(user) if provisioned.active else []
    return user_resource(user, provisioned.active, groups, new_standards=context.new_standards)


def _user_changes(body: Mapping[str, Any]) -> UserChanges:
    """What a POST or PUT body sets: userName (or the primary email), the display name
    (or the formatted name), the name's parts, externalId and active."""
    name = body.get("name") or {}
    email = body.get("userName")
    if not email:
        emails = body.get("emails") or []
        primary = [e for e in emails if e.get("primary")] or emails
        email = primary[0].get("value") if primary else None
    given, family = name.get("givenName"), name.get("familyName")
    display = body.get("displayName") or name.get("formatted")
    if not display and (given or family):
        display = " ".join(part for part in (given, family) if part)
    return UserChanges(
        email=email,
        name=display if display else UNSET,
        given_name=given if "givenName" in name else UNSET,
        family_name=family if "familyName" in name else UNSET,
        external_id=body.get("externalId", UNSET),
        active=body["active"] if body.get("active") is not None else UNSET,
    )


def _paging(context: ScimContext) -> tuple[int, int, int]:
    """(offset, count, startIndex to echo): count defaults to 20 and follows the page
    policy; startIndex is 1-based and echoes 0 when it was not sent."""
    count = context.query.get("count")
    count = DEFAULT_COUNT if count is None else max(count, 0)
    if context.page.too_large(count):
        raise InvalidInput("count", f"count must be at most {context.page.max_page_size}")
    count = context.page.size(count)
    start = context.query.get("startIndex")
    return max(start or 1, 1) - 1, count, 0 if start is None else start


def search_users(context: ScimContext) -> Response:
    offset, count, start = _paging(context)
    found = equality(context.query.get("filter"))
    users = context.store.scim.provisioned_users(
        context.account_id, found.value if found else None, offset, count
    )
    resources = [_user_body(context, user) for user in users]
    return ScimResponse(list_response(resources, count, start))


def create_user(context: ScimContext) -> Response:
    provisioned = context.store.scim.provision(context.account_id, _user_changes(context.body))
    return ScimResponse(_user_body(context, provisioned), 201)


def get_user(context: ScimContext) -> Response:
    provisioned = context.store.scim.user(context.account_id, context.path["userIdentifier"])
    return ScimResponse(_user_body(context, provisioned))


def replace_user(context: ScimContext) -> Response:
    scim = context.store.scim
    provisioned = scim.update(
        context.account_id, context.path["userIdentifier"], _user_changes(context.body)
    )
    return ScimResponse(_user_body(context, provisioned))


def patch_user(context: ScimContext) -> Response:
    try:
        changes = patch.user_changes(context.body)
    except patch.PatchError as exc:
        return errors.bad_request(str(exc))
    provisioned = context.store.scim.update(
        context.account_id, context.path["userIdentifier"], changes
    )
    return ScimResponse(_user_body(context, provisioned))


def delete_user(context: ScimContext) -> Response:
    context.store.scim.delete_user(context.account_id, context.path["userIdentifier"])
    return Response(status_code=204)


# -- groups ------------------------------------------------------------------------------


def _group_body(context: ScimContext, group: UserGroup) -> dict[str, Any]:
    members = [context.store.state.users.get(user_id) for user_id in group.member_ids]
    return group_resource(group, [user for user in members if isinstance(user, User)])


def _member_ids(body: Mapping[str, Any]) -> list[str]:
    return [m["value"] for m in body.get("members") or () if isinstance(m.get("value"), str)]


def _scope(context: ScimContext, value: str | None) -> Scope:
    """The scope `harnessScopes` names ("account:org[:project]"); the account without it."""
    if not value:
        return Scope(context.account_id)
    parts = value.split(":")
    if len(parts) not in (2, 3) or not all(parts):
        raise InvalidInput("harnessScopes", f"{value} is not account:org or account:org:project")
    return Scope(parts[0], parts[1], parts[2] if len(parts) == 3 else None)


def search_groups(context: ScimContext) -> Response:
    offset, count, start = _paging(context)
    found = equality(context.query.get("filter"))
    groups: list[UserGroup] = []
    if found is not None and found.attribute.lower() == "displayname":
        group = context.store.scim.group_by_name(context.account_id, found.value)
        groups = [group] if group is not None else []
    page = groups[offset : offset + count]
    return ScimResponse(list_response([_group_body(context, g) for g in page], count, start))


def create_group(context: ScimContext) -> Response:
    body = context.body
    group = context.store.scim.create_group(
        context.account_id,
        body.get("displayName") or "",
        _scope(context, body.get("harnessScopes")),
        _member_ids(body),
    )
    return ScimResponse(_group_body(context, group), 201)


def get_group(context: ScimContext) -> Response:
    group = context.store.scim.group(context.account_id, context.path["groupIdentifier"])
    return ScimResponse(_group_body(context, group))


def replace_group(context: ScimContext) -> Response:
    body = context.body
    context.store.scim.update_group(
        context.account_id,
        context.path["groupIdentifier"],
        name=body["displayName"] if body.get("displayName") else UNSET,
        members=_member_ids(body),
    )
    return ScimResponse(body)


def patch_group(context: ScimContext) -> Response:
    try:
        changes = patch.group_patch(context.body)
    except patch.PatchError as exc:
        return errors.bad_request(str(exc))
    context.store.scim.update_group(
        context.account_id,
        context.path["groupIdentifier"],
        name=changes.name,
        members=changes.members,
        add=changes.add,
        remove=changes.remove,
    )
    return Response(status_code=204)


def delete_group(context: ScimContext) -> Response:
    context.store.scim.delete_group(context.account_id, context.path["groupIdentifier"])
    return Response(status_code=204)


def _static(document: dict[str, Any]) -> Callable[[ScimContext], Response]:
    def serve(context: ScimContext) -> Response:
        return ScimResponse(document)

    return serve


OPERATIONS: dict[str, ScimOperation] = {
    "searchScimUser": ScimOperation(search_users),
    "createScimUser": ScimOperation(create_user, create_refusal),
    "getScimUser": ScimOperation(get_user),
    "updateScimUser": ScimOperation(replace_user, user_put_refusal),
    "patchScimUser": ScimOperation(patch_user),
    "deleteScimUser": ScimOperation(delete_user),
    "searchScimGroup": ScimOperation(search_groups),
    "createScimGroup": ScimOperation(create_group, create_refusal),
    "getScimGroup": ScimOperation(get_group),
    "updateScimGroup": ScimOperation(replace_group, group_put_refusal),
    "patchScimGroup": ScimOperation(patch_group),
    "deleteScimGroup": ScimOperation(delete_group),
    "getServiceProviderConfig": ScimOperation(_static(discovery.SERVICE_PROVIDER_CONFIG)),
    "getResourceTypes": ScimOperation(_static(discovery.RESOURCE_TYPES)),
    "getSchemas": ScimOperation(_static(discovery.SCHEMAS)),
}
