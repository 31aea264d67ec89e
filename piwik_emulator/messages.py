"""The request and response objects that handlers receive and return (independent of http.server)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

if TYPE_CHECKING:
    from .config import Config
    from .store import Tx

JSON_API = "application/vnd.api+json"
JSON = "application/json"


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: Any, content_type: str = JSON_API) -> Response:
    return Response(status, json.dumps(payload).encode(), content_type)


def no_content() -> Response:
    return Response(204)


@dataclass
class Request:
    """One incoming API call, with its matched route parameters and the open transaction."""

    method: str
    path: str
    raw_query: str
    headers: dict[str, str]  # lower-cased names
    body: bytes
    params: dict[str, str]
    tx: Tx
    config: Config
    now: float
    #: The caller's address and the claims of its bearer token (set once the token is verified): the author of
    #: an audit-log entry.
    ip: str = "127.0.0.1"
    claims: dict[str, Any] = field(default_factory=dict)

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(self.raw_query, keep_blank_values=True)

    def query_one(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def media_type(self) -> str:
        return self.content_type.split(";", 1)[0].strip().lower()
