"""10 sites through 429 storms and 20 % injected 5xx on every endpoint: one `up` converges, no duplicate app,
and a second `up` is a no-op that sends no write.

429 storm: the emulator's `throttle_rate` switch answers a share of requests 429 with `Retry-After: 1`
(the per-minute buckets, whose Retry-After can reach 60 s, would make the test minutes long; their handling
is covered by tests/api). 5xx: `error_rate=0.2` with `fault_paths` unset, i.e. every path, /auth/token
included; the emulator answers 503 without applying the request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from pulumi import automation as auto

from tests.fixtures.emulator import Emulator

from ._support import assert_converged, assert_second_up_is_noop, faults, writes

SITES = 10


@pytest.mark.engine
def test_ten_sites_converge_through_429_storm_and_5xx(
    emulator: Emulator, reliability_stack: Callable[..., auto.Stack], capsys: pytest.CaptureFixture[str]
) -> None:
    st = reliability_stack(emulator, sites=SITES)
    emulator.switches(throttle_rate=0.3, throttle_retry_after=1, error_rate=0.2)
    started = time.monotonic()
    result = st.up()
    duration = time.monotonic() - started
    log = emulator.requests()
    # The faults reach the token endpoint too (429 never does: /auth/token is not rate limited).
    token_statuses = [
        emulator.http.post(
            "/auth/token",
            json={
                "grant_type": "client_credentials",
                "client_id": emulator.client_id,
                "client_secret": emulator.client_secret,
            },
        ).status_code
        for _ in range(40)
    ]
    emulator.switches(throttle_rate=0.0, error_rate=0.0)
    assert 503 in token_statuses and 200 in token_statuses and 429 not in token_statuses, token_statuses

    seen = faults(log)
    token_requests = sum(n for k, n in log["counts"].items() if "/auth/token" in k)
    with capsys.disabled():
        print(
            f"\n[storm] up of {SITES} sites in {duration:.1f}s: {log['total']} requests, "
            f"{seen['throttled']} answered 429, {seen['error']} answered 503, {token_requests} token requests, "
            f"{sum(writes(log).values())} writes; changes {result.summary.resource_changes}"
        )
    # The storm really happened, on reads, writes and the token endpoint alike.
    assert seen["throttled"] >= 20 and seen["error"] >= 20, seen
    failed_paths = {e["template"] for e in log["entries"] if e["fault"] == "error"}
    assert any(e["method"] != "GET" for e in log["entries"] if e["fault"]), failed_paths
    assert result.summary.result == "succeeded"
    assert_converged(st, emulator, SITES)
    assert_second_up_is_noop(st, emulator)


def test_throttle_switch_answers_429_with_short_retry_after(emulator: Emulator) -> None:
    emulator.switches(throttle_rate=1.0, throttle_retry_after=2)
    response = emulator.api("GET", "/api/apps/v2")
    token = emulator.http.post(
        "/auth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": emulator.client_id,
            "client_secret": emulator.client_secret,
        },
    )
    emulator.switches(throttle_rate=0.0)
    assert (response.status_code, response.headers["Retry-After"]) == (429, "2")
    assert token.status_code == 200
    assert faults(emulator.requests())["throttled"] == 1
