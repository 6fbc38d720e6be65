"""The discovery documents: static, the same for every account, as Harness serves them.

Harness serves `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas` as fixed JSON
(no `/Schemas/{id}` or `/ResourceTypes/{id}`). The schemas describe the attributes
Harness reads; the configuration says PATCH and filters are supported, bulk, sort,
ETags and password changes are not, and authentication is an OAuth bearer token.
"""

from __future__ import annotations

from typing import Any

from simulator.harness_scim.representations import GROUP_SCHEMA, LIST_SCHEMA, USER_SCHEMA

CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
MAX_RESULTS = 1000


def _attribute(
    name: str,
    description: str,
    *,
    kind: str = "string",
    required: bool = False,
    multi: bool = False,
    mutability: str = "readWrite",
    uniqueness: str = "none",
    sub: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    attribute: dict[str, Any] = {
        "name": name,
        "type": kind,
        "multiValued": multi,
        "description": description,
        "required": required,
        "caseExact": False,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": uniqueness,
    }
    if sub is not None:
        attribute["subAttributes"] = sub
    return attribute


SERVICE_PROVIDER_CONFIG: dict[str, Any] = {
    "schemas": [CONFIG_SCHEMA],
    "documentationUri": "https://developer.harness.io/docs/platform/role-based-access-control/provision-users-with-okta-scim",
    "patch": {"supported": True},
    "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
    "filter": {"supported": True, "maxResults": MAX_RESULTS},
    "changePassword": {"supported": False},
    "sort": {"supported": False},
    "etag": {"supported": False},
    "authenticationSchemes": [
        {
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "A Harness API key token sent as Authorization: Bearer <token>",
            "primary": True,
        }
    ],
}

_RESOURCE_TYPES = [
    {
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "A Harness user of the account",
        "schema": USER_SCHEMA,
        "meta": {"resourceType": "ResourceType", "location": "/ResourceTypes/User"},
    },
    {
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": "Group",
        "name": "Group",
        "endpoint": "/Groups",
        "description": "A Harness user group",
        "schema": GROUP_SCHEMA,
        "meta": {"resourceType": "ResourceType", "location": "/ResourceTypes/Group"},
    },
]

_SCHEMAS = [
    {
        "schemas": [SCHEMA_SCHEMA],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "User Account",
        "attributes": [
            _attribute(
                "userName",
                "The user's email address, which Harness lower-cases",
                required=True,
                uniqueness="server",
            ),
            _attribute("externalId", "The identity provider's id for the user"),
            _attribute(
                "name",
                "The user's name",
                kind="complex",
                sub=[
                    _attribute("givenName", "Given name"),
                    _attribute("familyName", "Family name"),
                    _attribute("formatted", "The full name"),
                    _attribute("displayName", "The name Harness shows"),
                ],
            ),
            _attribute("displayName", "The name Harness shows"),
            _attribute("active", "Whether the user is a member of the account", kind="boolean"),
            _attribute(
                "emails",
                "The user's email address",
                kind="complex",
                multi=True,
                sub=[
                    _attribute("value", "An email address"),
                    _attribute("primary", "Whether it is the primary one", kind="boolean"),
                ],
            ),
            _attribute(
                "groups",
                "The user groups the user belongs to",
                kind="complex",
                multi=True,
                mutability="readOnly",
                sub=[
                    _attribute("value", "The group's id", mutability="readOnly"),
                    _attribute("display", "The group's name", mutability="readOnly"),
                ],
            ),
        ],
        "meta": {"resourceType": "Schema", "location": f"/Schemas/{USER_SCHEMA}"},
    },
    {
        "schemas": [SCHEMA_SCHEMA],
        "id": GROUP_SCHEMA,
        "name": "Group",
        "description": "A Harness user group",
        "attributes": [
            _attribute("displayName", "The group's name", required=True),
            _attribute(
                "members",
                "The group's members",
                kind="complex",
                multi=True,
                sub=[
                    _attribute("value", "The id of a user", mutability="immutable"),
                    _attribute("display", "The user's email", mutability="readOnly"),
                ],
            ),
        ],
        "meta": {"resourceType": "Schema", "location": f"/Schemas/{GROUP_SCHEMA}"},
    },
]


def _listed(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schemas": [LIST_SCHEMA],
        "totalResults": len(resources),
        "itemsPerPage": len(resources),
        "startIndex": 1,
        "Resources": resources,
    }


RESOURCE_TYPES = _listed(_RESOURCE_TYPES)
SCHEMAS = _listed(_SCHEMAS)
