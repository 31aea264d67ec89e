"""A scriptable fake Piwik PRO behind ``httpx.MockTransport`` for the client's unit tests."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import httpx

from piwik_resources.api import Pacing, PiwikClient, RetryPolicy

BASE_URL = "https://acme.piwik.pro"
CLIENT_ID = "client-id-1234"
CLIENT_SECRET = "s3cr3t-Client-Secret-value-XYZ"
JSONAPI = "application/vnd.api+json"

Handler = Callable[[httpx.Request], httpx.Response]


def make_jwt(org: str = "acme", n: int = 1) -> str:
    def enc(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{enc({'alg': 'RS256', 'typ': 'JWT'})}.{enc({'iss': 'oauth', 'org': org, 'n': n})}.c2lnbmF0dXJl{n}"


def jsonapi(status: int, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    h = {"Content-Type": JSONAPI, **(headers or {})}
    if body is None:
        return httpx.Response(status, headers=h)
    return httpx.Response(status, headers=h, content=json.dumps(body).encode())


def resource(type_: str, id_: str, **attributes: Any) -> dict[str, Any]:
    return {"data": {"type": type_, "id": id_, "attributes": attributes}}


class FakeClock:
    """A monotonic clock that only moves when something sleeps on it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


@dataclass
class FakePiwik:
    """Routes ``(METHOD, path)`` to a list of responses (consumed in order, the last one repeating) or a
    callable; serves ``POST /auth/token`` itself, issuing a fresh JWT each time."""

    org: str = "acme"
    expires_in: int = 1800
    token_status: int = 200
    token_body: dict[str, Any] | None = None
    token_delay: Callable[[], None] | None = None
    routes: dict[tuple[str, str], Any] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    token_forms: list[dict[str, list[str]]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def on(self, method: str, path: str, *responses: httpx.Response | Handler | Exception) -> FakePiwik:
        self.routes[(method.upper(), path)] = list(responses)
        return self

    @property
    def token_requests(self) -> int:
        return len(self.token_forms)

    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path != "/auth/token"]

    def _token(self, request: httpx.Request) -> httpx.Response:
        if self.token_delay is not None:
            self.token_delay()
        with self._lock:
            self.token_forms.append(parse_qs(request.content.decode()))
            if self.token_status != 200:
                return httpx.Response(self.token_status, json=self.token_body or {"error": "invalid_client"})
            token = make_jwt(self.org, len(self.tokens) + 1)
            self.tokens.append(token)
        return httpx.Response(200, json={"token_type": "Bearer", "expires_in": self.expires_in, "access_token": token})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
        if request.method == "POST" and request.url.path == "/auth/token":
            return self._token(request)
        key = (request.method, request.url.path)
        with self._lock:
            queue = self.routes.get(key)
            if queue is None:
                return jsonapi(404, {"errors": [{"status": "404", "title": f"no fake route {key}"}]})
            item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, Exception):
            raise item
        if isinstance(item, httpx.Response):
            return httpx.Response(item.status_code, headers=item.headers, content=item.content)
        return item(request)

    def client(
        self,
        *,
        pacing: Pacing | None = None,
        retry: RetryPolicy | None = None,
        clock: FakeClock | None = None,
        **kw: Any,
    ) -> PiwikClient:
        clock = clock or FakeClock()
        if retry is None:
            retry = RetryPolicy(sleep=clock.sleep, clock=clock)
        return PiwikClient(
            BASE_URL,
            CLIENT_ID,
            CLIENT_SECRET,
            transport=httpx.MockTransport(self),
            pacing=pacing or Pacing.unlimited(),
            retry=retry,
            **kw,
        )


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None


def paths(requests: Iterable[httpx.Request]) -> list[str]:
    return [f"{r.method} {r.url.path}" for r in requests]
