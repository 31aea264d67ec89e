"""CustomDimension: an Analytics custom dimension (session or event scope); delete deactivates it.

Its Args and Outputs (and the ``Extraction`` TypedDict) are generated from the declarations in
piwik_resources/providers/custom_dimension.py.
"""

from __future__ import annotations

import pulumi
import pulumi.dynamic

from piwik_resources.providers.custom_dimension import CustomDimensionProvider

from ._base import DynamicResource, props_of
from ._gen.custom_dimension import CustomDimensionArgs, CustomDimensionOutputs, Extraction


class CustomDimension(CustomDimensionOutputs, DynamicResource, module="piwik", name="CustomDimension"):
    """Type token ``pulumi-python:dynamic/piwik:CustomDimension``; id = the dimension id."""

    def __init__(
        self, resource_name: str, args: CustomDimensionArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(CustomDimensionProvider(), resource_name, props_of(args, self.OUTPUT_ONLY), opts)


__all__ = ["CustomDimension", "CustomDimensionArgs", "Extraction"]
