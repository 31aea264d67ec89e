"""TrackerSettings (one app's overrides of the tracker settings) and GlobalTrackerSettings (account-wide)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi.dynamic

from piwik_resources.providers.tracker_settings import GlobalTrackerSettingsProvider, TrackerSettingsProvider

from ._base import props_of


@dataclass(frozen=True, kw_only=True)
class _TrackerFields:
    ip_masking_level: pulumi.Input[int] | None = None
    """``anonymize_visitor_ip_level``: bytes of the visitor IP masked, 0 to 4."""
    use_masked_ip_for_enrichment: pulumi.Input[bool] | None = None
    """``fingerprint_based_on_anonymized_ip``: geolocation and enrichment use the masked IP."""
    ip_tracking: pulumi.Input[bool] | None = None
    """``set_ip_tracking``: false drops the IP entirely."""
    geolocation_level: pulumi.Input[str] | None = None
    """``anonymize_visitor_geolocation_level``: none, City, Region, Country, Continent."""
    exclude_unknown_urls: pulumi.Input[bool] | None = None
    """Discard hits from URLs that do not start with one of the app's ``urls``."""
    fingerprinting_across_websites: pulumi.Input[bool] | None = None
    """``enable_fingerprinting_across_websites``."""
    tracking_fingerprint_disabled: pulumi.Input[bool] | None = None
    use_session_hash: pulumi.Input[bool] | None = None
    use_anonymous_session_hash: pulumi.Input[bool] | None = None
    exclude_crawlers: pulumi.Input[bool] | None = None
    keep_url_fragment: pulumi.Input[bool] | None = None
    excluded_ips: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    excluded_user_agents: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    excluded_url_query_parameters: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """``url_query_parameter_to_exclude_from_url``."""
    session_limit_exceeded_action: pulumi.Input[str] | None = None
    """split_and_exclude or just_split."""
    session_max_duration_seconds: pulumi.Input[int] | None = None
    session_max_event_count: pulumi.Input[int] | None = None


@dataclass(frozen=True, kw_only=True)
class TrackerSettingsArgs(_TrackerFields):
    """Inputs of :class:`TrackerSettings`: the app (``site_id``) and the settings to override for it.

    Only the settings you set are managed. Deleting the resource (or removing a setting) drops the app's
    override, so the global value applies again. Changing ``site_id`` replaces the resource.
    """

    site_id: pulumi.Input[str]


@dataclass(frozen=True, kw_only=True)
class GlobalTrackerSettingsArgs(_TrackerFields):
    """Inputs of :class:`GlobalTrackerSettings`: the account-wide values to set.

    A singleton per account (id ``global``): only one stack should declare it. Creating it records the values
    found (``previous``) for the settings you set; deleting it writes them back.
    """


class _TrackerOutputs:
    ip_masking_level: pulumi.Output[int | None]
    use_masked_ip_for_enrichment: pulumi.Output[bool | None]
    ip_tracking: pulumi.Output[bool | None]
    geolocation_level: pulumi.Output[str | None]
    exclude_unknown_urls: pulumi.Output[bool | None]
    fingerprinting_across_websites: pulumi.Output[bool | None]
    tracking_fingerprint_disabled: pulumi.Output[bool | None]
    use_session_hash: pulumi.Output[bool | None]
    use_anonymous_session_hash: pulumi.Output[bool | None]
    exclude_crawlers: pulumi.Output[bool | None]
    keep_url_fragment: pulumi.Output[bool | None]
    excluded_ips: pulumi.Output[list[str] | None]
    excluded_user_agents: pulumi.Output[list[str] | None]
    excluded_url_query_parameters: pulumi.Output[list[str] | None]
    session_limit_exceeded_action: pulumi.Output[str | None]
    session_max_duration_seconds: pulumi.Output[int | None]
    session_max_event_count: pulumi.Output[int | None]


class TrackerSettings(_TrackerOutputs, pulumi.dynamic.Resource, module="piwik", name="TrackerSettings"):
    """Type token ``pulumi-python:dynamic/piwik:TrackerSettings``; id = the app UUID."""

    site_id: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: TrackerSettingsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(TrackerSettingsProvider(), resource_name, props_of(args, ()), opts)


class GlobalTrackerSettings(_TrackerOutputs, pulumi.dynamic.Resource, module="piwik", name="GlobalTrackerSettings"):
    """Type token ``pulumi-python:dynamic/piwik:GlobalTrackerSettings``; id = ``global``."""

    previous: pulumi.Output[dict[str, Any]]

    def __init__(
        self, resource_name: str, args: GlobalTrackerSettingsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(GlobalTrackerSettingsProvider(), resource_name, props_of(args, ("previous",)), opts)
