"""The request samples of seed 004 ("Users, Teams, and Roles (GQL)"), verbatim.

Queries and variables are copied character for character from the vendor document
(whitespace included). Samples whose variables are placeholders (USER_EMAIL,
'USER_NAME', YOUR_ORG_ID, "[Int]!"...) keep only their query here; the tests fill the
variables with fixture values.
"""

# Get a user's details (the Node.js sample sends the same query)
USERS_NODES = "query Users($where: UserWhereInput!) {\n  users(where: $where) {\n    nodes {\n      id\n      username\n      name\n      email\n      createdAt\n      status\n      Teams{\n        id\n        name\n      }\n    }\n  }\n}"

# ... by one or more user id
USERS_BY_IDS = {"where": {"userIds": [6049746, 5713300]}}

# The same query with apps (the older list shape of `users`)
USERS_LIST = "query Users($where: UserWhereInput!) {\n  users(where: $where) {\n    id\n    username\n    name\n    email\n    createdAt\n    status\n    ProjectAcls{\n      Project{\n        name\n        id\n        description\n      }\n    }\n    Teams{\n      id\n      name\n      ProjectAcls{\n        Project{\n          name\n          id\n          description\n        }\n      }\n    }\n  }\n}"

# ... its userIds variables
USERS_LIST_BY_IDS = {"where": {"userIds": [6049746, 5713300]}}

# Get a single user's details (admin)
ADMIN_USER = "  query user($id: ID!) {\n   user(id: $id) {\n    id\n    name\n    thumbnail\n    mashapeId\n    createdAt\n    updatedAt\n    email\n    status\n    username\n    verified\n    apisCount\n    singleAdminOrgs\n    organizations {\n      id\n      name\n      description\n    }\n    role { \n      roleId\n    }\n    protected\n    Teams {\n      id\n      name\n      createdAt\n      thumbnail\n    }\n    ProjectAcls {\n      id\n      createdAt\n      Project {\n        id\n        name\n        applicationAuthorizations {\n          id\n          key\n        }\n      }\n    }\n  }\n}"

# ... its variables
ADMIN_USER_VARS = {"id": "7344547"}

# Get details for multiple users (admin)
ADMIN_USERS = "query getUsers($where: UserWhereInput!) {\n  users(where: $where) {\n    totalCount\n    nodes {\n      name\n      username\n      id\n      thumbnail\n      email\n      createdAt\n      lastActive\n      apisCount\n      status\n    }\n  }\n}"

# ... its variables
ADMIN_USERS_VARS = {
    "where": {
        "limit": 50,
        "offset": 0,
        "term": "",
        "order": "createdAt,ASC",
        "byField": "id,name,email,username",
        "filters": {},
    }
}

# Update a user's details
UPDATE_USER = "mutation updateUser($input: UserUpdateInput!) {\n  updateUser(input: $input) {\n    status\n  }\n}"

# ... its variables (deactivates 7344540)
UPDATE_USER_VARS = {"input": {"status": "DEACTIVATED", "id": "7344540"}}

# Get the users of an organization
TEAM_USERS = "query PaginatedTeamUsersByOrganizationIdV2($orgId: Int!, $pagingArgs: PagingArgs) {\n  paginatedTeamUsersByOrganizationIdV2(orgId: $orgId, pagingArgs: $pagingArgs) {\n    data {\n      id\n      name\n      username\n      email\n      role\n      inviteStatus\n    }\n    total\n    totalActive\n  }\n}"

# ... its variables
TEAM_USERS_VARS = {
    "orgId": 5755578,
    "pagingArgs": {"offset": 0, "limit": 1000, "orderBy": "id", "orderDirection": "desc"},
}

# Get a team's details
TEAM = "query Team($id: ID!) {\n  team(id: $id) {\n      id\n      slugifiedName\n      name\n      createdAt\n      ProjectAcls {\n        Project {\n          id\n          name\n        }\n      }\n    }\n}"

# ... its variables
TEAM_VARS = {"id": "6631475"}

# Get configured roles
ROLES = "query Roles($where: RoleWhereInput!) {\n  roles(where: $where) {\n\n    edges {\n      node {\n        id\n        name\n        permissions {\n          id\n          rolePermission {\n          granted\n          readOnly\n        }\n        }\n      }\n      cursor\n    }\n    pageInfo {\n      hasNextPage\n      hasPreviousPage\n      startCursor\n      endCursor\n    }\n  }\n}"

# ... its variables
ROLES_VARS = {"where": {"roleLevels": ["USER_ENVIRONMENT"]}}

# Update a user's organization role
UPDATE_USER_ROLES = (
    "mutation UpdateUserRoles($input: UserRolesUpdateInput) {\n  updateUserRoles(input: $input)\n}"
)

# ... its variables
UPDATE_USER_ROLES_VARS = {"input": {"entityId": 6049746, "roleId": 580, "orgId": 7669830}}

# Update a user's team role
UPSERT_ENTITY_ROLE = (
    "mutation upsertEntityRole($input: EntityRoleInput) {\n  upsertEntityRole(input: $input)\n}"
)

# ... its variables
UPSERT_ENTITY_ROLE_VARS = {
    "input": {"entityId": 6049746, "roleId": 627, "orgId": 7669830, "parentId": 7669831}
}

# Get a user's teams (variables: {"where": {"orgId": YOUR_ORG_ID}})
TEAMS = "query Teams($where: TeamWhereInput!) {\n  teams(where: $where) {\n    name\n    id\n    slugifiedName\n  }\n}"

# Invite a user to an organization (variables are type placeholders)
CREATE_USER_INVITES = (
    "mutation CreateUserInvites($input: UserInvitesInput) {\n  createUserInvites(input: $input)\n}"
)

# Manage team users (variables are type placeholders)
UPDATE_TEAM_USER = (
    "mutation UpdateTeamUser($input: TeamUserUpdateInput) {\n  updateTeamUser(input: $input)\n}"
)
