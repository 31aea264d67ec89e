"""TagConsentType: the consent type of a Tag Manager tag (by default the app's Piwik PRO tag), published.

Its Args and Outputs are generated from the declarations in piwik_resources/providers/tag_consent_type.py.
"""

from __future__ import annotations

import pulumi
import pulumi.dynamic

from piwik_resources.providers.tag_consent_type import TagConsentTypeProvider

from ._base import DynamicResource, props_of
from ._gen.tag_consent_type import TagConsentTypeArgs, TagConsentTypeOutputs


class TagConsentType(TagConsentTypeOutputs, DynamicResource, module="piwik", name="TagConsentType"):
    """Type token ``pulumi-python:dynamic/piwik:TagConsentType``; id = the tag id."""

    def __init__(
        self, resource_name: str, args: TagConsentTypeArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TagConsentTypeProvider(), resource_name, props_of(args, self.OUTPUT_ONLY), opts)


__all__ = ["TagConsentType", "TagConsentTypeArgs"]
