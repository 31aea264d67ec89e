"""The request pipeline's layers on their own: the TokenAuth flow in a plain httpx.Client, the retry budget of
one request (Attempts), and how the layers compose in PiwikClient (what each exchange costs in pacing)."""

from __future__ import annotations

import random

import httpx
import pytest

from piwik_resources.api import AuthError, Pacing, RetryPolicy
from piwik_resources.api.auth import TokenAuth, TokenCache
from piwik_resources.api.retry import Attempts

from ._fake import FakeClock, FakePiwik, jsonapi, resource

APP = "985ed9d7-b652-47b8-b9cf-c17d62735261"
APP_DOC = resource("ppms/app", APP, name="Shop", urls=["https://shop.example"])
UNAUTHORIZED = httpx.Response(401, json={"error": "access token not authorized"})


def counting_cache() -> tuple[TokenCache, list[str]]:
    issued: list[str] = []

    def fetch() -> tuple[str, float]:
        issued.append(f"token-number-{len(issued) + 1}")
        return issued[-1], 1800.0

    return TokenCache(fetch), issued


# --- TokenAuth is a real httpx.Auth: it works in httpx's own Client ------------------------------------------


def test_token_auth_attaches_the_cached_bearer_in_a_plain_httpx_client() -> None:
    cache, issued = counting_cache()
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(200)

    with httpx.Client(transport=httpx.MockTransport(handler), auth=TokenAuth(cache)) as http:
        http.get("https://acme.piwik.pro/a")
        http.get("https://acme.piwik.pro/b")
    assert seen == ["Bearer token-number-1"] * 2
    assert issued == ["token-number-1"]


def test_token_auth_refreshes_once_on_401_then_hands_the_second_401_back() -> None:
    cache, issued = counting_cache()
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return httpx.Response(401)

    auth = TokenAuth(cache)
    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        request = http.build_request("GET", "https://acme.piwik.pro/a")
        response = http.send(request, auth=auth)
    assert response.status_code == 401
    assert seen == ["Bearer token-number-1", "Bearer token-number-2"]
    assert auth.refreshed is True
    assert issued == ["token-number-1", "token-number-2"]
    assert "Authorization" not in request.headers  # each exchange is a copy; the caller's request holds no token
    assert "token-number" not in repr(auth)


def test_token_auth_keeps_a_token_another_thread_already_replaced() -> None:
    cache, issued = counting_cache()
    stale = cache.get()
    cache.invalidate(stale)
    fresh = cache.get()  # another request refreshed first
    cache.invalidate(stale)  # a late 401 on the stale token must not drop the fresh one
    assert cache.get() == fresh and issued == [stale, fresh]


# --- Attempts: the retry budget of one request, without any HTTP ---------------------------------------------


def policy(**kw: object) -> RetryPolicy:
    return RetryPolicy(rng=random.Random(1), sleep=lambda s: None, **kw)  # type: ignore[arg-type]


def test_attempts_give_up_after_max_attempts_on_5xx_for_idempotent_methods_only() -> None:
    attempts = Attempts(policy(max_attempts=3), "PATCH")
    delays = []
    for _ in range(3):
        attempts.begin()
        delays.append(attempts.after_status(503, None))
    assert delays[-1] is None and all(d is not None for d in delays[:-1])
    post = Attempts(policy(max_attempts=3), "POST")
    post.begin()
    assert post.after_status(503, None) is None
    published = Attempts(policy(max_attempts=3), "POST", idempotent=True)  # the draft publish
    published.begin()
    assert published.after_status(503, None) is not None


def test_attempts_429_retry_after_and_its_own_budget() -> None:
    attempts = Attempts(policy(max_attempts=2, max_rate_limited_attempts=4), "POST")
    delays = []
    for _ in range(4):
        attempts.begin()
        delays.append(attempts.after_status(429, 7.0))
    assert delays == [7.0, 7.0, 7.0, None]  # three retries on the 429 budget, the fourth 429 is final
    assert attempts.number == 1  # the retried 429s gave their tries back to the failure budget
    attempts.begin()
    assert attempts.number == 2


def test_attempts_repeat_a_post_only_when_nothing_was_sent() -> None:
    post = Attempts(policy(), "POST")
    post.begin()
    assert post.after_exception(httpx.ConnectError("refused")) is not None
    post.begin()
    assert post.after_exception(httpx.ReadError("reset")) is None
    get = Attempts(policy(), "GET")
    get.begin()
    assert get.after_exception(httpx.ReadError("reset")) is not None


# --- the layers composed in PiwikClient ------------------------------------------------------------------


def test_the_401_repetition_is_its_own_paced_exchange_but_not_a_retry() -> None:
    clock = FakeClock()
    pacing = Pacing(600, 60, read_burst=1, clock=clock, sleep=clock.sleep)
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", UNAUTHORIZED, jsonapi(200, APP_DOC))
    with fake.client(clock=clock, pacing=pacing) as client:
        assert client.apps.get(APP).id == APP
        assert client.stats["GET /api/apps/v2/{app_id}"] == 2
        assert client.counters["retries"] == 0
        assert client.counters["token_requests"] == 2
    assert len(clock.sleeps) == 1  # the second GET waited for its own read slot (burst of one)


def test_one_refresh_per_logical_request_even_across_retries() -> None:
    clock = FakeClock()
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", UNAUTHORIZED, httpx.Response(503), UNAUTHORIZED)
    with fake.client(clock=clock) as client, pytest.raises(AuthError, match="freshly issued token") as info:
        client.apps.get(APP)
    assert fake.token_requests == 2  # the 401 after the 503 retry is final: no second refresh
    assert len(fake.api_requests()) == 3
    assert "after 2 attempts" in str(info.value)
