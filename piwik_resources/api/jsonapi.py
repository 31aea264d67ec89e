"""JSON:API envelopes: building request documents and unwrapping response documents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["JSONAPI_MEDIA_TYPE", "MalformedResponse", "document", "resource_list", "single_resource"]

JSONAPI_MEDIA_TYPE = "application/vnd.api+json"


class MalformedResponse(ValueError):
    """The body is not the JSON:API document the endpoint documents."""


def document(type_: str, attributes: Mapping[str, Any] | None = None, *, id: str | None = None) -> dict[str, Any]:
    """``{"data": {"type", "id", "attributes"}}``; ``id``/``attributes`` are omitted when None."""
    data: dict[str, Any] = {"type": type_}
    if id is not None:
        data["id"] = id
    if attributes is not None:
        data["attributes"] = dict(attributes)
    return {"data": data}


def single_resource(doc: object) -> dict[str, Any]:
    """The ``data`` object of a single-resource document."""
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), dict):
        raise MalformedResponse("expected a JSON:API document with a 'data' object")
    data: dict[str, Any] = doc["data"]
    return data


def resource_list(doc: object) -> tuple[list[dict[str, Any]], int | None]:
    """The ``data`` array of a collection document and ``meta.total`` (``None`` when absent)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        raise MalformedResponse("expected a JSON:API document with a 'data' array")
    items = [d for d in doc["data"] if isinstance(d, dict)]
    meta = doc.get("meta")
    total = meta.get("total") if isinstance(meta, dict) else None
    return items, total if isinstance(total, int) else None
