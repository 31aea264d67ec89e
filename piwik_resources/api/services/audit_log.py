"""Audit log (``GET /api/audit-log/v1/entries``): who changed an app or its settings, when and from where."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from ..models import AuditLogEntry
from ._base import Service, paginate

__all__ = ["AUDIT_LOG_SORTS", "AuditLogService"]

ENTRIES = "/api/audit-log/v1/entries"
#: The published ``sort`` values (each also with a leading ``-`` for descending).
AUDIT_LOG_SORTS = ("type", "email", "created_at", "ip", "subject_id")
#: The published maximum of ``limit``.
PAGE_MAX = 100


def _csv(values: Iterable[str] | None) -> str | None:
    items = [v for v in values or () if v]
    return ",".join(items) if items else None


def _utc(moment: datetime | None) -> str | None:
    """The published example's form, ``2020-01-01T00:00:00Z`` (a naive datetime is taken as UTC)."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class AuditLogService(Service):
    page_size = PAGE_MAX

    def entries(
        self,
        *,
        types: Iterable[str] | None = None,
        subject_ids: Iterable[str] | None = None,
        author_ids: Iterable[str] | None = None,
        ips: Iterable[str] | None = None,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
        sort: str = "-created_at",
    ) -> Iterator[AuditLogEntry]:
        """Every matching entry, newest first by default, page by page (filters are "any of" lists)."""
        if sort.lstrip("-") not in AUDIT_LOG_SORTS:
            allowed = ", ".join(AUDIT_LOG_SORTS)
            raise ValueError(f"audit log sort {sort!r} is not allowed; allowed: {allowed} (or -NAME)")
        filters: dict[str, str | None] = {
            "filter[type]": _csv(types),
            "filter[subject_id]": _csv(subject_ids),
            "filter[author_id]": _csv(author_ids),
            "filter[ip]": _csv(ips),
            "filter[date_from]": _utc(date_from),
            "filter[date_to]": _utc(date_to),
        }
        base: dict[str, Any] = {k: v for k, v in filters.items() if v is not None}

        def fetch(offset: int, limit: int) -> tuple[list[AuditLogEntry], int | None]:
            params = {**base, "offset": offset, "limit": limit, "sort": sort}
            return self._many(AuditLogEntry, "GET", ENTRIES, params=params)

        return paginate(fetch, self.page_size)
