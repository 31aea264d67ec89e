"""Container settings: the organization's opt-out form code, an app's installation code and container settings.

Each is a read (``GET``) of a path published in the spec files vendored in piwik_emulator/openapi/
(``api_container-settings_v1_organization_{organization}_opt-out-code.json``,
``api_container-settings_v1_app_{app_id}_installation-code.json``,
``api_container-settings_v1_app_{app_id}_settings.json``).
"""

from __future__ import annotations

from typing import Any

from ..jsonapi import MalformedResponse, resource_list
from ..models import OptOutCode
from ._base import Service

__all__ = ["ContainerSettingsService"]

OPT_OUT_CODE = "/api/container-settings/v1/organization/{organization}/opt-out-code"
INSTALLATION_CODE = "/api/container-settings/v1/app/{app_id}/installation-code"
APP_SETTINGS = "/api/container-settings/v1/app/{app_id}/settings"


class ContainerSettingsService(Service):
    def get_opt_out_code(self, organization: str | None = None) -> OptOutCode:
        org = organization or self._client.organization
        return self._one(OptOutCode, "GET", OPT_OUT_CODE, path_params={"organization": org})

    def opt_out_code(self, organization: str | None = None) -> str:
        """The opt-out form HTML to paste into the privacy policy (organization defaults to the token's)."""
        return self.get_opt_out_code(organization).code

    def installation_code(self, app_id: str) -> str:
        """The app's container installation snippet (HTML) to put in every page of the site.

        Same document shape as the opt-out code (``data.attributes.code``, ``id`` = the app id).
        """
        return self._one(OptOutCode, "GET", INSTALLATION_CODE, path_params={"app_id": app_id}).code

    def app_settings(self, app_id: str) -> dict[str, Any]:
        """The app's container settings by name (``spa_tracking``, ``tracking_domain``, ...): their ``value``."""
        response = self._call("GET", APP_SETTINGS, path_params={"app_id": app_id})
        body = self._client.json_body(response, "GET", APP_SETTINGS)
        try:
            items, _ = resource_list(body)
        except MalformedResponse as exc:
            raise self._client.malformed(response, "GET", exc) from None
        return {str(item.get("id")): (item.get("attributes") or {}).get("value") for item in items}
