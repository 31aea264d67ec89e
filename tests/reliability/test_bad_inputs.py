"""Bad inputs — wrong types, empty names, malformed URLs, huge strings, unicode, unknown enum values — each a
clear error naming the property (and the allowed values), and not one request sent.

Most cases run at the provider's `check` (what the engine calls first), with providers configured against an
emulator whose request log must stay empty; the component's refusals and the stack-config parser are checked
the same way; a few cases go through the real engine (`pulumi up` fails, 0 requests). Decisions on unicode:
names, titles and messages are free text — accents and emoji are valid (an app named « Café Été ☕ » is
created through the engine below); language codes, currencies and enum values are ASCII codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto
from pulumi.dynamic import Config, ConfigureRequest
from pydantic import ValidationError

from piwik_resources.components import CnilExemptSiteArgs
from piwik_resources.components.stack_config import StackConfigError, parse
from piwik_resources.providers.consent_template import ConsentTemplateProvider
from piwik_resources.providers.custom_dimension import CustomDimensionProvider
from piwik_resources.providers.engine import PiwikProvider
from piwik_resources.providers.site import SiteProvider
from piwik_resources.providers.site_privacy import SitePrivacyProvider
from piwik_resources.providers.tag_consent_type import TagConsentTypeProvider
from piwik_resources.providers.tracker_settings import TrackerSettingsProvider
from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import StackFactory, set_config

from ._support import app_names

APP = "0b8e4c1e-5a8f-4f47-9a57-2c1a2f4f9d10"
HUGE = "x" * 100_000
SITE = {"name": "Boutique", "urls": ["https://boutique.example.fr"]}
PRIVACY = {"site_id": APP, "gdpr": True}
TRACKER = {"site_id": APP, "ip_masking_level": 2}
TAG = {"site_id": APP, "consent_type": "analytics"}
TEMPLATE = {"site_id": APP, "language": "fr", "title": "Mesure d'audience", "message": "Nous mesurons."}
DIMENSION = {"site_id": APP, "name": "Consentement", "scope": "session"}
CONSENT_TYPES = "not_require_consent, analytics, ab_testing_and_personalization"

# (provider, valid base props, changed props, property named, text the reason must contain)
CASES: list[tuple[type[PiwikProvider], dict[str, Any], dict[str, Any], str, str]] = [
    (SiteProvider, SITE, {"name": ""}, "name", "1 to 90 characters"),
    (SiteProvider, SITE, {"name": HUGE}, "name", "1 to 90 characters"),
    (SiteProvider, SITE, {"name": 42}, "name", "1 to 90 characters"),
    (SiteProvider, SITE, {"urls": ["boutique.example.fr"]}, "urls", "absolute http(s) URL"),
    (SiteProvider, SITE, {"urls": ["javascript:alert(1)"]}, "urls", "absolute http(s) URL"),
    (SiteProvider, SITE, {"urls": "https://boutique.example.fr"}, "urls", "list"),
    (SiteProvider, SITE, {"urls": []}, "urls", "non-empty list"),
    (SiteProvider, SITE, {"timezone": "Europe/Pariss"}, "timezone", "IANA time zone"),
    (SiteProvider, SITE, {"currency": "€"}, "currency", "ISO 4217"),
    (SiteProvider, SITE, {"app_type": "mobile"}, "app_type", "web, sharepoint"),
    (SiteProvider, SITE, {"adopt_id": "not-a-uuid"}, "adopt_id", "UUID"),
    (SiteProvider, SITE, {"colour": "blue"}, "colour", "not a property of Site"),
    (SitePrivacyProvider, PRIVACY, {"gdpr": "yes"}, "gdpr", "boolean"),
    (
        SitePrivacyProvider,
        PRIVACY,
        {"gdpr_data_anonymization_mode": "cookies"},
        "gdpr_data_anonymization_mode",
        "no_device_storage",
    ),
    (SitePrivacyProvider, PRIVACY, {"site_id": ""}, "site_id", "UUID"),
    (TrackerSettingsProvider, TRACKER, {"ip_masking_level": 7}, "ip_masking_level", "0, 1, 2, 3, 4"),
    (TrackerSettingsProvider, TRACKER, {"ip_masking_level": "2"}, "ip_masking_level", "0, 1, 2, 3, 4"),
    (TrackerSettingsProvider, TRACKER, {"geolocation_level": "Street"}, "geolocation_level", "City"),
    (TagConsentTypeProvider, TAG, {"consent_type": "everything"}, "consent_type", CONSENT_TYPES),
    (TagConsentTypeProvider, TAG, {"consent_type": "Analytics"}, "consent_type", CONSENT_TYPES),
    (ConsentTemplateProvider, TEMPLATE, {"language": "français"}, "language", ""),
    (ConsentTemplateProvider, TEMPLATE, {"title": ""}, "title", "1 to 255 characters"),
    (ConsentTemplateProvider, TEMPLATE, {"message": HUGE}, "message", "1 to 5000 characters"),
    (ConsentTemplateProvider, TEMPLATE, {"privacy_policy_url": "ftp://example.fr/p"}, "privacy_policy_url", ""),
    (ConsentTemplateProvider, TEMPLATE, {"mode": "auto"}, "mode", "api, manual"),
    (CustomDimensionProvider, DIMENSION, {"scope": "page"}, "scope", "session, event"),
    (CustomDimensionProvider, DIMENSION, {"name": ""}, "name", "1 to 255 characters"),
    (
        CustomDimensionProvider,
        DIMENSION,
        {"extractions": [{"target": "cookie", "pattern": "x"}]},
        "extractions",
        "page_title_regex",
    ),
]

VALID_UNICODE: list[tuple[type[PiwikProvider], dict[str, Any]]] = [
    (SiteProvider, {**SITE, "name": "Café Été — Crème brûlée ☕🥐"}),
    (SiteProvider, {**SITE, "urls": ["https://café.example.fr/été"]}),
    (ConsentTemplateProvider, {**TEMPLATE, "title": "Mesure d’audience 📊", "message": "Données agrégées… ✓"}),
    (CustomDimensionProvider, {**DIMENSION, "name": "Consentement (évènement) ✅"}),
]


def _configured(cls: type[PiwikProvider], emulator: Emulator) -> PiwikProvider:
    provider = cls()
    provider.configure(
        ConfigureRequest(
            Config(
                {
                    "piwik:baseUrl": emulator.base_url,
                    "piwik:clientId": emulator.client_id,
                    "piwik:clientSecret": emulator.client_secret,
                },
                "reliability",
            )
        )
    )
    return provider


def test_each_bad_input_is_refused_by_check_naming_property_and_allowed_values(emulator: Emulator) -> None:
    emulator.clear_requests()
    for cls, base, change, prop, allowed in CASES:
        result = _configured(cls, emulator).check({}, {**base, **change})
        failures = [(f.property, f.reason) for f in result.failures]
        where = f"{cls.__name__} {change!r:.80}: {failures}"
        assert [p for p, _ in failures] == [prop], where
        reason = failures[0][1]
        assert reason.startswith(prop), where
        assert allowed in reason, where
        assert len(reason) < 600, f"{cls.__name__}: the reason repeats the huge input ({len(reason)} chars)"
    for cls, props in VALID_UNICODE:
        assert _configured(cls, emulator).check({}, props).failures == [], (cls.__name__, props)
    assert emulator.requests()["total"] == 0, emulator.requests()["counts"]


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        ({"site_name": ""}, ("site_name",), "at least 1 character"),
        ({"site_name": HUGE}, ("site_name",), "at most 90 characters"),
        ({"urls": ["www.example.fr"]}, ("urls", 0), "not an absolute http(s) URL"),
        ({"urls": []}, ("urls",), "at least 1 item"),
        ({"ip_masking_level": 9}, ("ip_masking_level",), "Input should be 0, 1, 2, 3 or 4"),
        ({"geolocation_level": "Street"}, ("geolocation_level",), "'none', 'City', 'Region', 'Country' or 'Continent'"),
        ({"consent_template_mode": "auto"}, ("consent_template_mode",), "Input should be 'api' or 'manual'"),
        ({"consent_messages": {"fr": " "}}, ("consent_messages", "fr"), "must not be empty (seed requirement #7"),
        ({"consent_messages": {}}, ("consent_messages",), "at least 1 item"),
    ],
)
def test_component_arguments_are_validated_on_construction(
    change: dict[str, Any], field: tuple[str | int, ...], expected: str
) -> None:
    with pytest.raises(ValidationError) as err:
        CnilExemptSiteArgs(**{"site_name": "Boutique", "urls": ["https://boutique.example.fr"], **change})
    assert [e["loc"] for e in err.value.errors()] == [field]
    assert expected in str(err.value)


@pytest.mark.parametrize(
    ("site", "expected"),
    [
        ({"key": "a", "site_name": "A", "urls": ["https://a.fr"], "colour": "blue"}, "piwik-cnil:sites[0].colour"),
        (
            {"key": "a", "site_name": "A", "urls": ["https://a.fr"], "ip_masking_level": "two"},
            "piwik-cnil:sites[0].ip_masking_level",
        ),
        ({"key": "a", "site_name": "A", "urls": "https://a.fr"}, "piwik-cnil:sites[0].urls"),
        ({"key": "Été", "site_name": "A", "urls": ["https://a.fr"]}, "piwik-cnil:sites[0].key"),
        ({"key": "a", "urls": ["https://a.fr"]}, "piwik-cnil:sites[0].site_name: Field required"),
    ],
)
def test_stack_config_refuses_bad_values(site: dict[str, Any], expected: str) -> None:
    with pytest.raises(StackConfigError) as info:
        parse({"sites": [site]})
    assert expected in str(info.value), str(info.value)


@pytest.mark.engine
def test_bad_inputs_through_the_engine_fail_before_any_request(
    emulator: Emulator,
    reliability_stack: Callable[..., auto.Stack],
    pulumi_stack: StackFactory,
) -> None:
    st = reliability_stack(emulator, sites=1)
    # The program builds CnilExemptSiteArgs itself: pydantic refuses the value naming the argument and its limit.
    for config, pattern in (
        ({"siteName": ""}, r"CnilExemptSiteArgs\s+site_name\s+String should have at least 1 character"),
        ({"siteName": HUGE}, r"CnilExemptSiteArgs\s+site_name\s+String should have at most 90 characters"),
        (
            {"siteName": "Ok", "url": "boutique.example.fr"},
            r"urls\.0\s+Value error, not an absolute http\(s\) URL \[.*input_value='boutique\.example\.fr'",
        ),
        ({"url": "https://ok.example.fr", "sites": "ten"}, r"sites"),
    ):
        set_config(st, config)
        emulator.clear_requests()
        with pytest.raises(auto.CommandError) as info:
            st.up()
        assert re.search(pattern, str(info.value)), str(info.value)[-3000:]
        assert emulator.requests()["total"] == 0, (config.keys(), emulator.requests()["counts"])

    # A provider-level refusal through the engine: the Site program with an unknown app type.
    site = pulumi_stack(
        Path(__file__).resolve().parents[1] / "programs" / "site",
        config={"name": "Boutique", "appType": "mobile", "piwik:writesPerMinute": "0"},
        emulator=emulator,
    )
    emulator.clear_requests()
    with pytest.raises(auto.CommandError) as info:
        site.up()
    assert "app_type" in str(info.value) and "web, sharepoint" in str(info.value), str(info.value)[-3000:]
    assert emulator.requests()["total"] == 0, emulator.requests()["counts"]

    # Accents and emoji are valid in a name: the app is created with it, exactly.
    set_config(st, {"sites": "1", "siteName": "Café Été ☕", "url": "https://café.example.fr"})
    st.up()
    assert app_names(emulator) == {"Café Été ☕": 1}


@pytest.mark.engine
def test_wrong_client_secret_fails_clearly_without_showing_it(
    emulator: Emulator, reliability_stack: Callable[..., auto.Stack]
) -> None:
    """Also material for the secrets scan (tests/zz_leaks): an auth failure's output must not hold the secret."""
    wrong = "wrong-secret-4b1d9e7c"
    st = reliability_stack(emulator, sites=1, config={"piwik:clientSecret": auto.ConfigValue(wrong, secret=True)})
    with pytest.raises(auto.CommandError) as info:
        st.up()
    text = str(info.value)
    assert "/auth/token" in text and "check the client id and secret" in text, text[-3000:]
    assert wrong not in text and emulator.client_secret not in text
    # The provider's error is shown as its message, not as a Python traceback (the provider plugin's doing).
    assert "Traceback (most recent call last)" not in text, text[-3000:]
    assert app_names(emulator) == {}
