"""SitePrivacy: the consent and privacy attributes of a Piwik PRO app (the fields Site does not own).

Its Args and Outputs are generated from the declarations in piwik_resources/providers/site_privacy.py.
"""

from __future__ import annotations

import pulumi
import pulumi.dynamic

from piwik_resources.providers.site_privacy import SitePrivacyProvider

from ._base import DynamicResource, props_of
from ._gen.site_privacy import SitePrivacyArgs, SitePrivacyOutputs


class SitePrivacy(SitePrivacyOutputs, DynamicResource, module="piwik", name="SitePrivacy"):
    """Type token ``pulumi-python:dynamic/piwik:SitePrivacy``; id = the app UUID."""

    def __init__(self, resource_name: str, args: SitePrivacyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(SitePrivacyProvider(), resource_name, props_of(args, self.OUTPUT_ONLY), opts)


__all__ = ["SitePrivacy", "SitePrivacyArgs"]
