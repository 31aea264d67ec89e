"""TrackerSettings (one app's overrides) and GlobalTrackerSettings (the account-wide values).

Both manage only the settings set in the program. Per app, each managed setting is written as an override of
the global value, even when it equals it (pinned: _settings.py says why), so a later change of the account does
not reach the app; delete (or removing a setting from the program) drops the override (``DELETE .../{setting}``),
so the app falls back to the global value. The global settings are an account singleton that cannot be deleted:
GlobalTrackerSettings records the values it found at create and writes them back on delete — unless an app it
was told of (``kept_app_ids``: the adopted apps of the stack, which a destroy leaves in place) still exists, in
which case it leaves the account as it is and says so (see :meth:`GlobalTrackerSettingsAdapter.delete`).
``urls`` is not a tracker setting here: Site owns it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, field_validator

from piwik_resources.api import NotFoundError, TrackerSettings
from piwik_resources.api.models import GeolocationLevel, IpMaskingLevel, SessionLimitExceededAction

from ._fields import Out, api_names, prop
from ._settings import PINNED, PINNED_OUTPUT, SettingsAdapter
from ._validation import InputsModel
from .engine import Context, PiwikProvider
from .site import UUID_PATTERN


class _SettingsFields(InputsModel):
    """Every setting of the published ``setting`` enum (api_tracker_v2_settings_app_{app_id}_{setting}.json in
    piwik_emulator/openapi/) but ``urls``, which Site owns; types and limits as the PATCH schemas give them."""

    api_model: ClassVar[type[BaseModel] | None] = TrackerSettings

    # --- privacy: what is kept of the visitor's IP and location ------------------------------------------------
    ip_masking_level: IpMaskingLevel | None = prop(
        None,
        api="anonymize_visitor_ip_level",
        doc="How many trailing bytes of the visitor's IP address are masked before anything else uses it.",
    )
    use_masked_ip_for_enrichment: bool | None = prop(
        None,
        api="fingerprint_based_on_anonymized_ip",
        doc="Geolocation and the other enrichments use the masked IP instead of the real one.",
    )
    ip_tracking: bool | None = prop(
        None, api="set_ip_tracking", doc="False makes the tracker drop the IP address on arrival (``rmip=1``)."
    )
    geolocation_level: GeolocationLevel | None = prop(
        None,
        api="anonymize_visitor_geolocation_level",
        doc="The finest level of location kept (``none``: full precision; ``City`` drops nothing but the rest).",
    )
    # --- visitor and session matching ---------------------------------------------------------------------------
    fingerprinting_across_websites: bool | None = prop(
        None,
        api="enable_fingerprinting_across_websites",
        doc="The tracker tries to give one visitor id to a visitor across different websites.",
    )
    tracking_fingerprint_disabled: bool | None = prop(
        None, api="tracking_fingerprint_disabled", doc="The tracker takes the fingerprint from the cookie."
    )
    use_session_hash: bool | None = prop(
        None, api="use_session_hash", doc="Events tracked non-anonymously are matched to a session by a hash."
    )
    use_anonymous_session_hash: bool | None = prop(
        None, api="use_anonymous_session_hash", doc="Events tracked anonymously are matched to a session by a hash."
    )
    trust_visitors_cookies: bool | None = prop(
        None,
        api="trust_visitors_cookies",
        doc="Deprecated by the API (use ``use_session_hash`` / ``use_anonymous_session_hash``): match sessions "
        "by the visitor-side id only.",
    )
    session_limit_exceeded_action: SessionLimitExceededAction | None = prop(
        None,
        api="session_limit_exceeded_action",
        doc="What happens to a session past its limits: end it and drop what follows, or start a new one.",
    )
    session_max_duration_seconds: int | None = prop(
        None,
        api="session_max_duration_seconds",
        doc="Longest session, in seconds, before it is split.",
        allowed="1 to 43200 seconds",
        ge=1,
        le=43200,
    )
    session_max_event_count: int | None = prop(
        None, api="session_max_event_count", doc="Most events in one session before it is split.", ge=1, le=65535
    )
    create_new_visit_when_campaign_changes: bool | None = prop(
        None, api="create_new_visit_when_campaign_changes", doc="A new campaign type or name starts a new session."
    )
    create_new_visit_when_website_referrer_changes: bool | None = prop(
        None,
        api="create_new_visit_when_website_referrer_changes",
        doc="A new referrer type or name starts a new session.",
    )
    # --- what is tracked -------------------------------------------------------------------------------------
    exclude_unknown_urls: bool | None = prop(
        None, api="exclude_unknown_urls", doc="Hits from URLs that start with none of the app's ``urls`` are dropped."
    )
    exclude_crawlers: bool | None = prop(None, api="exclude_crawlers", doc="Crawler bots are not tracked.")
    keep_url_fragment: bool | None = prop(None, api="keep_url_fragment", doc="The part of the URL after ``#`` is kept.")
    excluded_ips: list[str] | None = prop(
        None, api="excluded_ips", doc="IP addresses not tracked; wildcards such as ``1.2.*.*`` allowed."
    )
    excluded_user_agents: list[str] | None = prop(
        None, api="excluded_user_agents", doc="Visitors whose user agent contains one of these are not tracked."
    )
    excluded_url_query_parameters: list[str] | None = prop(
        None,
        api="url_query_parameter_to_exclude_from_url",
        doc="URL query parameters removed before tracking (regular expressions such as ``/^sess.*/`` allowed).",
    )
    site_search_query_params: list[str] | None = prop(
        None, api="site_search_query_params", doc="URL query parameters that carry a site search."
    )
    site_search_category_params: list[str] | None = prop(
        None, api="site_search_category_params", doc="URL query parameters that carry a site search category."
    )
    strip_site_search_query_parameters: bool | None = prop(
        None,
        api="strip_site_search_query_parameters",
        doc="The site search parameters are removed from the URLs shown in reports.",
    )
    # --- campaigns ---------------------------------------------------------------------------------------------
    campaign_name_params: list[str] | None = prop(
        None, api="campaign_name_params", doc="URL query parameters read, in order, for the campaign name."
    )
    campaign_source_params: list[str] | None = prop(
        None, api="campaign_source_params", doc="URL query parameters read, in order, for the campaign source."
    )
    campaign_medium_params: list[str] | None = prop(
        None, api="campaign_medium_params", doc="URL query parameters read, in order, for the campaign medium."
    )
    campaign_keyword_params: list[str] | None = prop(
        None, api="campaign_keyword_params", doc="URL query parameters read, in order, for the campaign keyword."
    )
    campaign_content_params: list[str] | None = prop(
        None, api="campaign_content_params", doc="URL query parameters read, in order, for the campaign content."
    )
    campaign_id_params: list[str] | None = prop(
        None, api="campaign_id_params", doc="URL query parameters read, in order, for the campaign id."
    )


class TrackerSettingsInputs(_SettingsFields):
    """Inputs of :class:`TrackerSettings`: the app (``site_id``) and the settings to override for it.

    Only the settings you set are managed, each written as the app's own override even where it equals the
    global value (``pinned``), so a change of the account-wide settings does not reach the app. Deleting the
    resource (or removing a setting) drops the app's override, so the global value applies again. Changing
    ``site_id`` replaces the resource.
    """

    resource_type: ClassVar[str] = "TrackerSettings"

    outputs: ClassVar[dict[str, Out]] = {PINNED: PINNED_OUTPUT}

    site_id: str = prop(
        doc="The app whose settings these are.", allowed="the UUID of an app", replace=True, pattern=UUID_PATTERN
    )


class GlobalTrackerSettingsInputs(_SettingsFields):
    """Inputs of :class:`GlobalTrackerSettings`: the account-wide values to set.

    A singleton per account (id ``global``): only one stack should declare it. Creating it records the values
    found (``previous``) for the settings you set; deleting it writes them back, unless one of ``kept_app_ids``
    still exists: then the account is left as it is (the stack forgets it).
    """

    resource_type: ClassVar[str] = "GlobalTrackerSettings"

    kept_app_ids: list[str] | None = prop(
        None,
        doc="Apps a destroy leaves in place (the stack's adopted apps; CnilAccount fills it in): while one of them "
        "still exists, delete leaves the account-wide values as they are instead of writing back ``previous`` "
        "(not an API attribute: nothing is sent).",
        allowed="a list of app UUIDs",
    )

    @field_validator("kept_app_ids")
    @classmethod
    def _app_ids(cls, app_ids: list[str] | None) -> list[str] | None:
        for app_id in app_ids or []:
            if not re.match(UUID_PATTERN, app_id):
                raise ValueError(f"{app_id!r} is not the UUID of an app")
        return app_ids

    outputs: ClassVar[dict[str, Out]] = {
        "previous": Out(dict[str, Any], "The values found at create for the managed settings (written back on delete).")
    }


#: The input of GlobalTrackerSettings naming the apps a destroy leaves in place.
KEPT = "kept_app_ids"

#: Pulumi property -> tracker settings attribute.
FIELDS: dict[str, str] = api_names(_SettingsFields)


def _values(settings: TrackerSettings) -> dict[str, Any]:
    # By dump: every setting of the client model (generated from the spec files), by its API name.
    return settings.model_dump()


class TrackerSettingsAdapter(SettingsAdapter[TrackerSettingsInputs]):
    resource_type = "TrackerSettings"
    inputs_model = TrackerSettingsInputs
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
    parent_key = None
    singleton_id = "global"
    restore_on_delete = True

    def fetch(self, ctx: Context, parent: str) -> Mapping[str, Any]:
        return _values(ctx.client.tracker_settings.get_global())

    def write(self, ctx: Context, parent: str, changes: dict[str, Any]) -> None:
        ctx.client.tracker_settings.update_global(changes)

    # ``kept_app_ids`` is an input that is never sent: carried through the outputs, so that diff sees no change.

    def create(self, ctx: Context, inputs: GlobalTrackerSettingsInputs) -> tuple[str, dict[str, Any]]:
        id_, outs = super().create(ctx, inputs)
        return id_, {**outs, KEPT: inputs.kept_app_ids}

    def read(self, ctx: Context, id_: str, state: dict[str, Any]) -> dict[str, Any] | None:
        outs = super().read(ctx, id_, state)
        return None if outs is None else {**outs, KEPT: state.get(KEPT)}

    def update(
        self, ctx: Context, id_: str, state: dict[str, Any], inputs: GlobalTrackerSettingsInputs
    ) -> dict[str, Any]:
        return {**super().update(ctx, id_, state, inputs), KEPT: inputs.kept_app_ids}

    def restore(self, ctx: Context, parent: str, changes: dict[str, Any], state: Mapping[str, Any]) -> None:
        """Write the account back as found, unless an app the stack leaves in place may inherit from it.

        A destroy reaches this delete only after every site of the stack (CnilAccount orders each site's app
        after it), and stops before it when one of them fails (deletion protection, an error, Ctrl-C). The sites
        that *succeed* while their app stays are the adopted ones (forgotten, not deleted): their ids come as
        ``kept_app_ids``, known when the program runs, since no resource can take the ids of resources deleted
        before it (that would be a cycle). Their own values are pinned overrides, but the API cannot show an
        override from an inherited value (docs/resources.md, "Pinned values"), so while one of them exists the
        account is not weakened under it: the values stay, and the stack forgets them, as it forgets the app.
        """
        kept = _apps_in_place(ctx, state.get(KEPT) or [])
        if not kept:
            super().restore(ctx, parent, changes, state)
            return
        names = {api: prop for prop, api in self.fields.items()}
        held = ", ".join(f"{names[api]} (found at create: {value!r})" for api, value in changes.items()) or "none"
        print(
            f"GlobalTrackerSettings: account-wide values left as they are, not written back (values not restored: "
            f"{held}): app(s) {', '.join(kept)} of this stack stay in place (adopted) and may inherit them; "
            "the stack forgets the account-wide settings",
            file=sys.stderr,
            flush=True,
        )


def _apps_in_place(ctx: Context, app_ids: list[str]) -> list[str]:
    """``'<id>' ('<name>')`` of each of these apps that still exists (one GET each)."""
    found = []
    for app_id in app_ids:
        try:
            app = ctx.client.apps.get(app_id)
        except NotFoundError:
            continue  # deleted since: nothing of it can inherit the account's values
        found.append(f"{app_id} ({app.name!r})")
    return found


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
