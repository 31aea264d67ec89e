"""When and how long to wait before repeating a request (429, 5xx, connection failures)."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

__all__ = ["IDEMPOTENT_METHODS", "NOT_SENT_ERRORS", "RetryPolicy", "parse_retry_after"]

#: Methods whose repetition cannot change the outcome on Piwik PRO (PUT/PATCH/DELETE set absolute state).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})

#: Failures raised by httpx before any byte of the request reached the server: safe to repeat even a POST.
NOT_SENT_ERRORS: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass
class RetryPolicy:
    """Bounded retries with exponential backoff and jitter.

    ``max_attempts`` counts every try of one request (1 = no retry). 429 is retried for any method after the
    server's ``Retry-After`` (capped at ``max_retry_after``; without the header, the backoff applies). 5xx,
    timeouts and connection errors are retried for idempotent methods only; a POST is repeated only when the
    request was never sent (connect error/timeout). ``sleep``, ``clock`` and ``rng`` are injectable for tests.
    """

    max_attempts: int = 5
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    max_retry_after: float = 120.0
    #: Tries of one request that 429 answers may take on their own budget (the service said "come back in n
    #: seconds", which is no failure); ``None`` = 429s share ``max_attempts`` with the other failures.
    max_rate_limited_attempts: int | None = None
    retry_statuses: frozenset[int] = frozenset({500, 502, 503, 504})
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"RetryPolicy.max_attempts must be >= 1, got {self.max_attempts}")
        if self.backoff_base < 0 or self.backoff_max < 0 or self.max_retry_after < 0:
            raise ValueError("RetryPolicy delays must be >= 0")

    @classmethod
    def none(cls) -> RetryPolicy:
        """No retries at all (every failure surfaces at once)."""
        return cls(max_attempts=1)

    def backoff(self, attempt: int) -> float:
        """Delay before try ``attempt + 1`` (``attempt`` >= 1): ``base * 2**(attempt-1)`` capped, with jitter
        drawn from [50 %, 100 %] of that value so that parallel clients spread out but never retry at once."""
        ceiling = min(self.backoff_max, self.backoff_base * (2 ** (attempt - 1)))
        return float(ceiling * (0.5 + 0.5 * self.rng.random()))

    def rate_limit_delay(self, retry_after: float | None, attempt: int) -> float:
        if retry_after is None:
            return self.backoff(attempt)
        return max(0.0, min(retry_after, self.max_retry_after))

    def can_retry_status(self, method: str, status: int) -> bool:
        if status == 429:
            return True
        return method.upper() in IDEMPOTENT_METHODS and status in self.retry_statuses

    @staticmethod
    def can_retry_exception(method: str, exc: Exception) -> bool:
        if isinstance(exc, NOT_SENT_ERRORS):
            return True
        return method.upper() in IDEMPOTENT_METHODS and isinstance(exc, httpx.TransportError)


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP-date); None if absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now())
