"""Custom dimensions of the Analytics object management API (`/api/analytics/v1/manage/custom-dimensions/`).

Create, list by `website_id`, get, PUT (full replace) and slots, with the spec's trailing slashes.
There is no DELETE (none in the spec: "archive" means PUT with `active: false`). `scope`, `slot` and
`website_id` never change; `slot` and `tracking_id` are assigned by the server (readOnly in the spec).
Errors use the analytics family; the manage/* spec files document 400/403 without a body schema.
"""

from __future__ import annotations

from typing import Any

from . import kinds
from .errors import Family, analytics_error, id_mismatch, not_found
from .jsonapi import is_uuid, new_id, read_data
from .messages import Request, Response, json_response

RESOURCE_TYPE = "CustomDimension"
SCOPES = ("session", "event")
EXTRACTION_TARGETS = ("page_title_regex", "page_url_regex", "page_query_parameter")
# Slots per scope: the spec gives no numbers; the official MCP client notes "max is 200 per scope type".
SLOTS_AVAILABLE = {"session": 200, "event": 200, "product": 20}
# `description` is not in the published schema (which does not forbid extra attributes), but the vendor's own
# client sends it, so the emulator keeps it.
WRITABLE = (
    "website_id",
    "name",
    "active",
    "case_sensitive",
    "scope",
    "slot",
    "extractions",
    "tracking_id",
    "description",
)


def _website(req: Request, value: str | None, *, parameter: str | None = None, pointer: str | None = None) -> str:
    if value is None or value == "":
        raise analytics_error(400, "This field is required.", parameter=parameter, pointer=pointer)
    if not is_uuid(value):
        raise analytics_error(400, f'"{value}" is not a valid UUID.', parameter=parameter, pointer=pointer)
    if req.tx.get(kinds.APP, value) is None:
        raise analytics_error(400, f"Website {value} does not exist.", parameter=parameter, pointer=pointer)
    return value


def _check(attributes: dict[str, Any]) -> None:
    base = "/data/attributes"
    for key in attributes:
        if key not in WRITABLE:
            raise analytics_error(400, f"Unknown field: {key}.", pointer=f"{base}/{key}")
    for key in ("name", "active", "case_sensitive", "scope"):
        if key not in attributes:
            raise analytics_error(400, "This field is required.", pointer=f"{base}/{key}")
    name = attributes["name"]
    if not isinstance(name, str) or not name.strip():
        raise analytics_error(400, "This field may not be blank.", pointer=f"{base}/name")
    for key in ("active", "case_sensitive"):
        if not isinstance(attributes[key], bool):
            raise analytics_error(400, "Must be a valid boolean.", pointer=f"{base}/{key}")
    if attributes["scope"] not in SCOPES:
        raise analytics_error(400, f'"{attributes["scope"]}" is not a valid choice.', pointer=f"{base}/scope")
    extractions = attributes.get("extractions", [])
    if not isinstance(extractions, list):
        raise analytics_error(400, "Expected a list of items.", pointer=f"{base}/extractions")
    for index, item in enumerate(extractions):
        pointer = f"{base}/extractions/{index}"
        if not isinstance(item, dict) or item.get("target") not in EXTRACTION_TARGETS:
            raise analytics_error(400, "Invalid extraction target.", pointer=f"{pointer}/target")
        if not isinstance(item.get("pattern"), str) or not item["pattern"]:
            raise analytics_error(400, "This field may not be blank.", pointer=f"{pointer}/pattern")
    if not isinstance(attributes.get("description", ""), str):
        raise analytics_error(400, "Not a valid string.", pointer=f"{base}/description")


def _document(dimension: dict[str, Any]) -> dict[str, Any]:
    return {"type": RESOURCE_TYPE, "id": dimension["id"], "attributes": dimension["attributes"]}


def _dimensions_of(req: Request, website_id: str) -> list[dict[str, Any]]:
    found = req.tx.list(kinds.CUSTOM_DIMENSION, parent=website_id)
    return sorted(found, key=lambda d: d["attributes"]["tracking_id"])


def create(req: Request) -> Response:
    data = read_data(req, Family.ANALYTICS, RESOURCE_TYPE)
    attributes = dict(data.get("attributes") or {})
    website_id = _website(req, attributes.get("website_id"), pointer="/data/attributes/website_id")
    _check(attributes)
    existing = _dimensions_of(req, website_id)
    scope = attributes["scope"]
    used = {d["attributes"]["slot"] for d in existing if d["attributes"]["scope"] == scope}
    if len(used) >= SLOTS_AVAILABLE[scope]:
        raise analytics_error(400, f"No free {scope} slots left.", pointer="/data/attributes/scope")
    slot = next(n for n in range(1, SLOTS_AVAILABLE[scope] + 1) if n not in used)
    tracking_id = max((d["attributes"]["tracking_id"] for d in existing), default=0) + 1
    dimension_id = new_id()
    stored = {
        "id": dimension_id,
        "attributes": {
            "website_id": website_id,
            "name": attributes["name"],
            "active": attributes["active"],
            "case_sensitive": attributes["case_sensitive"],
            "tracking_id": tracking_id,
            "extractions": attributes.get("extractions", []),
            "scope": scope,
            "slot": slot,
            "description": attributes.get("description", ""),
        },
    }
    req.tx.put(kinds.CUSTOM_DIMENSION, dimension_id, stored, parent=website_id)
    return json_response(201, {"data": _document(stored)})


def list_dimensions(req: Request) -> Response:
    website_id = _website(req, req.query_one("website_id"), parameter="website_id")
    limit, offset = req.query_one("limit") or "10", req.query_one("offset") or "0"
    if not limit.isdigit() or not 1 <= int(limit) <= 100000:
        raise analytics_error(400, "Ensure this value is between 1 and 100000.", parameter="limit")
    if not offset.isdigit():
        raise analytics_error(400, "Ensure this value is greater than or equal to 0.", parameter="offset")
    found = _dimensions_of(req, website_id)
    page = found[int(offset) : int(offset) + int(limit)]
    return json_response(200, {"meta": {"total": len(found)}, "data": [_document(d) for d in page]})


def _existing(req: Request, website_id: str | None) -> dict[str, Any]:
    dimension_id = req.params["id"]
    dimension = req.tx.get(kinds.CUSTOM_DIMENSION, dimension_id) if is_uuid(dimension_id) else None
    if dimension is None or (website_id is not None and dimension["attributes"]["website_id"] != website_id):
        # 404 is not documented for this path (200/403 only); the emulator answers 404 like the rest.
        raise not_found(Family.ANALYTICS, "custom dimension", dimension_id, "id")
    return dimension


def get(req: Request) -> Response:
    website_id = _website(req, req.query_one("website_id"), parameter="website_id")
    return json_response(200, {"data": _document(_existing(req, website_id))})


def replace(req: Request) -> Response:
    dimension = _existing(req, None)
    data = read_data(req, Family.ANALYTICS, RESOURCE_TYPE)
    if data.get("id") != dimension["id"]:
        raise id_mismatch(Family.ANALYTICS, str(data.get("id")), dimension["id"])
    attributes = dict(data.get("attributes") or {})
    current = dimension["attributes"]
    if "website_id" not in attributes:
        raise analytics_error(400, "This field is required.", pointer="/data/attributes/website_id")
    _check(attributes)
    for key in ("website_id", "scope", "slot", "tracking_id"):
        if key in attributes and attributes[key] != current[key]:
            raise analytics_error(
                400, f"The {key} of a custom dimension cannot be changed.", pointer=f"/data/attributes/{key}"
            )
    current.update(
        name=attributes["name"],
        active=attributes["active"],
        case_sensitive=attributes["case_sensitive"],
        extractions=attributes.get("extractions", []),
        description=attributes.get("description", ""),
    )
    req.tx.put(kinds.CUSTOM_DIMENSION, dimension["id"], dimension, parent=current["website_id"])
    return json_response(200, {"data": _document(dimension)})


def slots(req: Request) -> Response:
    website_id = _website(req, req.query_one("website_id"), parameter="website_id")
    found = _dimensions_of(req, website_id)
    attributes = {}
    for scope, available in SLOTS_AVAILABLE.items():
        used = sum(1 for d in found if d["attributes"]["scope"] == scope)
        attributes[scope] = {"available": available, "used": used, "left": available - used}
    return json_response(200, {"data": {"type": "CustomDimensionSlots", "id": website_id, "attributes": attributes}})
