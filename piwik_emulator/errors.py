"""The error bodies of Piwik PRO's services: three JSON families plus the OAuth endpoint's own.

1. Platform (apps, tracker settings, meta-sites; the emulator's consent templates too): JSON:API
   ``{"errors":[{"status":"400","code":"error.default","title":...,"detail":...,"source":{"pointer":...}}]}``;
   401 is plain JSON ``{"error":"access token not authorized"}`` (tracker settings spec, UnauthorizedError).
2. Tag Manager and container settings: ``{"errors":[{"code":"NOT_FOUND_ERROR","detail":...,
   "source":{"parameter":...}}]}`` (no status/title); 401 code ``UNAUTHORIZED_ERROR``.
3. Analytics (``/api/analytics/...``): plain JSON ``{"errors":[{"status":"400","detail":...}]}``;
   401 detail ``No valid credentials provided.`` (SPEC analytics query file; the manage/* files
   document 400/403 without a body schema, so the query API's shape is used for them).
"""

from __future__ import annotations

import enum
from typing import Any

from .messages import JSON, JSON_API, Response, json_response


class Family(enum.Enum):
    PLATFORM = "platform"
    TAG_MANAGER = "tag_manager"
    ANALYTICS = "analytics"
    OAUTH = "oauth"


def family_for(path: str) -> Family:
    if path.startswith(("/api/tag/", "/api/container-settings/")):
        return Family.TAG_MANAGER
    if path.startswith("/api/analytics/"):
        return Family.ANALYTICS
    if path.startswith("/auth/"):
        return Family.OAUTH
    return Family.PLATFORM


class ApiError(Exception):
    """Raised by a handler; the server rolls the transaction back and sends `response`."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def _source(pointer: str | None, parameter: str | None) -> dict[str, str] | None:
    if pointer is not None:
        return {"pointer": pointer}
    if parameter is not None:
        return {"parameter": parameter}
    return None


def platform_error(
    status: int,
    title: str,
    *,
    code: str = "error.default",
    detail: str | None = None,
    pointer: str | None = None,
    parameter: str | None = None,
) -> ApiError:
    item: dict[str, Any] = {"status": str(status), "code": code, "title": title}
    if detail is not None:
        item["detail"] = detail
    source = _source(pointer, parameter)
    if source is not None:
        item["source"] = source
    return ApiError(json_response(status, {"errors": [item]}))


def form_errors(errors: list[tuple[str, str, str]], *, pointer_prefix: str = "/data/attributes/") -> ApiError:
    """A platform "Invalid form" 400 with one item per (attribute, code, detail): the validation error of the apps,
    tracker settings and consent-template services. The apps examples point at "/<attribute>" (prefix "/")."""
    items = [
        {
            "status": "400",
            "code": code,
            "title": "Invalid form",
            "detail": detail,
            "source": {"pointer": f"{pointer_prefix}{name}"},
        }
        for name, code, detail in errors
    ]
    return ApiError(json_response(400, {"errors": items}))


def tm_error(
    status: int,
    code: str,
    detail: str,
    *,
    pointer: str | None = None,
    parameter: str | None = None,
    meta: dict[str, Any] | None = None,
) -> ApiError:
    item: dict[str, Any] = {"code": code, "detail": detail}
    source = _source(pointer, parameter)
    if source is not None:
        item["source"] = source
    if meta is not None:
        item["meta"] = meta
    return ApiError(json_response(status, {"errors": [item]}))


def analytics_error(status: int, detail: str, *, pointer: str | None = None, parameter: str | None = None) -> ApiError:
    item: dict[str, Any] = {"status": str(status), "detail": detail}
    source = _source(pointer, parameter)
    if source is not None:
        item["source"] = source
    return ApiError(json_response(status, {"errors": [item]}, JSON))


def unauthorized(family: Family) -> Response:
    """The 401 each service sends for a missing, malformed, forged or expired bearer token."""
    if family is Family.TAG_MANAGER:
        return tm_error(401, "UNAUTHORIZED_ERROR", "Access token not authorized").response
    if family is Family.ANALYTICS:
        return analytics_error(401, "No valid credentials provided.").response
    return json_response(401, {"error": "access token not authorized"}, JSON)


def not_found(family: Family, what: str, identifier: str, parameter: str) -> ApiError:
    """A missing resource, worded per family (TM wording from the spec examples)."""
    if family is Family.TAG_MANAGER:
        return tm_error(
            404,
            "NOT_FOUND_ERROR",
            f"There is no {what} with given identifier: {identifier}",
            parameter=parameter,
        )
    if family is Family.ANALYTICS:
        return analytics_error(404, "Not found.", parameter=parameter)
    return platform_error(
        404, f'{what.capitalize()} with id: "{identifier}" does not exist', code="error.resource-not-found"
    )


_GENERIC_CODES: dict[int, tuple[str, str]] = {
    404: ("error.resource-not-found", "NOT_FOUND_ERROR"),
    405: ("error.method-not-allowed", "METHOD_NOT_ALLOWED_ERROR"),
    429: ("error.too-many-requests", "TOO_MANY_REQUESTS_ERROR"),
    500: ("error.default", "INTERNAL_SERVER_ERROR"),
    503: ("error.service-unavailable", "SERVICE_UNAVAILABLE"),
}


def generic(family: Family, status: int, message: str) -> ApiError:
    """Statuses with no resource in question (404 of an unknown path, 405, 429, 5xx).

    Codes other than the spec's (NOT_FOUND_ERROR, INTERNAL_SERVER_ERROR, SERVICE_UNAVAILABLE) are the
    emulator's own: Piwik PRO documents no 405/429 body.
    """
    platform_code, tm_code = _GENERIC_CODES.get(status, ("error.default", "ERROR"))
    if family is Family.TAG_MANAGER:
        return tm_error(status, tm_code, message)
    if family is Family.ANALYTICS:
        return analytics_error(status, message)
    if family is Family.OAUTH:
        return ApiError(json_response(status, {"error": platform_code, "message": message}, JSON))
    return platform_error(status, message, code=platform_code)


def id_mismatch(family: Family, body_id: str, url_id: str) -> ApiError:
    """409 when `data.id` differs from the URL's id (platform wording from the users PATCH spec)."""
    detail = f"The resource object's id ({body_id}) does not match url's lookup id ({url_id})"
    if family is Family.TAG_MANAGER:
        return tm_error(409, "CONFLICT_ERROR", detail, pointer="/data/id")
    if family is Family.ANALYTICS:
        return analytics_error(409, detail, pointer="/data/id")
    return platform_error(409, "Id mismatch", code="error", detail=detail, pointer="/data")


def invalid_media_type(family: Family, media_type: str) -> ApiError:
    """Writes must carry JSON:API; the message is the one quoted in Piwik PRO's getting-started FAQ.

    The status is not documented; 400 is used because every write operation documents 400.
    """
    shown = media_type or "(none)"
    message = f'"{shown}" is not a valid JSON API Content-Type header, use "{JSON_API}" instead'
    if family is Family.TAG_MANAGER:
        return tm_error(400, "INVALID_JSON_ERROR", message, parameter="Content-Type")
    if family is Family.ANALYTICS:
        return analytics_error(400, message, parameter="Content-Type")
    return platform_error(400, message, code="error.default")
