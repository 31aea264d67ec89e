"""The client-credentials access token: fetched on demand, cached, refreshed before expiry, thread-safe, and
attached to requests by :class:`TokenAuth`, an ``httpx.Auth`` flow."""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["AccessToken", "Secret", "TokenAuth", "TokenCache", "decode_jwt_claims", "parse_token_answer"]

logger = logging.getLogger("piwik_resources.api")

DEFAULT_EXPIRES_IN = 1800.0
REFRESH_MARGIN = 60.0


class Secret:
    """A string that never shows itself in ``repr``/``str`` (use :meth:`reveal` where it must be sent)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("a Secret cannot be pickled")


@dataclass(frozen=True)
class AccessToken:
    value: Secret
    expires_at: float  # on the cache's clock
    lifetime: float

    def __repr__(self) -> str:
        return f"AccessToken(expires_at={self.expires_at:.0f})"


def parse_token_answer(body: Any) -> tuple[str, float] | None:
    """``(access_token, expires_in)`` from a decoded token answer; ``None`` if it carries no token.

    A missing or unreadable ``expires_in`` counts as the API's usual 30 minutes.
    """
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        return None
    expires_in = body.get("expires_in")
    try:
        lifetime = float(expires_in) if expires_in is not None else DEFAULT_EXPIRES_IN
    except (TypeError, ValueError):
        lifetime = DEFAULT_EXPIRES_IN
    return token, lifetime


def decode_jwt_claims(token: str) -> dict[str, Any]:
    """Claims of a JWT, without verifying the signature (used only to read ``org``); ``{}`` if not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (ValueError, UnicodeDecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


class TokenCache:
    """Holds one token; ``fetch`` runs under a lock so N concurrent callers cause exactly one token request.

    The token is refreshed ``REFRESH_MARGIN`` seconds before it expires (or at half its lifetime if it lives
    less than two margins). :meth:`invalidate` drops the token only if it is still the one the caller used,
    so a burst of 401s on parallel threads leads to a single refresh.
    """

    def __init__(
        self,
        fetch: Callable[[], tuple[str, float]],
        *,
        clock: Callable[[], float] = time.monotonic,
        margin: float = REFRESH_MARGIN,
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._margin = margin
        self._lock = threading.Lock()
        self._token: AccessToken | None = None
        self.fetch_count = 0

    def _fresh(self, token: AccessToken | None) -> bool:
        if token is None:
            return False
        margin = min(self._margin, token.lifetime / 2)
        return self._clock() < token.expires_at - margin

    def get(self) -> str:
        token = self._token
        if self._fresh(token):
            assert token is not None
            return token.value.reveal()
        with self._lock:
            token = self._token
            if not self._fresh(token):
                value, expires_in = self._fetch()
                self.fetch_count += 1
                if expires_in <= 0:
                    expires_in = DEFAULT_EXPIRES_IN
                token = AccessToken(Secret(value), self._clock() + expires_in, expires_in)
                self._token = token
            assert token is not None
            return token.value.reveal()

    def invalidate(self, used: str) -> None:
        with self._lock:
            if self._token is not None and self._token.value.reveal() == used:
                self._token = None

    def current(self) -> str | None:
        """The cached token value, if any (for redaction), without fetching."""
        token = self._token
        return token.value.reveal() if token is not None else None

    def __repr__(self) -> str:
        return f"TokenCache(cached={self._token is not None}, fetches={self.fetch_count})"


def _with_bearer(request: httpx.Request, token: str) -> httpx.Request:
    """A copy of ``request`` carrying ``token``: each exchange is its own request object, and the caller's
    request (sent again on a retry) never holds a token."""
    headers = request.headers.copy()
    headers["Authorization"] = f"Bearer {token}"
    return httpx.Request(
        request.method, request.url, headers=headers, stream=request.stream, extensions=dict(request.extensions)
    )


class TokenAuth(httpx.Auth):
    """The bearer-token step of one logical request, as an ``httpx.Auth`` flow.

    It attaches the cached token; on a 401 it drops that token from the cache (only if no other thread has
    replaced it already, see :meth:`TokenCache.invalidate`), fetches a new one and sends the request again,
    once per logical request: ``refreshed`` stays set across the retries of that request, so a later 401 is
    final and the error can say the fresh token was refused too. It holds no token itself, so its ``repr``
    shows none.
    """

    def __init__(self, tokens: TokenCache) -> None:
        self._tokens = tokens
        self.refreshed = False

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._tokens.get()
        response = yield _with_bearer(request, token)
        if response.status_code != 401 or self.refreshed:
            return
        self.refreshed = True
        self._tokens.invalidate(token)
        logger.info("%s %s -> 401; refreshing the access token and retrying once", request.method, request.url.path)
        yield _with_bearer(request, self._tokens.get())

    def __repr__(self) -> str:
        return f"TokenAuth(refreshed={self.refreshed})"
