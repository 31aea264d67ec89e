"""SiteTags: the tags of an app's Tag Manager container, read live so compliance rules can judge them.

Its Args and Outputs are generated from the declarations in piwik_resources/providers/site_tags.py.
"""

from __future__ import annotations

import pulumi
import pulumi.dynamic

from piwik_resources.providers.site_tags import SiteTagsProvider

from ._base import DynamicResource, props_of
from ._gen.site_tags import SiteTagsArgs, SiteTagsOutputs


class SiteTags(SiteTagsOutputs, DynamicResource, module="piwik", name="SiteTags"):
    """Type token ``pulumi-python:dynamic/piwik:SiteTags``; id = the app UUID."""

    def __init__(self, resource_name: str, args: SiteTagsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(SiteTagsProvider(), resource_name, props_of(args, self.OUTPUT_ONLY), opts)


__all__ = ["SiteTags", "SiteTagsArgs"]
