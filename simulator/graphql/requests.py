"""Reading a GraphQL-over-HTTP request body into query, variables and operation name."""

from __future__ import annotations

from typing import Any

from simulator.http import is_json_content_type, parse_json
from simulator.records import record

# The GraphQL-over-HTTP media type; a client that accepts it gets the spec's statuses.
GRAPHQL_RESPONSE_MEDIA_TYPE = "application/graphql-response+json"


class BadGraphQLRequest(Exception):
    """The body is not one GraphQL request (malformed JSON, a batch, a missing query...)."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@record
class GraphQLParams:
    query: str
    variables: dict[str, Any]
    operation_name: str | None


def read_params(raw: bytes, content_type: str | None) -> GraphQLParams:
    """One operation per request, as both vendors serve it: a JSON array is refused."""
    if not is_json_content_type(content_type):
        raise BadGraphQLRequest("Requests must be sent as application/json.", status=415)
    if not raw.strip():
        raise BadGraphQLRequest('The request body is empty; send {"query": "..."}.')
    try:
        body = parse_json(raw)
    except ValueError:
        raise BadGraphQLRequest("The request body is not valid JSON.") from None
    if isinstance(body, list):
        raise BadGraphQLRequest(
            "Batched requests are not supported: send one operation per request."
        )
    if not isinstance(body, dict):
        raise BadGraphQLRequest("The request body must be a JSON object.")
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise BadGraphQLRequest("The 'query' field must be a non-empty string.")
    variables = body.get("variables")
    if variables is None:
        variables = {}
    if not isinstance(variables, dict):
        raise BadGraphQLRequest("The 'variables' field must be an object.")
    operation_name = body.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise BadGraphQLRequest("The 'operationName' field must be a string.")
    return GraphQLParams(query, variables, operation_name or None)
