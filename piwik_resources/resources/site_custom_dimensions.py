"""SiteCustomDimensions: every custom dimension of an app as the API lists it (read-only; `--refresh` reads again)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi.dynamic

from piwik_resources.providers.site_custom_dimensions import SiteCustomDimensionsProvider

from ._base import props_of


@dataclass(frozen=True, kw_only=True)
class SiteCustomDimensionsArgs:
    """Inputs of :class:`SiteCustomDimensions`: the app whose dimensions are listed (changing it replaces)."""

    site_id: pulumi.Input[str]


class SiteCustomDimensions(pulumi.dynamic.Resource, module="piwik", name="SiteCustomDimensions"):
    """Type token ``pulumi-python:dynamic/piwik:SiteCustomDimensions``; id = the app UUID.

    ``dimensions`` holds one entry per dimension of the app (``dimension_id``, ``name``, ``scope``, ``active``,
    ``case_sensitive``, ``extractions``, ``slot``, ``tracking_id``), declared by this program or not.
    """

    site_id: pulumi.Output[str]
    dimensions: pulumi.Output[list[dict[str, Any]]]

    def __init__(
        self, resource_name: str, args: SiteCustomDimensionsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = props_of(args, ("dimensions",))
        super().__init__(SiteCustomDimensionsProvider(), resource_name, props, opts)
