"""Apps API v2 (`/api/apps/v2`, resource type `ppms/app`): list, create, get, partial edit, delete.

Defaults are the spec's `default` values (checked against the spec files by the emulator tests).
Fields that name a tracker setting (tracker_settings.APP_FIELD_TO_SETTING) are not stored on the app:
they are the app's tracker-setting overrides, so an app created without `excludedUrlParams` shows the
global `url_query_parameter_to_exclude_from_url` list (the spec default `[]` is the *override* default;
a recorded real response shows the global list, which is what the emulator returns).
"""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from . import audit_log, kinds, spec, tag_manager, tag_triggers, tracker_settings
from .errors import ApiError, Family, form_errors, id_mismatch, not_found, platform_error
from .jsonapi import is_uuid, new_id, platform_int_param, read_data, timestamp
from .messages import Request, Response, json_response, no_content
from .store import Tx

RESOURCE_TYPE = "ppms/app"
# The attributes, their types, enumerations, limits and defaults are the spec's (spec.py): the create's request
# body and the GET's response, whose property order is the answer's attribute order.
_CREATE = spec.attributes("api_apps_v2.json", "post", "request")["properties"]
_READ = spec.attributes("api_apps_v2_{app_id}.json", "get", "200")["properties"]
APP_TYPES: list[str] = _CREATE["appType"]["enum"]
ANONYMIZATION_MODES: list[str] = _CREATE["gdprDataAnonymizationMode"]["enum"]
NAME_MAX: int = _CREATE["name"]["maxLength"]
_EXAMPLES = ("timezone", "currency")  # no default in the spec: its examples (UTC, USD) are the emulator's

# Editable attributes stored on the app, with the spec's defaults (the shared tracker settings aside).
APP_DEFAULTS: dict[str, Any] = {
    name: schema["default"] if name not in _EXAMPLES else schema["example"]
    for name, schema in _CREATE.items()
    if ("default" in schema or name in _EXAMPLES)
    and name not in ("appType", "id", *tracker_settings.APP_FIELD_TO_SETTING)
}
# Spec defaults of the shared fields, i.e. what an app override would default to (kept for the
# spec-default test and docs; the emulator shows the inherited global value instead).
SHARED_SPEC_DEFAULTS: dict[str, Any] = {
    name: _CREATE[name]["default"] for name in tracker_settings.APP_FIELD_TO_SETTING if "default" in _CREATE[name]
}
# Response attribute order = the spec's property order.
ATTRIBUTE_ORDER = tuple(_READ)
READ_ONLY = tuple(name for name in _READ if name not in _CREATE and name != "appType")
SORTS = ("name", "addedAt", "updatedAt")
_BOOL_FIELDS = {k for k, v in _CREATE.items() if v.get("type") == "boolean"}
_INT_FIELDS = {k for k, v in _CREATE.items() if v.get("type") == "integer"}
_LIST_FIELDS = {k for k, v in _CREATE.items() if v.get("type") == "array"}
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_TIMEZONES = zoneinfo.available_timezones() | {"UTC"}

NOT_BLANK = "This value should not be blank."


def _check(name: str, value: Any) -> tuple[str, str] | None:
    """(code, detail) for an invalid editable attribute value, or None."""
    if name == "name":
        if not isinstance(value, str) or not value.strip():
            return ("error.not-blank", NOT_BLANK)
        if len(value) > NAME_MAX:
            return ("error.default", f"This value is too long. It should have {NAME_MAX} characters or less.")
        return None
    if name in tracker_settings.APP_FIELD_TO_SETTING:
        setting = tracker_settings.APP_FIELD_TO_SETTING[name]
        if name == "urls" and value == []:
            return ("error.not-blank", NOT_BLANK)
        detail = tracker_settings.check_value(setting, value)
        return None if detail is None else ("error.default", detail)
    if name in _BOOL_FIELDS:
        return None if isinstance(value, bool) else ("error.default", "This value is not valid.")
    if name in _INT_FIELDS:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else ("error.default", "This value is not valid.")
    if name in _LIST_FIELDS:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else ("error.default", "This value is not valid.")
    if name == "gdprDataAnonymizationMode":
        ok = value in ANONYMIZATION_MODES
        return None if ok else ("error.default", "The value you selected is not a valid choice.")
    if name == "timezone":
        ok = isinstance(value, str) and value in _TIMEZONES
        return None if ok else ("error.default", "This value is not a valid timezone.")
    if name == "currency":
        ok = isinstance(value, str) and bool(_CURRENCY.match(value))
        return None if ok else ("error.default", "This value is not a valid currency.")
    return ("error.default", "This form should not contain extra fields.")


def _form_errors(errors: list[tuple[str, str, str]]) -> ApiError:
    # Pointers are "/<attribute>" as in the spec's apps examples ("/name", "/appType").
    return form_errors(errors, pointer_prefix="/")


def _validate(attributes: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    errors: list[tuple[str, str, str]] = []
    clean: dict[str, Any] = {}
    for name, value in attributes.items():
        if name in READ_ONLY or name in ("id", "appType"):
            continue  # handled by the caller (create) or read-only (edit): ignored
        problem = _check(name, value)
        if problem is not None:
            errors.append((name, *problem))
        else:
            clean[name] = value
    if creating:
        for name in ("name", "urls"):
            if name not in attributes:
                errors.append((name, "error.not-blank", NOT_BLANK))
    if errors:
        raise _form_errors(errors)
    return clean


def app_attributes(tx: Tx, app: dict[str, Any]) -> dict[str, Any]:
    settings = tracker_settings.effective(tx, app["id"])
    values: dict[str, Any] = {
        "organization": app["organization"],
        "appType": app["appType"],
        "addedAt": app["addedAt"],
        "updatedAt": app["updatedAt"],
        "name": app["name"],
        **{**APP_DEFAULTS, **app["attrs"]},
    }
    for field, setting in tracker_settings.APP_FIELD_TO_SETTING.items():
        values[field] = settings[setting]
    return {k: values[k] for k in ATTRIBUTE_ORDER}


def _app_document(tx: Tx, app: dict[str, Any]) -> dict[str, Any]:
    return {"data": {"type": RESOURCE_TYPE, "id": app["id"], "attributes": app_attributes(tx, app)}}


def get_existing(tx: Tx, app_id: str) -> dict[str, Any]:
    app = tx.get(kinds.APP, app_id)
    if app is None:
        raise not_found(Family.PLATFORM, "app", app_id, "app_id")
    return app


def list_apps(req: Request) -> Response:
    offset = platform_int_param(req, "offset", 0, 0, None)
    limit = platform_int_param(req, "limit", 10, 0, 1000)
    sort = req.query_one("sort") or "-addedAt"
    if sort.lstrip("-") not in SORTS:
        raise platform_error(
            400, "Invalid query", detail="The value you selected is not a valid choice.", parameter="sort"
        )
    search = (req.query_one("search") or req.query_one("search_query") or "").casefold()
    apps = req.tx.list(kinds.APP)
    if search:
        apps = [a for a in apps if search in a["name"].casefold() or search in a["id"]]
    field = sort.lstrip("-")

    def key(app: dict[str, Any]) -> tuple[Any, int]:
        value = app[field].casefold() if field == "name" else app[field]
        return (value, app["seq"])

    apps.sort(key=key, reverse=sort.startswith("-"))
    page = apps[offset : offset + limit]
    data = [
        {
            "type": RESOURCE_TYPE,
            "id": a["id"],
            "attributes": {"name": a["name"], "addedAt": a["addedAt"], "updatedAt": a["updatedAt"]},
        }
        for a in page
    ]
    return json_response(200, {"meta": {"total": len(apps)}, "data": data})


def create_app(req: Request) -> Response:
    data = read_data(req, Family.PLATFORM, RESOURCE_TYPE)
    attributes: dict[str, Any] = data.get("attributes") or {}
    clean = _validate(attributes, creating=True)
    app_type = attributes.get("appType", "web")
    if app_type not in APP_TYPES:
        raise _form_errors(
            [
                (
                    "appType",
                    "error.default",
                    f'AppType "{app_type}" is not supported (supported are sharepoint, web)',
                )
            ]
        )
    chosen = attributes.get("id") or data.get("id")
    if chosen is not None and req.config.switches.refuse_client_app_ids:
        # Variant `refuse_client_app_ids`: the spec documents no client-chosen app id (docs/emulator.md).
        raise _form_errors([("id", "error.default", "This form should not contain extra fields.")])
    app_id = chosen or new_id()
    if not is_uuid(app_id):
        raise _form_errors([("id", "error.default", "This is not a valid UUID.")])
    if req.tx.get(kinds.APP, app_id) is not None:
        raise platform_error(400, f'App with id: "{app_id}" already exists')
    limit = req.config.switches.apps_limit
    if limit is not None and req.tx.count(kinds.APP) >= limit:
        raise platform_error(409, "Limit of apps has been reached", code="apps.error.apps-limit-reached")
    now = timestamp(req.now)
    shared = {
        tracker_settings.APP_FIELD_TO_SETTING[k]: clean.pop(k)
        for k in list(clean)
        if k in tracker_settings.APP_FIELD_TO_SETTING
    }
    app = {
        "id": app_id,
        "seq": req.tx.next_seq("app"),
        "name": clean.pop("name"),
        "appType": app_type,
        "organization": req.config.organization,
        "addedAt": now,
        "updatedAt": now,
        "attrs": clean,
    }
    req.tx.put(kinds.APP, app_id, app)
    tracker_settings.set_overrides(req.tx, app_id, shared, req.now)
    tag_manager.create_container(req, app_id)
    tag_triggers.create_variables(req, app_id)
    audit_log.record(req, "app.added", app_id, {"id": app_id, "name": app["name"]})
    return json_response(201, _app_document(req.tx, app))


def get_app(req: Request) -> Response:
    app = get_existing(req.tx, req.params["app_id"])
    return json_response(200, _app_document(req.tx, app))


def edit_app(req: Request) -> Response:
    app_id = req.params["app_id"]
    app = get_existing(req.tx, app_id)
    data = read_data(req, Family.PLATFORM, RESOURCE_TYPE)
    if data.get("id") in (None, ""):
        raise platform_error(400, "Invalid form", code="error.not-blank", detail=NOT_BLANK, pointer="/data/id")
    if data["id"] != app_id:
        raise id_mismatch(Family.PLATFORM, str(data["id"]), app_id)
    clean = _validate(data.get("attributes") or {}, creating=False)
    before = _audited(req.tx, app)
    shared = {
        tracker_settings.APP_FIELD_TO_SETTING[k]: clean.pop(k)
        for k in list(clean)
        if k in tracker_settings.APP_FIELD_TO_SETTING
    }
    if "name" in clean:
        app["name"] = clean.pop("name")
    app["attrs"].update(clean)
    app["updatedAt"] = timestamp(req.now)
    req.tx.put(kinds.APP, app_id, app)
    if shared:
        tracker_settings.set_overrides(req.tx, app_id, shared, req.now)
    audit_log.record_changes(req, "app.changed", app_id, before, _audited(req.tx, app), _event_field)
    return no_content()


def _audited(tx: Tx, app: dict[str, Any]) -> dict[str, Any]:
    """The attributes whose change the audit log records (all but the read-only ones)."""
    return {k: v for k, v in app_attributes(tx, app).items() if k not in READ_ONLY}


def _event_field(name: str) -> str:
    """A shared field is named as its tracker setting, so both APIs log one event type for one change."""
    return tracker_settings.APP_FIELD_TO_SETTING.get(name) or audit_log.snake(name)


def delete_app(req: Request) -> Response:
    app_id = req.params["app_id"]
    get_existing(req.tx, app_id)
    req.tx.delete(kinds.APP, app_id)
    audit_log.record(req, "app.deleted", app_id, {"id": app_id})
    for kind in kinds.APP_CHILD_KINDS:
        req.tx.delete_children(kind, app_id)
    return no_content()
