"""The client secret and the bearer token appear in no log record, repr or exception text, whatever happens."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator

import httpx
import pytest

from piwik_resources.api import ClientConfig, PiwikClient, PiwikError, RetryPolicy

from ._fake import BASE_URL, CLIENT_ID, CLIENT_SECRET, FakeClock, FakePiwik, jsonapi, resource

APP = "985ed9d7-b652-47b8-b9cf-c17d62735261"
APP_DOC = resource("ppms/app", APP, name="Shop", urls=["https://shop.example"])


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)  # root: the client's logger, httpx, httpcore, everything
    yield caplog


def exception_texts(exc: BaseException) -> list[str]:
    texts = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    for value in vars(exc).values():
        texts.append(repr(value))
    return texts


def assert_clean(secrets: list[str], texts: list[str], caplog: pytest.LogCaptureFixture) -> None:
    records = [r.getMessage() for r in caplog.records] + [caplog.text]
    for secret in secrets:
        assert len(secret) > 8
        for text in texts + records:
            assert secret not in text


def run(fake: FakePiwik, action: Callable[[PiwikClient], object]) -> list[str]:
    clock = FakeClock()
    texts: list[str] = []
    with fake.client(clock=clock, retry=RetryPolicy(max_attempts=2, sleep=clock.sleep, clock=clock)) as client:
        texts.append(repr(client))
        texts.append(str(vars(client)))
        try:
            action(client)
        except PiwikError as exc:
            texts.extend(exception_texts(exc))
    return texts


def test_success_path_logs_method_path_status_but_no_secret(all_logs: pytest.LogCaptureFixture) -> None:
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", jsonapi(200, APP_DOC))
    texts = run(fake, lambda c: c.apps.get(APP))
    assert_clean([CLIENT_SECRET, *fake.tokens], texts, all_logs)
    ours = [r.getMessage() for r in all_logs.records if r.name == "piwik_resources.api"]
    assert any(m.startswith(f"GET /api/apps/v2/{APP} -> 200 in ") for m in ours)
    assert any(m.startswith("POST /auth/token -> 200 in ") for m in ours)


def test_token_refused_with_secret_echoed_by_server(all_logs: pytest.LogCaptureFixture) -> None:
    # A hostile or buggy server echoes the secret back: the error text must still not carry it.
    fake = FakePiwik(
        token_status=401,
        token_body={"error": "invalid_client", "error_description": f"bad secret {CLIENT_SECRET}"},
    )
    texts = run(fake, lambda c: c.apps.get(APP))
    assert any("[REDACTED]" in t for t in texts)
    assert_clean([CLIENT_SECRET], texts, all_logs)


def test_api_401_twice_with_token_echoed(all_logs: pytest.LogCaptureFixture) -> None:
    fake = FakePiwik()

    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"error": f"token {request.headers['Authorization']} refused"})

    fake.on("GET", f"/api/apps/v2/{APP}", echo)
    texts = run(fake, lambda c: c.apps.get(APP))
    assert len(fake.tokens) == 2
    assert any("401" in t for t in texts)
    assert_clean([CLIENT_SECRET, *fake.tokens], texts, all_logs)


def test_connection_failure_during_token_request(all_logs: pytest.LogCaptureFixture) -> None:
    fake = FakePiwik()
    fake._token = lambda request: (_ for _ in ()).throw(  # type: ignore[method-assign]
        httpx.ReadError(f"reset while sending {request.content.decode()}")
    )
    texts = run(fake, lambda c: c.apps.get(APP))
    assert any("POST /auth/token failed" in t for t in texts)
    assert_clean([CLIENT_SECRET], texts, all_logs)


def test_server_errors_and_retries(all_logs: pytest.LogCaptureFixture) -> None:
    fake = FakePiwik().on("PATCH", f"/api/apps/v2/{APP}", httpx.Response(500), httpx.Response(503))
    texts = run(fake, lambda c: c.apps.update(APP, {"cnil": True}))
    assert any("retrying" in r.getMessage() for r in all_logs.records)
    assert_clean([CLIENT_SECRET, *fake.tokens], texts, all_logs)


def test_config_and_client_reprs() -> None:
    cfg = ClientConfig(base_url=BASE_URL, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)  # type: ignore[arg-type]
    client = PiwikClient.from_config(cfg, transport=httpx.MockTransport(lambda r: httpx.Response(204)))
    with client:
        for text in (repr(cfg), str(cfg), repr(client), str(client), repr(vars(client)), repr(client._tokens)):
            assert CLIENT_SECRET not in text
