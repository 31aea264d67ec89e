"""SiteTags (read-only): create and refresh list the app's tags live; nothing is ever written."""

from __future__ import annotations

import pytest

from piwik_resources.providers import ProviderError, SiteTagsProvider

from .live import Live


def test_site_tags_reads_every_tag_and_sees_a_hand_made_one_at_refresh(live: Live) -> None:
    app_id = live.make_app("Tags read")
    live.emulator.clear_requests()
    id_, outs = live.create(SiteTagsProvider, site_id=app_id)
    assert id_ == app_id
    assert [(t["name"], t["template"], t["consent_type"], t["is_active"]) for t in outs["tags"]] == [
        ("Piwik PRO", "piwik", "analytics", True)
    ]
    assert live.writes() == {}

    # Someone adds a remarketing pixel by hand, firing without consent: the next refresh shows it.
    live.api(
        "POST",
        f"/api/tag/v1/{app_id}/tags",
        {
            "data": {
                "type": "tag",
                "attributes": {
                    "name": "Retargeting",
                    "template": "facebook_retargeting_pixel",
                    "template_options": {},
                    "consent_type": "not_require_consent",
                },
            }
        },
    )
    live.emulator.clear_requests()
    refreshed = live.read(SiteTagsProvider, id_, outs)
    assert refreshed.id == app_id
    tags = {t["name"]: t for t in refreshed.outs["tags"]}
    assert tags["Retargeting"]["template"] == "facebook_retargeting_pixel"
    assert tags["Retargeting"]["consent_type"] == "not_require_consent"
    assert tags["Retargeting"]["is_published"] is False
    assert live.writes() == {}

    live.delete(SiteTagsProvider, id_, dict(refreshed.outs))
    assert live.writes() == {}
    assert len(live.api("GET", f"/api/tag/v1/{app_id}/tags")["data"]) == 2


def test_site_tags_of_a_missing_app(live: Live) -> None:
    missing = "11111111-2222-3333-4444-555555555555"
    with pytest.raises(ProviderError, match="site_id: app 11111111-2222-3333-4444-555555555555 does not exist"):
        live.create(SiteTagsProvider, site_id=missing)
    gone = live.read(SiteTagsProvider, missing, {"site_id": missing, "tags": []})
    assert gone.id == ""
