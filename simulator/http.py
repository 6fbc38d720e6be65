"""HTTP helpers shared by every face: fast JSON rendering, query parsing and body reading."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping
from typing import Any

import orjson
from starlette.datastructures import Headers, QueryParams
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Scope

_JSON_CONTENT_TYPE = (b"content-type", b"application/json")
# Longer query strings are parsed each time rather than kept.
_CACHED_QUERY_LENGTH = 512


class JSONResponse(Response):
    """A JSON response rendered with orjson (several times faster than the stdlib)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)

    def init_headers(self, headers: Mapping[str, str] | None = None) -> None:
        """Starlette's headers, built directly in the common case (every answer has one)."""
        plain = headers is None and self.media_type == JSONResponse.media_type
        if not plain or self.status_code < 200 or self.status_code in (204, 304):
            super().init_headers(headers)
            return
        self.raw_headers = [(b"content-length", b"%d" % len(self.body)), _JSON_CONTENT_TYPE]


def header_bytes(headers: list[tuple[bytes, bytes]]) -> int:
    """The bytes of a request's header names and values (summed in C: the header limit
    and the journal's byte bound both count them on every request)."""
    return sum(map(len, itertools.chain.from_iterable(headers)))


def optional_header(headers: Headers, name: str) -> str | None:
    """A header most requests lack, or None. Starlette's `Headers.get` raises and catches
    a KeyError for every absent header, which costs more than the scan itself."""
    wanted = name.lower().encode("latin-1")
    for key, value in headers.raw:
        if key == wanted:
            return value.decode("latin-1")
    return None


async def read_body(request: Request) -> bytes:
    """The whole request body, read once (a second read would wait for more).

    Starlette's `Request.body` goes through an async generator and `aclosing`, which
    costs more than the loop below on every request with a body (GraphQL's are all POST).
    """
    chunks = []
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def parse_json(raw: bytes) -> Any:
    """Parse a request body; raises ValueError on malformed JSON."""
    return orjson.loads(raw)


def parse_yaml(raw: bytes) -> Any:
    """Parse a YAML request body (Harness also consumes YAML); raises ValueError on
    malformed YAML. PyYAML is imported on first use: few clients send YAML."""
    import yaml

    from simulator.yamlfast import safe_load

    try:
        return safe_load(raw)
    except yaml.YAMLError as error:
        raise ValueError("not YAML") from error


def media_type(value: str | None) -> str:
    """The bare media type of a Content-Type header ("" when there is none)."""
    return (value or "").split(";", 1)[0].strip().lower()


YAML_MEDIA_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml"})


def is_json_content_type(value: str | None) -> bool:
    """JSON or no content type at all (curl without -H sends none, and we accept it)."""
    media = media_type(value)
    return not media or media == "application/json" or media.endswith("+json")


def query_params(scope: Scope) -> QueryParams:
    """The request's query parameters, parsed once per distinct short query string.

    Clients repeat the same few query strings (the account, a page size) on every call,
    and parsing one costs about as much as the rest of authenticating the request.
    `QueryParams` is immutable, so one parsed copy serves every request that sent it.
    """
    raw: bytes = scope["query_string"]
    if len(raw) > _CACHED_QUERY_LENGTH:
        return QueryParams(raw)
    return _parsed_query(raw)


@functools.lru_cache(maxsize=1024)
def _parsed_query(raw: bytes) -> QueryParams:
    return QueryParams(raw)
