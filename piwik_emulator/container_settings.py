"""Container settings: the organization's opt-out form code, an app's container settings and installation code.

Read-only. The HTML mirrors the spec's example (texts of Piwik PRO's default opt-out form); only the
organization in the URL is known to the emulator, any other name is 404 in the Tag Manager error family.
"""

from __future__ import annotations

from typing import Any

from .errors import tm_error
from .messages import Request, Response, json_response
from .tag_manager import require_app

RESOURCE_TYPE = "container/organization/opt-out-code"


_OPT_OUT_TEXT = (
    "Privacy on this site: We collect and process your data on this site to better understand how it is "
    "used. You can opt in or out at any time."
)


def opt_out_code(req: Request, organization_host: str) -> str:
    return (
        "<script>window['stg'] = window['stg'] || {};"
        "window['stg'].optedOutCheckboxText=\"You\u2019re opted out. Uncheck to opt in.\";"
        "window['stg'].optedInCheckboxText=\"Opt out of data collection and usage\";</script>\n"
        f'<div id="_stg_opt_out_iframe_content" style="display: none;"><p>{_OPT_OUT_TEXT}</p>'
        '<input id="_stg_optout_checkbox" onclick="window.parent.storeUserOptOutPreferences();" '
        'type="checkbox"><label id="_stg_optout_checkbox_label" for="_stg_optout_checkbox"></label></div>\n'
        f'<script src="https://{organization_host}/privacy/script.v2.js"></script>'
    )


def get_opt_out_code(req: Request) -> Response:
    organization = req.params["organization"]
    if organization != req.config.organization:
        raise tm_error(
            404,
            "NOT_FOUND_ERROR",
            f"There is no organization with given identifier: {organization}",
            parameter="organization",
        )
    code = opt_out_code(req, req.config.account_host)
    return json_response(200, {"data": {"type": RESOURCE_TYPE, "id": organization, "attributes": {"code": code}}})


# ---------------------------------------------------------------- app container settings and installation code
# `GET /api/container-settings/v1/app/{app_id}/settings` and `.../installation-code` (spec files
# api_container-settings_v1_app_{app_id}_settings.json and ..._installation-code.json). The settings are the
# spec example's eight, none customised; the domains are derived from the organization (the example's
# `test.containers.piwik.pro` / `test.piwik.pro` pattern). The installation code is the spec example's snippet
# with the app's id and the account's container domain.

SETTING_TYPE = "container/app/setting"
INSTALLATION_CODE_TYPE = "container/app/installation-code"


def app_settings(organization: str) -> list[tuple[str, Any]]:
    return [
        ("automatic_scroll_tracking", {"is_enabled": False, "thresholds": [25, 50, 75, 100]}),
        ("spa_tracking", {"is_enabled": False}),
        ("container_js_path", "/{{ app_id }}.js"),
        ("fpc", {"is_enabled": False}),
        ("static_resources_domain", f"{organization}.containers.piwik.pro"),
        ("tracking_domain", f"{organization}.piwik.pro"),
        ("tracking_script_path", "/ppms.js"),
        ("tracking_endpoint_path", "/ppms.php"),
    ]


def get_app_settings(req: Request) -> Response:
    app_id = require_app(req)
    data = [
        {"id": name, "type": SETTING_TYPE, "attributes": {"value": value, "is_custom": False}}
        for name, value in app_settings(req.config.organization)
    ]
    self_link = f"/api/container-settings/v1/app/{app_id}/settings?page[offset]=0&page[limit]=100"
    links = {"self": self_link, "first": self_link, "last": self_link, "prev": None, "next": None}
    return json_response(200, {"links": links, "data": data})


def installation_code(app_id: str, organization: str) -> str:
    static_domain = f"{organization}.containers.piwik.pro"
    return (
        '<script type="text/javascript">\n'
        "(function(window, document, dataLayerName, id) {\n"
        "window[dataLayerName]=window[dataLayerName]||[],window[dataLayerName].push({start:(new Date).getTime(),"
        "event:\"stg.start\"});var scripts=document.getElementsByTagName('script')[0],"
        "tags=document.createElement('script');\n"
        f'tags.async=!0,tags.src="https://{static_domain}/"+id+".js",scripts.parentNode.insertBefore(tags,scripts);\n'
        f"}})(window, document, 'dataLayer', '{app_id}');\n"
        "</script>"
    )


def get_installation_code(req: Request) -> Response:
    app_id = require_app(req)
    code = installation_code(app_id, req.config.organization)
    return json_response(200, {"data": {"type": INSTALLATION_CODE_TYPE, "id": app_id, "attributes": {"code": code}}})
