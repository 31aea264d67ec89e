"""Tag Manager triggers and variables — **not in the published OpenAPI files** (docs/emulator.md, "Triggers and
variables").

The published files give a tag's trigger ids only (``relationships.triggers`` of a tag). Piwik PRO's archived API
reference (the PPMS-PublicDocs repository, ``tag_manager/authorized_api/src/triggers.yaml`` and ``variables.yaml``)
publishes the paths and shapes served here, a subset: a trigger's ``name``, ``trigger_type`` (the archived enum),
``is_published`` and ``conditions`` (``condition_id``, ``variable_id``, ``condition_type`` of the archived enum,
``value``, ``options``); a variable's ``name`` and ``variable_type``. Emulator choices, none published: every new
container gets the built-in variables of BUILT_IN_VARIABLES (named as Piwik PRO's help names the trigger
conditions), of ``variable_type`` ``built_in``; lists are not paginated.
"""

from __future__ import annotations

from typing import Any

from . import kinds
from .errors import Family
from .jsonapi import is_uuid, new_id, read_document, timestamp
from .messages import Request, Response, json_response
from .tag_manager import invalid, mark_draft_changed, require_app, require_owned, visible_tags

TRIGGER_TYPES = (
    "page_view",
    "page_load",
    "dom_ready",
    "leave_content",
    "page_scroll",
    "time_on_website",
    "event",
    "history",
    "form_submission",
    "click",
)
CONDITION_TYPES = (
    "contains",
    "does_not_contain",
    "starts_with",
    "ends_with",
    "equals",
    "does_not_equal",
    "regexp",
    "does_not_start_with",
    "does_not_end_with",
    "does_not_regexp",
    "is_true",
    "is_false",
    "is_set",
    "is_not_set",
    "is_empty",
    "is_not_empty",
    "matches",
    "does_not_match",
    "is_a_child_of",
    "is_not_a_child_of",
    "is_first_visit",
    "is_not_first_visit",
    "each_time",
    "once_per_page_view",
    "once_per_session",
    "visitor_belongs_to",
    "visitor_not_belongs_to",
    "abandoned",
)
BUILT_IN_VARIABLES = (
    "Page URL",
    "Page path",
    "Page hostname",
    "Referrer",
    "External referrer",
    "Campaign",
    "Traffic source",
    "Returning visitor",
)


def create_variables(req: Request, app_id: str) -> None:
    """The built-in variables a new container gets (an emulator choice: see the module docstring)."""
    now = timestamp(req.now)
    for name in BUILT_IN_VARIABLES:
        variable_id = new_id()
        document = {"id": variable_id, "app_id": app_id, "name": name, "variable_type": "built_in", "created_at": now}
        req.tx.put(kinds.VARIABLE, variable_id, document, parent=app_id)


def tags_by_trigger(req: Request, app_id: str) -> dict[str, list[str]]:
    """trigger id -> the ids of the app's tags it fires (one pass over the visible tags, for a whole listing)."""
    found: dict[str, list[str]] = {}
    for tag in visible_tags(req, app_id):
        for trigger_id in tag["triggers"]:
            found.setdefault(trigger_id, []).append(tag["id"])
    return found


def _trigger_document(trigger: dict[str, Any], tags: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "id": trigger["id"],
        "type": "trigger",
        "attributes": {
            "name": trigger["name"],
            "trigger_type": trigger["trigger_type"],
            "is_published": trigger["is_published"],
            "created_at": trigger["created_at"],
            "updated_at": trigger["updated_at"],
            "conditions": trigger["conditions"],
        },
        "relationships": {"tags": {"data": [{"id": t, "type": "tag"} for t in tags.get(trigger["id"], [])]}},
    }


def _variable_document(variable: dict[str, Any]) -> dict[str, Any]:
    attributes = {"name": variable["name"], "variable_type": variable["variable_type"], "is_published": True}
    return {"id": variable["id"], "type": "variable", "attributes": attributes}


def get_trigger(req: Request) -> Response:
    app_id = require_app(req)
    trigger = require_owned(req, app_id, kinds.TRIGGER, "trigger")
    return json_response(200, {"data": _trigger_document(trigger, tags_by_trigger(req, app_id))})


def list_triggers(req: Request) -> Response:
    app_id = require_app(req)
    tags = tags_by_trigger(req, app_id)
    found = [_trigger_document(t, tags) for t in req.tx.list(kinds.TRIGGER, parent=app_id)]
    return json_response(200, {"data": found, "meta": {"total": len(found)}})


def _conditions(req: Request, app_id: str, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise invalid("The attribute expected to be of type array", "/data/attributes/conditions", "type")
    out: list[dict[str, Any]] = []
    for index, condition in enumerate(value):
        pointer = f"/data/attributes/conditions/{index}"
        if not isinstance(condition, dict) or condition.get("condition_type") not in CONDITION_TYPES:
            raise invalid(f"condition_type must be one of: {', '.join(CONDITION_TYPES)}", pointer, "enum")
        variable = condition.get("variable_id")
        found = req.tx.get(kinds.VARIABLE, str(variable)) if is_uuid(variable) else None
        if found is None or found["app_id"] != app_id:
            raise invalid(f"There is no variable with given identifier: {variable}", pointer, "required")
        out.append(
            {
                "condition_id": condition.get("condition_id") or new_id(),
                "variable_id": variable,
                "condition_type": condition["condition_type"],
                "value": condition.get("value"),
                "options": condition.get("options") or {},
            }
        )
    return out


def create_trigger(req: Request) -> Response:
    app_id = require_app(req)
    document = read_document(req, Family.TAG_MANAGER)
    data = document.get("data") if isinstance(document, dict) else None
    attributes = data.get("attributes") if isinstance(data, dict) else None
    if not isinstance(attributes, dict) or not isinstance(attributes.get("name"), str) or not attributes["name"]:
        raise invalid("The property name is required", "/data/attributes", "required", missing="name")
    if attributes.get("trigger_type") not in TRIGGER_TYPES:
        raise invalid(f"trigger_type must be one of: {', '.join(TRIGGER_TYPES)}", "/data/attributes", "enum")
    trigger_id = new_id()
    trigger = {
        "id": trigger_id,
        "app_id": app_id,
        "name": attributes["name"],
        "trigger_type": attributes["trigger_type"],
        "conditions": _conditions(req, app_id, attributes.get("conditions", [])),
        "is_published": False,
        "created_at": timestamp(req.now),
        "updated_at": timestamp(req.now),
    }
    req.tx.put(kinds.TRIGGER, trigger_id, trigger, parent=app_id)
    mark_draft_changed(req, app_id)
    return json_response(201, {"data": _trigger_document(trigger, {})})  # a new trigger fires no tag yet


def get_variable(req: Request) -> Response:
    app_id = require_app(req)
    return json_response(200, {"data": _variable_document(require_owned(req, app_id, kinds.VARIABLE, "variable"))})


def list_variables(req: Request) -> Response:
    app_id = require_app(req)
    found = [_variable_document(v) for v in req.tx.list(kinds.VARIABLE, parent=app_id)]
    return json_response(200, {"data": found, "meta": {"total": len(found)}})
