"""Tag Manager versions, publishing and operations (`/api/tag/v1/{app_id}/versions...`, `/operations/{id}`).

Publishing (`POST versions/draft/publish`) answers 202 with an operation. The emulator applies the
publication at once (the old published version becomes historic, a new published version takes the
next major number, every tag becomes `is_published`, the draft loses `has_changes`); the operation then
reports `started` on its first GET and `completed` from the second on, so clients exercise their polling.
"""

from __future__ import annotations

from typing import Any

from . import kinds
from .errors import tm_error
from .jsonapi import new_id, timestamp
from .messages import Request, Response, json_response, no_content
from .tag_manager import (
    API_USER,
    apply_sort,
    int_param,
    page_links,
    require_app,
    require_owned,
    sort_keys,
    versions_of,
    visible_tags,
)

VERSION_TYPES = ("published", "draft", "historic")
LIST_ATTRIBUTES = ("version_type", "version_major", "version_minor", "created_at", "updated_at")


def version_document(version: dict[str, Any]) -> dict[str, Any]:
    kind = version["version_type"]
    attributes: dict[str, Any] = {
        "version_type": kind,
        "has_changes": version["has_changes"] if kind == "draft" else False,
        "version_major": version["version_major"],
        "version_minor": version["version_minor"],
        "author": version["author"],
        "publisher": version["publisher"] if kind != "draft" else None,
        "published_at": version["published_at"] if kind != "draft" else None,
        "parent_id": version["parent_id"],
        "created_at": version["created_at"],
        "updated_at": version["updated_at"],
    }
    return {"data": {"id": version["id"], "type": "version", "attributes": attributes}}


def _one(req: Request, app_id: str, version_type: str) -> dict[str, Any]:
    found = versions_of(req, app_id, version_type)
    if not found:
        raise tm_error(
            404,
            "NOT_FOUND_ERROR",
            f"There is no {version_type} version for application: {app_id}",
            parameter="app_id",
        )
    return found[-1]


def list_versions(req: Request) -> Response:
    app_id = require_app(req)
    limit = int_param(req, "page[limit]", 10, 1)
    offset = int_param(req, "page[offset]", 0, 0)
    versions = req.tx.list(kinds.VERSION, parent=app_id)
    wanted = req.query_one("filter[version_type]")
    if wanted is not None:
        if wanted not in VERSION_TYPES:
            raise tm_error(
                400,
                "INVALID_URI_PARAMETER_ERROR",
                f"Invalid version type: {wanted}",
                parameter="filter[version_type]",
            )
        versions = [v for v in versions if v["version_type"] == wanted]
    versions = apply_sort(versions, sort_keys(req, ("created_at", "updated_at")), lambda v, k: v[k])
    page = versions[offset : offset + limit]
    data = [{"id": v["id"], "type": "version", "attributes": {k: v[k] for k in LIST_ATTRIBUTES}} for v in page]
    links = page_links(f"/api/tag/v1/{app_id}/versions", offset, limit, len(versions))
    return json_response(200, {"data": data, "meta": {"total": len(versions)}, "links": links})


def get_draft(req: Request) -> Response:
    return json_response(200, version_document(_one(req, require_app(req), "draft")))


def get_published(req: Request) -> Response:
    return json_response(200, version_document(_one(req, require_app(req), "published")))


def get_version(req: Request) -> Response:
    app_id = require_app(req)
    version = require_owned(req, app_id, kinds.VERSION, "version")
    return json_response(200, version_document(version))


def publish_draft(req: Request) -> Response:
    app_id = require_app(req)
    now = timestamp(req.now)
    draft = _one(req, app_id, "draft")
    switches = req.config.switches
    if switches.republish_unchanged_error and not draft["has_changes"]:
        # Variant `republish_unchanged_error` (docs/emulator.md): the spec does not say what publishing an
        # unchanged draft answers; this variant refuses it, as some Tag Manager builds do.
        raise tm_error(400, "BAD_REQUEST_ERROR", "Nothing to publish: the draft has no changes", pointer="/data")
    previous = versions_of(req, app_id, "published")
    tags = visible_tags(req, app_id)
    published_id = new_id()
    published = {
        "id": published_id,
        "app_id": app_id,
        "version_type": "published",
        "version_major": draft["version_major"],
        "version_minor": draft["version_minor"],
        "has_changes": False,
        "created_at": now,
        "updated_at": now,
        "published_at": now,
        "parent_id": previous[-1]["id"] if previous else None,
        "author": API_USER,
        "publisher": API_USER,
        "tags": [t["id"] for t in tags],
    }
    summary_versions = []
    for old in previous:
        old["version_type"] = "historic"
        old["updated_at"] = now
        req.tx.put(kinds.VERSION, old["id"], old, parent=app_id)
        summary_versions.append((old, "modified"))
    req.tx.put(kinds.VERSION, published_id, published, parent=app_id)
    for kind, objects in ((kinds.TAG, tags), (kinds.TRIGGER, req.tx.list(kinds.TRIGGER, parent=app_id))):
        for found in objects:  # what the draft held is now the published version's
            if not found["is_published"]:
                found["is_published"] = True
                req.tx.put(kind, found["id"], found, parent=app_id)
    draft.update(
        has_changes=False,
        parent_id=published_id,
        version_major=draft["version_major"] + 1,
        version_minor=0,
        updated_at=now,
    )
    req.tx.put(kinds.VERSION, draft["id"], draft, parent=app_id)
    summary_versions += [(published, "added"), (draft, "modified")]
    operation_id = new_id()
    req.tx.put(
        kinds.OPERATION,
        operation_id,
        {
            "id": operation_id,
            "app_id": app_id,
            "operation_type": "publish/version",
            "state": "created",
            "parameters": {"version_id": draft["id"], "version_type": "draft"},
            "summary_versions": [
                {
                    "version_id": v["id"],
                    "version_type": v["version_type"],
                    "version_major": v["version_major"],
                    "version_minor": v["version_minor"],
                    "created_at": v["created_at"],
                    "updated_at": v["updated_at"],
                    "change_type": change,
                }
                for v, change in summary_versions
            ],
            "created_at": now,
            "updated_at": now,
            "started_at": None,
            "completed_at": None,
            "failed_at": None,
        },
        parent=app_id,
    )
    if switches.publish_mode == "sync":
        # Variant `publish_mode: sync`: applied, answered 204 without an operation (the vendor's client
        # accepts both answers).
        return no_content()
    body = {
        "data": {
            "id": draft["id"],
            "type": "version",
            "relationships": {"operation": {"data": {"id": operation_id, "type": "operation"}}},
        }
    }
    return json_response(202, body)


def get_operation(req: Request) -> Response:
    app_id = require_app(req)
    operation = require_owned(req, app_id, kinds.OPERATION, "operation")
    operation_id = req.params["operation_id"]
    now = timestamp(req.now)
    if operation["state"] == "created":
        operation.update(state="started", started_at=now, updated_at=now)
    elif operation["state"] == "started":
        operation.update(state="completed", completed_at=now, updated_at=now)
    req.tx.put(kinds.OPERATION, operation_id, operation, parent=app_id)
    # The publish summary lists exactly three versions (schema minItems = maxItems = 3); an empty
    # object is the spec's form while the operation has not completed.
    summary: dict[str, Any] = {}
    if operation["state"] == "completed" and len(operation["summary_versions"]) == 3:
        summary = {"versions": operation["summary_versions"]}
    attributes = {
        "operation_type": operation["operation_type"],
        "state": operation["state"],
        "parameters": operation["parameters"],
        "summary": summary,
        "created_at": operation["created_at"],
        "updated_at": operation["updated_at"],
        "started_at": operation["started_at"],
        "completed_at": operation["completed_at"],
        "failed_at": operation["failed_at"],
    }
    return json_response(200, {"data": {"id": operation_id, "type": "operation", "attributes": attributes}})
