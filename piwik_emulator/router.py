"""The route table: (method, OpenAPI path template) -> handler, and path-template lookup for the log."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import (
    apps,
    audit_log,
    auth,
    consent_templates,
    container_settings,
    custom_dimensions,
    tag_manager,
    tag_triggers,
    tag_versions,
    tracker_settings,
)
from .messages import Request, Response

Handler = Callable[[Request], Response]

CD = "/api/analytics/v1/manage/custom-dimensions"
TM = "/api/tag/v1/{app_id}"
TS = "/api/tracker/v2/settings/app"

# Templates are the OpenAPI `paths` keys (trailing slashes included), except the consent templates, which are the
# emulator's own (see consent_templates.py), and the triggers and variables of the archived reference (tag_triggers.py).
ROUTES: list[tuple[str, str, Handler]] = [
    ("POST", "/auth/token", auth.issue_token),
    ("GET", "/api/apps/v2", apps.list_apps),
    ("POST", "/api/apps/v2", apps.create_app),
    ("GET", "/api/apps/v2/{app_id}", apps.get_app),
    ("PATCH", "/api/apps/v2/{app_id}", apps.edit_app),
    ("DELETE", "/api/apps/v2/{app_id}", apps.delete_app),
    ("GET", f"{TS}/global", tracker_settings.get_global),
    ("PATCH", f"{TS}/global", tracker_settings.patch_global),
    ("GET", f"{TS}/url", tracker_settings.get_app_by_url),
    ("GET", f"{TS}/{{app_id}}", tracker_settings.get_app),
    ("PATCH", f"{TS}/{{app_id}}", tracker_settings.patch_app),
    ("DELETE", f"{TS}/{{app_id}}/{{setting}}", tracker_settings.delete_app_setting),
    ("GET", f"{TM}/tags", tag_manager.list_tags),
    ("POST", f"{TM}/tags", tag_manager.create_tag),
    ("PATCH", f"{TM}/tags", tag_manager.edit_tag_priorities),
    ("GET", f"{TM}/tags/{{tag_id}}", tag_manager.get_tag),
    ("PATCH", f"{TM}/tags/{{tag_id}}", tag_manager.edit_tag),
    ("DELETE", f"{TM}/tags/{{tag_id}}", tag_manager.delete_tag),
    # Not in the published files: the archived API reference's paths (tag_triggers.py, docs/emulator.md).
    ("GET", f"{TM}/triggers", tag_triggers.list_triggers),
    ("POST", f"{TM}/triggers", tag_triggers.create_trigger),
    ("GET", f"{TM}/triggers/{{trigger_id}}", tag_triggers.get_trigger),
    ("GET", f"{TM}/variables", tag_triggers.list_variables),
    ("GET", f"{TM}/variables/{{variable_id}}", tag_triggers.get_variable),
    ("GET", f"{TM}/versions", tag_versions.list_versions),
    ("GET", f"{TM}/versions/draft", tag_versions.get_draft),
    ("GET", f"{TM}/versions/published", tag_versions.get_published),
    ("POST", f"{TM}/versions/draft/publish", tag_versions.publish_draft),
    ("GET", f"{TM}/versions/{{version_id}}", tag_versions.get_version),
    ("GET", f"{TM}/operations/{{operation_id}}", tag_versions.get_operation),
    ("POST", f"{CD}/", custom_dimensions.create),
    ("GET", f"{CD}/", custom_dimensions.list_dimensions),
    ("GET", f"{CD}/slots/", custom_dimensions.slots),
    ("GET", f"{CD}/{{id}}/", custom_dimensions.get),
    ("PUT", f"{CD}/{{id}}/", custom_dimensions.replace),
    (
        "GET",
        "/api/container-settings/v1/organization/{organization}/opt-out-code",
        container_settings.get_opt_out_code,
    ),
    ("GET", "/api/container-settings/v1/app/{app_id}/settings", container_settings.get_app_settings),
    ("GET", "/api/container-settings/v1/app/{app_id}/installation-code", container_settings.get_installation_code),
    ("GET", "/api/audit-log/v1/entries", audit_log.list_entries),
    ("GET", consent_templates.BASE_PATH, consent_templates.list_templates),
    ("GET", consent_templates.ITEM_PATH, consent_templates.get_template),
    ("PUT", consent_templates.ITEM_PATH, consent_templates.put_template),
    ("DELETE", consent_templates.ITEM_PATH, consent_templates.delete_template),
]

PUBLIC_PATHS = {"/auth/token"}


def _compile(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.compile(f"^{pattern}$")


@dataclass(frozen=True)
class Match:
    template: str
    params: dict[str, str]
    handler: Handler | None  # None: the path exists but not for this method (405)


class Router:
    def __init__(self, routes: list[tuple[str, str, Handler]]) -> None:
        # Literal segments win over parameters (`/versions/draft` before `/versions/{version_id}`).
        ordered = sorted(routes, key=lambda r: r[1].count("{"))
        self._routes = [(m, t, _compile(t), h) for m, t, h in ordered]

    def match(self, method: str, path: str) -> Match | None:
        fallback: Match | None = None
        for route_method, template, regex, handler in self._routes:
            found = regex.match(path)
            if found is None:
                continue
            if route_method == method:
                return Match(template, found.groupdict(), handler)
            if fallback is None:
                fallback = Match(template, found.groupdict(), None)
        return fallback


ROUTER = Router(ROUTES)
