"""TrackerSettings and GlobalTrackerSettings provider methods against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from piwik_resources.providers import GlobalTrackerSettingsProvider, TrackerSettingsProvider

from .live import Live


def _tracker(live: Live, app_id: str) -> dict[str, Any]:
    return dict(live.api("GET", f"/api/tracker/v2/settings/app/{app_id}")["data"]["attributes"])


def _global(live: Live) -> dict[str, Any]:
    return dict(live.api("GET", "/api/tracker/v2/settings/app/global")["data"]["attributes"])


def test_tracker_settings_lifecycle(live: Live) -> None:
    app_id = live.make_app("Tracked")
    live.emulator.clear_requests()
    props = {
        "site_id": app_id,
        "ip_masking_level": 2.0,
        "use_masked_ip_for_enrichment": True,
        "geolocation_level": "City",
        "fingerprinting_across_websites": False,
        "exclude_unknown_urls": True,
    }
    id_, outs = live.create(TrackerSettingsProvider, **props)
    assert id_ == app_id
    assert outs == {
        "site_id": app_id,
        "ip_masking_level": 2,
        "use_masked_ip_for_enrichment": True,
        "geolocation_level": "City",
        "fingerprinting_across_websites": False,
        "exclude_unknown_urls": True,
        "pinned": [
            "ip_masking_level",
            "use_masked_ip_for_enrichment",
            "geolocation_level",
            "fingerprinting_across_websites",
            "exclude_unknown_urls",
        ],
    }
    assert isinstance(outs["ip_masking_level"], int)
    live_values = _tracker(live, app_id)
    assert live_values["anonymize_visitor_ip_level"] == 2
    assert live_values["fingerprint_based_on_anonymized_ip"] is True
    assert live.writes() == {"PATCH /api/tracker/v2/settings/app/{app_id}": 1}

    assert live.read(TrackerSettingsProvider, id_, outs).outs == outs
    assert not live.diff(TrackerSettingsProvider, id_, outs, **props).changes

    # Drift and repair.
    live.api(
        "PATCH",
        f"/api/tracker/v2/settings/app/{app_id}",
        {"data": {"type": "tracker/settings/app", "id": app_id, "attributes": {"anonymize_visitor_ip_level": 0}}},
    )
    drifted = live.read(TrackerSettingsProvider, id_, outs).outs
    assert drifted is not None and drifted["ip_masking_level"] == 0
    assert live.diff(TrackerSettingsProvider, id_, drifted, **props).changes
    assert live.update(TrackerSettingsProvider, id_, drifted, **props) == outs
    assert _tracker(live, app_id)["anonymize_visitor_ip_level"] == 2

    # Removing one setting from the program drops that override only.
    smaller = {k: v for k, v in props.items() if k != "geolocation_level"}
    outs2 = live.update(TrackerSettingsProvider, id_, outs, **smaller)
    assert "geolocation_level" not in outs2
    assert (
        _tracker(live, app_id)["anonymize_visitor_geolocation_level"]
        == _global(live)["anonymize_visitor_geolocation_level"]
    )

    # Delete reverts every managed setting to the global value.
    live.emulator.clear_requests()
    live.delete(TrackerSettingsProvider, id_, outs2)
    assert live.writes()["DELETE /api/tracker/v2/settings/app/{app_id}/{setting}"] == 4
    after, glob = _tracker(live, app_id), _global(live)
    for api in ("anonymize_visitor_ip_level", "fingerprint_based_on_anonymized_ip", "exclude_unknown_urls"):
        assert after[api] == glob[api], api

    # Out-of-band delete of the app: gone.
    live.api("DELETE", f"/api/apps/v2/{app_id}")
    assert live.read(TrackerSettingsProvider, id_, outs).id == ""
    live.delete(TrackerSettingsProvider, id_, outs)


def _patch_global(live: Live, **attributes: Any) -> None:
    body = {"data": {"type": "tracker/settings/app/global", "id": "global", "attributes": attributes}}
    live.api("PATCH", "/api/tracker/v2/settings/app/global", body)


def test_values_equal_to_the_account_s_are_pinned_and_outlive_an_account_change(live: Live) -> None:
    """Issue 20: a value equal to the account's at create is written as the app's own override all the same."""
    _patch_global(live, anonymize_visitor_ip_level=2, anonymize_visitor_geolocation_level="City")
    app_id = live.make_app("Pinned")
    live.emulator.clear_requests()
    props = {"site_id": app_id, "ip_masking_level": 2.0, "geolocation_level": "City"}
    id_, outs = live.create(TrackerSettingsProvider, **props)
    # One write, although both values equalled the account's: they are the app's own from now on.
    assert live.writes() == {"PATCH /api/tracker/v2/settings/app/{app_id}": 1}
    assert outs["pinned"] == ["ip_masking_level", "geolocation_level"]
    assert not live.diff(TrackerSettingsProvider, id_, outs, **props).changes

    _patch_global(live, anonymize_visitor_ip_level=0, anonymize_visitor_geolocation_level="none")
    after = _tracker(live, app_id)
    assert (after["anonymize_visitor_ip_level"], after["anonymize_visitor_geolocation_level"]) == (2, "City")
    assert live.read(TrackerSettingsProvider, id_, outs).outs == outs  # no drift: the app still holds them

    # A state from before pinning (no `pinned`) is a change, and its update pins what is only inherited now.
    other = live.make_app("Inherited")
    _patch_global(live, anonymize_visitor_ip_level=2)
    old_state = {"site_id": other, "ip_masking_level": 2}
    assert live.diff(TrackerSettingsProvider, other, old_state, site_id=other, ip_masking_level=2.0).changes
    live.emulator.clear_requests()
    upgraded = live.update(TrackerSettingsProvider, other, old_state, site_id=other, ip_masking_level=2.0)
    assert live.writes() == {"PATCH /api/tracker/v2/settings/app/{app_id}": 1}
    assert upgraded["pinned"] == ["ip_masking_level"]
    _patch_global(live, anonymize_visitor_ip_level=0)
    assert _tracker(live, other)["anonymize_visitor_ip_level"] == 2


def test_tracker_settings_site_change_is_a_replace(live: Live) -> None:
    a, b = live.make_app("A"), live.make_app("B")
    id_, outs = live.create(TrackerSettingsProvider, site_id=a, ip_masking_level=1.0)
    d = live.diff(TrackerSettingsProvider, id_, outs, site_id=b, ip_masking_level=1.0)
    assert d.changes is True and d.replaces == ["site_id"]


def test_tracker_settings_bad_inputs(live: Live) -> None:
    app = "11111111-1111-4111-8111-111111111111"
    f = live.check(TrackerSettingsProvider, site_id=app, ip_masking_level=5.0).failures
    assert [x.property for x in f] == ["ip_masking_level"]
    assert f[0].reason == "ip_masking_level: 5 is not allowed (allowed: 0, 1, 2, 3, 4)"
    f = live.check(TrackerSettingsProvider, site_id=app, geolocation_level="city").failures
    assert f[0].reason == "geolocation_level: 'city' is not allowed (allowed: none, City, Region, Country, Continent)"
    f = live.check(TrackerSettingsProvider, site_id=app, session_max_duration_seconds=0.0).failures
    assert [x.property for x in f] == ["session_max_duration_seconds"]
    f = live.check(TrackerSettingsProvider, ip_masking_level=1.0).failures
    assert [(x.property, x.reason) for x in f] == [("site_id", "site_id is required")]
    f = live.check(TrackerSettingsProvider, site_id=app, ip_masking=1.0).failures
    assert f[0].property == "ip_masking" and "is not a property of TrackerSettings" in f[0].reason
    assert live.emulator.requests()["total"] == 0


def test_global_tracker_settings_restores_what_it_found(live: Live) -> None:
    before = _global(live)
    live.emulator.clear_requests()
    props = {"ip_masking_level": 1.0, "use_masked_ip_for_enrichment": True}
    id_, outs = live.create(GlobalTrackerSettingsProvider, **props)
    assert id_ == "global"
    assert outs["previous"] == {
        "ip_masking_level": before["anonymize_visitor_ip_level"],
        "use_masked_ip_for_enrichment": before["fingerprint_based_on_anonymized_ip"],
    }
    assert _global(live)["anonymize_visitor_ip_level"] == 1
    assert live.read(GlobalTrackerSettingsProvider, id_, outs).outs == outs

    # Drift, repair, then a newly managed setting records its own previous value.
    live.api(
        "PATCH",
        "/api/tracker/v2/settings/app/global",
        {
            "data": {
                "type": "tracker/settings/app/global",
                "id": "global",
                "attributes": {"anonymize_visitor_ip_level": 3},
            }
        },
    )
    drifted = live.read(GlobalTrackerSettingsProvider, id_, outs).outs
    assert drifted is not None and drifted["ip_masking_level"] == 3
    outs2 = live.update(GlobalTrackerSettingsProvider, id_, drifted, **props, exclude_crawlers=False)
    assert outs2["ip_masking_level"] == 1 and outs2["exclude_crawlers"] is False
    assert outs2["previous"]["exclude_crawlers"] == before["exclude_crawlers"]
    assert outs2["previous"]["ip_masking_level"] == before["anonymize_visitor_ip_level"]

    live.delete(GlobalTrackerSettingsProvider, id_, outs2)
    after = _global(live)
    for api in ("anonymize_visitor_ip_level", "fingerprint_based_on_anonymized_ip", "exclude_crawlers"):
        assert after[api] == before[api], api


def test_global_tracker_settings_leaves_the_account_while_a_kept_app_exists(
    live: Live, capfd: pytest.CaptureFixture[str]
) -> None:
    """Issue 20: the restore never weakens an app the stack leaves in place (an adopted one)."""
    before = _global(live)
    kept = live.make_app("Adopted")
    props = {"ip_masking_level": 2.0, "geolocation_level": "City", "kept_app_ids": [kept]}
    id_, outs = live.create(GlobalTrackerSettingsProvider, **props)
    assert outs["kept_app_ids"] == [kept]
    assert live.read(GlobalTrackerSettingsProvider, id_, outs).outs == outs
    assert not live.diff(GlobalTrackerSettingsProvider, id_, outs, **props).changes

    live.emulator.clear_requests()
    live.delete(GlobalTrackerSettingsProvider, id_, outs)
    assert live.writes() == {}  # the account is left as it is, and the provider says so
    assert (_global(live)["anonymize_visitor_ip_level"], _global(live)["anonymize_visitor_geolocation_level"]) == (
        2,
        "City",
    )
    said = capfd.readouterr().err
    assert "account-wide values left as they are, not written back" in said
    assert f"{kept} ('Adopted')" in said and "ip_masking_level (found at create: 0)" in said

    # Once the app is gone, nothing can inherit from the account: the values found are written back.
    live.api("DELETE", f"/api/apps/v2/{kept}")
    live.delete(GlobalTrackerSettingsProvider, id_, outs)
    assert _global(live)["anonymize_visitor_ip_level"] == before["anonymize_visitor_ip_level"]
    assert _global(live)["anonymize_visitor_geolocation_level"] == before["anonymize_visitor_geolocation_level"]

    failures = live.check(GlobalTrackerSettingsProvider, kept_app_ids=["not-an-app"]).failures
    assert [(f.property, f.reason) for f in failures] == [
        ("kept_app_ids", "kept_app_ids: ['not-an-app'] is not allowed (allowed: a list of app UUIDs)")
    ]
