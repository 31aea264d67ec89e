"""When and how long to wait before repeating a request (429, 5xx, connection failures)."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

__all__ = ["IDEMPOTENT_METHODS", "NOT_SENT_ERRORS", "Attempts", "RetryPolicy", "parse_retry_after"]

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

    def can_retry_status(self, method: str, status: int, *, idempotent: bool | None = None) -> bool:
        """Whether an answer with ``status`` may be retried: 429 always (the service refused the request, so
        even a POST is safe to repeat), the ``retry_statuses`` only for a request whose repetition changes
        nothing (``idempotent``, by default derived from ``method``)."""
        if status == 429:
            return True
        if idempotent is None:
            idempotent = method.upper() in IDEMPOTENT_METHODS
        return idempotent and status in self.retry_statuses

    @staticmethod
    def can_retry_exception(method: str, exc: Exception, *, idempotent: bool | None = None) -> bool:
        """Whether a transport failure may be retried: always when nothing was sent, otherwise only for a
        request whose repetition changes nothing (``idempotent``, by default derived from ``method``)."""
        if isinstance(exc, NOT_SENT_ERRORS):
            return True
        if idempotent is None:
            idempotent = method.upper() in IDEMPOTENT_METHODS
        return idempotent and isinstance(exc, httpx.TransportError)


class Attempts:
    """The retry budget of one logical request: which try this is, and whether and when to try again.

    :meth:`begin` starts a try; :meth:`after_exception` and :meth:`after_status` return the delay before the
    next try, or ``None`` when the request must fail now. With ``max_rate_limited_attempts`` set, a retried 429
    counts on its own budget and gives its try back to ``max_attempts``. (A 401 answered by a token refresh
    is repeated inside the same try by the auth step, so it costs nothing here.)
    """

    def __init__(self, policy: RetryPolicy, method: str, *, idempotent: bool | None = None) -> None:
        self.policy = policy
        self.method = method.upper()
        self.idempotent = self.method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        #: Tries made so far that count against ``policy.max_attempts``.
        self.number = 0
        self._rate_limited = 0

    def begin(self) -> int:
        self.number += 1
        return self.number

    def after_exception(self, exc: Exception) -> float | None:
        policy = self.policy
        if policy.can_retry_exception(self.method, exc, idempotent=self.idempotent) and (
            self.number < policy.max_attempts
        ):
            return policy.backoff(self.number)
        return None

    def after_status(self, status: int, retry_after: float | None) -> float | None:
        policy = self.policy
        can_retry = policy.can_retry_status(self.method, status, idempotent=self.idempotent)
        if status == 429 and policy.max_rate_limited_attempts is not None:
            self._rate_limited += 1
            can_retry = self._rate_limited < policy.max_rate_limited_attempts
            if can_retry:
                self.number -= 1  # on the 429 budget, not the failure budget
        if not can_retry or self.number >= policy.max_attempts:
            return None
        if status == 429:
            return policy.rate_limit_delay(retry_after, self.number)
        return policy.backoff(self.number)


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
