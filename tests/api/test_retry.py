"""Every retry path: 429 + Retry-After, 5xx and connection errors with backoff, and what a POST may repeat."""

from __future__ import annotations

import random

import httpx
import pytest

from piwik_resources.api import RateLimitedError, RetryPolicy, ServerError, UnavailableError
from piwik_resources.api.retry import parse_retry_after

from ._fake import FakeClock, FakePiwik, jsonapi, resource

APP = "985ed9d7-b652-47b8-b9cf-c17d62735261"
APP_DOC = resource("ppms/app", APP, name="Shop", urls=["https://shop.example"])
CREATED = jsonapi(201, APP_DOC)
NEW_APP = {"name": "Shop", "urls": ["https://shop.example"]}


def rate_limited(retry_after: str | None = "7") -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return jsonapi(429, {"errors": [{"status": "429", "title": "Too Many Requests"}]}, headers=headers)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_429_honours_retry_after_for_any_method(method: str) -> None:
    clock = FakeClock()
    fake = FakePiwik()
    if method == "GET":
        fake.on("GET", f"/api/apps/v2/{APP}", rate_limited("7"), rate_limited("3"), jsonapi(200, APP_DOC))
    else:
        fake.on("POST", "/api/apps/v2", rate_limited("7"), rate_limited("3"), CREATED)
    with fake.client(clock=clock) as client:
        app = client.apps.get(APP) if method == "GET" else client.apps.create(NEW_APP)
        assert app.id == APP
        assert client.counters["rate_limited"] == 2
        assert client.counters["retries"] == 2
    assert clock.sleeps == [7.0, 3.0]
    assert len(fake.api_requests()) == 3


def test_429_retry_after_is_capped() -> None:
    clock = FakeClock()
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", rate_limited("3600"), jsonapi(200, APP_DOC))
    retry = RetryPolicy(max_retry_after=45, sleep=clock.sleep, clock=clock)
    with fake.client(clock=clock, retry=retry) as client:
        client.apps.get(APP)
    assert clock.sleeps == [45]


def test_429_without_retry_after_uses_backoff() -> None:
    clock = FakeClock()
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", rate_limited(None), jsonapi(200, APP_DOC))
    with fake.client(clock=clock) as client:
        client.apps.get(APP)
    assert len(clock.sleeps) == 1 and 0.25 <= clock.sleeps[0] <= 0.5


def test_429_exhausted_raises_rate_limited_with_retry_after() -> None:
    clock = FakeClock()
    fake = FakePiwik().on("PATCH", f"/api/apps/v2/{APP}", rate_limited("2"))
    retry = RetryPolicy(max_attempts=3, sleep=clock.sleep, clock=clock)
    with fake.client(clock=clock, retry=retry) as client, pytest.raises(RateLimitedError) as info:
        client.apps.update(APP, {"cnil": True})
    assert info.value.retry_after == 2.0
    assert info.value.status == 429
    assert "after 3 attempts" in str(info.value)
    assert clock.sleeps == [2.0, 2.0]


def test_retry_after_http_date() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=lambda: 1445412480.0) == 30.0
    assert parse_retry_after("garbage") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("-5") == 0.0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("GET", lambda c: c.apps.get(APP)),
        ("PATCH", lambda c: c.apps.update(APP, {"cnil": True})),
        ("DELETE", lambda c: c.apps.delete(APP)),
        ("PUT", lambda c: c.custom_dimensions.update("cd1", APP, {"name": "n", "scope": "session"})),
    ],
)
def test_5xx_retried_with_exponential_backoff_for_idempotent_methods(method, call, status) -> None:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    ok = {
        "GET": jsonapi(200, APP_DOC),
        "PATCH": httpx.Response(204),
        "DELETE": httpx.Response(204),
        "PUT": jsonapi(
            200,
            resource(
                "CustomDimension",
                "cd1",
                website_id=APP,
                name="n",
                scope="session",
                active=True,
                case_sensitive=False,
                tracking_id=1,
                slot=1,
            ),
        ),
    }[method]
    path = "/api/analytics/v1/manage/custom-dimensions/cd1/" if method == "PUT" else f"/api/apps/v2/{APP}"
    fake = FakePiwik().on(method, path, httpx.Response(status), httpx.Response(status), httpx.Response(status), ok)
    retry = RetryPolicy(backoff_base=1.0, rng=random.Random(4), sleep=clock.sleep, clock=clock)
    with fake.client(clock=clock, retry=retry) as client:
        call(client)
    assert len(fake.api_requests()) == 4
    # full delay 1, 2, 4 s with jitter in [50 %, 100 %]
    for delay, ceiling in zip(clock.sleeps, [1.0, 2.0, 4.0], strict=True):
        assert ceiling / 2 <= delay <= ceiling


def test_backoff_is_capped_and_jittered() -> None:
    policy = RetryPolicy(backoff_base=1.0, backoff_max=5.0, rng=random.Random(1))
    delays = [policy.backoff(n) for n in range(1, 12)]
    assert all(d <= 5.0 for d in delays)
    assert len(set(delays)) == len(delays)  # jitter: no two the same


@pytest.mark.parametrize("status", [500, 502, 504])
def test_5xx_after_sending_a_post_is_never_retried(status: int) -> None:
    fake = FakePiwik().on("POST", "/api/apps/v2", httpx.Response(status), CREATED)
    with fake.client() as client, pytest.raises(ServerError) as info:
        client.apps.create(NEW_APP)
    assert len(fake.api_requests()) == 1
    assert info.value.status == status


@pytest.mark.parametrize("exc", [httpx.ConnectError("refused"), httpx.ConnectTimeout("connect timed out")])
def test_post_retried_when_the_request_was_never_sent(exc: Exception) -> None:
    clock = FakeClock()
    fake = FakePiwik().on("POST", "/api/apps/v2", exc, CREATED)
    with fake.client(clock=clock) as client:
        assert client.apps.create(NEW_APP).id == APP
    assert len(fake.api_requests()) == 2
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize(
    "exc",
    [httpx.ReadError("reset"), httpx.ReadTimeout("read timed out"), httpx.RemoteProtocolError("eof")],
)
def test_post_not_retried_after_sending(exc: Exception) -> None:
    fake = FakePiwik().on("POST", "/api/apps/v2", exc, CREATED)
    with fake.client() as client, pytest.raises(UnavailableError) as info:
        client.apps.create(NEW_APP)
    assert len(fake.api_requests()) == 1
    assert "may have been applied" in str(info.value)
    assert info.value.status is None
    assert info.value.method == "POST" and info.value.path == "/api/apps/v2"


@pytest.mark.parametrize(
    "exc", [httpx.ReadError("reset"), httpx.ReadTimeout("read timed out"), httpx.ConnectError("refused")]
)
def test_connection_errors_retried_for_get(exc: Exception) -> None:
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", exc, exc, jsonapi(200, APP_DOC))
    with fake.client() as client:
        assert client.apps.get(APP).name == "Shop"
        assert client.counters["retries"] == 2
    assert len(fake.api_requests()) == 3


def test_connection_errors_exhausted_raise_unavailable() -> None:
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", httpx.ConnectError("[Errno 111] Connection refused"))
    retry_clock = FakeClock()
    retry = RetryPolicy(max_attempts=4, sleep=retry_clock.sleep, clock=retry_clock)
    with fake.client(retry=retry) as client, pytest.raises(UnavailableError) as info:
        client.apps.get(APP)
    assert len(fake.api_requests()) == 4
    text = str(info.value)
    assert f"GET /api/apps/v2/{APP} failed: no answer from https://acme.piwik.pro" in text
    assert "Connection refused" in text and "after 4 attempts" in text


def test_token_request_is_retried_on_5xx() -> None:
    calls = {"n": 0}
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", jsonapi(200, APP_DOC))
    inner = fake._token

    def flaky(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        return httpx.Response(502) if calls["n"] == 1 else inner(request)

    fake._token = flaky  # type: ignore[method-assign]
    with fake.client() as client:
        client.apps.get(APP)
    assert calls["n"] == 2


def test_policy_validation() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
