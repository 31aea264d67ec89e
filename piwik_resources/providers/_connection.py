"""Where providers get their Piwik PRO connection: stack config or environment, and one client per process.

The provider object is pickled into every resource's state, so it must never hold credentials or a client.
Credentials arrive in ``configure()`` (stack config ``piwik:baseUrl``, ``piwik:clientId`` and the secret
``piwik:clientSecret``), each key falling back to ``PIWIK_BASE_URL``, ``PIWIK_CLIENT_ID`` and
``PIWIK_CLIENT_SECRET``. The client is built lazily, once per provider process and connection, and shared by
every resource of the deployment so that request pacing and the access token are shared too.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import SecretStr

from piwik_resources.api import ClientConfig, PiwikClient, RetryPolicy
from piwik_resources.api.config import (
    ENV_BASE_URL,
    ENV_CLIENT_ID,
    ENV_CLIENT_SECRET,
    normalize_base_url,
    parse_per_minute,
)
from piwik_resources.api.pacing import DEFAULT_READS_PER_MINUTE, DEFAULT_WRITES_PER_MINUTE

CONFIG_BASE_URL = "piwik:baseUrl"
CONFIG_CLIENT_ID = "piwik:clientId"
CONFIG_CLIENT_SECRET = "piwik:clientSecret"
# Request pacing: the service allows 600 reads and 60 writes a minute; an account with other limits (or the
# emulator, whose limits are switches) sets its own. 0 means "do not pace".
CONFIG_READS_PER_MINUTE = "piwik:readsPerMinute"
CONFIG_WRITES_PER_MINUTE = "piwik:writesPerMinute"
ENV_READS_PER_MINUTE = "PIWIK_READS_PER_MINUTE"
ENV_WRITES_PER_MINUTE = "PIWIK_WRITES_PER_MINUTE"
CONFIG_KEYS = (
    CONFIG_BASE_URL,
    CONFIG_CLIENT_ID,
    CONFIG_CLIENT_SECRET,
    CONFIG_READS_PER_MINUTE,
    CONFIG_WRITES_PER_MINUTE,
)


class ConnectionNotConfigured(RuntimeError):
    """Neither the stack config nor the environment says where Piwik PRO is or how to log in."""


#: The connection of a deployment: the client's own model (one model of a connection, not two).
Connection = ClientConfig


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _setting(cfg: Mapping[str, object], env: Mapping[str, str], cfg_key: str, env_key: str) -> tuple[str, Any]:
    """The value of one setting and the name it was given under: the stack config key if set, else the
    environment variable (``(env_key, None)`` when neither is set)."""
    raw = cfg.get(cfg_key)
    if _text(raw) is not None:
        return cfg_key, raw
    return env_key, env.get(env_key)


def resolve_connection(config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Connection:
    """Combine stack config (keys ``piwik:*``) and environment, config first, key by key.

    Raises :class:`ConnectionNotConfigured` naming every missing setting in both of its spellings, and
    :class:`~piwik_resources.api.errors.ConfigurationError` naming the setting (as it was given: config key or
    environment variable) whose value is not allowed: a base URL that is not https, a rate that is not a whole
    number from 0 to the maximum.
    """
    cfg = config or {}
    env = os.environ if environ is None else environ
    values: dict[str, str] = {}
    missing: list[str] = []
    for name, cfg_key, env_key in (
        ("base_url", CONFIG_BASE_URL, ENV_BASE_URL),
        ("client_id", CONFIG_CLIENT_ID, ENV_CLIENT_ID),
        ("client_secret", CONFIG_CLIENT_SECRET, ENV_CLIENT_SECRET),
    ):
        key, value = _setting(cfg, env, cfg_key, env_key)
        text = _text(value)
        if text is None:
            missing.append(f"{cfg_key} (or environment {env_key})")
        else:
            values[name] = normalize_base_url(text, key=key) if name == "base_url" else text
    rates: dict[str, int | None] = {}
    for name, cfg_key, env_key, default in (
        ("reads_per_minute", CONFIG_READS_PER_MINUTE, ENV_READS_PER_MINUTE, DEFAULT_READS_PER_MINUTE),
        ("writes_per_minute", CONFIG_WRITES_PER_MINUTE, ENV_WRITES_PER_MINUTE, DEFAULT_WRITES_PER_MINUTE),
    ):
        key, value = _setting(cfg, env, cfg_key, env_key)
        rates[name] = parse_per_minute(value, key, default=default)
    if missing:
        raise ConnectionNotConfigured(
            "Piwik PRO connection is not configured: set stack config "
            + ", ".join(missing)
            + " — e.g. `pulumi config set --secret piwik:clientSecret ...`"
        )
    return Connection(
        base_url=values["base_url"],
        client_id=values["client_id"],
        client_secret=SecretStr(values["client_secret"]),
        reads_per_minute=rates["reads_per_minute"],
        writes_per_minute=rates["writes_per_minute"],
    )


ClientFactory = Callable[[Connection], PiwikClient]


def _default_factory(conn: Connection) -> PiwikClient:
    # One pacing per account and limits (from_config's), shared by every client of this provider process.
    return PiwikClient.from_config(conn, retry=provider_retry())


def provider_retry() -> RetryPolicy:
    """The retries of a deployment: one request given up fails the resource and leaves the `up` half done, so
    providers try harder than the client's default (5 tries shared by 429s and failures): 8 tries against
    5xx/connection failures (at 20 % failures, 2.6e-6 of requests fail), and 429s on a budget of their own.
    """
    return RetryPolicy(max_attempts=8, max_rate_limited_attempts=30)


_CLIENTS: dict[tuple[str, ...], PiwikClient] = {}
_LOCK = threading.Lock()
_factory: ClientFactory = _default_factory


def client_for(conn: Connection) -> PiwikClient:
    """The process-wide client of ``conn`` (built on first use; thread-safe)."""
    key = conn.cache_key
    client = _CLIENTS.get(key)
    if client is None:
        with _LOCK:
            client = _CLIENTS.get(key)
            if client is None:
                client = _factory(conn)
                _CLIENTS[key] = client
    return client


def set_client_factory(factory: ClientFactory | None) -> None:
    """Replace how clients are built (tests); ``None`` restores the default. Clears the cache."""
    global _factory
    with _LOCK:
        _factory = factory or _default_factory
        _CLIENTS.clear()


def clear_clients() -> None:
    """Forget every cached client (tests)."""
    with _LOCK:
        for client in _CLIENTS.values():
            close = getattr(client, "close", None)
            if callable(close):
                close()
        _CLIENTS.clear()


def secrets_of(conn: Connection | None) -> list[str]:
    """Strings that must never appear in an error message."""
    secret = conn.client_secret.get_secret_value() if conn is not None else ""
    return [secret] if secret else []


def configured_secrets(config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> list[str]:
    """The client secret as configured, read without judging the other settings, so that an error about a
    setting that is not allowed can still be scrubbed of it."""
    env = os.environ if environ is None else environ
    _, value = _setting(config or {}, env, CONFIG_CLIENT_SECRET, ENV_CLIENT_SECRET)
    text = _text(value)
    return [text] if text else []
