"""Container settings: the organization's opt-out form code (`.../organization/{organization}/opt-out-code`).

Read-only. The HTML mirrors the spec's example (texts of Piwik PRO's default opt-out form); only the
organization in the URL is known to the emulator, any other name is 404 in the Tag Manager error family.
"""

from __future__ import annotations

from .errors import tm_error
from .messages import Request, Response, json_response

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
