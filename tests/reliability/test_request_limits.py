"""Request-level bounds and odd inputs: passwords never reach the journal however they are
sent, the journal and the caches are bounded in bytes, large headers get 431, large
bodies a 413 that every client reads, odd control tokens a 401, odd ids a refusal."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

import httpx
import pytest
import requests

from simulator.app import build_app
from simulator.graphql.results import CachedAnswer, ResultCache
from simulator.journal import Journal
from simulator.testing.server import LiveServer
from tests.ids import ACCOUNT, ADMIN_KEY, PASSWORD, RAPIDAPI_ADMIN_KEY

PASSWORD_URL = f"/gateway/ng/api/user/password?accountIdentifier={ACCOUNT}"
NEW = "Brand-New-Secret-4321"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", f'{{"currentPass\\u0077ord": "{PASSWORD}", "newPassword": "{NEW}"}}'),
        (
            "application/merge-patch+json",
            f'{{"currentPassword": "{PASSWORD}", "newPass\\u0077ord": "{NEW}"}}',
        ),
        ("application/yaml", f'"currentPass\\x77ord": {PASSWORD}\n"newPass\\x77ord": "{NEW}"\n'),
        ("application/x-yaml", f"currentPassword: {PASSWORD}\nnewPassword: {NEW}\n"),
        ("text/plain", f"newPass\\u0077ord={NEW}"),
        ("application/json", f'{{"newPass\\u0077ord": "{NEW}", '),  # cut off
    ],
)
def test_no_password_reaches_the_journal(http: httpx.Client, content_type: str, body: str) -> None:
    http.put(
        PASSWORD_URL,
        content=body.encode(),
        headers={"x-api-key": ADMIN_KEY, "content-type": content_type},
    )
    journal = http.get("/_usersim/journal").text
    assert NEW not in journal and PASSWORD not in journal
    assert "\\\\u0077" not in journal and "x77" not in journal


def test_a_yaml_body_that_expands_past_the_bound_is_not_rendered(http: httpx.Client) -> None:
    """Aliases of aliases: 300 bytes that stand for 200,000 values (nine levels would
    stand for billions, and reading the journal would never end)."""
    levels = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 5)]
    body = "\n".join([*levels, "newPassword: *a4"]).encode()
    headers = {"x-api-key": ADMIN_KEY, "content-type": "application/yaml"}
    assert http.put(PASSWORD_URL, content=body, headers=headers).status_code == 400
    (entry,) = http.get("/_usersim/journal").json()["entries"]
    placeholder = f"[redacted: {len(body)} bytes of application/yaml that could not be parsed]"
    assert entry["request"]["body"] == placeholder


def test_an_inline_block_string_password_is_redacted(http: httpx.Client) -> None:
    query = f'mutation {{ x(input: {{password: """{NEW}"""}}) }}'
    http.post("/api/graphql", json={"query": query}, headers={"x-api-key": ADMIN_KEY})
    assert NEW not in http.get("/_usersim/journal").text


def test_the_journal_is_bounded_in_bytes() -> None:
    journal = Journal(size=1000, max_bytes=1_000_000)
    header = [(b"x-big", b"x" * 100_000)]
    for _ in range(50):
        journal.record(0, None, None, None, None, "GET", "/", b"", 200, 0.0, None, header, b"", 0)
    assert journal.bytes <= 1_000_000
    assert 5 <= len(journal) < 10


def test_the_answer_cache_is_bounded_in_bytes() -> None:
    cache = ResultCache(max_entries=1000, max_bytes=1_600_000)
    for n in range(100):
        cache.put(n, CachedAnswer(1, None, 200, b"x" * 100_000, "application/json"))
    assert cache.bytes <= 1_600_000 and len(cache) == 16
    cache.put("big", CachedAnswer(1, None, 200, b"x" * 200_000, "application/json"))
    assert cache.get("big", 1, 0) is None and len(cache) == 16


def test_large_headers_get_431_and_stay_out_of_the_journal(http: httpx.Client) -> None:
    response = http.get(
        "/gateway/ng/api/user/currentUser",
        params={"accountIdentifier": ACCOUNT},
        headers={"x-api-key": ADMIN_KEY, "x-padding": "x" * (256 * 1024)},
    )
    assert response.status_code == 431
    assert http.get("/_usersim/journal").json()["entries"] == []


# -- 413 for every client ------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_server() -> Iterator[LiveServer]:
    with LiveServer() as live:
        yield live


NG_USERS = f"/gateway/ng/api/user/users?accountIdentifier={ACCOUNT}"
HEADERS = {"x-api-key": ADMIN_KEY, "content-type": "application/json"}


def _body(size: int, chunked: bool) -> bytes | Iterator[bytes]:
    """The whole body at once (Content-Length), or 64 KiB parts (chunked encoding)."""
    if not chunked:
        return b"x" * size
    block = b"x" * 65536
    return (block for _ in range(size // len(block)))


def _urllib(url: str, size: int, chunked: bool) -> tuple[int, bytes]:
    headers = {**HEADERS, "transfer-encoding": "chunked"} if chunked else HEADERS
    request = urllib.request.Request(url, data=_body(size, chunked), headers=headers)  # type: ignore[arg-type]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    return refused.value.code, refused.value.read()


def _requests(url: str, size: int, chunked: bool) -> tuple[int, bytes]:
    response = requests.post(url, data=_body(size, chunked), headers=HEADERS, timeout=30)
    return response.status_code, response.content


def _httpx(url: str, size: int, chunked: bool) -> tuple[int, bytes]:
    response = httpx.post(url, content=_body(size, chunked), headers=HEADERS, timeout=30)
    return response.status_code, response.content


@pytest.mark.parametrize("send", [_urllib, _requests, _httpx], ids=lambda f: f.__name__[1:])
@pytest.mark.parametrize("size", [3 * 1024 * 1024, 32 * 1024 * 1024])
@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
def test_every_client_reads_the_413(
    small_server: LiveServer,
    send: Callable[[str, int, bool], tuple[int, bytes]],
    size: int,
    chunked: bool,
) -> None:
    status, body = send(small_server.url + NG_USERS, size, chunked)
    assert status == 413
    assert json.loads(body)["status"] == "ERROR"


# -- odd inputs ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def guarded() -> Iterator[LiveServer]:
    with LiveServer(build_app(control_token="s3cret")) as live:
        yield live


@pytest.mark.parametrize(
    ("headers", "path"),
    [
        ({"X-Usersim-Token": b"\xff"}, "/_usersim/state"),
        ({"Authorization": "Bearer é".encode()}, "/_usersim/state"),
        ({}, "/_usersim/?token=%C3%A9"),
    ],
)
def test_an_odd_control_token_is_a_401(guarded: LiveServer, headers: dict, path: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", guarded.port, timeout=10)
    connection.putrequest("GET", path)
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    assert connection.getresponse().status == 401
    connection.close()


def test_rapidapi_ids_are_ascii_digits_only(http: httpx.Client) -> None:
    response = http.post(
        "/rapidapi/graphql",
        json={"query": '{ team(id: "٧٦٦٩٨٣١") { id } }'},
        headers={"x-rapidapi-key": RAPIDAPI_ADMIN_KEY},
    )
    assert "7669831" not in response.text


def test_an_abandoned_upload_is_logged_at_debug_only(
    server: LiveServer, sim: object, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            f"PUT {PASSWORD_URL} HTTP/1.1\r\nHost: x\r\nx-api-key: {ADMIN_KEY}\r\n"
            "content-type: application/json\r\ncontent-length: 100000\r\n\r\n{".encode()
        )
    deadline = time.monotonic() + 10
    while not any("went away" in r.getMessage() for r in caplog.records):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_the_dashboards_script_gets_the_token_as_a_javascript_string(guarded: LiveServer) -> None:
    page = httpx.get(f"{guarded.url}/_usersim/", params={"token": "s3cret"}).text
    assert 'const token = "s3cret";' in page


def test_the_command_lines_defaults_are_the_documented_ones() -> None:
    """`usersim serve` keeps its own copies (it imports the server only when it runs)."""
    from simulator import bodylimit, cli, journal
    from simulator.graphql.bounds import CostLimits, QueryLimits

    assert cli.DEFAULT_JOURNAL_BYTES == journal.DEFAULT_MAX_BYTES == 64 * 2**20
    assert cli.DEFAULT_MAX_HEADER_SIZE == bodylimit.DEFAULT_MAX_HEADER_SIZE == 64 * 2**10
    assert cli.DEFAULT_GRAPHQL_MAX_COST == CostLimits().max_cost == 100_000
    assert cli.DEFAULT_GRAPHQL_BUDGET == QueryLimits().budget_seconds == 5.0
