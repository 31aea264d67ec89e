"""TrackerSettings (one app's overrides) and GlobalTrackerSettings (the account-wide values).

Both manage only the settings set in the program. Per app, each managed setting is an override of the global
value; delete (or removing a setting from the program) drops the override (``DELETE .../{setting}``), so the
app falls back to the global value. The global settings are an account singleton that cannot be deleted:
GlobalTrackerSettings records the values it found at create and writes them back on delete.
``urls`` is not a tracker setting here: Site owns it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field

from piwik_resources.api import TrackerSettings

from ._settings import SettingsAdapter
from ._validation import InputsModel
from .engine import Context, PiwikProvider
from .site import UUID_PATTERN

#: Pulumi property -> tracker settings attribute.
FIELDS: dict[str, str] = {
    "ip_masking_level": "anonymize_visitor_ip_level",
    "use_masked_ip_for_enrichment": "fingerprint_based_on_anonymized_ip",
    "ip_tracking": "set_ip_tracking",
    "geolocation_level": "anonymize_visitor_geolocation_level",
    "exclude_unknown_urls": "exclude_unknown_urls",
    "fingerprinting_across_websites": "enable_fingerprinting_across_websites",
    "tracking_fingerprint_disabled": "tracking_fingerprint_disabled",
    "use_session_hash": "use_session_hash",
    "use_anonymous_session_hash": "use_anonymous_session_hash",
    "exclude_crawlers": "exclude_crawlers",
    "keep_url_fragment": "keep_url_fragment",
    "excluded_ips": "excluded_ips",
    "excluded_user_agents": "excluded_user_agents",
    "excluded_url_query_parameters": "url_query_parameter_to_exclude_from_url",
    "session_limit_exceeded_action": "session_limit_exceeded_action",
    "session_max_duration_seconds": "session_max_duration_seconds",
    "session_max_event_count": "session_max_event_count",
}


class _SettingsFields(InputsModel):
    ip_masking_level: int | None = Field(
        None, ge=0, le=4, json_schema_extra={"allowed": "0, 1, 2, 3, 4 (bytes of the IP address masked)"}
    )
    use_masked_ip_for_enrichment: bool | None = None
    ip_tracking: bool | None = None
    geolocation_level: Literal["none", "City", "Region", "Country", "Continent"] | None = Field(
        None, json_schema_extra={"allowed": "none, City, Region, Country, Continent"}
    )
    exclude_unknown_urls: bool | None = None
    fingerprinting_across_websites: bool | None = None
    tracking_fingerprint_disabled: bool | None = None
    use_session_hash: bool | None = None
    use_anonymous_session_hash: bool | None = None
    exclude_crawlers: bool | None = None
    keep_url_fragment: bool | None = None
    excluded_ips: list[str] | None = None
    excluded_user_agents: list[str] | None = None
    excluded_url_query_parameters: list[str] | None = None
    session_limit_exceeded_action: Literal["split_and_exclude", "just_split"] | None = Field(
        None, json_schema_extra={"allowed": "split_and_exclude, just_split"}
    )
    session_max_duration_seconds: int | None = Field(
        None, ge=1, le=43200, json_schema_extra={"allowed": "1 to 43200 seconds"}
    )
    session_max_event_count: int | None = Field(None, ge=1, le=65535, json_schema_extra={"allowed": "1 to 65535"})


class TrackerSettingsInputs(_SettingsFields):
    resource_type: ClassVar[str] = "TrackerSettings"

    site_id: str = Field(pattern=UUID_PATTERN, json_schema_extra={"allowed": "the UUID of an app"})


class GlobalTrackerSettingsInputs(_SettingsFields):
    resource_type: ClassVar[str] = "GlobalTrackerSettings"


def _values(settings: TrackerSettings) -> dict[str, Any]:
    return {api: getattr(settings, api) for api in FIELDS.values()}


class TrackerSettingsAdapter(SettingsAdapter[TrackerSettingsInputs]):
    resource_type = "TrackerSettings"
    inputs_model = TrackerSettingsInputs
    replace_on_change = frozenset({"site_id"})
    fields = FIELDS
    restore_on_delete = False

    def fetch(self, ctx: Context, parent: str) -> Mapping[str, Any]:
        return _values(ctx.client.tracker_settings.get_app(parent))

    def write(self, ctx: Context, parent: str, changes: dict[str, Any]) -> None:
        ctx.client.tracker_settings.update_app(parent, changes)

    def reset(self, ctx: Context, parent: str, attributes: list[str]) -> None:
        for attribute in attributes:
            ctx.client.tracker_settings.reset_app_setting(parent, attribute)


class GlobalTrackerSettingsAdapter(SettingsAdapter[GlobalTrackerSettingsInputs]):
    resource_type = "GlobalTrackerSettings"
    inputs_model = GlobalTrackerSettingsInputs
    fields = FIELDS
    parent_key = None
    singleton_id = "global"
    restore_on_delete = True

    def fetch(self, ctx: Context, parent: str) -> Mapping[str, Any]:
        return _values(ctx.client.tracker_settings.get_global())

    def write(self, ctx: Context, parent: str, changes: dict[str, Any]) -> None:
        ctx.client.tracker_settings.update_global(changes)


class TrackerSettingsProvider(PiwikProvider):
    adapter = TrackerSettingsAdapter()


class GlobalTrackerSettingsProvider(PiwikProvider):
    adapter = GlobalTrackerSettingsAdapter()


__all__ = [
    "FIELDS",
    "GlobalTrackerSettingsAdapter",
    "GlobalTrackerSettingsInputs",
    "GlobalTrackerSettingsProvider",
    "TrackerSettingsAdapter",
    "TrackerSettingsInputs",
    "TrackerSettingsProvider",
]
