"""The Piwik PRO HTTP client: one httpx client, token auth, pacing, retries, error mapping and request stats.

Service groups (``client.apps``, ``client.tags``, ...) build paths and bodies and parse models; everything
about the wire (headers, auth, retries, pacing, logging, errors) happens here in :meth:`PiwikClient.request`.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Mapping
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from .auth import Secret, TokenCache, decode_jwt_claims
from .config import ClientConfig, normalize_base_url
from .errors import AuthError, PiwikError, UnavailableError, error_for_status
from .jsonapi import JSONAPI_MEDIA_TYPE, MalformedResponse
from .pacing import Pacing, shared_pacing
from .retry import IDEMPOTENT_METHODS, NOT_SENT_ERRORS, RetryPolicy, parse_retry_after
from .services.apps import AppsService
from .services.audit_log import AuditLogService
from .services.consent_templates import ConsentTemplatesService
from .services.container_settings import ContainerSettingsService
from .services.custom_dimensions import CustomDimensionsService
from .services.tag_manager import TagsService, VersionsService
from .services.tracker_settings import TrackerSettingsService

__all__ = ["TOKEN_PATH", "USER_AGENT", "PiwikClient"]

logger = logging.getLogger("piwik_resources.api")

TOKEN_PATH = "/auth/token"
USER_AGENT = "piwik-resources/0.1 (+pulumi)"
REDACTED = "[REDACTED]"

# Sent as Accept on analytics calls too: their spec documents application/vnd.api+json bodies.
_JSON_ACCEPT = f"{JSONAPI_MEDIA_TYPE}, application/json;q=0.9"


class PiwikClient:
    """A synchronous, thread-safe client for the Piwik PRO API.

    ``transport`` replaces the network (``httpx.MockTransport`` in tests). ``pacing`` defaults to the
    process-wide limiter of this base URL (:func:`~piwik_resources.api.pacing.shared_pacing`); pass
    ``Pacing.unlimited()`` to disable it. ``retry`` defaults to :class:`RetryPolicy()`. The client secret and
    the bearer token never appear in ``repr``, log records or exception text.
    """

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        connect_timeout: float | None = None,
        pacing: Pacing | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.base_url = normalize_base_url(base_url)
        if not client_id or not client_id.strip():
            raise ValueError("Piwik PRO client_id is empty")
        if not client_secret:
            raise ValueError("Piwik PRO client_secret is empty")
        if timeout <= 0:
            raise ValueError(f"timeout must be > 0 s, got {timeout}")
        self.client_id = client_id.strip()
        self._secret = Secret(client_secret)
        self.pacing = pacing if pacing is not None else shared_pacing(self.base_url)
        self.retry = retry if retry is not None else RetryPolicy()
        self._http = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, connect_timeout or 10.0)),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
        )
        self._tokens = TokenCache(self._fetch_token, clock=self.retry.clock)
        self._stats_lock = threading.Lock()
        self._stats: Counter[str] = Counter()
        self._counters: dict[str, float] = {}
        self._organization: str | None = None

        self.apps = AppsService(self)
        self.tracker_settings = TrackerSettingsService(self)
        self.tags = TagsService(self)
        self.versions = VersionsService(self)
        self.custom_dimensions = CustomDimensionsService(self)
        self.container_settings = ContainerSettingsService(self)
        self.consent_templates = ConsentTemplatesService(self)
        self.audit_log = AuditLogService(self)

    @classmethod
    def from_config(
        cls,
        config: ClientConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        pacing: Pacing | None = None,
        retry: RetryPolicy | None = None,
    ) -> PiwikClient:
        """Build a client from a :class:`ClientConfig` (pacing from its per-minute limits, shared per URL)."""
        if pacing is None:
            pacing = shared_pacing(
                config.base_url,
                reads_per_minute=config.reads_per_minute,
                writes_per_minute=config.writes_per_minute,
            )
        return cls(
            config.base_url,
            config.client_id,
            config.client_secret.get_secret_value(),
            transport=transport,
            timeout=config.timeout,
            connect_timeout=config.connect_timeout,
            pacing=pacing,
            retry=retry,
        )

    # -- lifecycle -------------------------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PiwikClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PiwikClient(base_url={self.base_url!r}, client_id={self.client_id!r})"

    def __getstate__(self) -> Any:
        raise TypeError("PiwikClient cannot be pickled; build it lazily where it is used")

    # -- identity --------------------------------------------------------------------------------------------

    @property
    def organization(self) -> str:
        """The organization name (JWT ``org`` claim of the access token), fetched on first use."""
        if self._organization is None:
            claims = decode_jwt_claims(self._tokens.get())
            org = claims.get("org")
            if not isinstance(org, str) or not org:
                raise PiwikError(
                    "the Piwik PRO access token carries no 'org' claim; pass the organization name explicitly"
                )
            self._organization = org
        return self._organization

    # -- stats -----------------------------------------------------------------------------------------------

    @property
    def stats(self) -> dict[str, int]:
        """HTTP requests sent so far, by ``"METHOD /path/{template}"`` (every attempt, token requests too)."""
        with self._stats_lock:
            return dict(self._stats)

    @property
    def counters(self) -> dict[str, float]:
        """``requests``, ``retries``, ``rate_limited`` (429s seen), ``token_requests``, ``pacing_wait_s``."""
        with self._stats_lock:
            out: dict[str, float] = dict(self._counters)
        out.setdefault("requests", 0)
        out.setdefault("retries", 0)
        out.setdefault("rate_limited", 0)
        out.setdefault("token_requests", 0)
        out.setdefault("pacing_wait_s", 0.0)
        return out

    def reset_stats(self) -> None:
        with self._stats_lock:
            self._stats.clear()
            self._counters.clear()

    def _count(self, key: str, name: str | None = None, amount: float = 1) -> None:
        with self._stats_lock:
            if name is None:
                self._stats[key] += 1
                self._counters["requests"] = self._counters.get("requests", 0) + 1
            else:
                self._counters[name] = self._counters.get(name, 0) + amount

    # -- redaction -------------------------------------------------------------------------------------------

    def _redact(self, text: str) -> str:
        secrets = [self._secret.reveal()]
        token = self._tokens.current()
        if token:
            secrets.append(token)
        for s in secrets:
            if s and s in text:
                text = text.replace(s, REDACTED)
        return text

    # -- auth ------------------------------------------------------------------------------------------------

    def _fetch_token(self) -> tuple[str, float]:
        response = self.request(
            "POST",
            TOKEN_PATH,
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self._secret.reveal(),
            },
            auth=False,
            idempotent=True,  # issuing a token changes nothing on the server
            accept="application/json",
        )
        self._count("", "token_requests")
        try:
            body = response.json()
        except ValueError:
            body = None
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise AuthError(
                f"POST {TOKEN_PATH} returned HTTP {response.status_code} without an access_token",
                method="POST",
                path=TOKEN_PATH,
                status=response.status_code,
            )
        expires_in = body.get("expires_in") if isinstance(body, dict) else None
        try:
            lifetime = float(expires_in) if expires_in is not None else 1800.0
        except (TypeError, ValueError):
            lifetime = 1800.0
        return token, lifetime

    # -- the request pipeline --------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        template: str,
        *,
        path_params: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        content_type: str = JSONAPI_MEDIA_TYPE,
        accept: str = _JSON_ACCEPT,
        auth: bool = True,
        idempotent: bool | None = None,
        kind: str | None = None,
    ) -> httpx.Response:
        """Send one logical request and return the successful response, or raise a :class:`PiwikError`.

        ``template`` is the path with ``{name}`` placeholders filled from ``path_params`` (URL-quoted); it is
        the key of :attr:`stats`. ``kind`` (``"read"``/``"write"``) overrides the pacing class derived from
        the method.
        """
        method = method.upper()
        path = template.format(**{k: quote(str(v), safe="") for k, v in (path_params or {}).items()})
        idempotent = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        kind = kind or Pacing.kind_of(method)
        stat_key = f"{method} {template}"
        headers = {"Accept": accept}
        if json is not None:
            headers["Content-Type"] = content_type
        policy = self.retry
        attempt = 0
        refreshed = False
        rate_limited = 0
        while True:
            attempt += 1
            waited = self.pacing.acquire(kind)
            if waited:
                self._count("", "pacing_wait_s", waited)
            token: str | None = None
            if auth:
                token = self._tokens.get()
                headers["Authorization"] = f"Bearer {token}"
            started = policy.clock()
            try:
                self._count(stat_key)
                response = self._http.request(method, path, params=params, json=json, data=data, headers=headers)
            except httpx.TransportError as exc:
                elapsed = (policy.clock() - started) * 1000
                reason = self._redact(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
                retryable = idempotent or isinstance(exc, NOT_SENT_ERRORS)
                if retryable and attempt < policy.max_attempts:
                    delay = policy.backoff(attempt)
                    logger.warning(
                        "%s %s failed after %.1f ms (%s); retrying in %.2f s (attempt %d/%d)",
                        method,
                        path,
                        elapsed,
                        reason,
                        delay,
                        attempt + 1,
                        policy.max_attempts,
                    )
                    self._count("", "retries")
                    policy.sleep(delay)
                    continue
                logger.warning("%s %s failed after %.1f ms (%s)", method, path, elapsed, reason)
                note = ""
                if not idempotent and not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
                    note = "; the request may have been applied, so it was not repeated"
                elif attempt > 1:
                    note = f" (after {attempt} attempts)"
                raise UnavailableError(
                    f"{method} {path} failed: no answer from {self.base_url} ({reason}){note}",
                    method=method,
                    path=path,
                    detail=reason,
                ) from None
            elapsed = (policy.clock() - started) * 1000
            status = response.status_code
            logger.debug("%s %s -> %d in %.1f ms", method, path, status, elapsed)
            if status < 400:
                return response
            response.read()
            if status == 401 and auth and token is not None and not refreshed:
                refreshed = True
                attempt -= 1  # the refresh retry does not consume the retry budget
                self._tokens.invalidate(token)
                logger.info("%s %s -> 401; refreshing the access token and retrying once", method, path)
                continue
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if status == 429:
                self._count("", "rate_limited")
            can_retry = status == 429 or (idempotent and status in policy.retry_statuses)
            if status == 429 and policy.max_rate_limited_attempts is not None:
                rate_limited += 1
                can_retry = rate_limited < policy.max_rate_limited_attempts
                if can_retry:
                    attempt -= 1  # on the 429 budget, not the failure budget
            if can_retry and attempt < policy.max_attempts:
                delay = policy.rate_limit_delay(retry_after, attempt) if status == 429 else policy.backoff(attempt)
                logger.warning(
                    "%s %s -> %d; retrying in %.2f s (attempt %d/%d)",
                    method,
                    path,
                    status,
                    delay,
                    attempt + 1,
                    policy.max_attempts,
                )
                self._count("", "retries")
                policy.sleep(delay)
                continue
            raise self._error(method, path, response, retry_after, attempt, refreshed)

    def _error(
        self,
        method: str,
        path: str,
        response: httpx.Response,
        retry_after: float | None,
        attempts: int,
        refreshed: bool,
    ) -> PiwikError:
        status = response.status_code
        body = self._redact(response.text)
        err = error_for_status(
            method=method,
            path=path,
            status=status,
            body=body,
            retry_after=retry_after,
            reason=response.reason_phrase or None,
        )
        hints = []
        if status == 503 and response.headers.get("X-Reason"):
            hints.append(f"reason: {response.headers['X-Reason']}")
        if path == TOKEN_PATH and status in (400, 401):
            hints.append("check the client id and secret (PIWIK_CLIENT_ID / PIWIK_CLIENT_SECRET)")
        elif status == 401 and refreshed:
            hints.append("refused again with a freshly issued token")
        if attempts > 1:
            hints.append(f"after {attempts} attempts")
        if hints:
            err.message = f"{err.message} ({'; '.join(hints)})"
            err.args = (err.message,)
        return err

    # -- helpers for services --------------------------------------------------------------------------------

    def json_body(self, response: httpx.Response, method: str, template: str) -> Any:
        """The decoded JSON body; a clear :class:`PiwikError` if it is not JSON."""
        try:
            return response.json()
        except ValueError:
            raise PiwikError(
                f"{method} {response.request.url.path} returned HTTP {response.status_code} with a body that "
                "is not JSON",
                method=method,
                path=response.request.url.path,
                status=response.status_code,
            ) from None

    @staticmethod
    def malformed(response: httpx.Response, method: str, problem: MalformedResponse | Exception) -> PiwikError:
        path = response.request.url.path
        return PiwikError(
            f"{method} {path} returned HTTP {response.status_code} with an unexpected body: {problem}",
            method=method,
            path=path,
            status=response.status_code,
        )
