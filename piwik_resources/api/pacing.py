"""Client-side request pacing: a large stack runs at Piwik PRO's allowed rate instead of collecting 429s.

Piwik PRO limits requests per minute, separately for reads (600) and writes (60). How the server counts (fixed
minute windows, sliding windows or a token bucket) is not published, so :class:`RateLimiter` is built to stay
within *every* 60-second window, which satisfies all three:

* it is a token bucket of capacity ``burst`` that starts full and refills at ``limit / (window + slack)``
  tokens per second, so after the initial burst requests are spaced evenly (one every ``(window + slack) / limit``
  s) rather than in bursts that would fill a server window early and then stall;
* a log of the last ``limit`` grant times makes the ``limit``-th previous grant at least ``window + slack``
  earlier, which caps every window at ``limit`` requests whatever the burst; the sustained rate is thus
  ``limit / (window + slack)``, about 98% of the allowed rate for a 60-s window;
* ``slack`` (default 1 s) absorbs the jitter between the moment a request is granted here and the moment the
  server counts it (connection pool, TLS, network).

A token is reserved under the lock and the caller sleeps outside it, so concurrent threads are served in order
and never wake up together. Every HTTP attempt (retries included) takes a token. One :class:`Pacing` should be
shared by all clients of a process that use the same account: :func:`shared_pacing` returns that instance.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["DEFAULT_READS_PER_MINUTE", "DEFAULT_WRITES_PER_MINUTE", "Pacing", "RateLimiter", "shared_pacing"]

DEFAULT_READS_PER_MINUTE = 600
DEFAULT_WRITES_PER_MINUTE = 60

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RateLimiter:
    """Thread-safe pacing for one class of requests (see the module docstring for the guarantee)."""

    def __init__(
        self,
        limit: int,
        window: float = 60.0,
        *,
        burst: int | None = None,
        slack: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if limit < 1:
            raise ValueError(f"rate limit must be >= 1 request per window, got {limit}")
        if window <= 0:
            raise ValueError(f"rate window must be > 0 s, got {window}")
        if burst is None:
            burst = max(1, limit // 10)
        if not 1 <= burst <= limit:
            raise ValueError(f"burst must be between 1 and the limit ({limit}), got {burst}")
        self.limit = limit
        self.window = window
        self.burst = burst
        self.slack = max(0.0, slack)
        self._clock = clock
        self._sleep = sleep
        # The bucket refills at the full allowed rate (less the slack); the log of grants below is what keeps
        # every window within the limit, so the sustained rate is limit / (window + slack), ~98% of the
        # allowed rate, instead of (limit - burst) / (window + slack), which wasted the burst's share (~89%).
        self._rate = limit / (window + self.slack)
        self._capacity = float(burst)
        self._tokens = float(burst)
        self._stamp = clock()
        self._lock = threading.Lock()
        self._grants: deque[float] = deque(maxlen=limit)
        self.waited = 0.0

    def reserve(self) -> float:
        """Take one token now and return how long the caller must wait before using it."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * self._rate)
            self._stamp = now
            self._tokens -= 1.0
            grant = now if self._tokens >= 0 else now - self._tokens / self._rate
            # Hard cap, whatever the parameters: the N-th previous grant must be a full window (plus the slack
            # for the jitter between granting here and counting at the server) earlier.
            if len(self._grants) == self.limit:
                grant = max(grant, self._grants[0] + self.window + self.slack)
            self._grants.append(grant)
            delay = grant - now
            self.waited += delay
            return delay

    def acquire(self) -> float:
        """Block until a request may be sent; return the time waited."""
        delay = self.reserve()
        if delay > 0:
            self._sleep(delay)
        return delay


class Pacing:
    """A read limiter and a write limiter; ``None`` for a limit disables that side."""

    def __init__(
        self,
        reads_per_minute: int | None = DEFAULT_READS_PER_MINUTE,
        writes_per_minute: int | None = DEFAULT_WRITES_PER_MINUTE,
        *,
        window: float = 60.0,
        slack: float = 1.0,
        read_burst: int | None = None,
        write_burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.reads = (
            RateLimiter(reads_per_minute, window, burst=read_burst, slack=slack, clock=clock, sleep=sleep)
            if reads_per_minute
            else None
        )
        self.writes = (
            RateLimiter(writes_per_minute, window, burst=write_burst, slack=slack, clock=clock, sleep=sleep)
            if writes_per_minute
            else None
        )

    @classmethod
    def unlimited(cls) -> Pacing:
        """No client-side pacing (tests, or when an outer layer paces)."""
        return cls(None, None)

    @staticmethod
    def kind_of(method: str) -> str:
        return "read" if method.upper() in READ_METHODS else "write"

    def acquire(self, kind: str) -> float:
        """Wait for a ``"read"`` or ``"write"`` slot; return the seconds waited."""
        limiter = self.reads if kind == "read" else self.writes
        return limiter.acquire() if limiter is not None else 0.0

    @property
    def waited(self) -> float:
        return sum(lim.waited for lim in (self.reads, self.writes) if lim is not None)

    def __repr__(self) -> str:
        r = self.reads.limit if self.reads else None
        w = self.writes.limit if self.writes else None
        return f"Pacing(reads_per_minute={r}, writes_per_minute={w})"


_shared: dict[str, Pacing] = {}
_shared_lock = threading.Lock()


def shared_pacing(
    key: str = "default",
    *,
    reads_per_minute: int | None = DEFAULT_READS_PER_MINUTE,
    writes_per_minute: int | None = DEFAULT_WRITES_PER_MINUTE,
) -> Pacing:
    """The process-wide :class:`Pacing` for ``key`` (the client uses the base URL), created on first use.

    The limits apply only when the instance is created; later calls with the same key return it unchanged.
    """
    with _shared_lock:
        pacing = _shared.get(key)
        if pacing is None:
            pacing = Pacing(reads_per_minute, writes_per_minute)
            _shared[key] = pacing
        return pacing


#: Alias kept for callers that prefer the word used in the issue.
shared_pacer = shared_pacing
