"""The CurrentGen calls of Harness's Go SDK (harness-go-sdk, harness/cd), as the Terraform
provider's FirstGen resources make them.

The documents are the SDK's own text, byte for byte (its `%[n]s` placeholders filled the
way Go's fmt fills them); the variables are what Go's JSON encoder makes of the SDK's
structs, whose fields are all `omitempty`. The SDK reads an answer as Go does: the first
entry of `responseMessages` or `errors` is the call's error, and a struct keeps only the
fields it declares. Calls that look something up treat Harness's "not found" messages as
"absent", by substring, as the SDK does.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.ids import ACCOUNT, ADMIN_KEY

PATH = "/gateway/api/graphql"
USER_NOT_FOUND = "User does not exist"
USER_GROUP_NOT_FOUND = "No User Group exists"
SSO_PROVIDER_NOT_FOUND = "Provider does not exist"

USER_FIELDS = (
    "\n\tid\n\temail\n\tisEmailVerified\n\tisImportedFromIdentityProvider\n\tisPasswordExpired"
    "\n\tisTwoFactorAuthenticationEnabled\n\tisUserLocked\n\tname\n"
)
USER_GROUP_FIELDS = (
    "\n\tid\n\tdescription\n\timportedByScim\n\tisSSOLinked\n\tname\n\tnotificationSettings {"
    "\n\t\tgroupEmailAddresses\n\t\tmicrosoftTeamsWebhookUrl\n\t\tsendMailToNewMembers"
    "\n\t\tsendNotificationToMembers\n\t\tslackNotificationSetting {\n\t\t\tslackChannelName"
    "\n\t\t\tslackWebhookURL\n\t\t}\n\t}\n\tpermissions {\n\t\taccountPermissions {"
    "\n\t\t\taccountPermissionTypes\n\t\t} \n\t\tappPermissions {\n\t\t\tactions "
    "\n\t\t\tpermissionType\n\t\t\tapplications {\n\t\t\t\tappIds\n\t\t\t\tfilterType\n\t\t\t}"
    "\n\t\t\tdeployments {\n\t\t\t\tenvIds\n\t\t\t\tfilterTypes\n\t\t\t}\n\t\t\tenvironments {"
    "\n\t\t\t\tenvIds\n\t\t\t\tfilterTypes\n\t\t\t}\n\t\t\tpipelines {\n\t\t\t\tenvIds"
    "\n\t\t\t\tfilterTypes\n\t\t\t}\n\t\t\tprovisioners {\n\t\t\t\tfilterType\n\t\t\t\tprovisionerIds"
    "\n\t\t\t}\n\t\t\tservices {\n\t\t\t\tfilterType\n\t\t\t\tserviceIds\n\t\t\t}\n\t\t\tworkflows {"
    "\n\t\t\t\tenvIds\n\t\t\t\tfilterTypes\n\t\t\t}\n\t\t}\n\t}\n\tldapSettings: ssoSetting {"
    "\n\t\t... on LDAPSettings {\n\t\t\tgroupDN\n\t\t\tgroupName\n\t\t\tssoProviderId\n\t\t} \n\t}"
    "\n\tsamlSettings: ssoSetting {\n\t\t... on SAMLSettings {\n\t\t\tgroupName\n\t\t\tssoProviderId"
    "\n\t\t} \n\t}\n"
)
SSO_PROVIDER_FIELDS = "\n\tid\n\tname\n\tssoType\n"
PAGINATION_FIELDS = "\npageInfo {\n\tlimit\n\toffset\n\ttotal\n\thasMore\n}\n"


def _mutation(input_type: str, field: str, selection: str) -> str:
    return (
        f"mutation($input: {input_type}!) {{\n\t\t\t{field}(input: $input) {{\n"
        f"\t\t\t\t{selection} {{\n\t\t\t\t\t%[1]s\n\t\t\t\t}}\n\t\t\t}}\n\t\t}}"
    )


def _lookup(field: str, argument: str) -> str:
    return f'{{\n\t\t\t{field}({argument}: "%[1]s") {{\n\t\t\t\t%[2]s\n\t\t\t}}\n\t\t}}'


def _delete(input_type: str, field: str) -> str:
    return (
        f"mutation($input: {input_type}!) {{\n\t\t\t{field}(input: $input) {{\n"
        "\t\t\t\tclientMutationId\n\t\t\t}\n\t\t}"
    )


CREATE_USER = _mutation("CreateUserInput", "createUser", "user")
UPDATE_USER = _mutation("UpdateUserInput", "updateUser", "user")
DELETE_USER = _delete("DeleteUserInput", "deleteUser")
USER_BY_EMAIL = _lookup("userByEmail", "email")
USER_BY_ID = _lookup("user", "id")
CREATE_USER_GROUP = _mutation("CreateUserGroupInput", "createUserGroup", "userGroup")
UPDATE_USER_GROUP = _mutation("UpdateUserGroupInput", "updateUserGroup", "userGroup")
DELETE_USER_GROUP = _delete("DeleteUserGroupInput", "deleteUserGroup")
USER_GROUP_BY_ID = _lookup("userGroup", "userGroupId")
USER_GROUP_BY_NAME = _lookup("userGroupByName", "name")
ADD_USER_TO_GROUP = _mutation("AddUserToUserGroupInput", "addUserToUserGroup", "userGroup")
REMOVE_USER_FROM_GROUP = _mutation(
    "RemoveUserFromUserGroupInput", "removeUserFromUserGroup", "userGroup"
)
GROUP_MEMBERSHIP = (
    "query($limit: Int!, $offset: Int, $id: String!) {\n\t\t\t\tuser(id: $id) {\n\t\t\t\t\tid"
    "\n\t\t\t\t\temail\n\t\t\t\t\tuserGroups(limit: $limit, offset: $offset) {\n\t\t\t\t\t\tnodes {"
    "\n\t\t\t\t\t\t\t%[2]s\n\t\t\t\t\t\t}\t\n\t\t\t\t\t\t%[3]s\n\t\t\t\t\t}\n\t\t\t\t}\n\t\t\t}"
)
SSO_PROVIDER_BY_ID = _lookup("ssoProvider", "ssoProviderId")
SSO_PROVIDERS = (
    "query($limit: Int!, $offset: Int) {\n\t\t\tssoProviders(limit: $limit, offset: $offset) {"
    "\n\t\t\t\tnodes {\n\t\t\t\t\t%[1]s\n\t\t\t\t}\n\t\t\t\t%[2]s\n\t\t\t}\n\t\t}"
)

# The SDK's structs: the JSON name of each field, and the struct a nested field holds.
_GROUP_FIELDS: dict[str, str | None] = {
    "name": None,
    "description": None,
    "importedByScim": None,
    "isSSOLinked": None,
    "notificationSettings": "NotificationSettings",
    "permissions": "UserGroupPermissions",
}
STRUCTS: dict[str, dict[str, str | None]] = {
    "CreateUserInput": {
        "clientMutationId": None,
        "email": None,
        "name": None,
        "userGroupIds": None,
    },
    "UpdateUserInput": {"clientMutationId": None, "id": None, "name": None},
    "UserGroup": {
        "id": None,
        **_GROUP_FIELDS,
        "ldapSettings": "LDAPSettings",
        "samlSettings": "SAMLSettings",
    },
    # copier.Copy fills the inputs from a UserGroup by field name: the id goes out as
    # userGroupId, the SSO settings (no such fields there) stay behind.
    "CreateUserGroupInput": {**_GROUP_FIELDS, "ssoSetting": "SSOSettingInput"},
    "UpdateUserGroupInput": {"userGroupId": None, **_GROUP_FIELDS},
    "NotificationSettings": {
        "groupEmailAddresses": None,
        "microsoftTeamsWebhookUrl": None,
        "sendMailToNewMembers": None,
        "sendNotificationToMembers": None,
        "slackNotificationSetting": "SlackNotificationSetting",
    },
    "SlackNotificationSetting": {"slackChannelName": None, "slackWebhookURL": None},
    "UserGroupPermissions": {
        "accountPermissions": "AccountPermissions",
        "appPermissions": "AppPermission",
    },
    "AccountPermissions": {"accountPermissionTypes": None},
    "AppPermission": {
        "actions": None,
        "applications": "AppFilter",
        "deployments": "EnvFilter",
        "environments": "EnvFilter",
        "permissionType": None,
        "pipelines": "EnvFilter",
        "provisioners": "ProvisionerFilter",
        "services": "ServiceFilter",
        "templates": "TemplateFilter",
        "workflows": "EnvFilter",
    },
    "AppFilter": {"appIds": None, "filterType": None},
    "EnvFilter": {"envIds": None, "filterTypes": None},
    "ProvisionerFilter": {"filterType": None, "provisionerIds": None},
    "ServiceFilter": {"filterType": None, "serviceIds": None},
    "TemplateFilter": {"templateIds": None, "filterType": None},
    "LDAPSettings": {"groupDN": None, "groupName": None, "ssoProviderId": None},
    "SAMLSettings": {"groupName": None, "ssoProviderId": None},
    "SSOSettingInput": {"ldapSettings": "LDAPSettings", "samlSettings": "SAMLSettings"},
}


def go_struct(struct: str, value: Any) -> Any:
    """`value` decoded into the SDK's struct and encoded again: unknown fields dropped,
    and every empty one (null, "", false, an empty list) left out, as `omitempty` does.
    A nested struct is a pointer: present (even empty) whenever the JSON had an object."""
    if isinstance(value, list):
        return [go_struct(struct, item) for item in value]
    fields = STRUCTS[struct]
    encoded: dict[str, Any] = {}
    for name, nested in fields.items():
        item = value.get(name)
        if item is None or item == "" or item is False or item == []:
            continue
        encoded[name] = item if nested is None else go_struct(nested, item)
    return encoded


class GoSdkError(Exception):
    """What the SDK returns as `error`: the first message of the answer."""


class CdClient:
    """harness-go-sdk's CD client (UserClient and SSOClient calls) over a real HTTP client."""

    def __init__(self, http: httpx.Client, *, key: str = ADMIN_KEY, account: str = ACCOUNT):
        self.http = http
        self.key = key
        self.account = account
        self.sent: list[tuple[str, Any]] = []

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """ExecuteGraphQLQuery: POST {endpoint}/api/graphql?accountId=..., then the data."""
        self.sent.append((query, variables))
        response = self.http.post(
            PATH,
            params={"accountId": self.account},
            headers={
                "User-Agent": "harness-go-sdk-0.5",
                "Accept": "application/json",
                "Content-Type": "application/json",
                "x-api-key": self.key,
            },
            json={"query": query, "variables": variables},
        )
        body = response.json()
        if body.get("responseMessages"):
            raise GoSdkError(body["responseMessages"][0]["message"])
        if body.get("errors"):
            raise GoSdkError(body["errors"][0]["message"])
        return body["data"]

    def _find(self, query: str, field: str, not_found: str) -> Any:
        try:
            return self.execute(query)[field]
        except GoSdkError as error:
            if not_found in str(error):
                return None
            raise

    # -- users ---------------------------------------------------------------------------

    def create_user(self, user: dict[str, Any]) -> Any:
        variables = {"input": go_struct("CreateUserInput", user)}
        return self.execute(sprintf(CREATE_USER, USER_FIELDS), variables)["createUser"]["user"]

    def update_user(self, user: dict[str, Any]) -> Any:
        variables = {"input": go_struct("UpdateUserInput", user)}
        return self.execute(sprintf(UPDATE_USER, USER_FIELDS), variables)["updateUser"]["user"]

    def delete_user(self, user_id: str) -> None:
        self.execute(DELETE_USER, {"input": {"id": user_id}})

    def get_user_by_email(self, email: str) -> Any:
        return self._find(
            sprintf(USER_BY_EMAIL, email.lower(), USER_FIELDS), "userByEmail", USER_NOT_FOUND
        )

    def get_user_by_id(self, user_id: str) -> Any:
        return self._find(sprintf(USER_BY_ID, user_id, USER_FIELDS), "user", USER_NOT_FOUND)

    # -- user groups ---------------------------------------------------------------------

    def create_user_group(self, group: dict[str, Any]) -> Any:
        """CreateUserGroup: the group copied into the input; its LDAP or SAML settings,
        if any, become `ssoSetting` (LDAP wins when both are set)."""
        chosen = dict(group)
        for kind in ("samlSettings", "ldapSettings"):
            if group.get(kind) is not None:
                chosen["ssoSetting"] = {kind: group[kind]}
        return self._group_mutation(
            CREATE_USER_GROUP, "createUserGroup", go_struct("CreateUserGroupInput", chosen)
        )

    def update_user_group(self, group: dict[str, Any]) -> Any:
        group_input = go_struct("UpdateUserGroupInput", {**group, "userGroupId": group.get("id")})
        return self._group_mutation(UPDATE_USER_GROUP, "updateUserGroup", group_input)

    def _group_mutation(self, template: str, field: str, group_input: dict[str, Any]) -> Any:
        query = sprintf(template, USER_GROUP_FIELDS)
        return go_struct(
            "UserGroup", self.execute(query, {"input": group_input})[field]["userGroup"]
        )

    def get_user_group_by_id(self, group_id: str) -> Any:
        return self._find_group(USER_GROUP_BY_ID, group_id, "userGroup")

    def get_user_group_by_name(self, name: str) -> Any:
        return self._find_group(USER_GROUP_BY_NAME, name, "userGroupByName")

    def _find_group(self, template: str, key: str, field: str) -> Any:
        query = sprintf(template, key, USER_GROUP_FIELDS)
        found = self._find(query, field, USER_GROUP_NOT_FOUND)
        return None if found is None else go_struct("UserGroup", found)

    def delete_user_group(self, group_id: str) -> None:
        self.execute(DELETE_USER_GROUP, {"input": {"userGroupId": group_id}})

    def is_user_in_group(self, user_id: str, group_id: str) -> bool:
        """IsUserInGroup: pages of 10 of the user's groups until a short page."""
        limit, offset = 10, 0
        while True:
            query = sprintf(GROUP_MEMBERSHIP, user_id, USER_GROUP_FIELDS, PAGINATION_FIELDS)
            variables = {"id": user_id, "limit": limit, "offset": offset}
            groups = self.execute(query, variables)["user"]["userGroups"]["nodes"]
            if any(group["id"] == group_id for group in groups):
                return True
            if len(groups) != limit:
                return False
            offset += limit

    def add_user_to_group(self, user_id: str, group_id: str) -> None:
        query = sprintf(ADD_USER_TO_GROUP, USER_GROUP_FIELDS)
        self.execute(query, {"input": {"userGroupId": group_id, "userId": user_id}})

    def remove_user_from_group(self, user_id: str, group_id: str) -> None:
        query = sprintf(REMOVE_USER_FROM_GROUP, USER_GROUP_FIELDS)
        self.execute(query, {"input": {"userGroupId": group_id, "userId": user_id}})

    # -- SSO providers -------------------------------------------------------------------

    def get_sso_provider_by_id(self, provider_id: str) -> Any:
        query = sprintf(SSO_PROVIDER_BY_ID, provider_id, SSO_PROVIDER_FIELDS)
        return self._find(query, "ssoProvider", SSO_PROVIDER_NOT_FOUND)

    def list_sso_providers(self, limit: int, offset: int) -> tuple[list[Any], Any]:
        query = sprintf(SSO_PROVIDERS, SSO_PROVIDER_FIELDS, PAGINATION_FIELDS)
        page = self.execute(query, {"limit": limit, "offset": offset})["ssoProviders"]
        return page["nodes"], page["pageInfo"]

    def get_sso_provider_by_name(self, name: str) -> Any:
        """GetSSOProviderByName: pages of 100 while hasMore, the offset moving by one."""
        offset, has_more = 0, True
        while has_more:
            providers, page_info = self.list_sso_providers(100, offset)
            for provider in providers:
                if provider["name"] == name:
                    return provider
            has_more = page_info["hasMore"]
            offset += 1
        raise GoSdkError(f"could not find SSO Provider with name: {name}")


def sprintf(template: str, *args: str) -> str:
    """Go's fmt.Sprintf for the SDK's templates, which use only `%[n]s`."""
    return re.sub(r"%\[(\d)\]s", lambda match: args[int(match.group(1)) - 1], template)
