"""TagConsentType, ConsentTemplate and CustomDimension provider methods against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from piwik_resources.providers import (
    ConsentTemplateProvider,
    CustomDimensionProvider,
    ProviderError,
    TagConsentTypeProvider,
)
from piwik_resources.providers.consent_template import UI_PATH

from .live import Live, serve_without

# --- TagConsentType -----------------------------------------------------------------------------------


def _tags(live: Live, app_id: str) -> list[dict[str, Any]]:
    return list(live.api("GET", f"/api/tag/v1/{app_id}/tags")["data"])


def _tag(live: Live, app_id: str, tag_id: str) -> dict[str, Any]:
    return dict(live.api("GET", f"/api/tag/v1/{app_id}/tags/{tag_id}")["data"]["attributes"])


def _set_consent(live: Live, app_id: str, tag_id: str, consent_type: str) -> None:
    live.api(
        "PATCH",
        f"/api/tag/v1/{app_id}/tags/{tag_id}",
        {"data": {"type": "tag", "id": tag_id, "attributes": {"consent_type": consent_type}}},
    )


def test_tag_consent_type_finds_the_piwik_tag_sets_publishes_and_restores(live: Live) -> None:
    app_id = live.make_app("Tags")
    piwik = [t for t in _tags(live, app_id) if t["attributes"]["template"] == "piwik"]
    assert len(piwik) == 1
    tag_id = piwik[0]["id"]
    live.emulator.clear_requests()

    id_, outs = live.create(TagConsentTypeProvider, site_id=app_id, consent_type="not_require_consent")
    assert id_ == tag_id
    assert {k: outs[k] for k in ("site_id", "tag_id", "consent_type", "template", "tag_name")} == {
        "site_id": app_id,
        "tag_id": tag_id,
        "consent_type": "not_require_consent",
        "template": "piwik",
        "tag_name": "Piwik PRO",
    }
    assert outs["previous_consent_type"] == "analytics" and outs["published"]["values"]["consent_type"] == (
        "not_require_consent"
    )
    counts = live.counts()
    assert counts["PATCH /api/tag/v1/{app_id}/tags/{tag_id}"] == 1
    assert counts["POST /api/tag/v1/{app_id}/versions/draft/publish"] == 1
    assert "POST /api/tag/v1/{app_id}/tags" not in counts
    tag = _tag(live, app_id, tag_id)
    assert tag["consent_type"] == "not_require_consent" and tag["is_published"] is True

    props = {"site_id": app_id, "consent_type": "not_require_consent"}
    assert live.read(TagConsentTypeProvider, id_, outs).outs == outs
    assert not live.diff(TagConsentTypeProvider, id_, outs, **props).changes
    assert not live.diff(TagConsentTypeProvider, id_, outs, **props, tag_id=tag_id).changes
    assert live.diff(TagConsentTypeProvider, id_, outs, **props, tag_id="other").replaces == ["tag_id"]

    # Update, drift, repair.
    outs2 = live.update(TagConsentTypeProvider, id_, outs, site_id=app_id, consent_type="custom_consent")
    assert outs2["consent_type"] == "custom_consent" and outs2["previous_consent_type"] == "analytics"
    _set_consent(live, app_id, tag_id, "remarketing")
    drifted = live.read(TagConsentTypeProvider, id_, outs2).outs
    assert drifted is not None and drifted["consent_type"] == "remarketing"
    live.emulator.clear_requests()
    repaired = live.update(TagConsentTypeProvider, id_, drifted, site_id=app_id, consent_type="custom_consent")
    assert {k: v for k, v in repaired.items() if k != "published"} == {
        k: v for k, v in outs2.items() if k != "published"
    }
    assert repaired["published"]["version"] != outs2["published"]["version"]  # published again
    assert live.counts()["POST /api/tag/v1/{app_id}/versions/draft/publish"] == 1
    assert _tag(live, app_id, tag_id)["is_published"] is True

    # Delete restores the consent type found at create, published.
    live.delete(TagConsentTypeProvider, id_, repaired)
    tag = _tag(live, app_id, tag_id)
    assert tag["consent_type"] == "analytics" and tag["is_published"] is True

    # Out-of-band delete of the tag: gone; delete tolerates it.
    live.api("DELETE", f"/api/tag/v1/{app_id}/tags/{tag_id}")
    assert live.read(TagConsentTypeProvider, id_, repaired).id == ""
    live.delete(TagConsentTypeProvider, id_, repaired)


def test_tag_consent_type_follows_its_app_when_the_app_is_replaced(live: Live) -> None:
    """A new site_id replaces the resource; the old tag id (computed) must not follow into the new app."""
    old_app, new_app = live.make_app("Old"), live.make_app("New")
    id_, outs = live.create(TagConsentTypeProvider, site_id=old_app, consent_type="analytics")
    p = live.provider(TagConsentTypeProvider)
    old_inputs = {"__provider": "x", **{k: outs[k] for k in ("site_id", "consent_type", "tag_id", "template")}}
    checked = p.check(old_inputs, {"__provider": "x", "site_id": new_app, "consent_type": "analytics"})
    assert "tag_id" not in checked.inputs
    assert p.diff(id_, {"__provider": "x", **outs}, {"__provider": "x", **checked.inputs}).replaces == ["site_id"]
    new_id, new_outs = live.create(TagConsentTypeProvider, **checked.inputs)
    assert new_id != id_ and new_outs["site_id"] == new_app
    # Without a replacement, the computed tag id is kept from the old inputs (no phantom diff in previews).
    same_app = p.check(old_inputs, {"__provider": "x", "site_id": old_app, "consent_type": "user_feedback"})
    assert same_app.inputs["tag_id"] == id_


def test_tag_consent_type_already_right_sends_no_write(live: Live) -> None:
    app_id = live.make_app("Tags ok")
    live.emulator.clear_requests()
    _, outs = live.create(TagConsentTypeProvider, site_id=app_id, consent_type="analytics")
    assert outs["previous_consent_type"] == "analytics"
    assert live.writes() == {}


def test_tag_consent_type_errors(live: Live) -> None:
    app_id = live.make_app("Tags err")
    missing = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(ProviderError, match=f"tag_id: app .* has no tag {missing}"):
        live.create(TagConsentTypeProvider, site_id=app_id, consent_type="analytics", tag_id=missing)
    with pytest.raises(ProviderError, match=r"exactly one tag made from template 'piwik_event'.*found: none"):
        live.create(TagConsentTypeProvider, site_id=app_id, consent_type="analytics", template="piwik_event")
    live.emulator.clear_requests()
    f = live.check(TagConsentTypeProvider, site_id=app_id, consent_type="require_consent").failures
    assert [x.property for x in f] == ["consent_type"]
    assert "'require_consent' is not allowed (allowed: not_require_consent, analytics," in f[0].reason
    f = live.check(TagConsentTypeProvider, site_id=app_id).failures
    assert [(x.property, x.reason) for x in f] == [("consent_type", "consent_type is required")]
    f = live.check(TagConsentTypeProvider, site_id=app_id, consent_type="analytics", tag_id="nope").failures
    assert [x.property for x in f] == ["tag_id"]
    assert live.emulator.requests()["total"] == 0


# --- ConsentTemplate ----------------------------------------------------------------------------------

TEXTS = {
    "title": "Vos données",
    "message": "Nous collecterons et agrégerons des données sur l'utilisation de ce site.",
    "accept_label": "Accepter",
    "reject_label": "Refuser",
}


def test_consent_template_api_mode_lifecycle(live: Live) -> None:
    app_id = live.make_app("Consent")
    path = f"/api/consent-manager/v1/{app_id}/consent-form-templates/fr"
    id_, outs = live.create(ConsentTemplateProvider, site_id=app_id, language="fr", **TEXTS)
    assert id_ == f"{app_id}/fr"
    assert outs == {"site_id": app_id, "language": "fr", **TEXTS, "pending_manual_step": False}
    assert live.api("GET", path)["data"]["attributes"]["title"] == "Vos données"
    assert live.read(ConsentTemplateProvider, id_, outs).outs == outs
    assert not live.diff(ConsentTemplateProvider, id_, outs, site_id=app_id, language="fr", **TEXTS).changes
    assert live.diff(ConsentTemplateProvider, id_, outs, site_id=app_id, language="en", **TEXTS).replaces == [
        "language"
    ]

    outs2 = live.update(
        ConsentTemplateProvider, id_, outs, site_id=app_id, language="fr", **{**TEXTS, "title": "Mesure d'audience"}
    )
    assert outs2["title"] == "Mesure d'audience"

    live.api(
        "PUT",
        path,
        {
            "data": {
                "type": "consent-manager/consent-form-template",
                "id": "fr",
                "attributes": {**TEXTS, "title": "changed by hand"},
            }
        },
    )
    drifted = live.read(ConsentTemplateProvider, id_, outs2).outs
    assert drifted is not None and drifted["title"] == "changed by hand"

    live.api("DELETE", path)
    assert live.read(ConsentTemplateProvider, id_, outs2).id == ""
    _, outs3 = live.create(ConsentTemplateProvider, site_id=app_id, language="fr", **TEXTS)
    live.delete(ConsentTemplateProvider, id_, outs3)
    assert live.emulator.api("GET", path).status_code == 404


def test_consent_template_adopts_identical_template_without_write(live: Live) -> None:
    app_id = live.make_app("Consent adopt")
    live.api(
        "PUT",
        f"/api/consent-manager/v1/{app_id}/consent-form-templates/fr",
        {"data": {"type": "consent-manager/consent-form-template", "id": "fr", "attributes": TEXTS}},
    )
    live.emulator.clear_requests()
    live.create(ConsentTemplateProvider, site_id=app_id, language="fr", **TEXTS)
    assert live.writes() == {}


def test_consent_template_manual_mode_sends_nothing(live: Live) -> None:
    app_id = "11111111-1111-4111-8111-111111111111"
    live.emulator.clear_requests()
    id_, outs = live.create(ConsentTemplateProvider, site_id=app_id, language="fr", mode="manual", **TEXTS)
    assert outs["pending_manual_step"] is True
    assert UI_PATH in outs["manual_instructions"]
    assert f"message: «{TEXTS['message']}»" in outs["manual_instructions"]
    assert live.read(ConsentTemplateProvider, id_, outs).outs == outs
    live.update(
        ConsentTemplateProvider, id_, outs, site_id=app_id, language="fr", mode="manual", **{**TEXTS, "title": "x"}
    )
    live.delete(ConsentTemplateProvider, id_, outs)
    assert live.emulator.requests()["total"] == 0


def test_consent_template_host_without_the_api_fails_clearly(live: Live) -> None:
    """A host that does not serve the consent template paths (like the real Piwik PRO) answers 404."""
    serve_without("/api/consent-manager/", {"errors": [{"status": "404", "title": "Not Found"}]})
    app_id = live.make_app("No consent API")
    with pytest.raises(ProviderError) as info:
        live.create(ConsentTemplateProvider, site_id=app_id, language="fr", **TEXTS)
    text = str(info.value)
    assert "does not serve the consent form template API" in text
    assert UI_PATH in text
    assert f"message: «{TEXTS['message']}»" in text
    assert 'mode="manual"' in text


def test_consent_template_bad_inputs(live: Live) -> None:
    app = "11111111-1111-4111-8111-111111111111"
    f = live.check(ConsentTemplateProvider, site_id=app, language="French", **TEXTS).failures
    assert [x.property for x in f] == ["language"]
    f = live.check(ConsentTemplateProvider, site_id=app, language="fr", **TEXTS, mode="ui").failures
    assert f[0].reason == "mode: 'ui' is not allowed (allowed: api, manual)"
    f = live.check(ConsentTemplateProvider, site_id=app, language="fr", title="t").failures
    assert [x.property for x in f] == ["message"]
    assert live.emulator.requests()["total"] == 0


# --- CustomDimension ----------------------------------------------------------------------------------


def _dim(live: Live, app_id: str, dim_id: str) -> dict[str, Any]:
    path = f"/api/analytics/v1/manage/custom-dimensions/{dim_id}/?website_id={app_id}"
    return dict(live.api("GET", path)["data"]["attributes"])


def test_custom_dimension_lifecycle_deactivate_and_reactivate(live: Live) -> None:
    app_id = live.make_app("Dims")
    props = {"site_id": app_id, "name": "consent_state", "scope": "session"}
    id_, outs = live.create(CustomDimensionProvider, **props)
    assert outs["dimension_id"] == id_
    assert (outs["active"], outs["case_sensitive"], outs["extractions"], outs["slot"]) == (True, False, [], 1)
    assert isinstance(outs["tracking_id"], int)
    assert live.read(CustomDimensionProvider, id_, outs).outs == outs
    assert not live.diff(CustomDimensionProvider, id_, outs, **props).changes
    assert live.diff(CustomDimensionProvider, id_, outs, **{**props, "scope": "event"}).replaces == ["scope"]

    outs2 = live.update(
        CustomDimensionProvider,
        id_,
        outs,
        **{**props, "name": "consent"},
        extractions=[{"target": "page_url_regex", "pattern": "consent=(\\w+)"}],
    )
    assert outs2["name"] == "consent" and outs2["extractions"][0]["target"] == "page_url_regex"

    # Drift: deactivated by hand; up reactivates.
    body = {
        "data": {
            "type": "CustomDimension",
            "id": id_,
            "attributes": {**{k: v for k, v in _dim(live, app_id, id_).items() if k != "tracking_id"}, "active": False},
        }
    }
    live.api("PUT", f"/api/analytics/v1/manage/custom-dimensions/{id_}/", body)
    drifted = live.read(CustomDimensionProvider, id_, outs2).outs
    assert drifted is not None and drifted["active"] is False
    repaired = live.update(CustomDimensionProvider, id_, drifted, **{**props, "name": "consent"})
    assert repaired == outs2

    # Delete = deactivate (the API has no DELETE).
    live.delete(CustomDimensionProvider, id_, repaired)
    assert _dim(live, app_id, id_)["active"] is False
    # A new resource of the same name and scope reactivates it instead of using another slot.
    live.emulator.clear_requests()
    id2, outs3 = live.create(CustomDimensionProvider, **{**props, "name": "consent"})
    assert id2 == id_ and outs3["active"] is True
    assert "POST /api/analytics/v1/manage/custom-dimensions/" not in live.counts()

    # The app deleted by hand: the dimension is gone with it.
    live.api("DELETE", f"/api/apps/v2/{app_id}")
    assert live.read(CustomDimensionProvider, id_, outs3).id == ""
    live.delete(CustomDimensionProvider, id_, outs3)


def test_custom_dimension_adoption(live: Live) -> None:
    app_id = live.make_app("Dims adopt")
    made = live.api(
        "POST",
        "/api/analytics/v1/manage/custom-dimensions/",
        {
            "data": {
                "type": "CustomDimension",
                "attributes": {
                    "website_id": app_id,
                    "name": "by hand",
                    "active": True,
                    "case_sensitive": True,
                    "scope": "event",
                },
            }
        },
    )
    dim_id = made["data"]["id"]
    live.emulator.clear_requests()
    id_, outs = live.create(CustomDimensionProvider, site_id=app_id, name="by hand", scope="event", adopt_id=dim_id)
    assert id_ == dim_id and outs["case_sensitive"] is True
    assert live.writes() == {}
    with pytest.raises(ProviderError, match=r"scope: dimension .* has scope 'event', not 'session'"):
        live.create(CustomDimensionProvider, site_id=app_id, name="by hand", scope="session", adopt_id=dim_id)


def test_custom_dimension_bad_inputs(live: Live) -> None:
    app = "11111111-1111-4111-8111-111111111111"
    f = live.check(CustomDimensionProvider, site_id=app, name="x", scope="product").failures
    assert f[0].reason == "scope: 'product' is not allowed (allowed: session, event)"
    f = live.check(
        CustomDimensionProvider,
        site_id=app,
        name="x",
        scope="event",
        extractions=[{"target": "cookie", "pattern": "x"}],
    ).failures
    assert [x.property for x in f] == ["extractions"]
    assert f[0].reason.startswith("extractions[0].target: 'cookie' is not allowed")
    assert live.emulator.requests()["total"] == 0


def test_tag_consent_type_sets_the_piwik_tag_privacy_settings_and_restores_them(live: Live) -> None:
    """respect_visitors_privacy and the piwik template's visitor_cookie_timeout / cross_domain_tracking are set
    and read back from the emulator; the other template options survive the whole-object PATCH; delete writes
    back what was found (an option that was absent is removed again)."""
    app_id = live.make_app("Tag options")
    tag_id = next(t["id"] for t in _tags(live, app_id) if t["attributes"]["template"] == "piwik")
    path = f"/api/tag/v1/{app_id}/tags/{tag_id}"
    live.api(
        "PATCH",
        path,
        {"data": {"type": "tag", "id": tag_id, "attributes": {"template_options": {"cross_domain_tracking": True}}}},
    )
    settings = {"respect_visitors_privacy": True, "visitor_cookie_timeout": 33_696_000, "cross_domain_tracking": False}
    id_, outs = live.create(TagConsentTypeProvider, site_id=app_id, consent_type="analytics", **settings)
    assert {k: outs[k] for k in settings} == settings
    assert outs["previous_settings"] == {
        "values": {"respect_visitors_privacy": True, "cross_domain_tracking": True},
        "absent": ["visitor_cookie_timeout"],
    }
    live_tag = _tag(live, app_id, tag_id)
    assert live_tag["template_options"]["visitor_cookie_timeout"] == 33_696_000
    assert live_tag["template_options"]["cross_domain_tracking"] is False
    assert live_tag["template_options"]["link_tracking"] is True  # untouched by the whole-object PATCH
    assert live_tag["respect_visitors_privacy"] is True and live_tag["is_published"] is True

    # Someone lengthens the cookie in the UI: refresh reads it back, and a diff shows the drift.
    options = {k: v for k, v in live_tag["template_options"].items() if not k.startswith("tracker_")}
    patch = {"template_options": {**options, "visitor_cookie_timeout": 63_072_000}, "respect_visitors_privacy": False}
    live.api("PATCH", path, {"data": {"type": "tag", "id": tag_id, "attributes": patch}})
    refreshed = live.read(TagConsentTypeProvider, id_, outs)
    assert refreshed.outs["visitor_cookie_timeout"] == 63_072_000
    assert refreshed.outs["respect_visitors_privacy"] is False
    diff = live.diff(
        TagConsentTypeProvider, id_, dict(refreshed.outs), site_id=app_id, consent_type="analytics", **settings
    )
    assert diff.changes is True and not diff.replaces
    outs = live.update(
        TagConsentTypeProvider, id_, dict(refreshed.outs), site_id=app_id, consent_type="analytics", **settings
    )
    assert _tag(live, app_id, tag_id)["template_options"]["visitor_cookie_timeout"] == 33_696_000

    live.delete(TagConsentTypeProvider, id_, outs)
    restored = _tag(live, app_id, tag_id)
    assert "visitor_cookie_timeout" not in restored["template_options"]
    assert restored["template_options"]["cross_domain_tracking"] is True


def test_piwik_options_on_another_template_are_refused(live: Live) -> None:
    app_id = live.make_app("Tag options refused")
    body = {"name": "Event", "template": "piwik_event", "template_options": {}}
    event_id = live.api("POST", f"/api/tag/v1/{app_id}/tags", {"data": {"type": "tag", "attributes": body}})["data"][
        "id"
    ]
    with pytest.raises(ProviderError, match="visitor_cookie_timeout: only the Piwik PRO tag"):
        live.create(
            TagConsentTypeProvider, site_id=app_id, tag_id=event_id, consent_type="analytics", visitor_cookie_timeout=60
        )
