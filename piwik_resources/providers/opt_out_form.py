"""OptOutForm and InstallationCode: read-only codes to paste into the website (opt-out form, container snippet).

OptOutForm is the organization's opt-out form code (Administration → Plate-forme → Générateur de messages de
retrait). InstallationCode is an app's container installation code
(``GET /api/container-settings/v1/app/{app_id}/installation-code``), read the same way: create reads it, refresh
reads it again, delete forgets it; its id is the app id.

Read-only: the API publishes only ``GET /api/container-settings/v1/organization/{org}/opt-out-code``. Creating
the resource reads the code; refresh reads it again (a change made in the UI shows up as drift in the output);
deleting it only forgets it. The organization defaults to the one the API credentials belong to (the token's
``org`` claim).
"""

from __future__ import annotations

from typing import Any, ClassVar

from piwik_resources.api import NotFoundError

from ._fields import Out, prop
from ._validation import InputsModel
from .engine import Adapter, Context, PiwikProvider
from .site import UUID_PATTERN


class OptOutFormInputs(InputsModel):
    """Inputs of :class:`OptOutForm`: ``organization`` defaults to the organization of the API credentials."""

    resource_type: ClassVar[str] = "OptOutForm"

    organization: str | None = prop(
        None,
        doc="The organization whose opt-out form this is (default: the API credentials').",
        allowed="an organization name such as default",
        computed=True,
        pattern=r"^[A-Za-z0-9_.-]{1,100}$",
    )

    outputs: ClassVar[dict[str, Out]] = {"code": Out(str, "The opt-out form's HTML, to paste into the privacy policy.")}


class OptOutFormAdapter(Adapter[OptOutFormInputs]):
    resource_type = "OptOutForm"
    inputs_model = OptOutFormInputs

    @staticmethod
    def _outputs(ctx: Context, organization: str | None) -> dict[str, Any]:
        org = organization or ctx.client.organization
        return {"organization": org, "code": ctx.client.container_settings.opt_out_code(org)}

    def create(self, ctx: Context, inputs: OptOutFormInputs) -> tuple[str, dict[str, Any]]:
        outs = self._outputs(ctx, inputs.organization)
        return str(outs["organization"]), outs

    def read(self, ctx: Context, id_: str, state: dict[str, Any]) -> dict[str, Any] | None:
        return self._outputs(ctx, id_)

    def update(self, ctx: Context, id_: str, state: dict[str, Any], inputs: OptOutFormInputs) -> dict[str, Any]:
        return self._outputs(ctx, inputs.organization or id_)

    def delete(self, ctx: Context, id_: str, state: dict[str, Any]) -> None:
        """Nothing to delete: the opt-out code belongs to the organization."""


class OptOutFormProvider(PiwikProvider):
    adapter = OptOutFormAdapter()


class InstallationCodeInputs(InputsModel):
    """Inputs of :class:`InstallationCode`: the app whose container installation code is read."""

    resource_type: ClassVar[str] = "InstallationCode"

    site_id: str = prop(
        doc="The app whose installation code this is.", allowed="the UUID of an app", replace=True, pattern=UUID_PATTERN
    )

    outputs: ClassVar[dict[str, Out]] = {
        "code": Out(str, "The app's container installation code (HTML), to put in every page of the site.")
    }


class InstallationCodeAdapter(Adapter[InstallationCodeInputs]):
    resource_type = "InstallationCode"
    inputs_model = InstallationCodeInputs

    @staticmethod
    def _outputs(ctx: Context, site_id: str) -> dict[str, Any]:
        return {"site_id": site_id, "code": ctx.client.container_settings.installation_code(site_id)}

    def create(self, ctx: Context, inputs: InstallationCodeInputs) -> tuple[str, dict[str, Any]]:
        return inputs.site_id, self._outputs(ctx, inputs.site_id)

    def read(self, ctx: Context, id_: str, state: dict[str, Any]) -> dict[str, Any] | None:
        try:
            return self._outputs(ctx, id_)
        except NotFoundError:
            return None  # the app is gone

    def update(self, ctx: Context, id_: str, state: dict[str, Any], inputs: InstallationCodeInputs) -> dict[str, Any]:
        return self._outputs(ctx, id_)

    def delete(self, ctx: Context, id_: str, state: dict[str, Any]) -> None:
        """Nothing to delete: the code belongs to the app."""


class InstallationCodeProvider(PiwikProvider):
    adapter = InstallationCodeAdapter()


__all__ = [
    "InstallationCodeAdapter",
    "InstallationCodeInputs",
    "InstallationCodeProvider",
    "OptOutFormAdapter",
    "OptOutFormInputs",
    "OptOutFormProvider",
]
