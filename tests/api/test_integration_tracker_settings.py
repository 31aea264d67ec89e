"""Tracker settings v2 (global and per app) against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from piwik_resources.api import ValidationError

from ._emu import client_for, new_app


def test_global_settings(emulator: Any) -> None:
    with client_for(emulator) as client:
        before = client.tracker_settings.get_global()
        assert before.id == "global" and before.anonymize_visitor_ip_level == 0
        client.tracker_settings.update_global(
            {"anonymize_visitor_ip_level": 2, "fingerprint_based_on_anonymized_ip": True}
        )
        after = client.tracker_settings.get_global()
        assert after.anonymize_visitor_ip_level == 2 and after.fingerprint_based_on_anonymized_ip is True
        assert after.exclude_crawlers == before.exclude_crawlers  # untouched


def test_app_overrides_and_reset(emulator: Any) -> None:
    with client_for(emulator) as client:
        app = new_app(client)
        client.tracker_settings.update_global({"anonymize_visitor_ip_level": 1})
        assert client.tracker_settings.get_app(app.id).anonymize_visitor_ip_level == 1  # inherited
        client.tracker_settings.update_app(
            app.id,
            {
                "anonymize_visitor_ip_level": 3,
                "anonymize_visitor_geolocation_level": "City",
                "enable_fingerprinting_across_websites": False,
                "exclude_unknown_urls": True,
            },
        )
        settings = client.tracker_settings.get_app(app.id)
        assert settings.id == app.id and settings.urls == ["https://shop.example"]
        assert settings.anonymize_visitor_ip_level == 3 and settings.anonymize_visitor_geolocation_level == "City"
        client.tracker_settings.reset_app_setting(app.id, "anonymize_visitor_ip_level")
        assert client.tracker_settings.get_app(app.id).anonymize_visitor_ip_level == 1


def test_invalid_level_names_the_pointer(emulator: Any) -> None:
    with client_for(emulator) as client:
        app = new_app(client)
        with pytest.raises(ValidationError) as info:
            client.tracker_settings.update_app(app.id, {"anonymize_visitor_ip_level": 7})
        assert "/data/attributes/anonymize_visitor_ip_level" in info.value.pointers
        assert f"PATCH /api/tracker/v2/settings/app/{app.id} returned HTTP 400" in str(info.value)
