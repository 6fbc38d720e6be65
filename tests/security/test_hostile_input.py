"""A corpus of hostile requests: each is refused in its face's own shape and changes nothing.

Every entry goes to a face (or the control API) with valid credentials, so the refusal
comes from the input itself: malformed, truncated or empty bodies, a wrong content
type, a body over the size limit, deep nesting, long strings, NUL and odd unicode,
integers outside 32 bits, unknown enum values, GraphQL documents too deep or too wide,
batches and several operations in one document. After each one the state (the export,
the fault rules and the policies) is what it was and the server still answers.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import httpx
import pytest

from simulator.app import DEFAULT_MAX_BODY_SIZE, build_app
from simulator.bodylimit import DEFAULT_MAX_HEADER_SIZE
from simulator.runtime import Simulator
from simulator.testing.server import LiveServer
from tests.ids import ACCOUNT, ADMIN_KEY
from tests.security.conftest import assert_up

Check = Callable[[httpx.Response], None]

JSON = {"content-type": "application/json"}
NG_KEY = {"x-api-key": ADMIN_KEY}
RAPID_KEY = {"x-rapidapi-key": "usersim-rapidapi-key"}
NG_USER = "/gateway/ng/api/user"
CG = "/gateway/api/graphql"
RAPID = "/rapidapi/graphql"
OVERSIZED = b'{"name": "' + b"x" * DEFAULT_MAX_BODY_SIZE + b'"}'
TOO_DEEP_JSON = b'{"a": ' * 5000 + b"1" + b"}" * 5000
# As deep as orjson parses (1024 levels), deeper than Python may recurse.
DEEP_ARRAY = b"[" * 1000 + b"]" * 1000
LONG_EMAIL = "a" * 300_000 + "@example.com"
INT_OVER_32_BITS = 2**31
HUGE_NUMERAL = "9" * 5000  # more digits than Python's int() converts


@dataclass(frozen=True)
class Hostile:
    method: str
    path: str
    content: bytes | None
    check: Check
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)


def body(value: Any) -> bytes:
    """JSON with every non-ASCII character escaped (so lone surrogates can be sent)."""
    return json.dumps(value).encode()


def graphql(query: str, variables: dict[str, Any] | None = None, **extra: Any) -> bytes:
    return body({"query": query, "variables": variables, **extra})


# -- the shapes of each face's refusals --------------------------------------------------


def ng_error(status: int, code: str, message: str | None = None) -> Check:
    def check(response: httpx.Response) -> None:
        assert response.status_code == status, response.text
        content = response.json()
        assert content["status"] == "ERROR" and content["code"] == code, content
        assert content["responseMessages"][0]["message"] == content["message"]
        if message is not None:
            assert content["message"] == message, content

    return check


def ng_failure(*fields: str) -> Check:
    def check(response: httpx.Response) -> None:
        assert response.status_code == 400, response.text
        content = response.json()
        assert (content["status"], content["code"]) == ("FAILURE", "INVALID_REQUEST"), content
        assert [error["fieldId"] for error in content["errors"]] == list(fields), content

    return check


NG_NOT_JSON = ng_error(
    400, "INVALID_REQUEST", "Invalid request: Unable to process JSON: the body is not valid JSON"
)


def request_error(status: int, code: str, contains: str = "") -> Check:
    """A GraphQL request refused before execution: errors[] with the code, no data."""

    def check(response: httpx.Response) -> None:
        assert response.status_code == status, response.text
        content = response.json()
        assert "data" not in content, content
        assert content["errors"], content
        assert all(error["extensions"]["code"] == code for error in content["errors"]), content
        assert any(contains in error["message"] for error in content["errors"]), content

    return check


def resolver_refusal(field_name: str, code: str, contains: str = "") -> Check:
    """A GraphQL field refused by its resolver: 200, the field null, one coded error."""

    def check(response: httpx.Response) -> None:
        assert response.status_code == 200, response.text
        content = response.json()
        assert content["data"] == {field_name: None}, content
        [error] = content["errors"]
        assert error["path"] == [field_name] and error["extensions"]["code"] == code, error
        assert contains in error["message"], error

    return check


def non_null_refusal(field_name: str, code: str, contains: str = "") -> Check:
    """A non-null GraphQL field refused by its resolver: 200, `data` null, one coded error."""

    def check(response: httpx.Response) -> None:
        assert response.status_code == 200, response.text
        content = response.json()
        assert content["data"] is None, content
        [error] = content["errors"]
        assert error["path"] == [field_name] and error["extensions"]["code"] == code, error
        assert contains in error["message"], error

    return check


def gateway(status: int, message: str) -> Check:
    def check(response: httpx.Response) -> None:
        assert response.status_code == status, response.text
        assert response.json() == {"message": message}

    return check


def problems(status: int, message: str, *details: str) -> Check:
    def check(response: httpx.Response) -> None:
        assert response.status_code == status, response.text
        assert response.json() == {"message": message, "problems": list(details)}

    return check


TOO_LARGE = f"The request body is larger than the limit of {DEFAULT_MAX_BODY_SIZE} bytes."
HEADERS_TOO_LARGE = f"The request's headers are larger than {DEFAULT_MAX_HEADER_SIZE} bytes."


def with_large_headers(entry: Hostile) -> Hostile:
    """The same request with one more header, which takes its headers over the limit."""
    padding = {"x-padding": "x" * DEFAULT_MAX_HEADER_SIZE}
    return replace(entry, headers={**entry.headers, **padding})


# -- NextGen -----------------------------------------------------------------------------


def ng(
    method: str, path: str, content: bytes | None, check: Check, *, ctype: str | None = None, **q
) -> Hostile:
    headers = dict(NG_KEY)
    if ctype is not None:
        headers["content-type"] = ctype
    return Hostile(
        method, NG_USER + path, content, check, headers, {"accountIdentifier": ACCOUNT, **q}
    )


# Billion laughs: nine times nine... lists of lists, 9**8 strings once expanded.
YAML_BOMB = (
    "a: &a ["
    + ", ".join(["lol"] * 9)
    + "]\n"
    + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
        for previous, name in zip("abcdefg", "bcdefgh", strict=True)
    )
)
NEXTGEN = {
    "malformed JSON": ng("PUT", "", b'{"name": Ada}', NG_NOT_JSON, ctype="application/json"),
    "truncated JSON": ng("POST", "/users", b'{"emails": ["a@example.com"', NG_NOT_JSON),
    "malformed JSON without a content type": ng("PUT", "", b'{"name": ', NG_NOT_JSON),
    "wrong content type": ng(
        "PUT",
        "",
        body({"name": "Text"}),
        ng_error(415, "MEDIA_NOT_SUPPORTED", "HTTP 415 Unsupported Media Type"),
        ctype="text/plain",
    ),
    "form content type": ng(
        "POST",
        "/users",
        b"emails=a%40example.com",
        ng_error(415, "MEDIA_NOT_SUPPORTED"),
        ctype="application/x-www-form-urlencoded",
    ),
    "empty body where one is required": ng(
        "POST", "/users", b"", ng_failure("body"), ctype="application/json"
    ),
    "body over the limit": ng(
        "PUT", "", OVERSIZED, ng_error(413, "INVALID_REQUEST", TOO_LARGE), ctype="application/json"
    ),
    "headers over the limit": with_large_headers(
        ng("GET", "/currentUser", None, ng_error(431, "INVALID_REQUEST", HEADERS_TOO_LARGE))
    ),
    "JSON nested 5000 deep": ng("PUT", "", TOO_DEEP_JSON, NG_NOT_JSON, ctype="application/json"),
    "JSON nested 1000 deep in a field": ng(
        "PUT", "", b'{"name": ' + DEEP_ARRAY + b"}", ng_failure("name")
    ),
    "a 300 kB email": ng(
        "POST", "/users", body({"emails": [LONG_EMAIL]}), ng_error(400, "INVALID_REQUEST")
    ),
    "NUL in an email": ng(
        "PUT", "", body({"email": "ada\u0000@example.com"}), ng_error(400, "INVALID_REQUEST")
    ),
    "a lone surrogate": ng("PUT", "", body({"name": "\ud800"}), NG_NOT_JSON),
    "bytes that are not UTF-8": ng("PUT", "", b'{"name": "\xff\xfe"}', NG_NOT_JSON),
    "a UTF-8 byte order mark": ng("PUT", "", b'\xef\xbb\xbf{"name": "Bom"}', NG_NOT_JSON),
    "pageIndex over 32 bits": ng(
        "POST", "/batch", None, ng_failure("pageIndex"), pageIndex=str(INT_OVER_32_BITS)
    ),
    "negative pageSize": ng("POST", "/batch", None, ng_failure("pageSize"), pageSize="-1"),
    "a superscript two as pageSize": ng(
        "GET", "/currentgen", None, ng_failure("pageSize"), pageSize="²"
    ),
    "a 5000-digit pageIndex": ng(
        "GET", "/currentgen", None, ng_failure("pageIndex"), pageIndex=HUGE_NUMERAL
    ),
    "unknown enum value in a body": ng(
        "POST", "/batch", body({"parentFilter": "EVERYONE"}), ng_failure("parentFilter")
    ),
    "unknown enum value in a path": ng(
        "GET", "/two-factor-auth/SMS", None, ng_failure("authMechanism")
    ),
    "a batch (JSON array)": ng("POST", "/users", body([{"emails": []}]), ng_failure("body")),
    "YAML alias bomb": ng(
        "POST",
        "/batch",
        (YAML_BOMB + "searchTerm: *h\n").encode(),
        ng_failure("searchTerm"),
        ctype="application/yaml",
    ),
    "YAML with a Python tag": ng(
        "PUT",
        "",
        b"name: !!python/object/apply:os.system ['true']\n",
        ng_error(
            400,
            "INVALID_REQUEST",
            "Invalid request: Unable to process YAML: the body is not valid YAML",
        ),
        ctype="application/yaml",
    ),
}


# -- CurrentGen --------------------------------------------------------------------------


def cg(content: bytes | None, check: Check, *, ctype: str | None = "application/json") -> Hostile:
    headers = dict(NG_KEY)
    if ctype is not None:
        headers["content-type"] = ctype
    return Hostile("POST", CG, content, check, headers, {"accountId": ACCOUNT})


def nested(open_levels: list[str], leaf: str) -> str:
    return " { ".join(open_levels) + " { " + leaf + " }" * len(open_levels)


CG_TOO_DEEP = (
    "{ " + nested(["users(limit: 1)", "nodes", "userGroups(limit: 1)", "nodes"] * 6, "id") + " }"
)
CG_TOO_WIDE = "{ users(limit: 1) { nodes { " + " ".join(f"f{i}: id" for i in range(1001)) + " } } }"
CREATE_USER = "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }"
CURRENTGEN = {
    "malformed JSON": cg(b'{"query": }', request_error(400, "BAD_REQUEST", "not valid JSON")),
    "truncated JSON": cg(
        b'{"query": "{ users(limit: 1) { nodes { id } } }"',
        request_error(400, "BAD_REQUEST", "not valid JSON"),
    ),
    "wrong content type": cg(
        graphql("{ __typename }"),
        request_error(415, "BAD_REQUEST", "application/json"),
        ctype="text/plain",
    ),
    "empty body": cg(b"", request_error(400, "BAD_REQUEST", "empty")),
    "body over the limit": cg(OVERSIZED, request_error(413, "BAD_REQUEST", TOO_LARGE)),
    "headers over the limit": with_large_headers(
        cg(
            graphql("{ users(limit: 1) { nodes { id } } }"),
            request_error(431, "BAD_REQUEST", HEADERS_TOO_LARGE),
        )
    ),
    "JSON nested 5000 deep": cg(TOO_DEEP_JSON, request_error(400, "BAD_REQUEST")),
    "variables nested 1000 deep": cg(
        b'{"query": "query($n: String!) { userByName(name: $n) { id } }", "variables": {"n": '
        + DEEP_ARRAY
        + b"}}",
        request_error(200, "BAD_USER_INPUT", "nested too deeply"),
    ),
    "a 300 kB email": cg(
        graphql(CREATE_USER, {"i": {"name": "Long", "email": LONG_EMAIL}}),
        resolver_refusal("createUser", "BAD_USER_INPUT", "is not a valid email address"),
    ),
    "NUL in an email": cg(
        graphql(CREATE_USER, {"i": {"name": "Nul", "email": "nul\u0000@example.com"}}),
        resolver_refusal("createUser", "BAD_USER_INPUT", "is not a valid email address"),
    ),
    "NUL in the document": cg(
        graphql("{ __typename \u0000 }"), request_error(200, "GRAPHQL_PARSE_FAILED", "U+0000")
    ),
    "a right-to-left override in the document": cg(
        graphql("{ \u202e__typename }"), request_error(200, "GRAPHQL_PARSE_FAILED", "U+202E")
    ),
    "a lone surrogate": cg(
        graphql('{ userByName(name: "\ud800") { id } }'), request_error(400, "BAD_REQUEST")
    ),
    "Int literal over 32 bits": cg(
        graphql(f"{{ users(limit: {INT_OVER_32_BITS}) {{ nodes {{ id }} }} }}"),
        request_error(200, "GRAPHQL_VALIDATION_FAILED", "non 32-bit signed integer"),
    ),
    "Int variable over 32 bits": cg(
        graphql("query($l: Int!) { users(limit: $l) { nodes { id } } }", {"l": INT_OVER_32_BITS}),
        request_error(200, "BAD_USER_INPUT", "non 32-bit signed integer"),
    ),
    "unknown enum value": cg(
        graphql(
            "mutation($i: UpdateUserGroupPermissionsInput!) { updateUserGroupPermissions(input: $i)"
            " { clientMutationId } }",
            {
                "i": {
                    "userGroupId": "aw1Um28DZ1oWAKNaCZlQ2A",
                    "permissions": {"accountPermissions": {"accountPermissionTypes": ["GOD_MODE"]}},
                }
            },
        ),
        request_error(200, "BAD_USER_INPUT", "GOD_MODE"),
    ),
    "a document deeper than the limit (20)": cg(
        graphql(CG_TOO_DEEP),
        request_error(200, "GRAPHQL_VALIDATION_FAILED", "levels deep; the limit is 20"),
    ),
    "a document selecting 1001 fields": cg(
        graphql(CG_TOO_WIDE),
        request_error(200, "GRAPHQL_VALIDATION_FAILED", "selects more than 1000 fields"),
    ),
    "a document over 10000 tokens": cg(
        graphql("{ " + " ".join(f"a{i}: __typename" for i in range(4000)) + " }"),
        request_error(200, "GRAPHQL_PARSE_FAILED", "more than 10000 tokens"),
    ),
    "a batch (JSON array)": cg(
        body([{"query": "{ __typename }"}, {"query": "{ __typename }"}]),
        request_error(400, "BAD_REQUEST", "Batched requests are not supported"),
    ),
    "two operations, none named": cg(
        graphql(
            'query A { __typename } mutation B { deleteUserGroup(input: {userGroupId: "x"})'
            " { clientMutationId } }"
        ),
        request_error(200, "OPERATION_RESOLUTION_FAILURE", "Must provide operation name"),
    ),
    "two operations, an unknown one named": cg(
        graphql("query A { __typename } query B { __typename }", operationName="C"),
        request_error(200, "OPERATION_RESOLUTION_FAILURE", "Unknown operation named 'C'"),
    ),
    "variables that are not an object": cg(
        body({"query": "{ __typename }", "variables": [1]}),
        request_error(400, "BAD_REQUEST", "'variables'"),
    ),
}


# -- RapidAPI ----------------------------------------------------------------------------


def rapid(
    content: bytes | None, check: Check, *, ctype: str | None = "application/json"
) -> Hostile:
    headers = dict(RAPID_KEY)
    if ctype is not None:
        headers["content-type"] = ctype
    return Hostile("POST", RAPID, content, check, headers)


RAPID_TOO_DEEP = (
    "{ " + nested(["organizations", "teams", "users", "teams", "users"] * 3, "id") + " }"
)
RAPID_TOO_WIDE = "{ organizations { " + " ".join(f"f{i}: id" for i in range(501)) + " } }"
INVITE = "mutation($i: UserInvitesInput) { createUserInvites(input: $i) }"
RAPIDAPI = {
    "malformed JSON": rapid(b'{"query": }', request_error(400, "BAD_REQUEST", "not valid JSON")),
    "truncated JSON": rapid(
        b'{"query": "{ organizations { id } }"', request_error(400, "BAD_REQUEST")
    ),
    "wrong content type": rapid(
        graphql("{ organizations { id } }"),
        request_error(415, "BAD_REQUEST", "application/json"),
        ctype="text/plain",
    ),
    "empty body": rapid(b"", request_error(400, "BAD_REQUEST", "empty")),
    "body over the limit": rapid(OVERSIZED, gateway(413, TOO_LARGE)),
    "headers over the limit": with_large_headers(
        rapid(graphql("{ roles { id } }"), gateway(431, HEADERS_TOO_LARGE))
    ),
    "JSON nested 5000 deep": rapid(TOO_DEEP_JSON, request_error(400, "BAD_REQUEST")),
    "variables nested 1000 deep": rapid(
        b'{"query": "query($s: String) { teams(where: {slugifiedName: $s}) { id } }",'
        b' "variables": {"s": ' + DEEP_ARRAY + b"}}",
        request_error(400, "BAD_USER_INPUT", "nested too deeply"),
    ),
    "a 300 kB email": rapid(
        graphql(INVITE, {"i": {"email": LONG_EMAIL, "teamIds": [], "organizationId": 7669830}}),
        resolver_refusal("createUserInvites", "BAD_USER_INPUT"),
    ),
    "NUL in an email": rapid(
        graphql(
            "mutation($i: UserUpdateInput!) { updateUser(input: $i) { status } }",
            {"i": {"email": "ada\u0000@example.com"}},
        ),
        resolver_refusal("updateUser", "BAD_USER_INPUT", "is not an email address"),
    ),
    "NUL in the document": rapid(
        graphql("{ organizations { id \u0000 } }"),
        request_error(400, "GRAPHQL_PARSE_FAILED", "U+0000"),
    ),
    "a lone surrogate": rapid(
        graphql('{ teams(where: {slugifiedName: "\udfff"}) { id } }'),
        request_error(400, "BAD_REQUEST"),
    ),
    "Int literal over 32 bits": rapid(
        graphql(
            f"{{ paginatedTeamUsersByOrganizationIdV2(orgId: {INT_OVER_32_BITS}) {{ total }} }}"
        ),
        request_error(400, "GRAPHQL_VALIDATION_FAILED", "non 32-bit signed integer"),
    ),
    "Int variable over 32 bits": rapid(
        graphql(
            "mutation($u: Int!) { addUserToTeams(userId: $u, teamIds: [7669832]) }",
            {"u": -INT_OVER_32_BITS - 1},
        ),
        request_error(400, "BAD_USER_INPUT", "non 32-bit signed integer"),
    ),
    "unknown enum value": rapid(
        graphql(
            "query($w: RoleWhereInput!) { roles(where: $w) { nodes { id } } }",
            {"w": {"roleLevels": ["GALAXY"]}},
        ),
        request_error(400, "BAD_USER_INPUT", "GALAXY"),
    ),
    "a document deeper than the limit (12)": rapid(
        graphql(RAPID_TOO_DEEP),
        request_error(400, "GRAPHQL_VALIDATION_FAILED", "levels deep; the limit is 12"),
    ),
    "a document selecting 501 fields": rapid(
        graphql(RAPID_TOO_WIDE),
        request_error(400, "GRAPHQL_VALIDATION_FAILED", "selects more than 500 fields"),
    ),
    "a cursor naming a superscript two": rapid(
        graphql(
            "query($a: String) { roles(where: {}, pagination: {after: $a}) { nodes { id } } }",
            {"a": base64.urlsafe_b64encode("role:²".encode()).decode()},
        ),
        non_null_refusal("roles", "BAD_USER_INPUT", "is not a cursor of this list"),
    ),
    "a batch (JSON array)": rapid(
        body([{"query": "{ organizations { id } }"}]),
        request_error(400, "BAD_REQUEST", "Batched requests are not supported"),
    ),
    "two operations in one document": rapid(
        graphql(
            'query A { organizations { id } } mutation B { deleteTeam(id: "7669832") }',
            operationName="B",
        ),
        request_error(400, "GRAPHQL_VALIDATION_FAILED", "Only one query or mutation"),
    ),
}


# -- control API -------------------------------------------------------------------------

NOT_VALID = "the request is not valid"
NOT_JSON = problems(400, "the request body is not valid JSON")


def control(method: str, path: str, content: bytes | None, check: Check) -> Hostile:
    return Hostile(method, "/_usersim" + path, content, check, dict(JSON))


# -- SCIM --------------------------------------------------------------------------------

SCIM = f"/gateway/ng/api/scim/account/{ACCOUNT}"


def scim_error(status: int, body_status: int | None = None, detail: str | None = None) -> Check:
    def check(response: httpx.Response) -> None:
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/scim+json"
        content = response.json()
        assert content["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
        assert content["status"] == (status if body_status is None else body_status), content
        if detail is not None:
            assert content["detail"] == detail, content

    return check


def scim(
    method: str,
    path: str,
    content: bytes | None,
    check: Check,
    *,
    ctype: str = "application/scim+json",
    **q: str,
) -> Hostile:
    headers = {"Authorization": f"Bearer {ADMIN_KEY}", "content-type": ctype}
    return Hostile(method, SCIM + path, content, check, headers, dict(q))


SCIM_NOT_JSON = scim_error(400, detail="Unable to process JSON: the body is not valid JSON")
SCIM_CREATE_FAILED = scim_error(409, 404)
SCIM_INPUT = {
    "malformed JSON": scim("POST", "/Users", b'{"userName": ada}', SCIM_NOT_JSON),
    "truncated JSON": scim("POST", "/Groups", b'{"displayName": "X"', SCIM_NOT_JSON),
    "wrong content type": scim(
        "POST", "/Users", body({"userName": "a@example.com"}), scim_error(415), ctype="text/plain"
    ),
    "body over the limit": scim("POST", "/Users", OVERSIZED, scim_error(413, detail=TOO_LARGE)),
    "headers over the limit": with_large_headers(
        scim("GET", "/Users", None, scim_error(431, detail=HEADERS_TOO_LARGE))
    ),
    "JSON nested 5000 deep": scim("POST", "/Users", TOO_DEEP_JSON, SCIM_NOT_JSON),
    "JSON nested 1000 deep in a field": scim(
        "POST", "/Users", b'{"userName": ' + DEEP_ARRAY + b"}", scim_error(400)
    ),
    "a 300 kB userName": scim("POST", "/Users", body({"userName": LONG_EMAIL}), SCIM_CREATE_FAILED),
    "NUL in a userName": scim(
        "POST", "/Users", body({"userName": "ada\u0000@example.com"}), SCIM_CREATE_FAILED
    ),
    "a lone surrogate": scim("POST", "/Users", body({"userName": "\ud800"}), SCIM_NOT_JSON),
    "bytes that are not UTF-8": scim("POST", "/Groups", b'{"displayName": "\xff"}', SCIM_NOT_JSON),
    "count over 32 bits": scim("GET", "/Users", None, scim_error(404), count=str(INT_OVER_32_BITS)),
    "a huge numeral as startIndex": scim(
        "GET", "/Groups", None, scim_error(404), startIndex=HUGE_NUMERAL
    ),
    "PATCH ops that are not a list": scim(
        "PATCH",
        "/Users/0j8IJBKLLzMMXH_QpqOkUA",
        body({"Operations": {"op": "add"}}),
        scim_error(400),
    ),
}

CONTROL = {
    "malformed JSON": control("PUT", "/policies", b"{lockout: 1}", NOT_JSON),
    "truncated JSON": control("POST", "/faults", b'{"face": "harness-ng", "status": 5', NOT_JSON),
    "empty body": control(
        "POST", "/faults", b"", problems(400, NOT_VALID, "body: must not be null")
    ),
    "body over the limit": control("PUT", "/state", OVERSIZED, problems(413, TOO_LARGE)),
    "headers over the limit": with_large_headers(
        control("GET", "/journal", None, problems(431, HEADERS_TOO_LARGE))
    ),
    "JSON nested 5000 deep": control("PUT", "/state", TOO_DEEP_JSON, NOT_JSON),
    "JSON nested 1000 deep": control(
        "PUT",
        "/policies",
        b'{"lockout": ' + DEEP_ARRAY + b"}",
        problems(400, NOT_VALID, "lockout: must be an object"),
    ),
    "an integer of 70 bits": control(
        "PUT",
        "/policies",
        body({"lockout": {"max_failed_attempts": 2**70}}),
        problems(400, NOT_VALID, "lockout.max_failed_attempts: must be an integer"),
    ),
    "a 5000-digit integer in a query": Hostile(
        "GET",
        "/_usersim/journal",
        None,
        problems(400, NOT_VALID, "since: must be an integer of at most 4300 digits"),
        params={"since": HUGE_NUMERAL},
    ),
    "a number beyond float": control("POST", "/clock", b'{"advance_seconds": 1e400}', NOT_JSON),
    "unknown enum value": control(
        "PUT",
        "/policies",
        body({"pagination": {"harness-ng": {"over_max": "ignore"}}}),
        problems(400, NOT_VALID, "pagination.harness-ng.over_max: must be one of [error, clamp]"),
    ),
    "a batch (JSON array) where an object is expected": control(
        "PUT", "/policies", body([{}]), problems(400, NOT_VALID, "body: must be an object")
    ),
    "a lone surrogate": control(
        "PUT", "/state", body({"harness": {"accounts": "\ud800"}}), NOT_JSON
    ),
}

CORPUS = {
    **{f"nextgen: {name}": entry for name, entry in NEXTGEN.items()},
    **{f"scim: {name}": entry for name, entry in SCIM_INPUT.items()},
    **{f"currentgen: {name}": entry for name, entry in CURRENTGEN.items()},
    **{f"rapidapi: {name}": entry for name, entry in RAPIDAPI.items()},
    **{f"control: {name}": entry for name, entry in CONTROL.items()},
}


def snapshot(client: httpx.Client, sim: Simulator) -> tuple[Any, ...]:
    """Everything a request could change: the state, the fault rules, the policies."""
    faults = client.get("/_usersim/faults").json()
    policies = client.get("/_usersim/policies").json()
    return sim.export(), faults, policies


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_input_is_refused_and_changes_nothing(
    client: httpx.Client, sim: Simulator, name: str
) -> None:
    entry = CORPUS[name]
    before = snapshot(client, sim)
    response = client.request(
        entry.method, entry.path, content=entry.content, headers=entry.headers, params=entry.params
    )
    entry.check(response)
    assert snapshot(client, sim) == before
    assert_up(client)


def test_the_body_limit_is_configurable() -> None:
    small = build_app(max_body_size=100)
    with LiveServer(small) as live, httpx.Client(base_url=live.url, timeout=10.0) as client:
        response = client.put(
            NG_USER,
            params={"accountIdentifier": ACCOUNT},
            json={"name": "x" * 100},
            headers=NG_KEY,
        )
        ng_error(413, "INVALID_REQUEST", "The request body is larger than the limit of 100 bytes.")(
            response
        )
        # Streamed without a Content-Length, the body is cut off as it passes the limit.
        response = client.post(
            RAPID,
            content=iter([b'{"query": "', b"x" * 80, b'", "variables": {}}']),
            headers={**RAPID_KEY, **JSON},
        )
        gateway(413, "The request body is larger than the limit of 100 bytes.")(response)
        assert len(live.simulator.journal) == 2
        assert [entry["status"] for entry in live.simulator.journal] == [413, 413]
        assert_up(client)


@pytest.mark.parametrize(
    "numeral", ["²", "--5", HUGE_NUMERAL], ids=["superscript", "two minus signs", "5000 digits"]
)
def test_odd_numerals_name_no_rapidapi_entity(
    client: httpx.Client, sim: Simulator, numeral: str
) -> None:
    """IDs are strings on the wire: one that is no number names nothing (null), as an
    unknown id does, instead of failing the resolver."""
    before = sim.export()
    for field_name in ("user", "team"):
        query = f"query($id: ID!) {{ {field_name}(id: $id) {{ id }} }}"
        response = client.post(
            RAPID, json={"query": query, "variables": {"id": numeral}}, headers=RAPID_KEY
        )
        assert response.status_code == 200, response.text
        assert response.json() == {"data": {field_name: None}}
    assert sim.export() == before
    assert_up(client)
