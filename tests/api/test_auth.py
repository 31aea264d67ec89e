"""The client-credentials token: form-encoded request, cache, refresh before expiry, concurrency, 401 retry."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from piwik_resources.api import AuthError, PiwikError, RetryPolicy

from ._fake import CLIENT_ID, CLIENT_SECRET, FakeClock, FakePiwik, jsonapi, resource

APP = "985ed9d7-b652-47b8-b9cf-c17d62735261"
APP_DOC = resource("ppms/app", APP, name="Shop", urls=["https://shop.example"])
UNAUTHORIZED = httpx.Response(401, json={"error": "access token not authorized"})


def test_token_request_is_form_encoded_client_credentials() -> None:
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", jsonapi(200, APP_DOC))
    with fake.client() as client:
        client.apps.get(APP)
    token_request = fake.requests[0]
    assert token_request.method == "POST" and token_request.url.path == "/auth/token"
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Authorization" not in token_request.headers
    assert fake.token_forms == [
        {"grant_type": ["client_credentials"], "client_id": [CLIENT_ID], "client_secret": [CLIENT_SECRET]}
    ]
    api = fake.api_requests()[0]
    assert api.headers["Authorization"] == f"Bearer {fake.tokens[0]}"


def test_token_is_cached_and_refreshed_60s_before_expiry() -> None:
    clock = FakeClock()
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", jsonapi(200, APP_DOC))
    with fake.client(clock=clock) as client:
        for _ in range(5):
            client.apps.get(APP)
        assert fake.token_requests == 1
        clock.now += 1800 - 61
        client.apps.get(APP)
        assert fake.token_requests == 1
        clock.now += 2  # now 59 s before expiry: refresh
        client.apps.get(APP)
        assert fake.token_requests == 2
        assert client.counters["token_requests"] == 2
    assert fake.api_requests()[-1].headers["Authorization"] == f"Bearer {fake.tokens[1]}"


def test_short_lived_token_refreshes_at_half_life() -> None:
    clock = FakeClock()
    fake = FakePiwik(expires_in=10).on("GET", f"/api/apps/v2/{APP}", jsonapi(200, APP_DOC))
    with fake.client(clock=clock) as client:
        client.apps.get(APP)
        clock.now += 4
        client.apps.get(APP)
        assert fake.token_requests == 1
        clock.now += 2
        client.apps.get(APP)
        assert fake.token_requests == 2


@pytest.mark.parametrize("threads", [4, 16])
def test_concurrent_threads_cause_exactly_one_token_request(threads: int) -> None:
    gate = threading.Event()
    started = threading.Barrier(threads, timeout=10)

    def slow_token() -> None:
        gate.wait(timeout=10)  # hold the first token request until every thread is waiting on it

    fake = FakePiwik(token_delay=slow_token).on("GET", f"/api/apps/v2/{APP}", jsonapi(200, APP_DOC))
    with fake.client() as client:

        def call() -> str:
            started.wait()
            return client.apps.get(APP).id

        with ThreadPoolExecutor(threads) as pool:
            futures = [pool.submit(call) for _ in range(threads)]
            # let all threads reach the token lock, then release the token endpoint
            threading.Timer(0.2, gate.set).start()
            assert [f.result(timeout=20) for f in futures] == [APP] * threads
    assert fake.token_requests == 1
    assert len(fake.api_requests()) == threads
    assert {r.headers["Authorization"] for r in fake.api_requests()} == {f"Bearer {fake.tokens[0]}"}


def test_401_refreshes_once_and_retries_once() -> None:
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", UNAUTHORIZED, jsonapi(200, APP_DOC))
    with fake.client() as client:
        assert client.apps.get(APP).id == APP
    assert fake.token_requests == 2
    first, second = fake.api_requests()
    assert first.headers["Authorization"] == f"Bearer {fake.tokens[0]}"
    assert second.headers["Authorization"] == f"Bearer {fake.tokens[1]}"


def test_401_twice_raises_auth_error_without_looping() -> None:
    fake = FakePiwik().on("PATCH", f"/api/apps/v2/{APP}", UNAUTHORIZED)
    with fake.client() as client, pytest.raises(AuthError) as info:
        client.apps.update(APP, {"cnil": True})
    assert fake.token_requests == 2
    assert len(fake.api_requests()) == 2
    err = info.value
    assert err.status == 401
    assert "access token not authorized" in str(err)
    assert "freshly issued token" in str(err)


def test_concurrent_401s_share_one_refresh() -> None:
    threads = 8
    barrier = threading.Barrier(threads, timeout=10)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers["Authorization"].endswith(fake.tokens[0]):
            barrier.wait()  # every thread holds the first token when it is refused
            return httpx.Response(401, json={"error": "access token not authorized"})
        return jsonapi(200, APP_DOC)

    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", handler)
    with fake.client() as client, ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(lambda _: client.apps.get(APP).id, range(threads)))
    assert results == [APP] * threads
    assert fake.token_requests == 2


def test_token_endpoint_refusal_is_auth_error() -> None:
    fake = FakePiwik(
        token_status=401,
        token_body={"error": "invalid_client", "error_description": "Client authentication failed"},
    )
    with fake.client() as client, pytest.raises(AuthError) as info:
        client.apps.get(APP)
    text = str(info.value)
    assert text.startswith("POST /auth/token returned HTTP 401")
    assert "Client authentication failed" in text
    assert "PIWIK_CLIENT_ID / PIWIK_CLIENT_SECRET" in text
    assert fake.api_requests() == []
    assert fake.token_requests == 1  # a refused credential is not retried


def test_token_answer_without_access_token() -> None:
    fake = FakePiwik(token_body={"token_type": "Bearer"})
    fake.token_status = 200
    fake._token = lambda request: httpx.Response(200, json={"token_type": "Bearer"})  # type: ignore[method-assign]
    with fake.client() as client, pytest.raises(AuthError, match="without an access_token"):
        client.apps.get(APP)


def test_organization_is_the_jwt_org_claim() -> None:
    fake = FakePiwik(org="my-org")
    with fake.client() as client:
        assert client.organization == "my-org"
        assert client.organization == "my-org"
    assert fake.token_requests == 1


def test_organization_missing_claim_is_clear() -> None:
    fake = FakePiwik()
    fake._token = lambda request: httpx.Response(  # type: ignore[method-assign]
        200, json={"access_token": "opaque-token", "expires_in": 1800}
    )
    with fake.client() as client, pytest.raises(PiwikError, match="no 'org' claim"):
        _ = client.organization


def test_retry_policy_clock_drives_token_expiry() -> None:
    clock = FakeClock()
    retry = RetryPolicy(sleep=clock.sleep, clock=clock)
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", jsonapi(200, APP_DOC))
    with fake.client(retry=retry) as client:
        client.apps.get(APP)
        clock.now += 3600
        client.apps.get(APP)
    assert fake.token_requests == 2
