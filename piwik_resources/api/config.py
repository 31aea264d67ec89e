"""Connection settings of the client: base URL rules, credentials as secrets, timeouts, and ``from_env``."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from .errors import InsecureBaseUrlError

__all__ = [
    "ENV_BASE_URL",
    "ENV_CLIENT_ID",
    "ENV_CLIENT_SECRET",
    "ClientConfig",
    "is_loopback_host",
    "normalize_base_url",
]

ENV_BASE_URL = "PIWIK_BASE_URL"
ENV_CLIENT_ID = "PIWIK_CLIENT_ID"
ENV_CLIENT_SECRET = "PIWIK_CLIENT_SECRET"


def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ::1 (the only hosts where plain http is accepted)."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_base_url(base_url: str) -> str:
    """Return ``scheme://host[:port][/prefix]`` without trailing slash, or raise InsecureBaseUrlError.

    A bare host (``acme.piwik.pro``) gets ``https://``. Plain ``http`` is refused unless the host is a
    loopback address, so credentials never travel unencrypted except to a local emulator.
    """
    raw = (base_url or "").strip()
    if not raw:
        raise InsecureBaseUrlError("Piwik PRO base URL is empty; expected https://<account>.piwik.pro")
    if "://" not in raw:
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        port = parts.port  # raises ValueError on a bad port
    except ValueError as exc:
        raise InsecureBaseUrlError(f"Piwik PRO base URL {base_url!r} is malformed: {exc}") from None
    scheme = parts.scheme.lower()
    if not host:
        raise InsecureBaseUrlError(f"Piwik PRO base URL {base_url!r} has no host")
    if parts.username or parts.password:
        raise InsecureBaseUrlError("Piwik PRO base URL must not embed credentials")
    if parts.query or parts.fragment:
        raise InsecureBaseUrlError(f"Piwik PRO base URL {base_url!r} must not have a query or fragment")
    if scheme == "http":
        if not is_loopback_host(host):
            raise InsecureBaseUrlError(
                f"Piwik PRO base URL {base_url!r} uses plain http; use https "
                "(http is accepted only for loopback hosts such as 127.0.0.1, ::1 or localhost)"
            )
    elif scheme != "https":
        raise InsecureBaseUrlError(f"Piwik PRO base URL {base_url!r}: scheme must be https")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    path = parts.path.rstrip("/")
    return f"{scheme}://{netloc}{path}"


class ClientConfig(BaseModel):
    """Everything needed to build a :class:`PiwikClient`; the secret is a ``SecretStr``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str
    client_id: str
    client_secret: SecretStr
    timeout: float = Field(default=30.0, gt=0)
    connect_timeout: float = Field(default=10.0, gt=0)
    reads_per_minute: int = Field(default=600, ge=1)
    writes_per_minute: int = Field(default=60, ge=1)

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
        """Read ``PIWIK_BASE_URL``, ``PIWIK_CLIENT_ID``, ``PIWIK_CLIENT_SECRET``; name any that is missing."""
        env = os.environ if environ is None else environ
        missing = [n for n in (ENV_BASE_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET) if not env.get(n)]
        if missing:
            raise ValueError("missing environment variable(s): " + ", ".join(missing))
        return cls(
            base_url=env[ENV_BASE_URL],
            client_id=env[ENV_CLIENT_ID],
            client_secret=SecretStr(env[ENV_CLIENT_SECRET]),
        )
