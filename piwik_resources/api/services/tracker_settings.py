"""Tracker settings v2: the account-wide (``global``) values and the per-app overrides."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import NotFoundError
from ..jsonapi import document
from ..models import TrackerSettings
from ._base import Service, to_wire

__all__ = ["TRACKER_SETTING_NAMES", "TrackerSettingsService"]

GLOBAL = "/api/tracker/v2/settings/app/global"
APP = "/api/tracker/v2/settings/app/{app_id}"
APP_SETTING = "/api/tracker/v2/settings/app/{app_id}/{setting}"
BY_URL = "/api/tracker/v2/settings/app/url"

#: Names accepted by ``DELETE .../app/{app_id}/{setting}`` (every settable attribute).
TRACKER_SETTING_NAMES: frozenset[str] = frozenset(
    name for name in TrackerSettings.model_fields if name not in ("id", "updated_at")
)


class TrackerSettingsService(Service):
    def get_global(self) -> TrackerSettings:
        return self._one(TrackerSettings, "GET", GLOBAL)

    def update_global(self, changes: Mapping[str, Any] | TrackerSettings) -> None:
        """PATCH the given global settings only (``urls`` is per app and refused here)."""
        attributes = self._wire(changes)
        if "urls" in attributes:
            raise ValueError("tracker setting 'urls' exists per app only, not in the global settings")
        if not attributes:
            return
        self._call("PATCH", GLOBAL, json=document("tracker/settings/app/global", attributes, id="global"))

    def get_app(self, app_id: str) -> TrackerSettings:
        """The app's effective settings (its overrides over the global values)."""
        return self._one(TrackerSettings, "GET", APP, path_params={"app_id": app_id})

    def app_id_for_url(self, url: str) -> str | None:
        """The id of the app tracking ``url`` (``GET .../settings/app/url?app_url=``), or ``None`` when none does."""
        try:
            return self._one(TrackerSettings, "GET", BY_URL, params={"app_url": url}).id
        except NotFoundError:
            return None

    def update_app(self, app_id: str, changes: Mapping[str, Any] | TrackerSettings) -> None:
        """PATCH the given per-app overrides only."""
        attributes = self._wire(changes)
        if not attributes:
            return
        self._call(
            "PATCH",
            APP,
            path_params={"app_id": app_id},
            json=document("tracker/settings/app", attributes, id=app_id),
        )

    def reset_app_setting(self, app_id: str, setting: str) -> None:
        """DELETE one per-app override, so the global value applies again."""
        if setting not in TRACKER_SETTING_NAMES:
            raise ValueError(
                f"unknown tracker setting {setting!r}; accepted: {', '.join(sorted(TRACKER_SETTING_NAMES))}"
            )
        self._call("DELETE", APP_SETTING, path_params={"app_id": app_id, "setting": setting})

    @staticmethod
    def _wire(changes: Mapping[str, Any] | TrackerSettings) -> dict[str, Any]:
        attributes = to_wire(TrackerSettings, changes, what="tracker setting")
        attributes.pop("updated_at", None)
        attributes.pop("id", None)
        return attributes
