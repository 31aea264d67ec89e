"""Tag Manager tags (`/api/tag/v1/{app_id}/tags...`) and the container every new app gets.

Creating an app creates its container: an "All page views" trigger, the "Piwik PRO" tag (template
`piwik`, consent type `analytics`) firing on it, a published version 1.0 holding that tag, and a draft.
Any tag change marks the tag unpublished and the draft `has_changes`; publishing is in tag_versions.py.

Request checks follow the spec's create/edit schemas (required fields, enums, ranges, no unknown
attributes); `template_options` are checked key by key only for the `piwik` template (the emulator does
not model the other 40-odd templates' options beyond "must be an object").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import kinds, spec
from .errors import ApiError, Family, id_mismatch, not_found, tm_error
from .jsonapi import is_uuid, new_id, read_document, timestamp
from .messages import Request, Response, json_response, no_content

# The templates and consent types are the spec's (spec.py): the list's ``filter[template]`` and its items'
# ``consent_type`` enumerations.
_TAGS_FILE = "api_tag_v1_{app_id}_tags.json"
TEMPLATES: list[str] = spec.parameter_enum(_TAGS_FILE, "get", "filter[template]")
CONSENT_TYPES: list[str] = spec.attributes(_TAGS_FILE, "get", "200")["properties"]["consent_type"]["enum"]
TAG_TYPES = ["sync", "async"]
CODE_TEMPLATES = {"custom_tag", "custom_content", "custom_popup", "abandoned"}
# Templates whose create schema does not require template_options.
OPTIONAL_OPTIONS_TEMPLATES = {
    "custom_tag",
    "custom_popup",
    "video_html5",
    "video_youtube",
    "heatmaps",
    "abandoned",
}
# Templates whose published create and edit variants have no template_options property at all
# (additionalProperties: false), so sending one, even empty, is refused: "Custom tag (asynchronous)", "Custom
# popup", "Heatmaps tag".
NO_OPTIONS_TEMPLATES = {"custom_tag", "custom_popup", "heatmaps"}
PIWIK_TEMPLATES = {
    "piwik",
    "piwik_custom_dimension",
    "piwik_event",
    "piwik_goal_conversion",
    "piwik_virtual_page_view",
}
PRIORITY_MAX = 4294967295
SORT_FIELDS = ("name", "is_active", "tag_type", "priority", "created_at", "updated_at")
LIST_ATTRIBUTES = (
    "is_active",
    "is_published",
    "priority",
    "tag_type",
    "name",
    "consent_type",
    "template",
    "created_at",
    "updated_at",
)
# The `default`s the spec gives for template_options, per template (the tags create/edit request schemas:
# only the "Piwik PRO tag" variant has any; tests/emulator/test_contract.py compares this table with the file).
TEMPLATE_OPTION_DEFAULTS: dict[str, dict[str, Any]] = {
    "piwik": {"link_tracking": True, "js_error_tracking": True, "track_page_view": True},
}
# What a `piwik` tag shows when unset: the spec's defaults, and no custom dimension (an emulator choice).
PIWIK_OPTION_DEFAULTS: dict[str, Any] = {**TEMPLATE_OPTION_DEFAULTS["piwik"], "piwik_custom_dimensions": []}
PIWIK_OPTION_TYPES: dict[str, type | tuple[type, ...]] = {
    "link_tracking": bool,
    "content_tracking": str,
    "cross_domain_tracking": bool,
    "heart_beat_timer": dict,
    "user_id": str,
    "cookie_domain": str,
    "disable_cookies": bool,
    "secure_cookie": bool,
    "visitor_cookie_timeout": int,
    "referral_cookie_timeout": int,
    "session_cookie_timeout": int,
    "js_error_tracking": bool,
    "track_page_view": bool,
    "piwik_custom_variables": list,
    "piwik_custom_dimensions": list,
}
# Options whose schema is "a string of minLength 1 or a variable reference": an empty string is refused.
PIWIK_NON_EMPTY_OPTIONS = ("user_id", "cookie_domain")
PIWIK_READ_ONLY_OPTIONS = ("tracker_domains", "tracker_php_url", "tracker_js_url", "tracker_site_id")
# Writable tag attributes (create); `template` and `tag_type` are create-only.
_ATTRIBUTE_TYPES: dict[str, type | tuple[type, ...]] = {
    "name": str,
    "template": str,
    "consent_type": str,
    "is_active": bool,
    "priority": int,
    "tag_type": str,
    "respect_visitors_privacy": bool,
    "disable_in_debug_mode": bool,
    "document_write": bool,
    "code": str,
    "scheduler": dict,
    "template_options": dict,
}
CREATE_ONLY = ("template", "tag_type")
API_USER = {"id": "5b2e1b1a-6d0f-4c55-9c52-0e0d1f0a9e11", "email": "api@piwik.pro"}

TYPE_NAMES = {bool: "boolean", int: "integer", str: "string", dict: "object", list: "array"}


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    return "array" if isinstance(value, list) else "unknown"


def invalid(detail: str, pointer: str, keyword: str, **args: Any) -> ApiError:
    return tm_error(400, "INVALID_JSON_ERROR", detail, pointer=pointer, meta={"keyword": keyword, "keyword_args": args})


def _check_type(value: Any, expected: type | tuple[type, ...], pointer: str) -> None:
    types = expected if isinstance(expected, tuple) else (expected,)
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if not ok:
        want = TYPE_NAMES.get(types[0], "value")
        used = _json_type(value)
        raise invalid(
            f"The attribute expected to be of type {want} but {used} given.",
            pointer,
            "type",
            expected=want,
            used=used,
        )


def require_app(req: Request) -> str:
    app_id = req.params["app_id"]
    if not is_uuid(app_id):
        raise tm_error(
            400,
            "INVALID_URI_PARAMETER_ERROR",
            "Application identifier should be of type UUID",
            parameter="app_id",
        )
    if req.tx.get(kinds.APP, app_id) is None:
        raise not_found(Family.TAG_MANAGER, "application", app_id, "app_id")
    return app_id


def require_owned(req: Request, app_id: str, kind: str, noun: str) -> dict[str, Any]:
    """The app's Tag Manager object named by the path parameter ``<noun>_id``: 400 if it is not a UUID, 404 if
    it does not exist or belongs to another app."""
    parameter = f"{noun}_id"
    object_id = req.params[parameter]
    if not is_uuid(object_id):
        raise tm_error(
            400,
            "INVALID_URI_PARAMETER_ERROR",
            f"{noun.capitalize()} identifier should be of type UUID",
            parameter=parameter,
        )
    found = req.tx.get(kind, object_id)
    if found is None or found["app_id"] != app_id:
        raise not_found(Family.TAG_MANAGER, noun, object_id, parameter)
    return found


def _require_tag(req: Request, app_id: str) -> dict[str, Any]:
    tag = require_owned(req, app_id, kinds.TAG, "tag")
    if tag.get("visible_from", 0) > req.now:
        raise not_found(Family.TAG_MANAGER, "tag", tag["id"], "tag_id")
    return tag


def visible_tags(req: Request, app_id: str) -> list[dict[str, Any]]:
    """The app's tags, less the Piwik PRO tag of a new app while the `tag_delay` variant hides it."""
    return [t for t in req.tx.list(kinds.TAG, parent=app_id) if t.get("visible_from", 0) <= req.now]


# ---------------------------------------------------------------- container bootstrap and draft state


def _tracker_options(req: Request, app_id: str) -> dict[str, Any]:
    host = req.config.account_host
    return {
        "tracker_domains": [],
        "tracker_php_url": f"https://{host}/ppms.php",
        "tracker_js_url": f"https://{host}/ppms.js",
        "tracker_site_id": app_id,
    }


def create_container(req: Request, app_id: str) -> None:
    """The Tag Manager objects a new app starts with (help.piwik.pro: first snapshot is published)."""
    now = timestamp(req.now)
    trigger_id = new_id()
    req.tx.put(
        kinds.TRIGGER,
        trigger_id,
        {
            "id": trigger_id,
            "app_id": app_id,
            "name": "All page views",
            "trigger_type": "page_view",
            "conditions": [],
            "is_published": True,  # in the first snapshot, published
            "created_at": now,
            "updated_at": now,
        },
        parent=app_id,
    )
    tag = _new_tag(
        req,
        app_id,
        {"name": "Piwik PRO", "template": "piwik", "template_options": {}},
        [trigger_id],
    )
    tag["is_published"] = True
    if req.config.switches.tag_delay > 0:
        # Variant `tag_delay`: the container of a new app gets its Piwik PRO tag only after a while.
        tag["visible_from"] = req.now + req.config.switches.tag_delay
    req.tx.put(kinds.TAG, tag["id"], tag, parent=app_id)
    published_id, draft_id = new_id(), new_id()
    req.tx.put(
        kinds.VERSION,
        published_id,
        {
            "id": published_id,
            "app_id": app_id,
            "version_type": "published",
            "version_major": 1,
            "version_minor": 0,
            "has_changes": False,
            "created_at": now,
            "updated_at": now,
            "published_at": now,
            "parent_id": None,
            "author": API_USER,
            "publisher": API_USER,
            "tags": [tag["id"]],
        },
        parent=app_id,
    )
    req.tx.put(
        kinds.VERSION,
        draft_id,
        {
            "id": draft_id,
            "app_id": app_id,
            "version_type": "draft",
            "version_major": 2,
            "version_minor": 0,
            "has_changes": False,
            "created_at": now,
            "updated_at": now,
            "published_at": None,
            "parent_id": published_id,
            "author": API_USER,
            "publisher": None,
            "tags": [],
        },
        parent=app_id,
    )


def versions_of(req: Request, app_id: str, version_type: str) -> list[dict[str, Any]]:
    return [v for v in req.tx.list(kinds.VERSION, parent=app_id) if v["version_type"] == version_type]


def mark_draft_changed(req: Request, app_id: str) -> None:
    for draft in versions_of(req, app_id, "draft"):
        draft["has_changes"] = True
        draft["updated_at"] = timestamp(req.now)
        req.tx.put(kinds.VERSION, draft["id"], draft, parent=app_id)


# ---------------------------------------------------------------- tag documents


def _new_tag(req: Request, app_id: str, attributes: dict[str, Any], triggers: list[str]) -> dict[str, Any]:
    template = attributes["template"]
    now = timestamp(req.now)
    stored: dict[str, Any] = {
        "name": attributes["name"],
        "template": template,
        "consent_type": attributes.get(
            "consent_type", "analytics" if template in PIWIK_TEMPLATES else "not_require_consent"
        ),
        "is_active": attributes.get("is_active", True),
        "priority": attributes.get("priority", 0),
        "tag_type": attributes.get("tag_type", "async"),
        "respect_visitors_privacy": attributes.get("respect_visitors_privacy", True),
        "disable_in_debug_mode": attributes.get("disable_in_debug_mode", False),
        "document_write": attributes.get("document_write", False),
        "scheduler": attributes.get("scheduler", {"date_ranges": [], "times_of_day": []}),
        "template_options": attributes.get("template_options", {}),
    }
    if "code" in attributes:
        stored["code"] = attributes["code"]
    tag_id = new_id()
    return {
        "id": tag_id,
        "app_id": app_id,
        "attributes": stored,
        "triggers": triggers,
        "is_published": False,
        "created_at": now,
        "updated_at": now,
    }


def tag_attributes(req: Request, tag: dict[str, Any]) -> dict[str, Any]:
    stored = tag["attributes"]
    options = {**TEMPLATE_OPTION_DEFAULTS.get(stored["template"], {}), **stored["template_options"]}
    if stored["template"] == "piwik":
        options = {**PIWIK_OPTION_DEFAULTS, **options, **_tracker_options(req, tag["app_id"])}
    # The response schemas require a non-empty `code` for every template; template tags have none in
    # the request, so the emulator shows a marker comment (the real value is not documented).
    code = stored.get("code") or f"<!-- {stored['template']} tag: code generated by Tag Manager -->"
    return {
        "code": code,
        "disable_in_debug_mode": stored["disable_in_debug_mode"],
        "document_write": stored["document_write"],
        "is_active": stored["is_active"],
        "is_published": tag["is_published"],
        "priority": stored["priority"],
        "tag_type": stored["tag_type"],
        "name": stored["name"],
        "respect_visitors_privacy": stored["respect_visitors_privacy"],
        "scheduler": stored["scheduler"],
        "consent_type": stored["consent_type"],
        "template": stored["template"],
        "template_options": options,
        "created_at": tag["created_at"],
        "updated_at": tag["updated_at"],
    }


def tag_document(req: Request, tag: dict[str, Any]) -> dict[str, Any]:
    return {
        "data": {
            "id": tag["id"],
            "type": "tag",
            "attributes": tag_attributes(req, tag),
            "relationships": {"triggers": {"data": [{"id": t, "type": "trigger"} for t in tag["triggers"]]}},
        }
    }


# ---------------------------------------------------------------- request checks


def _check_scheduler(value: dict[str, Any], pointer: str) -> None:
    for key in ("date_ranges", "times_of_day"):
        if key not in value:
            raise invalid(f"The property {key} is required", pointer, "required", missing=key)
        _check_type(value[key], list, f"{pointer}/{key}")
    for key in value:
        if key not in ("date_ranges", "times_of_day"):
            raise invalid(
                f"The property {key} is not defined and the definition does not allow additional properties",
                pointer,
                "additionalProperties",
                property=key,
            )


def _check_piwik_options(options: dict[str, Any], pointer: str) -> None:
    for key, value in options.items():
        if key not in PIWIK_OPTION_TYPES:
            raise invalid(
                f"The property {key} is not defined and the definition does not allow additional properties",
                pointer,
                "additionalProperties",
                property=key,
            )
        _check_type(value, PIWIK_OPTION_TYPES[key], f"{pointer}/{key}")
        if key in PIWIK_NON_EMPTY_OPTIONS and value == "":
            raise invalid("The attribute length should be at least 1", f"{pointer}/{key}", "minLength")
    if options.get("content_tracking") not in (
        None,
        "trackAllContentImpressions",
        "trackVisibleContentImpressions",
    ):
        raise invalid("The attribute should match one of the enum values", f"{pointer}/content_tracking", "enum")
    for index, item in enumerate(options.get("piwik_custom_dimensions", [])):
        item_pointer = f"{pointer}/piwik_custom_dimensions/{index}"
        _check_type(item, dict, item_pointer)
        if set(item) != {"id", "value"}:
            raise invalid("The properties id and value are required (and only them)", item_pointer, "required")
        _check_type(item["id"], int, f"{item_pointer}/id")
        if not 1 <= item["id"] <= 400:
            raise invalid("The attribute should be between 1 and 400", f"{item_pointer}/id", "maximum")


def _check_attributes(attributes: Any, *, creating: bool, template: str) -> dict[str, Any]:
    pointer = "/data/attributes"
    _check_type(attributes, dict, pointer)
    for key, value in attributes.items():
        undefined = key not in _ATTRIBUTE_TYPES or (key == "template_options" and template in NO_OPTIONS_TEMPLATES)
        if undefined or (not creating and key in CREATE_ONLY):
            raise invalid(
                f"The property {key} is not defined and the definition does not allow additional properties",
                pointer,
                "additionalProperties",
                property=key,
            )
        _check_type(value, _ATTRIBUTE_TYPES[key], f"{pointer}/{key}")
    if creating:
        required = ["name", "template"]
        if template in CODE_TEMPLATES:
            required.append("code")
        if template == "custom_tag":
            required.append("consent_type")
        if template not in OPTIONAL_OPTIONS_TEMPLATES:
            required.append("template_options")
        for key in required:
            if key not in attributes:
                raise invalid(f"The property {key} is required", pointer, "required", missing=key)
        if attributes["template"] not in TEMPLATES:
            raise invalid(
                "The attribute should match one of the enum values",
                f"{pointer}/template",
                "enum",
                allowed=TEMPLATES,
            )
    if "name" in attributes and not 1 <= len(attributes["name"]) <= 255:
        raise invalid("The attribute length should be between 1 and 255", f"{pointer}/name", "maxLength")
    if "code" in attributes and not 1 <= len(attributes["code"]) <= 65536:
        raise invalid("The attribute length should be between 1 and 65536", f"{pointer}/code", "maxLength")
    if "consent_type" in attributes and attributes["consent_type"] not in CONSENT_TYPES:
        raise invalid(
            "The attribute should match one of the enum values",
            f"{pointer}/consent_type",
            "enum",
            allowed=CONSENT_TYPES,
        )
    if "tag_type" in attributes and attributes["tag_type"] not in TAG_TYPES:
        raise invalid(
            "The attribute should match one of the enum values",
            f"{pointer}/tag_type",
            "enum",
            allowed=TAG_TYPES,
        )
    if "priority" in attributes and not 0 <= attributes["priority"] <= PRIORITY_MAX:
        raise invalid(f"The attribute should be between 0 and {PRIORITY_MAX}", f"{pointer}/priority", "maximum")
    if "scheduler" in attributes:
        _check_scheduler(attributes["scheduler"], f"{pointer}/scheduler")
    if "template_options" in attributes and template == "piwik":
        _check_piwik_options(attributes["template_options"], f"{pointer}/template_options")
    return dict(attributes)


def _check_triggers(req: Request, app_id: str, data: dict[str, Any]) -> list[str] | None:
    relationships = data.get("relationships")
    if relationships is None:
        return None
    pointer = "/data/relationships"
    _check_type(relationships, dict, pointer)
    triggers = relationships.get("triggers")
    _check_type(triggers, dict, f"{pointer}/triggers")
    items = triggers.get("data")
    _check_type(items, list, f"{pointer}/triggers/data")
    ids: list[str] = []
    for index, item in enumerate(items):
        item_pointer = f"{pointer}/triggers/data/{index}"
        _check_type(item, dict, item_pointer)
        if item.get("type") != "trigger" or not is_uuid(item.get("id")):
            raise invalid('Trigger relationship needs a UUID id and type "trigger"', item_pointer, "required")
        trigger = req.tx.get(kinds.TRIGGER, item["id"])
        if trigger is None or trigger["app_id"] != app_id:
            raise tm_error(
                404,
                "NOT_FOUND_ERROR",
                f"There is no trigger with given identifier: {item['id']}",
                pointer=f"{item_pointer}/id",
            )
        ids.append(item["id"])
    return ids


def _read_tag_data(req: Request) -> dict[str, Any]:
    doc = read_document(req, Family.TAG_MANAGER)
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), dict):
        raise invalid("The property data is required", "", "required", missing="data")
    data: dict[str, Any] = doc["data"]
    if data.get("type") != "tag":
        raise invalid("The attribute should match one of the enum values", "/data/type", "enum", allowed=["tag"])
    if "attributes" not in data:
        raise invalid("The property attributes is required", "/data", "required", missing="attributes")
    return data


# ---------------------------------------------------------------- handlers


def _bool_param(raw: str, name: str) -> bool:
    if raw in ("true", "1"):
        return True
    if raw in ("false", "0"):
        return False
    raise tm_error(400, "INVALID_URI_PARAMETER_ERROR", f"{name} should be a boolean", parameter=name)


def int_param(req: Request, name: str, default: int, low: int) -> int:
    raw = req.query_one(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if value < low:
        raise tm_error(400, "INVALID_URI_PARAMETER_ERROR", f"{name} should be an integer >= {low}", parameter=name)
    return value


def sort_keys(req: Request, allowed: tuple[str, ...]) -> list[str]:
    """`sort` as a comma list (the spec's wording) or repeated parameters; `-` prefix = descending."""
    keys = [k.strip() for raw in req.query.get("sort", []) for k in raw.split(",") if k.strip()]
    for key in keys:
        if key.lstrip("-") not in allowed:
            raise tm_error(400, "INVALID_URI_PARAMETER_ERROR", f"Invalid sort field: {key}", parameter="sort")
    return keys


def apply_sort(
    items: list[dict[str, Any]], keys: list[str], value: Callable[[dict[str, Any], str], Any]
) -> list[dict[str, Any]]:
    for key in reversed(keys):  # stable sorts from the least significant key
        field = key.lstrip("-")

        def sort_key(item: dict[str, Any], f: str = field) -> Any:
            return value(item, f)

        items = sorted(items, key=sort_key, reverse=key.startswith("-"))
    return items


def page_links(path: str, offset: int, limit: int, total: int) -> dict[str, str | None]:
    def link(at: int) -> str:
        return f"{path}?page[offset]={at}&page[limit]={limit}"

    last = max(0, ((total - 1) // limit) * limit) if total else 0
    return {
        "self": link(offset),
        "first": link(0),
        "last": link(last),
        "prev": link(max(0, offset - limit)) if offset > 0 else None,
        "next": link(offset + limit) if offset + limit < total else None,
    }


def list_tags(req: Request) -> Response:
    app_id = require_app(req)
    limit = int_param(req, "page[limit]", 10, 1)
    offset = int_param(req, "page[offset]", 0, 0)
    tags = visible_tags(req, app_id)
    query = req.query
    templates = query.get("filter[template]", []) + query.get("filter[template][]", [])
    for template in templates:
        if template not in TEMPLATES:
            raise tm_error(
                400,
                "INVALID_URI_PARAMETER_ERROR",
                f"Invalid template: {template}",
                parameter="filter[template]",
            )
    if templates:
        tags = [t for t in tags if t["attributes"]["template"] in templates]
    name = req.query_one("filter[name]")
    if name:
        tags = [t for t in tags if name.casefold() in t["attributes"]["name"].casefold()]
    active = req.query_one("filter[is_active]")
    if active is not None:
        wanted = _bool_param(active, "filter[is_active]")
        tags = [t for t in tags if t["attributes"]["is_active"] is wanted]
    tag_type = req.query_one("filter[tag_type]")
    if tag_type is not None:
        tags = [t for t in tags if t["attributes"]["tag_type"] == tag_type]
    prioritized = req.query_one("filter[is_prioritized]")
    if prioritized is not None:
        wanted = _bool_param(prioritized, "filter[is_prioritized]")
        tags = [t for t in tags if (t["attributes"]["priority"] > 0) is wanted]

    def value(tag: dict[str, Any], key: str) -> Any:
        return tag[key] if key in ("created_at", "updated_at") else tag["attributes"][key]

    tags = apply_sort(tags, sort_keys(req, SORT_FIELDS), value)
    page = tags[offset : offset + limit]
    data = []
    for tag in page:
        full = tag_attributes(req, tag)
        data.append({"id": tag["id"], "type": "tag", "attributes": {k: full[k] for k in LIST_ATTRIBUTES}})
    links = page_links(f"/api/tag/v1/{app_id}/tags", offset, limit, len(tags))
    return json_response(200, {"data": data, "meta": {"total": len(tags)}, "links": links})


def create_tag(req: Request) -> Response:
    app_id = require_app(req)
    data = _read_tag_data(req)
    attributes = data["attributes"]
    template = attributes.get("template") if isinstance(attributes, dict) else None
    clean = _check_attributes(attributes, creating=True, template=str(template))
    triggers = _check_triggers(req, app_id, data) or []
    tag = _new_tag(req, app_id, clean, triggers)
    if "id" in data:  # the create schema allows a client-chosen UUID
        if not is_uuid(data["id"]):
            raise invalid("The attribute should be a UUID", "/data/id", "format")
        if req.tx.get(kinds.TAG, data["id"]) is not None:
            raise tm_error(
                400,
                "INVALID_JSON_ERROR",
                f"Tag with identifier {data['id']} already exists",
                pointer="/data/id",
            )
        tag["id"] = data["id"]
    req.tx.put(kinds.TAG, tag["id"], tag, parent=app_id)
    mark_draft_changed(req, app_id)
    return json_response(201, tag_document(req, tag))


def get_tag(req: Request) -> Response:
    app_id = require_app(req)
    return json_response(200, tag_document(req, _require_tag(req, app_id)))


def edit_tag(req: Request) -> Response:
    app_id = require_app(req)
    tag = _require_tag(req, app_id)
    data = _read_tag_data(req)
    if "id" not in data:
        raise invalid("The property id is required", "/data", "required", missing="id")
    if data["id"] != tag["id"]:
        raise id_mismatch(Family.TAG_MANAGER, str(data["id"]), tag["id"])
    clean = _check_attributes(data["attributes"], creating=False, template=tag["attributes"]["template"])
    triggers = _check_triggers(req, app_id, data)
    # template_options is replaced as a whole (the spec: "treat the template options as a cohesive object").
    tag["attributes"].update(clean)
    if triggers is not None:
        tag["triggers"] = triggers
    tag["is_published"] = False
    tag["updated_at"] = timestamp(req.now)
    req.tx.put(kinds.TAG, tag["id"], tag, parent=app_id)
    mark_draft_changed(req, app_id)
    return no_content()


def edit_tag_priorities(req: Request) -> Response:
    """Bulk priority change: `PATCH /tags`, data = [{"type":"tag","id":..,"attributes":{"priority":n}}]."""
    app_id = require_app(req)
    doc = read_document(req, Family.TAG_MANAGER)
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list) or not doc["data"]:
        raise invalid("The property data is required (a non-empty list)", "", "required", missing="data")
    changes: list[tuple[dict[str, Any], int]] = []
    for index, item in enumerate(doc["data"]):
        pointer = f"/data/{index}"
        _check_type(item, dict, pointer)
        if item.get("type") != "tag":
            raise invalid("The attribute should match one of the enum values", f"{pointer}/type", "enum")
        attributes = item.get("attributes")
        _check_type(attributes, dict, f"{pointer}/attributes")
        if set(attributes) != {"priority"}:
            raise invalid(
                "Only the priority attribute can be changed here",
                f"{pointer}/attributes",
                "additionalProperties",
            )
        _check_type(attributes["priority"], int, f"{pointer}/attributes/priority")
        tag = req.tx.get(kinds.TAG, str(item.get("id")))
        if tag is None or tag["app_id"] != app_id:
            raise tm_error(
                404,
                "NOT_FOUND_ERROR",
                f"There is no tag with given identifier: {item.get('id')}",
                pointer=f"{pointer}/id",
            )
        changes.append((tag, attributes["priority"]))
    for tag, priority in changes:
        tag["attributes"]["priority"] = priority
        tag["is_published"] = False
        tag["updated_at"] = timestamp(req.now)
        req.tx.put(kinds.TAG, tag["id"], tag, parent=app_id)
    mark_draft_changed(req, app_id)
    return no_content()


def delete_tag(req: Request) -> Response:
    app_id = require_app(req)
    tag = _require_tag(req, app_id)
    req.tx.delete(kinds.TAG, tag["id"])
    mark_draft_changed(req, app_id)
    return no_content()
