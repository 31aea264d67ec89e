"""What TagConsentType and SiteTags read for the compliance rules, against the emulator (issue 19).

TagConsentType reads the Piwik PRO tag's identifier, event and cookie options, records the values of the
published version (the API publishes no version's content: only each tag's ``is_published`` and the published
version's id), and fills custom dimensions by id; SiteTags reads the triggers of every tag that fires without
consent, or says it could not (null) where the host does not serve the archived reference's trigger paths.
"""

from __future__ import annotations

from typing import Any

import pytest

from piwik_resources.providers import SiteTagsProvider, TagConsentTypeProvider

from .live import Live, serve_without


def _piwik_tag(live: Live, app_id: str) -> str:
    tags = live.api("GET", f"/api/tag/v1/{app_id}/tags")["data"]
    return str(next(t["id"] for t in tags if t["attributes"]["template"] == "piwik"))


def _patch_tag(live: Live, app_id: str, tag_id: str, attributes: dict[str, Any]) -> None:
    body = {"data": {"type": "tag", "id": tag_id, "attributes": attributes}}
    live.api("PATCH", f"/api/tag/v1/{app_id}/tags/{tag_id}", body)


def _published_id(live: Live, app_id: str) -> str:
    return str(live.api("GET", f"/api/tag/v1/{app_id}/versions/published")["data"]["id"])


def test_the_piwik_tag_s_options_are_read_and_an_absent_one_reads_empty(live: Live) -> None:
    app_id = live.make_app("Options read")
    _, outs = live.create(TagConsentTypeProvider, site_id=app_id, consent_type="analytics")
    assert {k: outs[k] for k in ("user_id", "cookie_domain", "content_tracking")} == dict.fromkeys(
        ("user_id", "cookie_domain", "content_tracking"), ""
    )
    assert (outs["link_tracking"], outs["js_error_tracking"], outs["piwik_custom_dimensions"]) == (True, True, [])
    tag_id = _piwik_tag(live, app_id)
    options = {
        "user_id": "{{ Customer id }}",
        "cookie_domain": "*.example.fr",
        "content_tracking": "trackAllContentImpressions",
        "piwik_custom_variables": [{"id": 1, "name": "plan", "value": "gold", "scope": "visit"}],
    }
    _patch_tag(live, app_id, tag_id, {"template_options": options})
    read = live.read(TagConsentTypeProvider, tag_id, outs).outs
    assert {k: read[k] for k in options} == options


def test_published_values_are_recorded_and_kept_while_a_change_stays_in_the_draft(live: Live) -> None:
    app_id = live.make_app("Published")
    id_, outs = live.create(TagConsentTypeProvider, site_id=app_id, consent_type="analytics")
    published = outs["published"]
    assert published["version_id"] == _published_id(live, app_id)
    assert published["values"]["consent_type"] == "analytics" and published["values"]["user_id"] == ""

    # A change in the draft only: the tag reads unpublished, the published version is the same: its values stay.
    _patch_tag(live, app_id, id_, {"consent_type": "not_require_consent"})
    draft = live.read(TagConsentTypeProvider, id_, outs).outs
    assert draft["consent_type"] == "not_require_consent"  # the draft, as the tag reads
    assert draft["published"] == published  # what the website runs

    # Published by hand: the tag has no unpublished change any more, its values are the published ones.
    live.api("POST", f"/api/tag/v1/{app_id}/versions/draft/publish")
    after = live.read(TagConsentTypeProvider, id_, dict(draft)).outs
    assert after["published"]["values"]["consent_type"] == "not_require_consent"
    assert after["published"]["version_id"] == _published_id(live, app_id) != published["version_id"]


def test_published_values_unknown_when_another_version_was_published_since(live: Live) -> None:
    app_id = live.make_app("Unknown published")
    id_, outs = live.create(TagConsentTypeProvider, site_id=app_id, consent_type="analytics")
    _patch_tag(live, app_id, id_, {"consent_type": "remarketing"})
    live.api("POST", f"/api/tag/v1/{app_id}/versions/draft/publish")  # a version this resource never read
    _patch_tag(live, app_id, id_, {"consent_type": "not_require_consent"})  # and a draft change on top
    read = live.read(TagConsentTypeProvider, id_, outs).outs
    assert read["published"] == {"values": False}  # the draft is all that can be read: the judge will say so


def test_dimension_values_fill_entries_by_id_keep_the_others_and_restore_them(live: Live) -> None:
    app_id = live.make_app("Dimensions filled")
    tag_id = _piwik_tag(live, app_id)
    _patch_tag(
        live,
        app_id,
        tag_id,
        {"template_options": {"piwik_custom_dimensions": [{"id": 3, "value": "mine"}, {"id": 5, "value": "x"}]}},
    )
    wanted = {"5": "{{ Consent state }}", "6": "{{ Consent state }}"}
    id_, outs = live.create(TagConsentTypeProvider, site_id=app_id, consent_type="analytics", dimension_values=wanted)
    entries = live.api("GET", f"/api/tag/v1/{app_id}/tags/{tag_id}")["data"]["attributes"]["template_options"]
    assert entries["piwik_custom_dimensions"] == [
        {"id": 3, "value": "mine"},
        {"id": 5, "value": "{{ Consent state }}"},
        {"id": 6, "value": "{{ Consent state }}"},
    ]
    assert outs["dimension_values"] == wanted  # only the managed ids: entry 3 is not this resource's
    assert outs["previous_settings"] == {"values": {"dimension_values": {"5": "x"}}, "absent": ["dimension:6"]}
    assert outs["published"]["values"]["piwik_custom_dimensions"] == entries["piwik_custom_dimensions"]
    live.delete(TagConsentTypeProvider, id_, outs)
    restored = live.api("GET", f"/api/tag/v1/{app_id}/tags/{tag_id}")["data"]["attributes"]["template_options"]
    assert restored["piwik_custom_dimensions"] == [{"id": 3, "value": "mine"}, {"id": 5, "value": "x"}]


@pytest.mark.parametrize("values", [{"0": "x"}, {"401": "x"}, {"one": "x"}, {"2": ""}])
def test_dimension_values_outside_the_published_ranges_are_refused_before_any_request(
    live: Live, values: dict[str, str]
) -> None:
    site = "11111111-1111-4111-8111-111111111111"
    failures = live.check(TagConsentTypeProvider, site_id=site, consent_type="analytics", dimension_values=values)
    assert [f.property for f in failures.failures] == ["dimension_values"]
    assert "allowed: dimension ids 1 to 400 (as text) and values of 1 to 255 characters" in failures.failures[0].reason


def _variable(live: Live, app_id: str, name: str) -> str:
    found = live.api("GET", f"/api/tag/v1/{app_id}/variables")["data"]
    return str(next(v["id"] for v in found if v["attributes"]["name"] == name))


def test_site_tags_reads_the_triggers_of_the_tags_that_fire_without_consent(live: Live) -> None:
    app_id = live.make_app("Triggers read")
    _, outs = live.create(SiteTagsProvider, site_id=app_id)
    (page_views,) = outs["triggers"]  # the Piwik PRO tag measures visitors who did not consent too
    assert (page_views["tag_name"], page_views["trigger_name"], page_views["conditions"]) == (
        "Piwik PRO",
        "All page views",
        [],
    )
    condition = {"variable_id": _variable(live, app_id, "Traffic source"), "condition_type": "equals", "value": "x"}
    trigger = {"name": "Campaign visitors", "trigger_type": "page_view", "conditions": [condition]}
    trigger_id = live.api(
        "POST", f"/api/tag/v1/{app_id}/triggers", {"data": {"type": "trigger", "attributes": trigger}}
    )["data"]["id"]
    pixel = {"name": "Pixel", "template": "custom_tag", "code": "<img>", "consent_type": "not_require_consent"}
    relationships = {"triggers": {"data": [{"id": trigger_id, "type": "trigger"}]}}
    body = {"data": {"type": "tag", "attributes": pixel, "relationships": relationships}}
    live.api("POST", f"/api/tag/v1/{app_id}/tags", body)
    consented = {**pixel, "name": "Consented", "consent_type": "remarketing"}
    live.api("POST", f"/api/tag/v1/{app_id}/tags", {"data": {**body["data"], "attributes": consented}})
    live.emulator.clear_requests()
    read = live.read(SiteTagsProvider, app_id, outs).outs
    by_tag = {t["tag_name"]: t for t in read["triggers"]}
    assert set(by_tag) == {"Piwik PRO", "Pixel"}  # the consented tag waits for consent: its triggers are not read
    assert by_tag["Pixel"]["conditions"] == [{"condition_type": "equals", "variable": "Traffic source"}]
    assert live.writes() == {}


def test_a_host_without_the_archived_trigger_paths_leaves_triggers_not_read(live: Live) -> None:
    serve_without("/triggers/", {"errors": [{"code": "NOT_FOUND_ERROR", "detail": "no such path"}]})
    app_id = live.make_app("No triggers API")
    _, outs = live.create(SiteTagsProvider, site_id=app_id)
    assert outs.get("triggers") is None and [t["name"] for t in outs["tags"]] == ["Piwik PRO"]
