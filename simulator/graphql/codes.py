"""The `extensions.code` values both GraphQL faces put on errors (Apollo Server's names).

Clients of these APIs mostly ignore them; fuzzers and careful clients use them to tell a
refused request (a client class) from a server fault.
"""

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE"
BAD_REQUEST = "BAD_REQUEST"
BAD_USER_INPUT = "BAD_USER_INPUT"
FORBIDDEN = "FORBIDDEN"
UNAUTHENTICATED = "UNAUTHENTICATED"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
# A document over the cost bound (refused before execution) and an execution stopped by
# its wall-clock budget.
TOO_COMPLEX = "QUERY_TOO_COMPLEX"
TIMEOUT = "QUERY_TIMEOUT"
