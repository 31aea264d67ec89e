"""SiteCustomDimensions: every custom dimension of an app as the API lists it (read-only; `--refresh` reads again).

Its Args and Outputs are generated from the declarations in piwik_resources/providers/site_custom_dimensions.py.
"""

from __future__ import annotations

import pulumi
import pulumi.dynamic

from piwik_resources.providers.site_custom_dimensions import SiteCustomDimensionsProvider

from ._base import DynamicResource, props_of
from ._gen.site_custom_dimensions import SiteCustomDimensionsArgs, SiteCustomDimensionsOutputs


class SiteCustomDimensions(SiteCustomDimensionsOutputs, DynamicResource, module="piwik", name="SiteCustomDimensions"):
    """Type token ``pulumi-python:dynamic/piwik:SiteCustomDimensions``; id = the app UUID."""

    def __init__(
        self, resource_name: str, args: SiteCustomDimensionsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(SiteCustomDimensionsProvider(), resource_name, props_of(args, self.OUTPUT_ONLY), opts)


__all__ = ["SiteCustomDimensions", "SiteCustomDimensionsArgs"]
