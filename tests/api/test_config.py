"""Base URL rules and ClientConfig."""

from __future__ import annotations

import httpx
import pytest

from piwik_resources.api import ClientConfig, InsecureBaseUrlError, PiwikClient, normalize_base_url

from ._fake import CLIENT_ID, CLIENT_SECRET


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://acme.piwik.pro", "https://acme.piwik.pro"),
        ("https://acme.piwik.pro/", "https://acme.piwik.pro"),
        ("acme.piwik.pro", "https://acme.piwik.pro"),
        ("https://analytics.example.com:8443/piwik/", "https://analytics.example.com:8443/piwik"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://127.9.9.9:1", "http://127.9.9.9:1"),
        ("http://localhost:5000/", "http://localhost:5000"),
        ("http://[::1]:9000", "http://[::1]:9000"),
    ],
)
def test_accepted_base_urls(given: str, expected: str) -> None:
    assert normalize_base_url(given) == expected


@pytest.mark.parametrize(
    "given",
    [
        "http://acme.piwik.pro",
        "http://10.0.0.1",
        "http://localhost.evil.com",
        "http://128.0.0.1",
        "ftp://acme.piwik.pro",
        "",
        "https://",
        "https://user:pw@acme.piwik.pro",
        "https://acme.piwik.pro/?x=1",
    ],
)
def test_refused_base_urls(given: str) -> None:
    with pytest.raises(InsecureBaseUrlError):
        normalize_base_url(given)


def test_insecure_url_is_a_value_error_and_refused_before_any_request() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200)

    with pytest.raises(ValueError, match="plain http"):
        PiwikClient("http://acme.piwik.pro", CLIENT_ID, CLIENT_SECRET, transport=httpx.MockTransport(handler))
    assert calls == []


def test_config_from_env_hides_secret() -> None:
    cfg = ClientConfig.from_env(
        {"PIWIK_BASE_URL": "acme.piwik.pro/", "PIWIK_CLIENT_ID": CLIENT_ID, "PIWIK_CLIENT_SECRET": CLIENT_SECRET}
    )
    assert cfg.base_url == "https://acme.piwik.pro"
    assert cfg.client_secret.get_secret_value() == CLIENT_SECRET
    for text in (repr(cfg), str(cfg), cfg.model_dump_json()):
        assert CLIENT_SECRET not in text
    client = PiwikClient.from_config(cfg, transport=httpx.MockTransport(lambda r: httpx.Response(500)))
    with client:
        assert CLIENT_SECRET not in repr(client)
        assert client.pacing.writes is not None and client.pacing.writes.limit == 60


def test_config_from_env_names_missing_variables() -> None:
    with pytest.raises(ValueError, match="PIWIK_CLIENT_ID, PIWIK_CLIENT_SECRET"):
        ClientConfig.from_env({"PIWIK_BASE_URL": "https://acme.piwik.pro"})


def test_config_refuses_insecure_url() -> None:
    with pytest.raises(ValueError, match="plain http"):
        ClientConfig(base_url="http://acme.piwik.pro", client_id="x", client_secret="y")  # type: ignore[arg-type]


def test_client_is_not_picklable() -> None:
    import pickle

    client = PiwikClient("https://acme.piwik.pro", CLIENT_ID, CLIENT_SECRET)
    with client, pytest.raises(TypeError):
        pickle.dumps(client)
