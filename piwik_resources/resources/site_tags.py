"""SiteTags: the tags of an app's Tag Manager container, read live so compliance rules can judge them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi.dynamic

from piwik_resources.providers.site_tags import SiteTagsProvider

from ._base import props_of


@dataclass(frozen=True, kw_only=True)
class SiteTagsArgs:
    """``site_id``: the app whose container's tags are read. Nothing is written; ``pulumi refresh`` re-reads."""

    site_id: pulumi.Input[str]


class SiteTags(pulumi.dynamic.Resource, module="piwik", name="SiteTags"):
    """Type token ``pulumi-python:dynamic/piwik:SiteTags``; id = the app UUID; output ``tags`` (one dict per tag:
    tag_id, name, template, consent_type, is_active, is_published)."""

    site_id: pulumi.Output[str]
    tags: pulumi.Output[list[dict[str, Any]]]

    def __init__(self, resource_name: str, args: SiteTagsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(SiteTagsProvider(), resource_name, props_of(args, ("tags",)), opts)
