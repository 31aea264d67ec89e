"""Container settings: the organization's opt-out form code.

``GET /api/container-settings/v1/app/{app_id}/installation-code`` exists in Piwik PRO's docs, but no OpenAPI
file for it is in the project's reference set, so it is deliberately not implemented here.
"""

from __future__ import annotations

from ..models import OptOutCode
from ._base import Service

__all__ = ["ContainerSettingsService"]

OPT_OUT_CODE = "/api/container-settings/v1/organization/{organization}/opt-out-code"


class ContainerSettingsService(Service):
    def get_opt_out_code(self, organization: str | None = None) -> OptOutCode:
        org = organization or self._client.organization
        return self._one(OptOutCode, "GET", OPT_OUT_CODE, path_params={"organization": org})

    def opt_out_code(self, organization: str | None = None) -> str:
        """The opt-out form HTML to paste into the privacy policy (organization defaults to the token's)."""
        return self.get_opt_out_code(organization).code
