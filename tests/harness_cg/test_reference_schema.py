"""The served schema, by introspection over HTTP, against Harness's own schema.

The facts below are Harness's CurrentGen SDL (harness-core, 400-rest graphql/public:
user.graphql, userGroup.graphql, ssoProvider.graphql, appPermissions.graphql): every
user-management root field with its arguments and type, and the types the newest fields
brought. A client generated against Harness must find each of them served unchanged.
"""

from __future__ import annotations

from typing import Any

from tests.harness_cg.conftest import Cg

HARNESS_ROOT_FIELDS: dict[str, tuple[dict[str, str], str]] = {
    "Query.user": ({"id": "String!"}, "User"),
    "Query.users": (
        {"limit": "Int!", "offset": "Int", "filters": "[UserFilter]"},
        "UserConnection",
    ),
    "Query.userByName": ({"name": "String!"}, "User"),
    "Query.userByEmail": ({"email": "String!"}, "User"),
    "Query.userGroup": ({"userGroupId": "String!"}, "UserGroup"),
    "Query.userGroups": ({"limit": "Int!", "offset": "Int"}, "UserGroupConnection"),
    "Query.userGroupByName": ({"name": "String!"}, "UserGroup"),
    "Query.ssoProvider": ({"ssoProviderId": "String!"}, "SSOProvider"),
    "Query.ssoProviders": ({"limit": "Int!", "offset": "Int"}, "SSOProviderConnection"),
    "Mutation.createUser": ({"input": "CreateUserInput!"}, "CreateUserPayload"),
    "Mutation.updateUser": ({"input": "UpdateUserInput!"}, "UpdateUserPayload"),
    "Mutation.deleteUser": ({"input": "DeleteUserInput!"}, "DeleteUserPayload"),
    "Mutation.createUserGroup": ({"input": "CreateUserGroupInput!"}, "CreateUserGroupPayload"),
    "Mutation.updateUserGroup": ({"input": "UpdateUserGroupInput!"}, "UpdateUserGroupPayload"),
    "Mutation.updateUserGroupPermissions": (
        {"input": "UpdateUserGroupPermissionsInput"},
        "UpdateUserGroupPermissionsPayload",
    ),
    "Mutation.deleteUserGroup": ({"input": "DeleteUserGroupInput!"}, "DeleteUserGroupPayload"),
    "Mutation.addUserToUserGroup": (
        {"input": "AddUserToUserGroupInput!"},
        "AddUserToUserGroupPayload",
    ),
    "Mutation.removeUserFromUserGroup": (
        {"input": "RemoveUserFromUserGroupInput!"},
        "RemoveUserFromUserGroupPayload",
    ),
    "Mutation.addAccountPermission": (
        {"input": "AddAccountPermissionInput!"},
        "AddAccountPermissionPayload",
    ),
    "Mutation.addAppPermission": ({"input": "AddAppPermissionInput!"}, "AddAppPermissionPayload"),
}

# Where the contract is stricter than Harness, and says so in its description: Harness
# refuses every updateUserGroupPermissions call without an input anyway.
STRICTER = {"Mutation.updateUserGroupPermissions": {"input": "UpdateUserGroupPermissionsInput!"}}

HARNESS_TYPES: dict[str, dict[str, str]] = {
    "SSOProvider": {"id": "String", "name": "String", "ssoType": "SSOType"},
    "SSOProviderConnection": {"pageInfo": "PageInfo", "nodes": "[SSOProvider]"},
    "AddAccountPermissionInput": {
        "clientMutationId": "String",
        "userGroupId": "String!",
        "accountPermission": "AccountPermissionType",
    },
    "AddAccountPermissionPayload": {"clientMutationId": "String", "userGroup": "UserGroup"},
    "AddAppPermissionInput": {
        "clientMutationId": "String",
        "userGroupId": "String!",
        "appPermission": "ApplicationPermissionInput",
    },
    "AddAppPermissionPayload": {"clientMutationId": "String", "userGroup": "UserGroup"},
    "TemplatePermissionFilterInput": {"filterType": "FilterType", "templateIds": "[String!]"},
    "TemplatePermissionFilter": {"filterType": "FilterType", "templateIds": "[String]"},
}
HARNESS_ENUMS = {
    "SSOType": ["LDAP", "SAML"],
    "AppPermissionType": [
        "ALL",
        "ENV",
        "SERVICE",
        "WORKFLOW",
        "PIPELINE",
        "DEPLOYMENT",
        "PROVISIONER",
        "TEMPLATE",
    ],
}

TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name } } }"
INTROSPECTION = f"""{{
  __schema {{
    queryType {{ fields {{ name args {{ name type {{ {TYPE_REF} }} }} type {{ {TYPE_REF} }} }} }}
    mutationType {{ fields {{ name args {{ name type {{ {TYPE_REF} }} }} type {{ {TYPE_REF} }} }} }}
    types {{
      name
      fields {{ name type {{ {TYPE_REF} }} }}
      inputFields {{ name type {{ {TYPE_REF} }} }}
      enumValues {{ name }}
    }}
  }}
}}"""


def sdl(type_ref: dict[str, Any]) -> str:
    """An introspected type reference written as in SDL: `[String!]`, `Int!`."""
    if type_ref["kind"] == "NON_NULL":
        return f"{sdl(type_ref['ofType'])}!"
    if type_ref["kind"] == "LIST":
        return f"[{sdl(type_ref['ofType'])}]"
    name: str = type_ref["name"]
    return name


def served(cg: Cg) -> dict[str, Any]:
    schema: dict[str, Any] = cg.data(INTROSPECTION)["__schema"]
    return schema


def test_every_harness_root_field_is_served_as_harness_declares_it(cg: Cg) -> None:
    schema = served(cg)
    fields = {
        f"{root}.{field['name']}": (
            {arg["name"]: sdl(arg["type"]) for arg in field["args"]},
            sdl(field["type"]),
        )
        for root, kind in (("Query", "queryType"), ("Mutation", "mutationType"))
        for field in schema[kind]["fields"]
    }
    expected = {
        name: ({**arguments, **STRICTER.get(name, {})}, result)
        for name, (arguments, result) in HARNESS_ROOT_FIELDS.items()
    }
    assert len(expected) == 20
    assert fields == expected


def test_the_types_of_the_newest_fields_are_harness_s(cg: Cg) -> None:
    types = {item["name"]: item for item in served(cg)["types"]}
    for name, harness_fields in HARNESS_TYPES.items():
        declared = types[name]["fields"] or types[name]["inputFields"]
        assert {field["name"]: sdl(field["type"]) for field in declared} == harness_fields, name
    for name, values in HARNESS_ENUMS.items():
        assert [value["name"] for value in types[name]["enumValues"]] == values, name
    application_permission = {
        field["name"]: sdl(field["type"]) for field in types["ApplicationPermission"]["fields"]
    }
    assert application_permission["templates"] == "TemplatePermissionFilter"
    permission_input = {
        field["name"]: sdl(field["type"])
        for field in types["ApplicationPermissionInput"]["inputFields"]
    }
    assert permission_input["templates"] == "TemplatePermissionFilterInput"
