"""OptOutForm and InstallationCode: the codes to paste into the website (read-only).

OptOutForm: the organization's opt-out form code, for the privacy policy page. InstallationCode: an app's
container installation code, for every page of the site.

Its Args and Outputs are generated from the declarations in piwik_resources/providers/opt_out_form.py.
"""

from __future__ import annotations

import pulumi
import pulumi.dynamic

from piwik_resources.providers.opt_out_form import InstallationCodeProvider, OptOutFormProvider

from ._base import DynamicResource, props_of
from ._gen.opt_out_form import InstallationCodeArgs, InstallationCodeOutputs, OptOutFormArgs, OptOutFormOutputs


class OptOutForm(OptOutFormOutputs, DynamicResource, module="piwik", name="OptOutForm"):
    """Type token ``pulumi-python:dynamic/piwik:OptOutForm``; id = the organization name."""

    def __init__(
        self, resource_name: str, args: OptOutFormArgs | None = None, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = props_of(args or OptOutFormArgs(), self.OUTPUT_ONLY)
        super().__init__(OptOutFormProvider(), resource_name, props, opts)


class InstallationCode(InstallationCodeOutputs, DynamicResource, module="piwik", name="InstallationCode"):
    """Type token ``pulumi-python:dynamic/piwik:InstallationCode``; id = the app id."""

    def __init__(
        self, resource_name: str, args: InstallationCodeArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(InstallationCodeProvider(), resource_name, props_of(args, self.OUTPUT_ONLY), opts)


__all__ = ["InstallationCode", "InstallationCodeArgs", "OptOutForm", "OptOutFormArgs"]
