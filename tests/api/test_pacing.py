"""The client-side limiter: never more than N requests in any window, evenly spaced, thread-safe, shared."""

from __future__ import annotations

import bisect
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from piwik_resources.api import Pacing, PiwikClient, RateLimiter, RetryPolicy, shared_pacing

from ._fake import FakeClock, FakePiwik, jsonapi, resource

APP = "985ed9d7-b652-47b8-b9cf-c17d62735261"


def max_in_any_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(bisect.bisect_left(times, t + window) - i for i, t in enumerate(times))


@pytest.mark.parametrize(("limit", "burst"), [(60, None), (600, None), (10, 10), (5, 1), (1, None)])
def test_never_more_than_limit_in_any_window(limit: int, burst: int | None) -> None:
    clock = FakeClock()
    limiter = RateLimiter(limit, 60.0, burst=burst, clock=clock, sleep=clock.sleep)
    grants = []
    for _ in range(limit * 4):
        limiter.acquire()
        grants.append(clock.now)
    assert max_in_any_window(grants, 60.0) <= limit
    assert max_in_any_window(grants, 60.0) >= limit * 0.9 - 1  # and it does not crawl either


def test_initial_burst_then_even_spacing() -> None:
    clock = FakeClock()
    limiter = RateLimiter(60, 60.0, clock=clock, sleep=clock.sleep)  # burst 6, then 60 per 61 s
    waits = [limiter.acquire() for _ in range(10)]
    assert waits[:6] == [0.0] * 6
    spacing = 61.0 / 60
    assert waits[6:] == pytest.approx([spacing] * 4)


def test_idle_time_refills_up_to_the_burst_only() -> None:
    clock = FakeClock()
    limiter = RateLimiter(60, 60.0, burst=6, clock=clock, sleep=clock.sleep)
    for _ in range(6):
        limiter.acquire()
    clock.now += 3600
    waits = [limiter.acquire() for _ in range(7)]
    assert waits[:6] == [0.0] * 6 and waits[6] > 0


def test_reservations_are_thread_safe() -> None:
    clock = FakeClock()  # frozen: the grant time of each reservation is now + its delay
    limiter = RateLimiter(60, 60.0, clock=clock, sleep=clock.sleep)
    with ThreadPoolExecutor(16) as pool:
        delays = list(pool.map(lambda _: limiter.reserve(), range(400)))
    grants = sorted(clock.now + d for d in delays)
    assert grants[:6] == [clock.now] * 6 and grants[6] > clock.now  # six at once, then one slot each
    assert max_in_any_window(grants, 61.0) <= 60  # never more than the limit in a window (plus slack)
    # ... and the sustained rate is the allowed one less the slack: 60 per 61 s, not 54 per 61 s.
    assert (len(grants) - 1) / (grants[-1] - grants[0]) == pytest.approx(60 / 61, rel=0.02)


def test_reads_and_writes_are_paced_separately() -> None:
    clock = FakeClock()
    pacing = Pacing(600, 60, clock=clock, sleep=clock.sleep)
    for _ in range(60):
        pacing.acquire("read")
    assert clock.sleeps == []  # 60 reads fit the read burst; writes still untouched
    for _ in range(6):
        pacing.acquire("write")
    assert clock.sleeps == []
    pacing.acquire("write")
    assert len(clock.sleeps) == 1
    assert Pacing.kind_of("GET") == "read" and Pacing.kind_of("PATCH") == "write"
    assert Pacing.kind_of("POST") == "write"


class FixedWindowServer:
    """A server enforcing N writes per fixed 60-s window (the strictest common scheme), on the fake clock."""

    def __init__(self, clock: FakeClock, limit: int) -> None:
        self.clock = clock
        self.limit = limit
        self.counts: dict[int, int] = {}
        self.rejected = 0
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            window = int(self.clock.now // 60)
            self.counts[window] = self.counts.get(window, 0) + 1
            if self.counts[window] > self.limit:
                self.rejected += 1
                return httpx.Response(429, headers={"Retry-After": str(60 - self.clock.now % 60)})
        return httpx.Response(204)


@pytest.mark.parametrize("offset", [0.0, 17.5, 59.9])
def test_paced_client_never_sees_429_from_a_server_with_the_same_limit(offset: float) -> None:
    clock = FakeClock(start=6000.0 + offset)
    server = FixedWindowServer(clock, 60)
    fake = FakePiwik().on("PATCH", f"/api/apps/v2/{APP}", server)
    pacing = Pacing(600, 60, clock=clock, sleep=clock.sleep)
    with fake.client(clock=clock, pacing=pacing) as client:
        for i in range(300):
            client.apps.update(APP, {"delay": i})
        assert client.counters["rate_limited"] == 0
        assert client.counters["pacing_wait_s"] > 0
    assert server.rejected == 0
    assert clock.now - 6000.0 - offset < 6 * 61  # 300 writes take about 5 minutes, not more


def test_unpaced_client_does_hit_429_there() -> None:
    clock = FakeClock(start=6000.0)
    server = FixedWindowServer(clock, 60)
    fake = FakePiwik().on("PATCH", f"/api/apps/v2/{APP}", server)
    with fake.client(clock=clock, pacing=Pacing.unlimited()) as client:
        for i in range(100):
            client.apps.update(APP, {"delay": i})
        assert client.counters["rate_limited"] > 0  # recovered by Retry-After, but only after 429s


def test_default_pacing_is_shared_per_base_url() -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(204))
    a = PiwikClient("https://shared-test.piwik.pro", "id", "secret", transport=transport)
    b = PiwikClient("https://shared-test.piwik.pro/", "id2", "secret2", transport=transport)
    c = PiwikClient("https://other-test.piwik.pro", "id", "secret", transport=transport)
    try:
        assert a.pacing is b.pacing
        assert a.pacing is not c.pacing
        assert a.pacing is shared_pacing("https://shared-test.piwik.pro")
        assert a.pacing.reads is not None and a.pacing.reads.limit == 600
        assert a.pacing.writes is not None and a.pacing.writes.limit == 60
    finally:
        for client in (a, b, c):
            client.close()


def test_retries_take_a_pacing_slot_too() -> None:
    clock = FakeClock()
    pacing = Pacing(600, 60, read_burst=1, clock=clock, sleep=clock.sleep)
    fake = FakePiwik().on(
        "GET",
        f"/api/apps/v2/{APP}",
        httpx.Response(502),
        jsonapi(200, resource("ppms/app", APP, name="a", urls=[])),
    )
    retry = RetryPolicy(sleep=clock.sleep, clock=clock, backoff_base=0.0)
    with fake.client(clock=clock, pacing=pacing, retry=retry) as client:
        client.apps.get(APP)
    assert pacing.reads is not None and pacing.reads.waited > 0


def test_limiter_validation() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0)
    with pytest.raises(ValueError):
        RateLimiter(10, burst=11)
    with pytest.raises(ValueError):
        RateLimiter(10, window=0)
