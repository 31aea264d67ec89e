"""Test switches: latency, per-minute rate-limit buckets (429 + Retry-After), injected faults, and the variants.

None of this exists in the real service except the rate limits (600 reads / 60 writes per minute,
announced June 2025; their exact scope and 429 body are not published). The variants are behaviours the
published specs leave open, each of which a real account might show (docs/emulator.md, "Variants"):
``publish_mode`` (``async``: 202 + operation; ``sync``: 204 without one), ``republish_unchanged_error`` (400 when
the draft has nothing to publish), ``tag_delay`` (a new app's Piwik PRO tag appears only after that many
seconds) and ``refuse_client_app_ids`` (400 when an app create carries a client-chosen id).
"""

from __future__ import annotations

import math
import random
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

DEFAULT_READ_LIMIT = 600
DEFAULT_WRITE_LIMIT = 60
DEFAULT_TOKEN_TTL = 1800


@dataclass
class Switches:
    latency_ms: int = 0
    read_limit: int = DEFAULT_READ_LIMIT
    write_limit: int = DEFAULT_WRITE_LIMIT
    rate_limit_enabled: bool = True
    error_rate: float = 0.0
    drop_rate: float = 0.0
    drop_after_commit_rate: float = 0.0
    #: Share of requests answered 429 with ``Retry-After: throttle_retry_after`` (a storm of short 429s, unlike
    #: the per-minute buckets whose Retry-After can reach 60 s); /auth/token is never throttled.
    throttle_rate: float = 0.0
    throttle_retry_after: int = 1
    token_ttl: int = DEFAULT_TOKEN_TTL
    apps_limit: int | None = None
    fault_paths: list[str] | None = None
    publish_mode: str = "async"
    republish_unchanged_error: bool = False
    tag_delay: float = 0.0
    refuse_client_app_ids: bool = False
    #: The audit log answers 403, as for credentials without the owner permission it needs.
    audit_log_forbidden: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


_TYPES: dict[str, tuple[type, ...]] = {
    "latency_ms": (int,),
    "read_limit": (int,),
    "write_limit": (int,),
    "rate_limit_enabled": (bool,),
    "error_rate": (int, float),
    "drop_rate": (int, float),
    "drop_after_commit_rate": (int, float),
    "throttle_rate": (int, float),
    "throttle_retry_after": (int,),
    "token_ttl": (int,),
    "apps_limit": (int, type(None)),
    "fault_paths": (list, type(None)),
    "publish_mode": (str,),
    "republish_unchanged_error": (bool,),
    "tag_delay": (int, float),
    "refuse_client_app_ids": (bool,),
    "audit_log_forbidden": (bool,),
}
PUBLISH_MODES = ("async", "sync")


def validate_update(update: Any) -> dict[str, Any]:
    """Check a PATCH body for the switches; raises ValueError naming the bad key."""
    if not isinstance(update, dict):
        raise ValueError("body must be a JSON object")
    clean: dict[str, Any] = {}
    for key, raw in update.items():
        if key not in _TYPES:
            raise ValueError(f"unknown switch {key!r}; known: {sorted(_TYPES)}")
        types = _TYPES[key]
        if (isinstance(raw, bool) and bool not in types) or not isinstance(raw, types):
            raise ValueError(f"switch {key!r} must be one of {[t.__name__ for t in types]}")
        value: Any = raw
        if key.endswith("_rate") and not 0.0 <= float(value) <= 1.0:
            raise ValueError(f"switch {key!r} must be within 0..1, got {value}")
        if key in ("latency_ms", "read_limit", "write_limit") and value < 0:
            raise ValueError(f"switch {key!r} must be >= 0, got {value}")
        if key == "throttle_retry_after" and value < 0:
            raise ValueError(f"switch 'throttle_retry_after' must be >= 0, got {value}")
        if key == "token_ttl" and value < 1:
            raise ValueError(f"switch 'token_ttl' must be >= 1, got {value}")
        if key == "publish_mode" and value not in PUBLISH_MODES:
            raise ValueError(f"switch 'publish_mode' must be one of {list(PUBLISH_MODES)}, got {value!r}")
        if key == "tag_delay" and value < 0:
            raise ValueError(f"switch 'tag_delay' must be >= 0 seconds, got {value}")
        if key == "fault_paths" and value is not None:
            for pattern in value:
                if not isinstance(pattern, str):
                    raise ValueError("fault_paths must be a list of regular expressions")
                re.compile(pattern)
        clean[key] = float(value) if key.endswith("_rate") or key == "tag_delay" else value
    return clean


class RateLimiter:
    """Two fixed one-minute windows (reads = GET, writes = everything else).

    A window opens at its first request and admits `limit` requests; after that each request gets
    429 with Retry-After = whole seconds until the window closes (1..60).
    """

    WINDOW = 60.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()

    def admit(self, bucket: str, limit: int, now: float | None = None) -> int | None:
        """None if admitted, else the Retry-After seconds."""
        now = time.monotonic() if now is None else now
        with self._lock:
            start, used = self._windows.get(bucket, (now, 0))
            if now - start >= self.WINDOW:
                start, used = now, 0
            if used >= limit:
                return max(1, math.ceil(self.WINDOW - (now - start)))
            self._windows[bucket] = (start, used + 1)
            return None


@dataclass
class FaultPlan:
    """What the server does with one request, drawn once on arrival."""

    error: bool = False
    drop: bool = False
    drop_after_commit: bool = False
    throttle: bool = False


def new_fault_seed() -> int:
    """A seed for a run started without ``--fault-seed`` (printed at start, so that any run can be replayed)."""
    return random.SystemRandom().randrange(2**32)


@dataclass
class Faults:
    """The draws of the injected faults, from one seeded generator (``--fault-seed``): with the same seed and the
    same sequence of requests, the same requests fail. A reset (``POST /__emulator__/reset``) starts the sequence
    again from the seed."""

    seed: int = field(default_factory=new_fault_seed)
    lock: threading.Lock = field(default_factory=threading.Lock)
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def reseed(self) -> None:
        with self.lock:
            self.rng = random.Random(self.seed)

    def plan(self, switches: Switches, method: str, path: str) -> FaultPlan:
        if switches.fault_paths is not None:
            target = f"{method} {path}"
            if not any(re.search(p, path) or re.search(p, target) for p in switches.fault_paths):
                return FaultPlan()
        with self.lock:
            roll_error, roll_drop, roll_commit = self.rng.random(), self.rng.random(), self.rng.random()
            roll_throttle = self.rng.random()
        return FaultPlan(
            error=roll_error < switches.error_rate,
            drop=roll_drop < switches.drop_rate,
            drop_after_commit=roll_commit < switches.drop_after_commit_rate,
            throttle=roll_throttle < switches.throttle_rate,
        )
