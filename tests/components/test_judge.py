"""compliance.judge_site: each row's status is the verdict of the shared rules on *live* values.

For every requirement, a live value that breaks it (while the declared value is compliant) makes its row
``broken`` and names the rule, the resource, the property and the value; absent or unknown values are never
``enforced``; broken rows come first.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from piwik_resources.compliance import (
    CAMPAIGN_PARAM_SETTINGS,
    CAMPAIGN_URL_EXCLUSIONS,
    REQUIREMENTS,
    ROW_JUDGES,
    Attestations,
    Declared,
    LiveSite,
    Options,
    Status,
    judge_site,
    render_markdown,
    rules_for,
)
from piwik_resources.components.cnil_exempt_site import EXPORT_DIMENSIONS, CnilExemptSiteArgs, declared_of
from piwik_resources.unknown import UNKNOWN

ALL_ATTESTED = Attestations(
    dpa_signed=True,
    integrations_off=True,
    no_export_credentials=True,
    session_log_hidden=True,
    retention_months=25,
    hosting_region="FR",
    privacy_policy_published=True,
    opt_out_form_published=True,
    referrer_host_only=True,
    reports_aggregated=True,
    no_vendor_reuse=True,
    audience_only_purpose=True,
    cookie_lifetime_not_extended=True,
    durations_reviewed_on=date.today().isoformat(),
    headers_minimised=True,
    dpa_processor_contact="legal+dpa@piwik.pro",
    tags_without_consent={"tag-attested": "order confirmation counted for stock, no identifier"},
    attested_by="DPO",
    attested_on="2026-01-05",
)
ATTESTED_ROWS = (8, 9, 10, 11, 13, 15, 19, 20, 25, 26, 29, 30, 31, 32, 33, 34)
ARGS = CnilExemptSiteArgs(
    site_name="Shop",
    urls=["https://shop.example.fr"],
    consent_template_mode="api",
    exports_needed=True,
    consent_state_variable="Consent state",
    attestations=ALL_ATTESTED,
)
DECLARED = declared_of(ARGS)


PIWIK_TAG = {
    "tag_id": "tag-1",
    "name": "Piwik PRO",
    "template": "piwik",
    "consent_type": "analytics",
    "is_active": True,
}
# A marketing tag that waits for consent, and one that would not but is inactive: neither breaks #22.
CONSENTED_PIXEL = {
    **PIWIK_TAG,
    "tag_id": "tag-2",
    "name": "Ads",
    "template": "google_adwords",
    "consent_type": "remarketing",
}
INACTIVE_PIXEL = {**CONSENTED_PIXEL, "tag_id": "tag-3", "consent_type": "not_require_consent", "is_active": False}


def dimension(dim_id: str, name: str, scope: str = "event", active: bool = True, **extra: Any) -> dict[str, Any]:
    return {"dimension_id": dim_id, "name": name, "scope": scope, "active": active, "extractions": [], **extra}


#: The Piwik PRO tag's trigger as a new app's container has it: all page views, no condition.
ALL_PAGE_VIEWS = {
    "tag_id": "tag-1",
    "tag_name": "Piwik PRO",
    "trigger_id": "trigger-1",
    "trigger_name": "All page views",
    "trigger_type": "page_view",
    "conditions": [],
}


def compliant_live() -> dict[str, Any]:
    """What the emulator answers for a site made by CnilExemptSite with ARGS."""
    return {
        "TrackerSettings": {
            "ip_masking_level": 2.0,  # numbers cross the wire as floats
            "use_masked_ip_for_enrichment": True,
            "exclude_unknown_urls": True,
            "fingerprinting_across_websites": False,
            "geolocation_level": "City",
            **{key: [] for key in CAMPAIGN_PARAM_SETTINGS},
            "excluded_url_query_parameters": ["gclid", *CAMPAIGN_URL_EXCLUSIONS],
            "pinned": ["ip_masking_level", "geolocation_level"],  # written as the app's own (providers/_settings.py)
        },
        "SitePrivacy": {
            "gdpr": True,
            "gdpr_data_anonymization": True,
            "gdpr_data_anonymization_mode": "no_device_storage",
            "privacy_cookie_expiration_period": 31_536_000,
            "privacy_use_fingerprinting": False,
            "privacy_cookie_domains_enabled": False,
        },
        "TagConsentType": {
            "consent_type": "analytics",
            "template": "piwik",
            "tag_id": "tag-1",
            "visitor_cookie_timeout": 31_536_000.0,
            "cross_domain_tracking": False,
            "respect_visitors_privacy": True,
            "user_id": "",
            "cookie_domain": "",
            "content_tracking": "",
            "link_tracking": True,
            "js_error_tracking": True,
            "piwik_custom_dimensions": [
                {"id": 1.0, "value": "{{ Consent state }}"},
                {"id": 2.0, "value": "{{ Consent state }}"},
            ],
            "piwik_custom_variables": [],
        },
        "SiteTags": {"tags": [PIWIK_TAG, CONSENTED_PIXEL, INACTIVE_PIXEL], "triggers": [ALL_PAGE_VIEWS]},
        "Site": {"urls": ["https://shop.example.fr/"]},
        "CustomDimension": [
            dimension("d-1", EXPORT_DIMENSIONS["session"], "session", tracking_id=1.0),
            dimension("d-2", EXPORT_DIMENSIONS["event"], "event", tracking_id=2.0),
        ],
        "ConsentTemplate": [
            {"language": lang, "message": "Nous collecterons…", "mode": "api", "pending_manual_step": False}
            for lang in ("en", "fr")
        ],
    }


def _add_tag(template: str, consent_type: str = "not_require_consent", tag_id: str = "tag-hand") -> Any:
    def change(live: dict[str, Any]) -> None:
        tag = {**CONSENTED_PIXEL, "tag_id": tag_id, "name": "By hand", "template": template}
        live["SiteTags"]["tags"].append({**tag, "consent_type": consent_type})

    return change


def _trigger_condition(condition_type: str, variable: str | None) -> Any:
    def change(live: dict[str, Any]) -> None:
        trigger = {**ALL_PAGE_VIEWS, "trigger_name": "Campaign visitors"}
        trigger["conditions"] = [{"condition_type": condition_type, "variable": variable}]
        live["SiteTags"]["triggers"].append(trigger)

    return change


def _unfill_event_dimension(live: dict[str, Any]) -> None:
    live["TagConsentType"]["piwik_custom_dimensions"] = live["TagConsentType"]["piwik_custom_dimensions"][:1]


def statuses(live: dict[str, Any], declared: Declared = DECLARED) -> dict[int, Status]:
    return {r.number: r.status for r in judge_site(LiveSite.from_types(live), declared)}


def test_a_compliant_live_site_is_enforced_checked_and_attested() -> None:
    got = statuses(compliant_live())
    assert {got[n] for n in (1, 2, 3, 4, 5, 6, 7, 14, 16, 17, 18, 21, 23, 27, 28)} == {Status.ENFORCED}
    assert {got[n] for n in (12, 22, 24)} == {Status.CHECKED}
    assert {got[n] for n in ATTESTED_ROWS} == {Status.ATTESTED}
    assert sorted(got) == list(range(1, 35))


def _set(path: str, value: Any) -> Any:
    def change(live: dict[str, Any]) -> None:
        kind, prop = path.split(".")
        live[kind][prop] = value

    return change


def _add_dimension(**dim: Any) -> Any:
    def change(live: dict[str, Any]) -> None:
        live["CustomDimension"].append(dimension("d-hand", **dim))

    return change


def _drop_template(live: dict[str, Any]) -> None:
    live["ConsentTemplate"] = [t for t in live["ConsentTemplate"] if t["language"] != "fr"]


def _deactivate_export_dimension(live: dict[str, Any]) -> None:
    live["CustomDimension"][1]["active"] = False


# One live value per requirement that a rule or a row judge backs, each breaking it while the declaration holds.
LIVE_BREAKS: list[tuple[int, Any, str, str]] = [
    (1, _set("TrackerSettings.ip_masking_level", 0.0), "cnil-ip-masking", "ip_masking_level"),
    (2, _set("TrackerSettings.use_masked_ip_for_enrichment", False), "cnil-masked-ip-enrichment", "use_masked"),
    (3, _set("SitePrivacy.gdpr", False), "cnil-ask-consent", "gdpr"),
    (4, _set("SitePrivacy.gdpr_data_anonymization", False), "cnil-collect-without-consent", "gdpr_data_anon"),
    (
        4,
        _set("SitePrivacy.gdpr_data_anonymization_mode", "session_cookie_id"),
        "cnil-cookieless-without-consent",
        "'session_cookie_id'",
    ),
    (
        4,
        _trigger_condition("equals", "Traffic source"),
        "cnil-no-cookie-setting-trigger",
        "'Campaign visitors' (trigger-1) with a condition on 'Traffic source'",
    ),
    (4, _trigger_condition("once_per_session", None), "cnil-no-cookie-setting-trigger", "'once_per_session'"),
    (5, _set("TrackerSettings.exclude_unknown_urls", False), "cnil-exact-url-matching", "exclude_unknown_urls"),
    (
        5,
        _set("Site.urls", ["https://shop.example.fr"]),
        "cnil-site-urls-end-their-host",
        "'https://shop.example.fr.evil.example' is kept too; write 'https://shop.example.fr/'",
    ),
    (6, _set("TagConsentType.consent_type", "not_require_consent"), "cnil-piwik-tag-consent-type", "consent_type"),
    (7, _drop_template, "cnil-consent-message-live", "'fr'"),
    (12, _add_dimension(name="Customer e-mail"), "cnil-dimension-name-identifier", "'Customer e-mail' (d-hand)"),
    (
        12,
        _add_dimension(name="Page", extractions=[{"target": "page_url_regex", "pattern": r"email=([^&]+)"}]),
        "cnil-dimension-extraction-identifier",
        "'Page' (d-hand)",
    ),
    (12, _set("TagConsentType.user_id", "{{ Customer id }}"), "cnil-tag-no-user-id", "sets a user id"),
    (
        12,
        _set(
            "TagConsentType.piwik_custom_dimensions",
            [*compliant_live()["TagConsentType"]["piwik_custom_dimensions"], {"id": 7, "value": "{{ E-mail }}"}],
        ),
        "cnil-tag-dimension-identifier",
        "entry 7 sets value '{{ E-mail }}'",
    ),
    (
        12,
        _set("TagConsentType.piwik_custom_variables", [{"id": 1, "name": "login", "value": "x", "scope": "visit"}]),
        "cnil-tag-variable-identifier",
        "sets name 'login'",
    ),
    (14, _deactivate_export_dimension, "cnil-export-dimensions-live", EXPORT_DIMENSIONS["event"]),
    (14, _unfill_event_dimension, "cnil-export-dimensions-filled", "does not fill dimension 2"),
    (21, _set("SitePrivacy.privacy_cookie_expiration_period", 40_000_000.0), "cnil-cookie-lifetime", "40000000"),
    (
        16,
        _set("TagConsentType.visitor_cookie_timeout", 40_000_000.0),
        "cnil-visitor-cookie-lifetime",
        "visitor_cookie_timeout = 40000000",
    ),
    (22, _add_tag("facebook_retargeting_pixel"), "cnil-no-marketing-without-consent", "'By hand'"),
    (22, _add_tag("hot_jar"), "cnil-no-marketing-without-consent", "heatmap"),
    (22, _add_tag("optimizely"), "cnil-no-marketing-without-consent", "A/B testing"),
    (22, _add_tag("custom_tag"), "cnil-no-marketing-without-consent", "'By hand' (custom_tag, pasted code"),
    (22, _add_tag("google_analytics"), "cnil-no-marketing-without-consent", "another analytics tool"),
    (22, _add_tag("qualaroo"), "cnil-no-marketing-without-consent", "not audience measurement, tag tag-hand"),
    (24, _add_tag("ecommerce_order", tag_id="tag-attested"), "cnil-few-event-types", "e-commerce"),
    (24, _add_tag("abandoned", tag_id="tag-attested"), "cnil-few-event-types", "discontinued template"),
    (
        24,
        _set("TagConsentType.content_tracking", "trackVisibleContentImpressions"),
        "cnil-no-content-tracking",
        "content impressions",
    ),
    *(
        (
            23,
            _set(f"TrackerSettings.{setting}", ["utm_campaign"]),
            f"cnil-no-{setting[:-7].replace('_', '-')}-params",
            setting,
        )
        for setting in CAMPAIGN_PARAM_SETTINGS
    ),
    (
        23,
        _set("TrackerSettings.excluded_url_query_parameters", ["gclid"]),
        "cnil-campaign-keys-excluded-from-urls",
        "utm_campaign",
    ),
    (27, _set("TagConsentType.cross_domain_tracking", True), "cnil-no-cross-domain-tracking", "cross_domain"),
    (27, _set("TagConsentType.cookie_domain", "*.example.fr"), "cnil-no-tracking-cookie-domain", "'*.example.fr'"),
    (
        27,
        _set("SitePrivacy.privacy_cookie_domains_enabled", True),
        "cnil-no-privacy-cookie-domains",
        "privacy_cookie_domains",
    ),
    (28, _set("TagConsentType.respect_visitors_privacy", False), "cnil-tag-respects-privacy", "respect_visitors"),
    (
        17,
        _set("TrackerSettings.fingerprinting_across_websites", True),
        "cnil-no-cross-site-fingerprinting",
        "fingerprinting",
    ),
    (17, _set("SitePrivacy.privacy_use_fingerprinting", True), "cnil-no-fingerprinting", "limited in time"),
    (18, _set("TrackerSettings.geolocation_level", "none"), "cnil-geolocation-city", "geolocation_level"),
]


@pytest.mark.parametrize(("number", "change", "rule", "named"), LIVE_BREAKS, ids=[b[2] for b in LIVE_BREAKS])
def test_a_live_value_that_breaks_a_rule_makes_its_row_broken(number: int, change: Any, rule: str, named: str) -> None:
    live = compliant_live()
    change(live)
    rows = judge_site(LiveSite.from_types(live), DECLARED)
    broken = [r for r in rows if r.status == Status.BROKEN]
    assert [r.number for r in broken] == [number]
    assert rows[0] is broken[0], "a broken row is shown first"
    (violation,) = broken[0].violations
    assert violation.rule == rule
    assert named in broken[0].detail and rule in broken[0].detail
    as_dict = broken[0].as_dict()
    assert as_dict["status"] == "broken" and as_dict["violations"][0]["rule"] == rule
    assert as_dict["violations"][0]["property"] == violation.property


def test_every_live_backed_requirement_has_a_live_break_test() -> None:
    backed = {r.number for r in REQUIREMENTS if rules_for(r.key) or r.key in ROW_JUDGES}
    assert backed == {b[0] for b in LIVE_BREAKS}
    every_rule = {rule.name for r in REQUIREMENTS for rule in rules_for(r.key)}
    assert every_rule <= {b[2] for b in LIVE_BREAKS}


ATTESTED_BREAKS = [
    (10, Attestations(dpa_signed=False)),
    (11, Attestations(integrations_off=False)),
    (13, Attestations(no_export_credentials=False)),
    (15, Attestations(session_log_hidden=False)),
    (19, Attestations(retention_months=36)),
]


@pytest.mark.parametrize(("number", "attestations"), ATTESTED_BREAKS)
def test_an_attestation_that_breaks_its_requirement_makes_the_row_broken(number: int, attestations: Any) -> None:
    declared = Declared(site_name="Shop", attestations=attestations)
    rows = judge_site(LiveSite.from_types(compliant_live()), declared)
    assert rows[0].number == number and rows[0].status == Status.BROKEN
    assert rows[0].violations[0].property.startswith("attestations.")


@pytest.mark.parametrize("number", sorted({r.number for r in REQUIREMENTS if rules_for(r.key)}))
@pytest.mark.parametrize("how", ["type not read", "property absent", "property unknown"])
def test_a_value_not_read_is_never_enforced(number: int, how: str) -> None:
    requirement = next(r for r in REQUIREMENTS if r.number == number)
    live = compliant_live()
    for rule in rules_for(requirement.key):
        kind = next(k for k in rule.resource_types if k in compliant_live())
        if kind not in live:
            continue
        if how == "type not read" or (how == "property absent" and isinstance(live[kind], list)):
            # A listed object without the property has nothing to break: only an unread list is unread.
            live.pop(kind, None)
        elif isinstance(live[kind], list):
            live[kind].append(dimension("d-x", UNKNOWN))
        else:
            live[kind][rule.property] = UNKNOWN if how == "property unknown" else None
    got = statuses(live)
    assert got[number] == Status.NOT_READ


def test_an_inactive_hand_made_dimension_is_not_judged() -> None:
    live = compliant_live()
    live["CustomDimension"].append(dimension("d-old", "User ID", active=False))
    assert statuses(live)[12] == Status.CHECKED


def test_the_identifier_patterns_are_configurable() -> None:
    live = compliant_live()
    live["CustomDimension"].append(dimension("d-zip", "Zip code"))
    assert statuses(live)[12] == Status.CHECKED
    strict = declared_of(CnilExemptSiteArgs(site_name="Shop", urls=["https://s.fr"], identifier_patterns=[r"\bzip\b"]))
    assert strict.options == Options(identifier_patterns=(r"\bzip\b",))
    assert statuses(live, strict)[12] == Status.BROKEN


def test_declared_but_unread_rows_stay_pending_or_not_applicable() -> None:
    manual = Declared(site_name="Blog")
    got = statuses(copy.deepcopy(compliant_live()), manual)
    assert got[7] == Status.PENDING  # manual consent template: a pending step, whatever is live
    assert got[14] == Status.NOT_APPLICABLE
    assert {got[n] for n in ATTESTED_ROWS if n != 31} == {Status.PENDING}
    # No API publishes whether the visitor cookie's lifetime is extended: unattested, it is not read, not pending.
    assert got[31] == Status.NOT_READ


def test_markdown_shows_broken_rows_first() -> None:
    live = compliant_live()
    live["SitePrivacy"]["gdpr"] = False
    md = render_markdown("Shop", [r.as_dict() for r in judge_site(LiveSite.from_types(live), DECLARED)])
    first = md.splitlines()[6]
    assert first.startswith("| 3 | Ask visitors for consent | broken |")
    assert "SitePrivacy gdpr = False" in first and "[rule cnil-ask-consent]" in first
