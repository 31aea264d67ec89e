"""OptOutForm and InstallationCode: the codes to paste into the website (read-only).

OptOutForm: the organization's opt-out form code, for the privacy policy page. InstallationCode: an app's
container installation code, for every page of the site.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi.dynamic

from piwik_resources.providers.opt_out_form import InstallationCodeProvider, OptOutFormProvider

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


@dataclass(frozen=True)
class InstallationCodeArgs:
    """``site_id``: the app whose container installation code is read."""

    site_id: pulumi.Input[str]


class InstallationCode(pulumi.dynamic.Resource, module="piwik", name="InstallationCode"):
    """Type token ``pulumi-python:dynamic/piwik:InstallationCode``; id = the app id."""

    site_id: pulumi.Output[str]
    code: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: InstallationCodeArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(InstallationCodeProvider(), resource_name, props_of(args, ("code",)), opts)
