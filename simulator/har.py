"""The journal as an HTTP Archive (HAR 1.2), for a failing CI run to attach.

A browser's network panel (and most HTTP tools) opens a HAR file, so a person can read
what a client under test sent without usersim. It is made from the journal's rendered
entries, so it carries exactly what they carry: requests with every secret redacted,
and the status and duration of each answer (the journal keeps no response bodies).
What usersim learned about each request (face, operation, account, the fault that
fired) goes in `_usersim`, as HAR allows custom fields that start with an underscore.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

import orjson

from simulator import __version__


def har(entries: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A HAR log of rendered journal entries (oldest first)."""
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "usersim", "version": __version__},
            "entries": [_entry(entry) for entry in entries],
        }
    }


def _entry(entry: dict[str, Any]) -> dict[str, Any]:
    request = entry["request"]
    headers = request["headers"]
    host = next((v for k, v in headers.items() if k.lower() == "host"), "usersim")
    query = entry["query"]
    url = f"http://{host}{entry['path']}" + (f"?{query}" if query else "")
    har_request: dict[str, Any] = {
        "method": entry["method"],
        "url": url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": [{"name": k, "value": v} for k, v in headers.items()],
        "queryString": [
            {"name": k, "value": v} for k, v in parse_qsl(query, keep_blank_values=True)
        ],
        "headersSize": -1,
        "bodySize": 0,
    }
    body = request["body"]
    if body is not None:
        text = body if isinstance(body, str) else orjson.dumps(body).decode()
        mime = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        har_request["postData"] = {"mimeType": mime, "text": text}
        har_request["bodySize"] = len(text.encode())
    status = entry["status"]
    milliseconds = entry["durationMs"]
    return {
        "startedDateTime": datetime.fromtimestamp(entry["time"] / 1000, UTC).isoformat(
            timespec="milliseconds"
        ),
        "time": milliseconds,
        "request": har_request,
        "response": {
            "status": status,
            "statusText": _status_text(status),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [],
            "content": {"size": -1, "mimeType": ""},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
        },
        "cache": {},
        "timings": {"send": 0, "wait": milliseconds, "receive": 0},
        "_usersim": {
            key: entry[key]
            for key in ("id", "face", "operation", "operationName", "account", "fault")
        },
    }


def _status_text(status: int) -> str:
    if status == 0:
        return "connection dropped"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
