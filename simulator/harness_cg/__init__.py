"""The Harness CurrentGen GraphQL face (`/gateway/api/graphql`): users, user groups, permissions."""
