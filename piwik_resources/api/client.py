"""The Piwik PRO HTTP client: one httpx client, token auth, pacing, retries, error mapping and request stats.

Service groups (``client.apps``, ``client.tags``, ...) build paths and bodies and parse models; everything
about the wire (headers, auth, retries, pacing, logging, errors) happens in :meth:`PiwikClient.request` and
the layers below it (retries, then the :class:`~piwik_resources.api.auth.TokenAuth` flow, then one paced send).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from .auth import Secret, TokenAuth, TokenCache, decode_jwt_claims, parse_token_answer
from .config import ClientConfig, normalize_base_url
from .errors import AuthError, ConfigurationError, PiwikError, UnavailableError, error_for_status
from .jsonapi import JSONAPI_MEDIA_TYPE, MalformedResponse
from .pacing import Pacing, shared_pacing
from .retry import IDEMPOTENT_METHODS, Attempts, RetryPolicy, parse_retry_after
from .services.apps import AppsService
from .services.audit_log import AuditLogService
from .services.consent_templates import ConsentTemplatesService
from .services.container_settings import ContainerSettingsService
from .services.custom_dimensions import CustomDimensionsService
from .services.tag_manager import TagsService, TriggersService, VersionsService
from .services.tracker_settings import TrackerSettingsService

__all__ = ["EMULATOR_HEADER", "TOKEN_PATH", "USER_AGENT", "PiwikClient"]

logger = logging.getLogger("piwik_resources.api")

TOKEN_PATH = "/auth/token"
#: The header by which this project's emulator says, on every answer, that it is not a Piwik PRO account
#: (docs/emulator.md, "How it says it is the emulator"); Piwik PRO's published API has no such header.
EMULATOR_HEADER = "X-Piwik-Emulator"
USER_AGENT = "piwik-resources/0.1 (+pulumi)"
REDACTED = "[REDACTED]"

# Sent as Accept on analytics calls too: their spec documents application/vnd.api+json bodies.
_JSON_ACCEPT = f"{JSONAPI_MEDIA_TYPE}, application/json;q=0.9"


@dataclass(frozen=True)
class _Call:
    """What the layers of the pipeline know of one logical request besides its ``httpx.Request``."""

    method: str
    path: str  # filled template, as logs and errors show it (without the base URL's path prefix)
    stat_key: str  # "METHOD /template", the key of PiwikClient.stats
    kind: str  # pacing class, "read" or "write"
    idempotent: bool  # may be repeated after a 5xx or a lost answer


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
        self.base_url = normalize_base_url(base_url, key="base_url")
        if not client_id or not client_id.strip():
            raise ConfigurationError("client_id: the Piwik PRO client id is empty", key="client_id")
        if not client_secret:
            raise ConfigurationError("client_secret: the Piwik PRO client secret is empty", key="client_secret")
        if not timeout > 0:  # written so that NaN is refused too
            raise ConfigurationError(
                f"timeout: {timeout} is not allowed (allowed: a number of seconds > 0)", key="timeout"
            )
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
        self._emulator: str | None = None

        self.apps = AppsService(self)
        self.tracker_settings = TrackerSettingsService(self)
        self.tags = TagsService(self)
        self.versions = VersionsService(self)
        self.triggers = TriggersService(self)
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
        """Build a client from a :class:`ClientConfig` (pacing from its per-minute limits, shared per account
        and limits)."""
        if pacing is None:
            pacing = shared_pacing(
                config.pacing_key,
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

    @property
    def emulator(self) -> str | None:
        """What the host said of itself in :data:`EMULATOR_HEADER` once it answered (``piwik-emulator 0.1.0``), or
        None: no answer yet, or a host that does not say it is the emulator (a Piwik PRO account never does)."""
        return self._emulator

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
        answer = parse_token_answer(body)
        if answer is None:
            raise AuthError(
                f"POST {TOKEN_PATH} returned HTTP {response.status_code} without an access_token",
                method="POST",
                path=TOKEN_PATH,
                status=response.status_code,
            )
        return answer

    # -- the request pipeline --------------------------------------------------------------------------------
    #
    # Layered as httpx layers Client.send (auth, then redirects, then one request): request() builds the
    # httpx.Request once, then
    #   _send_handling_retries  the RetryPolicy's budget: 429 after Retry-After, 5xx and transport failures
    #                           with backoff, and the errors raised when it is spent;
    #   _send_handling_auth     the TokenAuth flow (bearer from the cache, one refresh on a 401);
    #   _send_single_request    one HTTP exchange: a pacing slot, the stats, the debug line.
    # Every exchange the auth flow yields (the 401's repetition too) takes its own pacing slot and stat.

    def request(
        self,
        method: str,
        template: str,
        *,
        path_params: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: object = None,
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
        the method; ``idempotent`` overrides whether the method may be repeated after a 5xx or a lost answer.
        """
        method = method.upper()
        path = template.format(**{k: quote(str(v), safe="") for k, v in (path_params or {}).items()})
        call = _Call(
            method=method,
            path=path,
            stat_key=f"{method} {template}",
            kind=kind or Pacing.kind_of(method),
            idempotent=method in IDEMPOTENT_METHODS if idempotent is None else idempotent,
        )
        headers = {"Accept": accept}
        if json is not None:
            headers["Content-Type"] = content_type
        http_request = self._http.build_request(method, path, params=params, json=json, data=data, headers=headers)
        return self._send_handling_retries(call, http_request, TokenAuth(self._tokens) if auth else None)

    def _send_handling_retries(self, call: _Call, request: httpx.Request, auth: TokenAuth | None) -> httpx.Response:
        attempts = Attempts(self.retry, call.method, idempotent=call.idempotent)
        while True:
            attempts.begin()
            started = self.retry.clock()
            try:
                response = self._send_handling_auth(call, request, auth)
            except httpx.TransportError as exc:
                delay = self._after_transport_error(call, exc, attempts, started)
            else:
                if response.status_code < 400:
                    return response
                delay = self._after_error_status(call, response, attempts, auth)
            self._count("", "retries")
            self.retry.sleep(delay)

    def _after_transport_error(
        self, call: _Call, exc: httpx.TransportError, attempts: Attempts, started: float
    ) -> float:
        """The delay before trying again after no answer came, or the :class:`UnavailableError` to raise."""
        elapsed = (self.retry.clock() - started) * 1000
        reason = self._redact(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        delay = attempts.after_exception(exc)
        if delay is not None:
            logger.warning(
                "%s %s failed after %.1f ms (%s); retrying in %.2f s (attempt %d/%d)",
                call.method,
                call.path,
                elapsed,
                reason,
                delay,
                attempts.number + 1,
                self.retry.max_attempts,
            )
            return delay
        logger.warning("%s %s failed after %.1f ms (%s)", call.method, call.path, elapsed, reason)
        note = ""
        if not call.idempotent and not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
            note = "; the request may have been applied, so it was not repeated"
        elif attempts.number > 1:
            note = f" (after {attempts.number} attempts)"
        # from None: the httpx exception holds the request, whose body carries the secret for /auth/token.
        raise UnavailableError(
            f"{call.method} {call.path} failed: no answer from {self.base_url} ({reason}){note}",
            method=call.method,
            path=call.path,
            detail=reason,
        ) from None

    def _after_error_status(
        self, call: _Call, response: httpx.Response, attempts: Attempts, auth: TokenAuth | None
    ) -> float:
        """The delay before trying again after an error answer, or the :class:`PiwikError` to raise."""
        status = response.status_code
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if status == 429:
            self._count("", "rate_limited")
        delay = attempts.after_status(status, retry_after)
        if delay is None:
            refreshed = auth is not None and auth.refreshed
            raise self._error(call.method, call.path, response, retry_after, attempts.number, refreshed)
        logger.warning(
            "%s %s -> %d; retrying in %.2f s (attempt %d/%d)",
            call.method,
            call.path,
            status,
            delay,
            attempts.number + 1,
            self.retry.max_attempts,
        )
        return delay

    def _send_handling_auth(self, call: _Call, request: httpx.Request, auth: TokenAuth | None) -> httpx.Response:
        """Drive the ``httpx.Auth`` flow as ``httpx.Client`` does, each request it yields sent by the layer below."""
        if auth is None:
            return self._send_single_request(call, request)
        flow = auth.sync_auth_flow(request)
        try:
            request = next(flow)
            while True:
                response = self._send_single_request(call, request)
                try:
                    request = flow.send(response)
                except StopIteration:
                    return response
        finally:
            flow.close()

    def _send_single_request(self, call: _Call, request: httpx.Request) -> httpx.Response:
        waited = self.pacing.acquire(call.kind)
        if waited:
            self._count("", "pacing_wait_s", waited)
        self._count(call.stat_key)
        started = self.retry.clock()
        response = self._http.send(request)
        self._emulator = response.headers.get(EMULATOR_HEADER) or self._emulator
        elapsed = (self.retry.clock() - started) * 1000
        logger.debug("%s %s -> %d in %.1f ms", call.method, call.path, response.status_code, elapsed)
        return response

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
