"""Auth, secrets, concurrency, faults and rate limits against the emulator (a real HTTP server)."""

from __future__ import annotations

import logging
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from piwik_resources.api import (
    AuthError,
    Pacing,
    PiwikError,
    RateLimitedError,
    RetryPolicy,
    UnavailableError,
)

from ._emu import client_for, new_app
from ._fake import FakeClock


def test_wrong_secret_is_auth_error_and_leaks_nothing(emulator: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "wrong-secret-value-123456"
    with client_for(emulator, secret=wrong) as client, pytest.raises(AuthError) as info:
        client.apps.get("00000000-0000-4000-8000-000000000000")
    err = info.value
    assert err.status in (400, 401) and err.path == "/auth/token"
    texts = [
        str(err),
        repr(err),
        "".join(traceback.format_exception(err)),
        caplog.text,
        *(r.getMessage() for r in caplog.records),
    ]
    assert not any(wrong in t for t in texts)


def test_secret_and_token_never_logged_on_a_real_transport(emulator: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # includes httpx and httpcore debug output
    texts: list[str] = []
    with client_for(emulator) as client:
        app = new_app(client)
        client.tracker_settings.update_app(app.id, {"anonymize_visitor_ip_level": 2})
        try:
            client.apps.update(app.id, {"gdpr_data_anonymization_mode": "bogus"})
        except PiwikError as exc:
            texts += [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
        token = client._tokens.current()
        assert token
        texts.append(repr(client))
    secrets = [emulator.client_secret, token]
    logged = [caplog.text, *(r.getMessage() for r in caplog.records)]
    assert any("PATCH /api/apps/v2/" in t for t in logged)
    for secret in secrets:
        assert not any(secret in t for t in texts + logged)


def test_concurrent_first_calls_issue_one_token(emulator: Any) -> None:
    with client_for(emulator) as client:
        app = new_app(client)
    before = emulator.tokens_issued()
    with client_for(emulator) as client, ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: client.apps.get(app.id).id, range(16)))
    assert results == [app.id] * 16
    assert emulator.tokens_issued() == before + 1


def test_token_refreshed_before_expiry(emulator_factory: Any) -> None:
    emu = emulator_factory("--no-rate-limit", "--token-ttl", "2")
    with client_for(emu) as client:
        app = new_app(client)
        issued = emu.tokens_issued()
        time.sleep(1.1)  # past half of the 2-s lifetime: refreshed before use, no 401 round trip
        client.apps.get(app.id)
        assert emu.tokens_issued() == issued + 1
        counts = emu.requests()["counts"]
        assert not any(e["status"] == 401 for e in emu.requests()["entries"]), counts


def test_expired_token_gets_one_refresh_on_401(emulator_factory: Any) -> None:
    # 3 s, not 1: on a loaded 2-core machine a 1-s token could expire again between its refresh and the retry.
    emu = emulator_factory("--no-rate-limit", "--token-ttl", "3")
    frozen = FakeClock()  # the client believes no time passes, so it keeps using its token
    with client_for(emu, retry=RetryPolicy(backoff_base=0.01, clock=frozen, sleep=frozen.sleep)) as client:
        app = new_app(client)
        time.sleep(3.3)  # the server's token expires
        assert client.apps.get(app.id).id == app.id
    assert emu.tokens_issued() >= 2
    statuses = [e["status"] for e in emu.requests()["entries"] if e["path"] == f"/api/apps/v2/{app.id}"]
    assert statuses == [401, 200]


def test_stats_match_the_emulator_request_log(emulator: Any) -> None:
    emulator.clear_requests()
    with client_for(emulator) as client:
        app = new_app(client)
        client.apps.update(app.id, {"cnil": True})
        client.apps.get(app.id)
        list(client.apps.list())
        client.apps.delete(app.id)
        ours = client.stats
    theirs = emulator.requests()["counts"]
    assert ours == theirs


def test_server_errors_on_reads_are_retried(emulator: Any) -> None:
    # 30 % faults, 10 attempts: a call fails only after 10 faults in a row (p = 6e-6)
    with client_for(emulator, retry=RetryPolicy(max_attempts=10, backoff_base=0.01, backoff_max=0.02)) as client:
        app = new_app(client)
        emulator.switches(error_rate=0.3, fault_paths=[r"^GET /api/apps/v2/"])
        for _ in range(20):
            assert client.apps.get(app.id).id == app.id
        assert client.counters["retries"] > 0


def test_dropped_connections_on_reads_are_retried(emulator: Any) -> None:
    # 30 % faults, 10 attempts: a call fails only after 10 faults in a row (p = 6e-6)
    with client_for(emulator, retry=RetryPolicy(max_attempts=10, backoff_base=0.01, backoff_max=0.02)) as client:
        app = new_app(client)
        emulator.switches(drop_rate=0.3, fault_paths=[r"^GET /api/apps/v2/"])
        for _ in range(20):
            assert client.apps.get(app.id).id == app.id
        assert client.counters["retries"] > 0


def test_post_dropped_after_commit_is_not_repeated(emulator: Any) -> None:
    with client_for(emulator) as client:
        client.organization  # noqa: B018 - token first, so that only the POST is faulted
        emulator.switches(drop_after_commit_rate=1.0, fault_paths=[r"^POST /api/apps/v2$"])
        with pytest.raises(UnavailableError, match="may have been applied"):
            new_app(client, "Committed")
        emulator.switches(drop_after_commit_rate=0.0)
        assert [a.name for a in client.apps.list()] == ["Committed"]  # created once, not twice
        assert client.stats["POST /api/apps/v2"] == 1


def test_429_carries_retry_after(emulator_factory: Any) -> None:
    emu = emulator_factory("--write-limit", "2")
    slept: list[float] = []
    retry = RetryPolicy(max_attempts=2, sleep=slept.append)
    with client_for(emu, retry=retry) as client:
        app = new_app(client)
        client.apps.update(app.id, {"cnil": True})
        with pytest.raises(RateLimitedError) as info:
            client.apps.update(app.id, {"cnil": False})
    err = info.value
    assert err.status == 429 and err.retry_after is not None and 1 <= err.retry_after <= 60
    assert slept == [err.retry_after] or (len(slept) == 1 and 1 <= slept[0] <= 60)
    assert "PATCH /api/apps/v2/" in str(err) and "after 2 attempts" in str(err)


def test_client_pacing_counts_like_the_server(emulator_factory: Any) -> None:
    """With the server's own read limit, the pacer grants exactly what the server admits in a window."""
    emu = emulator_factory("--read-limit", "12")
    pacing = Pacing(reads_per_minute=12, writes_per_minute=60, read_burst=12, sleep=lambda s: None)
    with client_for(emu, pacing=pacing) as client:
        app = new_app(client)
        for _ in range(12):
            client.apps.get(app.id)
        assert client.counters["rate_limited"] == 0
        assert pacing.reads is not None and pacing.reads.reserve() > 50  # the 13th read would wait a window
    refused = emu.api("GET", f"/api/apps/v2/{app.id}")  # ... and the server would refuse it now
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
