"""Calling the real providers' methods directly against a running emulator, the way the engine would."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pulumi.dynamic import Config, ConfigureRequest, ReadResult

from piwik_resources.api import Pacing, PiwikClient, RetryPolicy
from piwik_resources.providers import PiwikProvider, _connection
from tests.fixtures.emulator import Emulator

BLOB = "provider-blob"  # what the engine passes as __provider; the methods never look at it


class Live:
    """A configured provider per class, and engine-like wrappers of its methods."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def provider(self, cls: type[PiwikProvider]) -> PiwikProvider:
        p = cls()
        p.configure(
            ConfigureRequest(
                Config(
                    {
                        "piwik:baseUrl": self.emulator.base_url,
                        "piwik:clientId": self.emulator.client_id,
                        "piwik:clientSecret": self.emulator.client_secret,
                    },
                    "tests",
                )
            )
        )
        return p

    def check(self, cls: type[PiwikProvider], **props: Any) -> Any:
        return self.provider(cls).check({}, {"__provider": BLOB, **props})

    def create(self, cls: type[PiwikProvider], **props: Any) -> tuple[str, dict[str, Any]]:
        """check + create, as `pulumi up` does; fails the test on a check failure."""
        p = self.provider(cls)
        checked = p.check({}, {"__provider": BLOB, **props})
        assert checked.failures == [], [f.reason for f in checked.failures]
        res = p.create({"__provider": BLOB, **checked.inputs})
        assert res.outs is not None
        return res.id, dict(res.outs)

    def read(self, cls: type[PiwikProvider], id_: str, outs: dict[str, Any]) -> ReadResult:
        return self.provider(cls).read(id_, {"__provider": BLOB, **outs})

    def diff(self, cls: type[PiwikProvider], id_: str, outs: dict[str, Any], **props: Any) -> Any:
        p = self.provider(cls)
        checked = p.check({}, {"__provider": BLOB, **props})
        return p.diff(id_, {"__provider": BLOB, **outs}, {"__provider": BLOB, **checked.inputs})

    def update(self, cls: type[PiwikProvider], id_: str, outs: dict[str, Any], **props: Any) -> dict[str, Any]:
        p = self.provider(cls)
        checked = p.check({}, {"__provider": BLOB, **props})
        assert checked.failures == [], [f.reason for f in checked.failures]
        res = p.update(id_, {"__provider": BLOB, **outs}, {"__provider": BLOB, **checked.inputs})
        assert res.outs is not None
        return dict(res.outs)

    def delete(self, cls: type[PiwikProvider], id_: str, outs: dict[str, Any]) -> None:
        self.provider(cls).delete(id_, {"__provider": BLOB, **outs})

    # --- out-of-band access (what a person would do in the UI) ------------------------------------------

    def api(self, method: str, path: str, json: Any = None) -> Any:
        response = self.emulator.api(method, path, json=json)
        assert response.status_code < 400, (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    def make_app(self, name: str = "Hand made", urls: list[str] | None = None, **attrs: Any) -> str:
        body = {
            "data": {
                "type": "ppms/app",
                "attributes": {"name": name, "urls": urls or ["https://hand.example"], **attrs},
            }
        }
        return str(self.api("POST", "/api/apps/v2", body)["data"]["id"])

    def app(self, app_id: str) -> dict[str, Any]:
        return dict(self.api("GET", f"/api/apps/v2/{app_id}")["data"]["attributes"])

    def patch_app(self, app_id: str, **attrs: Any) -> None:
        self.api("PATCH", f"/api/apps/v2/{app_id}", {"data": {"type": "ppms/app", "id": app_id, "attributes": attrs}})

    def counts(self) -> dict[str, int]:
        return dict(self.emulator.requests()["counts"])

    def writes(self) -> dict[str, int]:
        """Request counts of everything but GET and the token endpoint."""
        return {k: v for k, v in self.counts().items() if not k.startswith("GET ") and "/auth/token" not in k}


@pytest.fixture
def live(emulator: Emulator) -> Iterator[Live]:
    # No client-side pacing against the local emulator (its rate limits are off too); quick retries.
    _connection.set_client_factory(
        lambda conn: PiwikClient(
            conn.base_url,
            conn.client_id,
            conn.client_secret.get_secret_value(),
            pacing=Pacing.unlimited(),
            retry=RetryPolicy(max_attempts=3, backoff_base=0.01, backoff_max=0.05),
        )
    )
    try:
        yield Live(emulator)
    finally:
        _connection.clear_clients()
        _connection.set_client_factory(None)


def serve_without(path_part: str, body: dict[str, Any]) -> None:
    """Make the providers' client talk to a host that answers 404 (``body``) on every path containing
    ``path_part``: what a real account does on paths it does not serve (the emulator answers the rest)."""
    upstream = httpx.HTTPTransport()

    class Without(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if path_part in request.url.path:
                return httpx.Response(404, json=body)
            return upstream.handle_request(request)

    _connection.set_client_factory(
        lambda conn: PiwikClient(
            conn.base_url,
            conn.client_id,
            conn.client_secret.get_secret_value(),
            transport=Without(),
            pacing=Pacing.unlimited(),
            retry=RetryPolicy.none(),
        )
    )
