"""Helpers for the integration tests: a PiwikClient on a running emulator."""

from __future__ import annotations

import uuid
from typing import Any

from piwik_resources.api import App, Pacing, PiwikClient, RetryPolicy


def client_for(
    emulator: Any,
    *,
    pacing: Pacing | None = None,
    retry: RetryPolicy | None = None,
    secret: str | None = None,
    **kw: Any,
) -> PiwikClient:
    return PiwikClient(
        emulator.base_url,
        emulator.client_id,
        emulator.client_secret if secret is None else secret,
        pacing=pacing or Pacing.unlimited(),
        retry=retry or RetryPolicy(backoff_base=0.01, backoff_max=0.05),
        timeout=15.0,
        **kw,
    )


def new_app(client: PiwikClient, name: str = "Shop", **attrs: Any) -> App:
    return client.apps.create(
        {"name": name, "urls": [f"https://{name.lower()}.example"], **attrs}, app_id=str(uuid.uuid4())
    )
