"""TrackerSettings (one app's overrides of the tracker settings) and GlobalTrackerSettings (account-wide).

Their Args and Outputs are generated from the declarations in piwik_resources/providers/tracker_settings.py.
"""

from __future__ import annotations

import pulumi
import pulumi.dynamic

from piwik_resources.providers.tracker_settings import GlobalTrackerSettingsProvider, TrackerSettingsProvider

from ._base import DynamicResource, props_of
from ._gen.tracker_settings import (
    GlobalTrackerSettingsArgs,
    GlobalTrackerSettingsOutputs,
    TrackerSettingsArgs,
    TrackerSettingsOutputs,
)


class TrackerSettings(TrackerSettingsOutputs, DynamicResource, module="piwik", name="TrackerSettings"):
    """Type token ``pulumi-python:dynamic/piwik:TrackerSettings``; id = the app UUID."""

    def __init__(
        self, resource_name: str, args: TrackerSettingsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = props_of(args, self.OUTPUT_ONLY)
        super().__init__(TrackerSettingsProvider(), resource_name, props, opts)


class GlobalTrackerSettings(
    GlobalTrackerSettingsOutputs, DynamicResource, module="piwik", name="GlobalTrackerSettings"
):
    """Type token ``pulumi-python:dynamic/piwik:GlobalTrackerSettings``; id = ``global``."""

    def __init__(
        self, resource_name: str, args: GlobalTrackerSettingsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = props_of(args, self.OUTPUT_ONLY)
        super().__init__(GlobalTrackerSettingsProvider(), resource_name, props, opts)


__all__ = ["GlobalTrackerSettings", "GlobalTrackerSettingsArgs", "TrackerSettings", "TrackerSettingsArgs"]
