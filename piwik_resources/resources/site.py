"""Site: a Piwik PRO app — name, URLs, time zone, currency and app type (privacy attributes: SitePrivacy).

Its Args and Outputs are generated from the declarations in piwik_resources/providers/site.py.
"""

from __future__ import annotations

import pulumi
import pulumi.dynamic

from piwik_resources.providers.site import SiteProvider

from ._base import DynamicResource, props_of
from ._gen.site import SiteArgs, SiteOutputs


class Site(SiteOutputs, DynamicResource, module="piwik", name="Site"):
    """A Piwik PRO app; type token ``pulumi-python:dynamic/piwik:Site``; id = the app UUID."""

    def __init__(self, resource_name: str, args: SiteArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        props = props_of(args, self.OUTPUT_ONLY)
        # The app's UUID is derived from this (see providers/site.py): a create repeated after an interrupted
        # `pulumi up` finds the app it made, and no two Sites ever share one.
        props["creation_key"] = f"{pulumi.get_project()}/{pulumi.get_stack()}/{resource_name}"
        super().__init__(SiteProvider(), resource_name, props, opts)


__all__ = ["Site", "SiteArgs"]
