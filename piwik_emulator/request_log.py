"""The request log read by benchmarks and reliability tests: exact counts, plus the latest entries."""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from typing import Any

MAX_ENTRIES = 10000


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=MAX_ENTRIES)
        self._counts: Counter[str] = Counter()
        self._total = 0

    def record(self, method: str, path: str, template: str, status: int | None, fault: str | None) -> None:
        entry = {
            "method": method,
            "path": path,
            "template": template,
            "status": status,
            "ts": time.time(),
            "fault": fault,
        }
        with self._lock:
            self._entries.append(entry)
            self._counts[f"{method} {template}"] += 1
            self._total += 1

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._counts.clear()
            self._total = 0

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"total": self._total, "counts": dict(self._counts), "entries": list(self._entries)}
