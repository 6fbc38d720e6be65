"""A requests transport adapter that sends through an httpx client.

`requests` cannot use an httpx transport, and in-process usersim has no socket for it to
connect to. Mounted on a `requests.Session`, this adapter hands each request to an httpx
client (such as `usersim.client()`), so the same `requests` code runs in both plugin
modes. It is test plumbing: no streaming, proxies or certificates.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import httpx
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers


class HttpxAdapter(BaseAdapter):
    def __init__(self, client: httpx.Client) -> None:
        super().__init__()
        self._client = client

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | None = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        reply = self._client.request(
            request.method or "GET",
            request.url or "",
            headers=dict(request.headers),
            content=request.body,
        )
        response = requests.Response()
        response.status_code = reply.status_code
        response.reason = reply.reason_phrase
        response.headers = CaseInsensitiveDict(reply.headers)
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = io.BytesIO(reply.content)
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        self._client.close()
