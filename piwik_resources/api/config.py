"""Connection settings of the client: base URL rules, credentials as secrets, timeouts, and ``from_env``."""

from __future__ import annotations

import hashlib
import ipaddress
import math
import os
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from .errors import ConfigurationError, InsecureBaseUrlError
from .pacing import DEFAULT_READS_PER_MINUTE, DEFAULT_WRITES_PER_MINUTE

__all__ = [
    "BASE_URL_ALLOWED",
    "ENV_BASE_URL",
    "ENV_CLIENT_ID",
    "ENV_CLIENT_SECRET",
    "MAX_PER_MINUTE",
    "ClientConfig",
    "is_loopback_host",
    "normalize_base_url",
    "parse_per_minute",
]

ENV_BASE_URL = "PIWIK_BASE_URL"
ENV_CLIENT_ID = "PIWIK_CLIENT_ID"
ENV_CLIENT_SECRET = "PIWIK_CLIENT_SECRET"

#: What a base URL may be, as error messages state it.
BASE_URL_ALLOWED = (
    "https://<account>.piwik.pro or another https URL, optionally with a path prefix, without credentials, query "
    "or fragment; plain http only on a loopback host (127.0.0.1, ::1, localhost)"
)
#: The highest request rate a setting may ask for: far above any account's limit, and low enough that the
#: pacing's log of grants (one slot per request of a minute) stays a few megabytes.
MAX_PER_MINUTE = 1_000_000
PER_MINUTE_ALLOWED = f"a whole number of requests a minute from 0 to {MAX_PER_MINUTE}, 0 = unpaced"

# One DNS label (RFC 1123; "_" tolerated, as some internal names carry it).
_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")


def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ::1 (the only hosts where plain http is accepted)."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_host(host: str) -> bool:
    """An IP address or a DNS name (international names in their ASCII form)."""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.lower().removesuffix(".").split(".")
    return all(_LABEL.fullmatch(label) for label in labels)


def _refuse_url(key: str, value: str, problem: str) -> InsecureBaseUrlError:
    return InsecureBaseUrlError(
        f"{key}: {value!r} is not allowed: {problem} (allowed: {BASE_URL_ALLOWED})", key=key, allowed=BASE_URL_ALLOWED
    )


def normalize_base_url(base_url: str, *, key: str = "Piwik PRO base URL") -> str:
    """Return ``scheme://host[:port][/prefix]`` without trailing slash, or raise InsecureBaseUrlError.

    A bare host (``acme.piwik.pro``) gets ``https://``. Plain ``http`` is refused unless the host is a
    loopback address, so credentials never travel unencrypted except to a local emulator. ``key`` is the
    name of the setting in error messages (``piwik:baseUrl``, ``PIWIK_BASE_URL``, ...).
    """
    raw = (base_url or "").strip()
    if not raw:
        raise _refuse_url(key, raw, "it is empty")
    if "://" not in raw:
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        port = parts.port  # raises ValueError on a bad port
    except ValueError as exc:
        raise _refuse_url(key, base_url, f"it is malformed ({exc})") from None
    scheme = parts.scheme.lower()
    if not host:
        raise _refuse_url(key, base_url, "it has no host")
    if parts.username or parts.password:
        raise _refuse_url(key, "<a URL with credentials>", "it embeds credentials")
    if parts.query or parts.fragment:
        raise _refuse_url(key, base_url, "it has a query or fragment")
    if scheme == "http" and not is_loopback_host(host):
        raise _refuse_url(key, base_url, "it uses plain http on a host that is not a loopback address; use https")
    if scheme not in ("http", "https"):
        raise _refuse_url(key, base_url, f"its scheme is {scheme!r}; the scheme must be https")
    if not _is_host(host):
        raise _refuse_url(key, base_url, f"{host!r} is not a host name or an IP address")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    normalized = f"{scheme}://{netloc}{parts.path.rstrip('/')}"
    try:
        httpx.URL(normalized)
    except httpx.InvalidURL as exc:
        raise _refuse_url(key, base_url, f"it is malformed ({exc})") from None
    return normalized


def parse_per_minute(value: object, key: str, *, default: int | None) -> int | None:
    """A requests-per-minute setting (``value`` as configured, text or number): a whole number from 0 to
    :data:`MAX_PER_MINUTE`; 0 gives ``None`` (unpaced), unset or blank gives ``default``.

    Anything else (``inf``, ``nan``, ``-5``, ``1.5``, ``fast``, ``true``) is a :class:`ConfigurationError` naming
    ``key`` and the allowed values.
    """
    text = value.strip() if isinstance(value, str) else None if value is None else str(value)
    if not text:
        return default
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    whole = math.isfinite(number) and number.is_integer() and 0 <= number <= MAX_PER_MINUTE
    if isinstance(value, bool) or not whole:
        raise ConfigurationError(
            f"{key}: {text!r} is not allowed (allowed: {PER_MINUTE_ALLOWED})", key=key, allowed=PER_MINUTE_ALLOWED
        )
    return int(number) or None


class ClientConfig(BaseModel):
    """Everything needed to build a :class:`PiwikClient`; the secret is a ``SecretStr``.

    The one connection model: the providers and the CLI resolve theirs from stack config and environment into it
    (piwik_resources/providers/_connection.py). A per-minute limit of ``None`` leaves those requests unpaced.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str
    client_id: str
    client_secret: SecretStr
    timeout: float = Field(default=30.0, gt=0)
    connect_timeout: float = Field(default=10.0, gt=0)
    reads_per_minute: int | None = Field(default=DEFAULT_READS_PER_MINUTE, ge=1, le=MAX_PER_MINUTE)
    writes_per_minute: int | None = Field(default=DEFAULT_WRITES_PER_MINUTE, ge=1, le=MAX_PER_MINUTE)

    @property
    def pacing_key(self) -> str:
        """What the clients that share one pacing have in common: the account and its limits."""
        return f"{self.base_url}|{self.reads_per_minute}|{self.writes_per_minute}"

    @property
    def cache_key(self) -> tuple[str, ...]:
        """What tells two connections apart (the secret by its digest only)."""
        digest = hashlib.sha256(self.client_secret.get_secret_value().encode()).hexdigest()
        return (self.base_url, self.client_id, digest, str(self.reads_per_minute), str(self.writes_per_minute))

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        return normalize_base_url(value)

    @field_validator("client_id")
    @classmethod
    def _check_client_id(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("client_id is empty")
        return value.strip()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ClientConfig:
        """Read ``PIWIK_BASE_URL``, ``PIWIK_CLIENT_ID``, ``PIWIK_CLIENT_SECRET``; a :class:`ConfigurationError`
        names any that is missing, or the variable whose value is not allowed."""
        env = os.environ if environ is None else environ
        missing = [n for n in (ENV_BASE_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET) if not env.get(n, "").strip()]
        if missing:
            raise ConfigurationError("missing environment variable(s): " + ", ".join(missing), key=missing[0])
        return cls(
            base_url=normalize_base_url(env[ENV_BASE_URL], key=ENV_BASE_URL),
            client_id=env[ENV_CLIENT_ID],
            client_secret=SecretStr(env[ENV_CLIENT_SECRET]),
        )
