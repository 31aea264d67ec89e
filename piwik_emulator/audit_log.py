"""Audit log (`GET /api/audit-log/v1/entries`): who changed what through the apps and tracker-settings APIs.

The published file (openapi/api_audit-log_v1_entries.json) gives the list, its filters, sort and paging; it
does not say which change produces which event type. The emulator's choice (docs/emulator.md, "Audit log"):

- `app.added` / `app.deleted` (payload `{"id", "name"}` / `{"id"}`), subject = the app;
- `app.changed.<field>` for each field an apps or tracker-settings write changed on an app (payload
  `{"id": <app id>, "<field>": <new value>}`), field in snake case as in the published `app.changed.urls` and
  `app.changed.exclude_unknown_urls`; a setting shared by both APIs has its tracker-settings name;
- `global_tracker_settings.changed.<setting>` for the account-wide settings, subject = the organization's id.

Tag Manager, Analytics (custom dimensions) and consent templates write nothing here: Piwik PRO's help centre
says the audit log covers Administration settings only. The author is the token's `sub`/`eml`, the IP the
caller's address. `Accept: text/csv` gives the same page as CSV. A switch (`audit_log_forbidden`) answers 403, as
for an account without the permission.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from . import kinds
from .errors import ApiError, platform_error
from .jsonapi import is_uuid, new_id, platform_int_param, timestamp
from .messages import Request, Response, json_response

RESOURCE_TYPE = "ppms/audit-log-entry"
SORTS = ("type", "email", "created_at", "ip", "subject_id")
#: Sort key -> attribute (`email` sorts by `author_email`).
_SORT_ATTRIBUTE = {"type": "type", "email": "author_email", "created_at": "created_at", "ip": "ip"}
LIMIT_MAX = 100
_ORG_NAMESPACE = uuid.UUID("6a1f0c3e-8b2d-4e7a-9c5b-1d3e5f7a9b0c")


def snake(name: str) -> str:
    """`excludeUnknownUrls` -> `exclude_unknown_urls` (the published event types are snake case)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def organization_id(req: Request) -> str:
    """The subject id of account-wide events: a UUID stable for the organization's name."""
    return str(uuid.uuid5(_ORG_NAMESPACE, req.config.organization))


def record(req: Request, event_type: str, subject_id: str, payload: Mapping[str, Any]) -> None:
    """Append one entry, authored by the request's token, in the request's transaction."""
    entry_id = new_id()
    entry = {
        "seq": req.tx.next_seq("audit"),
        "id": entry_id,
        "created_at": timestamp(req.now),
        "type": event_type,
        "payload": dict(payload),
        "author_id": str(req.claims.get("sub") or ""),
        "author_email": req.claims.get("eml"),
        "subject_id": subject_id,
        "ip": req.ip,
        "version": 1,
    }
    req.tx.put(kinds.AUDIT_ENTRY, entry_id, entry)


def record_changes(
    req: Request,
    prefix: str,
    subject_id: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    name: Callable[[str], str] = snake,
) -> None:
    """One `<prefix>.<field>` entry per field whose value differs between ``before`` and ``after``."""
    for key, value in after.items():
        if key in before and before[key] != value:
            field = name(key)
            record(req, f"{prefix}.{field}", subject_id, {"id": subject_id, field: value})


# --- the list ----------------------------------------------------------------------------------------------


def _bad(parameter: str, detail: str) -> ApiError:
    return platform_error(400, "Invalid query", code="invalid", detail=detail, parameter=parameter)


def _list(req: Request, name: str) -> list[str] | None:
    raw = req.query_one(f"filter[{name}]")
    if raw is None or raw == "":
        return None
    return [item.strip() for item in raw.split(",") if item.strip()]


def _date(req: Request, name: str) -> datetime | None:
    raw = req.query_one(f"filter[{name}]")
    if raw is None or raw == "":
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise _bad(f"filter[{name}]", f"'{raw}' is not a valid ISO-8601 date-time.") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _checked(req: Request, name: str, valid: Callable[[str], bool], what: str) -> list[str] | None:
    values = _list(req, name)
    for value in values or []:
        if not valid(value):
            raise _bad(f"filter[{name}]", f"'{value}' does not appear to be {what}")
    return values


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _matches(entry: Mapping[str, Any], filters: Mapping[str, list[str] | None], since: Any, until: Any) -> bool:
    for attribute, wanted in filters.items():
        if wanted is not None and str(entry.get(attribute)).lower() not in {w.lower() for w in wanted}:
            return False
    created = datetime.fromisoformat(entry["created_at"])
    return (since is None or created >= since) and (until is None or created <= until)


def _sorted(entries: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    field = sort.lstrip("-")
    attribute = _SORT_ATTRIBUTE.get(field, field)
    # Ties keep the order of occurrence (newest first when descending); a null e-mail or IP sorts first.
    entries.sort(key=lambda e: (str(e.get(attribute) or ""), e["seq"]), reverse=sort.startswith("-"))
    return entries


#: The CSV columns, in the order of the published example.
CSV_COLUMNS = ("author_email", "author_id", "created_at", "id", "ip", "payload", "subject_id", "type", "version")


def _csv(page: list[dict[str, Any]]) -> Response:
    """The page as the published CSV example shows it: a header row, the payload as JSON, null as empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in page:
        cells = {**entry, "payload": json.dumps(entry["payload"])}
        writer.writerow(["" if cells.get(c) is None else cells[c] for c in CSV_COLUMNS])
    return Response(200, out.getvalue().encode(), "text/csv")


def list_entries(req: Request) -> Response:
    if req.config.switches.audit_log_forbidden:
        raise platform_error(
            403,
            "You do not have permission to perform this action.",
            code="permission_denied",
            detail="You do not have permission to perform this action.",
        )
    limit = platform_int_param(req, "limit", 10, 0, LIMIT_MAX)
    offset = platform_int_param(req, "offset", 0, 0, None)
    sort = req.query_one("sort") or "-created_at"
    if sort.lstrip("-") not in SORTS:
        raise _bad("sort", f"'{sort}' is not a valid choice; allowed: {', '.join(SORTS)} (or with a leading -)")
    filters = {
        "type": _list(req, "type"),
        "author_id": _checked(req, "author_id", is_uuid, "a UUID"),
        "subject_id": _checked(req, "subject_id", is_uuid, "a UUID"),
        "ip": _checked(req, "ip", _is_ip, "an IPv4 or IPv6 address"),
    }
    since, until = _date(req, "date_from"), _date(req, "date_to")
    entries = [e for e in req.tx.list(kinds.AUDIT_ENTRY) if _matches(e, filters, since, until)]
    page = _sorted(entries, sort)[offset : offset + limit]
    if "text/csv" in req.headers.get("accept", ""):
        return _csv(page)
    data = [
        {"id": e["id"], "type": RESOURCE_TYPE, "attributes": {k: v for k, v in e.items() if k not in ("id", "seq")}}
        for e in page
    ]
    return json_response(200, {"data": data, "meta": {"total": len(entries)}})
