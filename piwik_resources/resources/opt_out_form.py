"""OptOutForm: the organization's opt-out form code, to paste into the privacy policy page (read-only).

Its Args and Outputs are generated from the declarations in piwik_resources/providers/opt_out_form.py.
"""

from __future__ import annotations

import pulumi
import pulumi.dynamic

from piwik_resources.providers.opt_out_form import OptOutFormProvider

from ._base import props_of
from ._gen.opt_out_form import OptOutFormArgs, OptOutFormOutputs


class OptOutForm(OptOutFormOutputs, pulumi.dynamic.Resource, module="piwik", name="OptOutForm"):
    """Type token ``pulumi-python:dynamic/piwik:OptOutForm``; id = the organization name."""

    def __init__(
        self, resource_name: str, args: OptOutFormArgs | None = None, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = props_of(args or OptOutFormArgs(), self.OUTPUT_ONLY)
        super().__init__(OptOutFormProvider(), resource_name, props, opts)


__all__ = ["OptOutForm", "OptOutFormArgs"]
