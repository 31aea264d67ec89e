"""The one exception hierarchy of the Piwik PRO client, and the parser of the API's three error-body families.

Every error raised by :mod:`piwik_resources.api` for an HTTP exchange is a :class:`PiwikError` carrying the
method, the path, the HTTP status and the API's own ``detail`` text, so that a provider can show the user a
message that says what was attempted and what Piwik PRO answered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "AuthError",
    "ConfigurationError",
    "ConflictError",
    "ConsentTemplateApiUnavailable",
    "ErrorItem",
    "InsecureBaseUrlError",
    "NotFoundError",
    "OperationFailedError",
    "OperationTimeoutError",
    "PiwikError",
    "RateLimitedError",
    "ServerError",
    "UnavailableError",
    "ValidationError",
    "error_for_status",
    "parse_error_body",
]


@dataclass(frozen=True)
class ErrorItem:
    """One entry of an ``errors`` array (or the single object of a non-JSON:API error body)."""

    status: str | None = None
    code: str | None = None
    title: str | None = None
    detail: str | None = None
    pointer: str | None = None
    parameter: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        parts: list[str] = []
        if self.title:
            parts.append(self.title)
        if self.detail and self.detail != self.title:
            parts.append(self.detail)
        text = ": ".join(parts) if parts else (self.code or "")
        if self.code and text != self.code and not text.startswith(self.code):
            text = f"{text} [{self.code}]" if text else self.code
        if self.pointer:
            text += f" (at {self.pointer})"
        elif self.parameter:
            text += f" (parameter {self.parameter})"
        return text


class PiwikError(Exception):
    """Base of every client error.

    Attributes: ``method`` and ``path`` of the request (path without query string), ``status`` (HTTP status or
    ``None`` when no response was received), ``detail`` (the API's own text, joined when it sent several
    errors), ``code`` (first error code), ``pointers`` (JSON pointers such as ``/data/attributes/name`` and
    parameter names such as ``app_id`` named by the API), ``errors`` (every parsed item).
    """

    def __init__(
        self,
        message: str | None = None,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        detail: str | None = None,
        code: str | None = None,
        pointers: list[str] | None = None,
        errors: list[ErrorItem] | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.detail = detail
        self.code = code
        self.pointers: list[str] = list(pointers or [])
        self.errors: list[ErrorItem] = list(errors or [])
        self.message = message or self._default_message()
        super().__init__(self.message)

    def _default_message(self) -> str:
        where = " ".join(p for p in (self.method, self.path) if p) or "Piwik PRO API request"
        status = f" returned HTTP {self.status}" if self.status is not None else " failed"
        detail = f": {self.detail}" if self.detail else ""
        return f"{where}{status}{detail}"

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class NotFoundError(PiwikError):
    """HTTP 404: the object (or the parent app) does not exist."""


class ConflictError(PiwikError):
    """HTTP 409: e.g. the apps limit is reached, or a body id does not match the URL id."""


class ValidationError(PiwikError):
    """HTTP 400/415/422: the API refused the input; ``pointers`` names the offending fields."""


class RateLimitedError(PiwikError):
    """HTTP 429 after the retry budget was spent; ``retry_after`` is the server's last hint in seconds."""

    def __init__(self, message: str | None = None, *, retry_after: float | None = None, **kw: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kw)


class AuthError(PiwikError):
    """HTTP 401/402/403, or the token endpoint refused the client credentials."""


class ServerError(PiwikError):
    """HTTP 5xx (other than 503) after the retry budget was spent, or on a non-idempotent request."""


class UnavailableError(PiwikError):
    """No usable answer: connection failure, timeout, or HTTP 503 (e.g. ``X-Reason: maintenance-mode``)."""


class OperationTimeoutError(PiwikError):
    """A Tag Manager operation did not complete within the caller's timeout."""

    def __init__(
        self,
        message: str | None = None,
        *,
        operation_id: str | None = None,
        state: str | None = None,
        timeout: float | None = None,
        **kw: Any,
    ) -> None:
        self.operation_id = operation_id
        self.state = state
        self.timeout = timeout
        super().__init__(message, **kw)


class OperationFailedError(PiwikError):
    """A Tag Manager operation finished in state ``failed``; ``summary`` holds what the API reported."""

    def __init__(
        self, message: str | None = None, *, operation_id: str | None = None, summary: Any = None, **kw: Any
    ) -> None:
        self.operation_id = operation_id
        self.summary = summary
        super().__init__(message, **kw)


class ConsentTemplateApiUnavailable(PiwikError):
    """The host does not serve the consent-form-template paths (they are not part of Piwik PRO's API)."""


class TriggersApiUnavailable(PiwikError):
    """The host does not serve the trigger and variable paths (Piwik PRO's archived reference, not its published
    files)."""


class ConfigurationError(PiwikError, ValueError):
    """A connection setting that is not allowed, refused before any request is sent.

    ``key`` is the setting as the user wrote it (stack config key, environment variable or argument name);
    the message names it, the value (never a secret) and what is allowed.
    """

    def __init__(self, message: str, *, key: str | None = None, allowed: str | None = None, **kw: Any) -> None:
        self.key = key
        self.allowed = allowed
        super().__init__(message, **kw)


class InsecureBaseUrlError(ConfigurationError):
    """The base URL is not https (plain http is allowed for loopback hosts only) or is malformed."""


def _as_str(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return str(value)


def _item_from(obj: dict[str, Any]) -> ErrorItem:
    source = obj.get("source") if isinstance(obj.get("source"), dict) else {}
    assert isinstance(source, dict)
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    assert isinstance(meta, dict)
    return ErrorItem(
        status=_as_str(obj.get("status")),
        code=_as_str(obj.get("code")),
        title=_as_str(obj.get("title")),
        detail=_as_str(obj.get("detail")),
        pointer=_as_str(source.get("pointer")),
        parameter=_as_str(source.get("parameter")),
        meta=meta,
    )


def parse_error_body(body: bytes | str | None) -> list[ErrorItem]:
    """Parse any error body Piwik PRO sends into items.

    Handles the JSON:API families (platform: ``status/code/title/detail/source.pointer``; Tag Manager and
    container settings: ``code/detail/source.{pointer,parameter}/meta``; analytics:
    ``status/detail/source.parameter``), the OAuth/plain-JSON bodies (``{"error": ..., "error_description":
    ...}``, ``{"code": 402, "message": ...}``, ``{"detail": ...}``) and non-JSON text (kept, shortened).
    """
    if body is None:
        return []
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if not text.strip():
        return []
    try:
        doc = json.loads(text)
    except ValueError:
        snippet = " ".join(text.split())
        if len(snippet) > 200:
            snippet = snippet[:200] + "…"
        return [ErrorItem(detail=snippet)]
    items: list[ErrorItem] = []
    if isinstance(doc, dict):
        errors = doc.get("errors")
        if isinstance(errors, list):
            items.extend(_item_from(e) for e in errors if isinstance(e, dict))
        elif isinstance(errors, dict):
            items.append(_item_from(errors))
        if items:
            return items
        if "error" in doc or "error_description" in doc or "message" in doc or "detail" in doc:
            error = doc.get("error")
            description = doc.get("error_description") or doc.get("message") or doc.get("detail")
            if isinstance(error, dict):
                return [_item_from(error)]
            code = _as_str(doc.get("code")) if doc.get("code") is not None else None
            title = _as_str(error) if error is not None else None
            hint = _as_str(doc.get("hint"))
            detail = _as_str(description)
            if hint and detail and hint not in detail:
                detail = f"{detail} ({hint})"
            return [ErrorItem(code=title or code, detail=detail or title)]
    elif isinstance(doc, list):
        items.extend(_item_from(e) for e in doc if isinstance(e, dict))
    return items


def _pointers(items: list[ErrorItem]) -> list[str]:
    out: list[str] = []
    for item in items:
        for p in (item.pointer, item.parameter):
            if p and p not in out:
                out.append(p)
    return out


def error_for_status(
    *,
    method: str,
    path: str,
    status: int,
    body: bytes | str | None,
    retry_after: float | None = None,
    reason: str | None = None,
) -> PiwikError:
    """Build the right :class:`PiwikError` subclass for an HTTP error response."""
    items = parse_error_body(body)
    detail = "; ".join(t for t in (i.text() for i in items) if t) or None
    if detail is None and reason:
        detail = reason
    code = next((i.code for i in items if i.code), None)
    kw: dict[str, Any] = {
        "method": method,
        "path": path,
        "status": status,
        "detail": detail,
        "code": code,
        "pointers": _pointers(items),
        "errors": items,
    }
    if status == 404:
        return NotFoundError(**kw)
    if status == 409:
        return ConflictError(**kw)
    if status in (400, 415, 422):
        return ValidationError(**kw)
    if status == 429:
        return RateLimitedError(retry_after=retry_after, **kw)
    if status in (401, 402, 403):
        return AuthError(**kw)
    if status == 503:
        return UnavailableError(**kw)
    if status >= 500:
        return ServerError(**kw)
    return PiwikError(**kw)
