"""OptOutForm: the organization's opt-out form code, to paste into the privacy policy page (read-only)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi.dynamic

from piwik_resources.providers.opt_out_form import OptOutFormProvider

from ._base import props_of


@dataclass(frozen=True)
class OptOutFormArgs:
    """``organization`` defaults to the organization of the API credentials."""

    organization: pulumi.Input[str] | None = None


class OptOutForm(pulumi.dynamic.Resource, module="piwik", name="OptOutForm"):
    """Type token ``pulumi-python:dynamic/piwik:OptOutForm``; id = the organization name."""

    organization: pulumi.Output[str]
    code: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: OptOutFormArgs | None = None, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(OptOutFormProvider(), resource_name, props_of(args or OptOutFormArgs(), ("code",)), opts)
