"""Tracker settings v2: the global settings, per-app overrides, and the app fields they share.

The settings, their types, limits and initial values are read from the vendored spec files (spec.py): the
emulator knows a setting because Piwik PRO publishes it, not because it is copied here.

Storage model (the single place where a setting lives):
- global values: one document; initial values are the "Initial global value" blocks of the spec's
  attribute descriptions;
- per app: a map of overrides only. GET of an app returns global values overlaid with its overrides;
  DELETE of one setting drops the override, so the global value shows again.
- the Apps API's camelCase fields that name a tracker setting (APP_FIELD_TO_SETTING) read and write
  these same overrides: setting `excludedIps` on an app *is* overriding `excluded_ips` for that app,
  and an app created without it inherits the global value. So the two APIs can never disagree.
- `urls` exists only per app (the global settings have none); DELETE of `urls` leaves it empty.
"""

from __future__ import annotations

from typing import Any

from . import audit_log, kinds, spec
from .errors import Family, form_errors, id_mismatch, not_found, platform_error
from .jsonapi import is_uuid, read_data, timestamp
from .messages import Request, Response, json_response, no_content
from .store import Tx

_APP_FILE = "api_tracker_v2_settings_app_{app_id}.json"
_GLOBAL_FILE = "api_tracker_v2_settings_app_global.json"

# Every table below is read from the vendored spec (spec.py): a setting Piwik PRO publishes is stored, validated
# and returned without a line here. SCHEMAS: the attributes a per-app PATCH takes (``urls`` included), by name.
SCHEMAS: dict[str, spec.Schema] = {
    name: schema
    for name, schema in spec.attributes(_APP_FILE, "patch", "request")["properties"].items()
    if name != "updated_at"  # read-only
}
# "Initial global value" of each setting, as written in the spec's attribute descriptions (the spec gives
# [pk_medium, utm_medium] for campaign keywords too, an upstream copy error?, kept as written).
GLOBAL_INITIAL: dict[str, Any] = {
    name: value
    for name, schema in spec.attributes(_GLOBAL_FILE, "get", "200")["properties"].items()
    if (value := spec.initial_global_value(schema)) is not None
}
GLOBAL_SETTINGS = tuple(n for n in spec.attributes(_GLOBAL_FILE, "patch", "request")["properties"] if n in SCHEMAS)
APP_SETTINGS = tuple(SCHEMAS)

# The platform's own wording of a refused enumeration value (recorded answers); another enum gets the generic one.
_ENUM_NOUNS = {
    "anonymize_visitor_ip_level": "anonymization level",
    "anonymize_visitor_geolocation_level": "geolocation level",
    "session_limit_exceeded_action": "session limit exceeded action",
}
_TYPES: dict[str, tuple[type, ...]] = {"integer": (int,), "string": (str,), "boolean": (bool,), "array": (list,)}

# Apps API camelCase field -> tracker setting: the same setting, stored once (as an app override).
APP_FIELD_TO_SETTING: dict[str, str] = {
    "excludeUnknownUrls": "exclude_unknown_urls",
    "urls": "urls",
    "excludedIps": "excluded_ips",
    "excludedUserAgents": "excluded_user_agents",
    "excludedUrlParams": "url_query_parameter_to_exclude_from_url",
    "keepUrlFragment": "keep_url_fragment",
    "siteSearchQueryParams": "site_search_query_params",
    "siteSearchCategoryParams": "site_search_category_params",
}

TYPE_GLOBAL = "tracker/settings/app/global"
TYPE_APP = "tracker/settings/app"


def _wrong_type(kind: str, value: Any) -> bool:
    """Whether ``value`` is not of the JSON type ``kind`` (a bool is no integer here, as in JSON)."""
    return not isinstance(value, _TYPES.get(kind, (object,))) or (kind == "integer" and isinstance(value, bool))


def _check_enum(name: str, schema: spec.Schema, value: Any) -> str | None:
    if value in schema["enum"] and not _wrong_type(schema.get("type", ""), value):
        return None
    noun = _ENUM_NOUNS.get(name, "value")
    return f"Invalid {noun} '{value}', available are: [{', '.join(str(v) for v in schema['enum'])}]"


def _check_list(name: str, value: Any) -> str | None:
    if not isinstance(value, list):
        return "This value should be of type array."
    if not all(isinstance(item, str) for item in value):
        return "This value should be of type string."
    if name == "urls" and not all(item.strip() for item in value):
        return "This value should not be blank."
    return None


def check_value(name: str, value: Any) -> str | None:
    """The error detail for an invalid value of a tracker setting (its schema in the spec), or None."""
    schema = SCHEMAS.get(name)
    if schema is None:
        return "This form should not contain extra fields."
    kind = schema.get("type", "")
    if "enum" in schema:
        return _check_enum(name, schema, value)
    if kind == "array":
        return _check_list(name, value)
    if _wrong_type(kind, value):
        return f"This value should be of type {'bool' if kind == 'boolean' else 'int' if kind == 'integer' else kind}."
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None and not low <= value <= high:
        return f"This value should be between {low} and {high}."
    return None


def global_values(tx: Tx) -> tuple[dict[str, Any], str | None]:
    doc = tx.get(kinds.TRACKER_GLOBAL, "global")
    if doc is None:
        return dict(GLOBAL_INITIAL), None
    return {**GLOBAL_INITIAL, **doc["values"]}, doc.get("updated_at")


def overrides(tx: Tx, app_id: str) -> dict[str, Any]:
    doc = tx.get(kinds.TRACKER_APP, app_id)
    return dict(doc["overrides"]) if doc else {}


def effective(tx: Tx, app_id: str) -> dict[str, Any]:
    """The app's settings as the tracker applies them: global values overlaid with its overrides."""
    values, _ = global_values(tx)
    values["urls"] = []
    values.update(overrides(tx, app_id))
    return values


def set_overrides(tx: Tx, app_id: str, changes: dict[str, Any], now: float) -> None:
    current = overrides(tx, app_id)
    current.update(changes)
    tx.put(kinds.TRACKER_APP, app_id, {"overrides": current, "updated_at": timestamp(now)}, parent=app_id)


def _validated(attributes: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    errors: list[tuple[str, str]] = []
    clean: dict[str, Any] = {}
    for name, value in attributes.items():
        if name == "updated_at":  # read-only; ignored like the platform ignores read-only fields
            continue
        detail = check_value(name, value) if name in allowed else "This form should not contain extra fields."
        if detail is not None:
            errors.append((name, detail))
        else:
            clean[name] = value
    if errors:
        raise form_errors([(name, "error.default", detail) for name, detail in errors])
    return clean


def _require_app(req: Request, app_id: str) -> None:
    if not is_uuid(app_id):
        raise platform_error(400, f'"{app_id}" is not valid UUID.')
    if req.tx.get(kinds.APP, app_id) is None:
        # Not documented by the spec (it lists 200/400/401/403 only); 404 as the other platform APIs.
        raise not_found(Family.PLATFORM, "app", app_id, "app_id")


def _app_body(tx: Tx, app_id: str) -> dict[str, Any]:
    values = effective(tx, app_id)
    doc = tx.get(kinds.TRACKER_APP, app_id)
    _, global_updated = global_values(tx)
    app = tx.get(kinds.APP, app_id) or {}
    stamps = [s for s in ((doc or {}).get("updated_at"), global_updated, app.get("addedAt")) if s]
    values["updated_at"] = max(stamps) if stamps else timestamp(0)
    return {"data": {"type": TYPE_APP, "id": app_id, "attributes": values}}


def get_global(req: Request) -> Response:
    values, updated = global_values(req.tx)
    if updated is None:  # first read of a fresh account: its settings date from now
        updated = timestamp(req.now)
        req.tx.put(kinds.TRACKER_GLOBAL, "global", {"values": {}, "updated_at": updated})
    values["updated_at"] = updated
    return json_response(200, {"data": {"type": TYPE_GLOBAL, "id": "global", "attributes": values}})


def patch_global(req: Request) -> Response:
    data = read_data(req, Family.PLATFORM, TYPE_GLOBAL)
    if data.get("id") != "global":
        raise id_mismatch(Family.PLATFORM, str(data.get("id")), "global")
    if not isinstance(data.get("attributes"), dict):
        raise platform_error(
            400,
            "Invalid form",
            code="error.not-blank",
            detail="This value should not be blank.",
            pointer="/data/attributes",
        )
    clean = _validated(data["attributes"], GLOBAL_SETTINGS)
    doc = req.tx.get(kinds.TRACKER_GLOBAL, "global") or {"values": {}}
    before, _ = global_values(req.tx)
    doc["values"].update(clean)
    doc["updated_at"] = timestamp(req.now)
    req.tx.put(kinds.TRACKER_GLOBAL, "global", doc)
    after, _ = global_values(req.tx)
    audit_log.record_changes(req, "global_tracker_settings.changed", audit_log.organization_id(req), before, after, str)
    return no_content()


def get_app(req: Request) -> Response:
    app_id = req.params["app_id"]
    _require_app(req, app_id)
    return json_response(200, _app_body(req.tx, app_id))


def patch_app(req: Request) -> Response:
    app_id = req.params["app_id"]
    _require_app(req, app_id)
    data = read_data(req, Family.PLATFORM, TYPE_APP)
    if data.get("id") in (None, ""):
        raise platform_error(
            400,
            "Invalid form",
            code="error.not-blank",
            detail="This value should not be blank.",
            pointer="/data/id",
        )
    if data["id"] != app_id:
        raise id_mismatch(Family.PLATFORM, str(data["id"]), app_id)
    clean = _validated(data.get("attributes") or {}, APP_SETTINGS)
    before = effective(req.tx, app_id)
    set_overrides(req.tx, app_id, clean, req.now)
    audit_log.record_changes(req, "app.changed", app_id, before, effective(req.tx, app_id), str)
    return no_content()


def delete_app_setting(req: Request) -> Response:
    app_id, setting = req.params["app_id"], req.params["setting"]
    _require_app(req, app_id)
    if setting not in APP_SETTINGS:
        raise platform_error(400, f'"{setting}" is not a valid tracker setting.', pointer="/setting")
    before = effective(req.tx, app_id)
    current = overrides(req.tx, app_id)
    current.pop(setting, None)
    if setting == "urls":
        current["urls"] = []
    req.tx.put(kinds.TRACKER_APP, app_id, {"overrides": current, "updated_at": timestamp(req.now)}, parent=app_id)
    audit_log.record_changes(req, "app.changed", app_id, before, effective(req.tx, app_id), str)
    return no_content()


def get_app_by_url(req: Request) -> Response:
    """First app (in creation order) whose `urls` contain `app_url` (exact match; the spec does not say)."""
    url = req.query_one("app_url")
    if not url:
        raise platform_error(400, "Invalid query", detail="This value should not be blank.", parameter="app_url")
    for app in req.tx.list(kinds.APP):
        if url in effective(req.tx, app["id"])["urls"]:
            return json_response(200, _app_body(req.tx, app["id"]))
    raise platform_error(404, f'App with url: "{url}" does not exist', code="error.resource-not-found")
