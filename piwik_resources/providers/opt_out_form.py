"""OptOutForm: the organization's opt-out form code (Administration → Plate-forme → Générateur de messages de retrait).

Read-only: the API publishes only ``GET /api/container-settings/v1/organization/{org}/opt-out-code``. Creating
the resource reads the code; refresh reads it again (a change made in the UI shows up as drift in the output);
deleting it only forgets it. The organization defaults to the one the API credentials belong to (the token's
``org`` claim).
"""

from __future__ import annotations

from typing import Any, ClassVar

from ._fields import Out, prop
from ._validation import InputsModel
from .engine import Adapter, Context, PiwikProvider


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


__all__ = ["OptOutFormAdapter", "OptOutFormInputs", "OptOutFormProvider"]
