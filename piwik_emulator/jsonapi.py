"""JSON:API request helpers shared by the services: media type, body parsing, ids and timestamps."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from .errors import Family, analytics_error, invalid_media_type, platform_error, tm_error
from .messages import JSON_API, Request


def timestamp(now: float) -> str:
    """ISO-8601 with an explicit +00:00 offset: the only form the specs' patterns accept."""
    return datetime.fromtimestamp(int(now), UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def new_id() -> str:
    return str(uuid.uuid4())


def bad_body(family: Family, detail: str, pointer: str = "/data") -> Exception:
    if family is Family.TAG_MANAGER:
        return tm_error(400, "INVALID_JSON_ERROR", detail, pointer=pointer)
    if family is Family.ANALYTICS:
        return analytics_error(400, detail, pointer=pointer)
    return platform_error(400, "Invalid form", detail=detail, pointer=pointer)


def read_document(req: Request, family: Family) -> Any:
    """The parsed JSON:API document of a write; enforces the media type first."""
    if req.media_type != JSON_API:
        raise invalid_media_type(family, req.media_type)
    try:
        return json.loads(req.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad_body(family, "The request body is not valid JSON.", "") from None


def read_data(req: Request, family: Family, resource_type: str) -> dict[str, Any]:
    """`data` of a single-resource document, with `data.type` checked."""
    doc = read_document(req, family)
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), dict):
        raise bad_body(family, "This value should not be blank.", "/data")
    data: dict[str, Any] = doc["data"]
    if data.get("type") in (None, ""):
        if family is Family.PLATFORM:
            raise platform_error(
                400,
                "Invalid form",
                code="error.not-blank",
                detail="This value should not be blank.",
                pointer="/data/type",
            )
        raise bad_body(family, "The property type is required", "/data/type")
    if data.get("type") != resource_type:
        raise bad_body(family, f'Resource type must be "{resource_type}".', "/data/type")
    attributes = data.get("attributes", {})
    if not isinstance(attributes, dict):
        raise bad_body(family, "This value should be of type object.", "/data/attributes")
    return data


def platform_int_param(req: Request, name: str, default: int, low: int, high: int | None) -> int:
    """A whole-number query parameter within low..high (None: no upper bound); 400 naming it otherwise."""
    raw = req.query_one(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"{low} or more"
        raise platform_error(400, "Invalid query", detail=f"This value should be {bound}.", parameter=name)
    return value
