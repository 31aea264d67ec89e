"""Site and SitePrivacy provider methods against the emulator: lifecycle, drift, adoption, no duplicate."""

from __future__ import annotations

import pytest

from piwik_resources.providers import ProviderError, SitePrivacyProvider, SiteProvider

from .live import Live

URLS = ["https://shop.example"]


def test_site_lifecycle(live: Live) -> None:
    id_, outs = live.create(SiteProvider, name="Shop", urls=URLS, timezone="Europe/Paris", currency="EUR")
    assert outs["site_id"] == id_
    assert outs["name"] == "Shop" and outs["urls"] == URLS
    assert (outs["timezone"], outs["currency"], outs["app_type"]) == ("Europe/Paris", "EUR", "web")
    assert live.app(id_)["timezone"] == "Europe/Paris"
    assert live.counts()["POST /api/apps/v2"] == 1

    # Refresh: same outputs, inputs derived from them; no false diff afterwards.
    res = live.read(SiteProvider, id_, outs)
    assert res.id == id_ and res.outs == outs
    assert res.inputs == {
        k: outs[k] for k in ("name", "urls", "timezone", "currency", "app_type", "deletion_protection")
    }
    assert not live.diff(
        SiteProvider, id_, outs, name="Shop", urls=URLS, timezone="Europe/Paris", currency="EUR"
    ).changes
    # Unset optional inputs keep the app's values (no diff either).
    assert not live.diff(SiteProvider, id_, outs, name="Shop", urls=URLS).changes

    # Update returns full outputs.
    outs2 = live.update(SiteProvider, id_, outs, name="Shop 2", urls=URLS, timezone="Europe/Paris")
    assert outs2 == {**outs, "name": "Shop 2"}
    assert live.app(id_)["name"] == "Shop 2"

    # Drift made by hand shows in read, and update repairs it.
    live.patch_app(id_, name="Renamed by hand", currency="PLN")
    drifted = live.read(SiteProvider, id_, outs2).outs
    assert drifted is not None and drifted["name"] == "Renamed by hand" and drifted["currency"] == "PLN"
    d = live.diff(SiteProvider, id_, drifted, name="Shop 2", urls=URLS, currency="EUR")
    assert d.changes and d.replaces == []
    repaired = live.update(SiteProvider, id_, drifted, name="Shop 2", urls=URLS, currency="EUR")
    assert (repaired["name"], repaired["currency"]) == ("Shop 2", "EUR")

    # Out-of-band delete: read says gone; delete tolerates it.
    live.api("DELETE", f"/api/apps/v2/{id_}")
    gone = live.read(SiteProvider, id_, repaired)
    assert gone.id == "" and gone.outs == {}
    live.delete(SiteProvider, id_, {**repaired, "deletion_protection": False})


def test_site_delete(live: Live) -> None:
    id_, outs = live.create(SiteProvider, name="Temp", urls=URLS, deletion_protection=False)
    live.delete(SiteProvider, id_, outs)
    assert live.emulator.api("GET", f"/api/apps/v2/{id_}").status_code == 404


def test_site_delete_never_erases_a_protected_or_adopted_app(live: Live) -> None:
    id_, outs = live.create(SiteProvider, name="Kept", urls=URLS)
    assert outs["deletion_protection"] is True  # the default
    live.emulator.clear_requests()
    with pytest.raises(ProviderError, match=r"Site .*'Kept'.*not deleted.*deletion_protection is on.*=False"):
        live.delete(SiteProvider, id_, outs)
    # A state written before the property existed counts as protected.
    with pytest.raises(ProviderError, match="deletion_protection"):
        live.delete(SiteProvider, id_, {k: v for k, v in outs.items() if k != "deletion_protection"})
    assert live.counts() == {}, "a refused delete sends nothing"
    # An adopted app is forgotten, never deleted, whatever its protection.
    app_id = live.make_app("Made by hand", URLS)
    _, adopted = live.create(SiteProvider, name="Made by hand", urls=URLS, adopt_id=app_id, deletion_protection=False)
    live.emulator.clear_requests()
    live.delete(SiteProvider, app_id, adopted)
    assert live.writes() == {} and live.app(app_id)["name"] == "Made by hand"


def test_site_replacement_of_a_protected_app_is_refused_by_check(live: Live) -> None:
    p = live.provider(SiteProvider)
    old = {"name": "Shop", "urls": URLS, "app_type": "web", "deletion_protection": True}
    refused = p.check(old, {"__provider": "x", **old, "app_type": "sharepoint"})
    assert [f.property for f in refused.failures] == ["app_type"]
    assert "changing app_type replaces the app" in refused.failures[0].reason
    assert "deletion_protection is on" in refused.failures[0].reason
    # Off in the program but still on in the state: refused too (the old app is deleted with the state's values).
    assert p.check(old, {"__provider": "x", **old, "app_type": "sharepoint", "deletion_protection": False}).failures
    off = {**old, "deletion_protection": False}
    assert p.check(off, {"__provider": "x", **off, "app_type": "sharepoint"}).failures == []
    # An adopted app is only forgotten by a replacement: allowed.
    adopted = {**old, "adopt_id": "00000000-0000-4000-8000-000000000001"}
    assert (
        p.check(adopted, {"__provider": "x", **adopted, "adopt_id": "00000000-0000-4000-8000-000000000002"}).failures
        == []
    )
    assert live.counts() == {}


def test_site_app_type_change_is_a_replace(live: Live) -> None:
    id_, outs = live.create(SiteProvider, name="Shop", urls=URLS)
    d = live.diff(SiteProvider, id_, outs, name="Shop", urls=URLS, app_type="sharepoint")
    assert d.changes is True and d.replaces == ["app_type"]
    d = live.diff(SiteProvider, id_, outs, name="Other", urls=URLS, app_type="web")
    assert d.changes is True and d.replaces == []


def test_site_adopts_existing_app_without_create(live: Live) -> None:
    app_id = live.make_app("Made by hand", ["https://hand.example"], timezone="Europe/Paris")
    live.emulator.clear_requests()
    id_, outs = live.create(SiteProvider, name="Made by hand", urls=["https://hand.example"], adopt_id=app_id)
    assert id_ == app_id
    assert outs["adopt_id"] == app_id and outs["timezone"] == "Europe/Paris"
    assert live.writes() == {}, "adopting an identical app must send no write at all"
    # Adopting with a different name patches only that field.
    live.emulator.clear_requests()
    id2 = live.make_app("Second", ["https://second.example"])
    live.emulator.clear_requests()
    _, outs2 = live.create(SiteProvider, name="Second, managed", urls=["https://second.example"], adopt_id=id2)
    assert live.writes() == {"PATCH /api/apps/v2/{app_id}": 1}
    assert outs2["name"] == "Second, managed"
    # Writing the adopted id again, or dropping adopt_id later, is not a change.
    assert not live.diff(
        SiteProvider, id2, outs2, name="Second, managed", urls=["https://second.example"], adopt_id=id2
    ).changes
    assert not live.diff(SiteProvider, id2, outs2, name="Second, managed", urls=["https://second.example"]).changes
    # Another app id is a replacement.
    assert live.diff(
        SiteProvider, id2, outs2, name="Second, managed", urls=["https://second.example"], adopt_id=app_id
    ).replaces == ["adopt_id"]


def test_site_adopt_unknown_app_is_a_clear_error(live: Live) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(ProviderError, match=f"adopt_id: no app with id {missing} exists"):
        live.create(SiteProvider, name="X", urls=URLS, adopt_id=missing)
    assert "POST /api/apps/v2" not in live.counts()


def test_site_create_lost_answer_makes_no_duplicate(live: Live) -> None:
    """The POST is applied but its answer is lost: the provider finds the app by the UUID it chose."""
    live.emulator.switches(drop_after_commit_rate=1.0, fault_paths=["^POST /api/apps/v2$"])
    id_, outs = live.create(SiteProvider, name="Once", urls=URLS)
    live.emulator.switches(drop_after_commit_rate=0.0, fault_paths=None)
    apps = live.api("GET", "/api/apps/v2", None)["data"]
    assert [a["id"] for a in apps if a["attributes"]["name"] == "Once"] == [id_]
    assert outs["name"] == "Once"
    assert live.counts()["POST /api/apps/v2"] == 1


def test_site_bad_inputs_name_the_property(live: Live) -> None:
    live.emulator.clear_requests()
    cases = {
        "name": {"name": "x" * 91, "urls": URLS},
        "urls": {"name": "ok", "urls": []},
        "timezone": {"name": "ok", "urls": URLS, "timezone": "Mars/Olympus"},
        "currency": {"name": "ok", "urls": URLS, "currency": "euro"},
        "app_type": {"name": "ok", "urls": URLS, "app_type": "demo"},
        "adopt_id": {"name": "ok", "urls": URLS, "adopt_id": "not-a-uuid"},
    }
    for prop, props in cases.items():
        failures = live.check(SiteProvider, **props).failures
        assert [f.property for f in failures] == [prop], (prop, [f.reason for f in failures])
        assert failures[0].reason.startswith(prop)
    assert "allowed: web, sharepoint" in live.check(SiteProvider, **cases["app_type"]).failures[0].reason
    assert live.emulator.requests()["total"] == 0


# --- SitePrivacy ---------------------------------------------------------------------------------------


def test_site_privacy_lifecycle_and_restore(live: Live) -> None:
    app_id = live.make_app("Privacy")
    before = live.app(app_id)
    live.emulator.clear_requests()
    props = {
        "site_id": app_id,
        "gdpr": True,
        "gdpr_data_anonymization": True,
        "gdpr_data_anonymization_mode": "no_device_storage",
        "cnil": True,
        "privacy_cookie_expiration_period": 33_696_000.0,
    }
    id_, outs = live.create(SitePrivacyProvider, **props)
    assert id_ == app_id
    assert "POST /api/apps/v2" not in live.counts()
    assert outs["privacy_cookie_expiration_period"] == 33_696_000
    assert outs["previous"] == {
        "gdpr": before["gdpr"],
        "gdpr_data_anonymization": before["gdprDataAnonymization"],
        "gdpr_data_anonymization_mode": before["gdprDataAnonymizationMode"],
        "cnil": before["cnil"],
        "privacy_cookie_expiration_period": before["privacyCookieExpirationPeriod"],
    }
    after = live.app(app_id)
    assert (after["cnil"], after["gdprDataAnonymizationMode"]) == (True, "no_device_storage")
    # Unmanaged fields are neither outputs nor written.
    assert "privacy_use_cookies" not in outs and after["privacyUseCookies"] == before["privacyUseCookies"]

    res = live.read(SitePrivacyProvider, id_, outs)
    assert res.outs == outs
    assert not live.diff(SitePrivacyProvider, id_, outs, **props).changes

    # Drift and repair.
    live.patch_app(app_id, cnil=False)
    drifted = live.read(SitePrivacyProvider, id_, outs).outs
    assert drifted is not None and drifted["cnil"] is False
    assert live.diff(SitePrivacyProvider, id_, drifted, **props).changes
    repaired = live.update(SitePrivacyProvider, id_, drifted, **props)
    assert repaired == outs and live.app(app_id)["cnil"] is True

    # Removing a property from the program gives it back (restored), and it leaves the outputs.
    smaller = {k: v for k, v in props.items() if k != "cnil"}
    assert live.diff(SitePrivacyProvider, id_, repaired, **smaller).changes
    outs3 = live.update(SitePrivacyProvider, id_, repaired, **smaller)
    assert "cnil" not in outs3 and "cnil" not in outs3["previous"]
    assert live.app(app_id)["cnil"] == before["cnil"]

    # Delete restores what was found at create.
    live.delete(SitePrivacyProvider, id_, outs3)
    restored = live.app(app_id)
    for key in ("gdpr", "gdprDataAnonymization", "gdprDataAnonymizationMode", "cnil", "privacyCookieExpirationPeriod"):
        assert restored[key] == before[key], key

    # Site and SitePrivacy never write the same field.
    from piwik_resources.providers.site import FIELDS as SITE_FIELDS
    from piwik_resources.providers.site_privacy import FIELDS as PRIVACY_FIELDS

    assert not set(SITE_FIELDS.values()) & set(PRIVACY_FIELDS.values())


def test_site_privacy_gone_with_its_app(live: Live) -> None:
    app_id = live.make_app("Privacy gone")
    id_, outs = live.create(SitePrivacyProvider, site_id=app_id, cnil=True)
    live.api("DELETE", f"/api/apps/v2/{app_id}")
    assert live.read(SitePrivacyProvider, id_, outs).id == ""
    live.delete(SitePrivacyProvider, id_, outs)  # nothing to restore, no error


def test_site_privacy_missing_app_is_a_clear_error(live: Live) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(ProviderError, match=f"SitePrivacy: create failed: app {missing} does not exist"):
        live.create(SitePrivacyProvider, site_id=missing, cnil=True)


def test_site_privacy_bad_inputs(live: Live) -> None:
    app = "11111111-1111-4111-8111-111111111111"
    cases = {
        "gdpr_data_anonymization_mode": {"gdpr_data_anonymization_mode": "cookies"},
        "privacy_cookie_expiration_period": {"privacy_cookie_expiration_period": -1.0},
        "cnil": {"cnil": "yes"},
        "site_id": {"site_id": "shop"},
    }
    for prop, extra in cases.items():
        failures = live.check(SitePrivacyProvider, **{"site_id": app, **extra}).failures
        assert [f.property for f in failures] == [prop], (prop, [f.reason for f in failures])
    reason = live.check(SitePrivacyProvider, site_id=app, gdpr_data_anonymization_mode="x").failures[0].reason
    assert reason == (
        "gdpr_data_anonymization_mode: 'x' is not allowed (allowed: no_device_storage, session_cookie_id)"
    )
    assert live.emulator.requests()["total"] == 0


def test_site_falls_back_to_a_server_chosen_id_and_stays_duplicate_free(live: Live) -> None:
    """An account refusing client-chosen ids: the first create falls back; a later lost answer is recognised
    by the app that appeared with the Site's name and URLs since just before the POST."""
    live.emulator.switches(refuse_client_app_ids=True)
    first, _ = live.create(SiteProvider, name="First", urls=URLS)
    live.emulator.switches(drop_after_commit_rate=1.0, fault_paths=["^POST /api/apps/v2$"])
    id_, outs = live.create(SiteProvider, name="Lost", urls=URLS)
    live.emulator.switches(drop_after_commit_rate=0.0, fault_paths=None)
    apps = live.api("GET", "/api/apps/v2", None)["data"]
    assert [a["id"] for a in apps if a["attributes"]["name"] == "Lost"] == [id_] and outs["name"] == "Lost"
    assert [a["id"] for a in apps if a["attributes"]["name"] == "First"] == [first]
    # First: one refused POST (client id) + one accepted; Lost: one POST, applied, answer dropped.
    assert live.counts()["POST /api/apps/v2"] == 3
