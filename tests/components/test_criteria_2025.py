"""The CNIL's 2025 criteria in the shared tables: sources and their quality, the profiles, the new rules' edges."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from pydantic import ValidationError

from piwik_resources.compliance import (
    BY_KEY,
    BY_NUMBER,
    CAMPAIGN_KEYS,
    CAMPAIGN_URL_EXCLUSIONS,
    PROFILE_NOTES,
    REQUIREMENTS,
    RULES,
    Attestations,
    LiveSite,
    Status,
    excluded_from_urls,
    judge_site,
    violations,
)
from piwik_resources.components.cnil_exempt_site import CnilExemptSiteArgs, declared_of, refusals
from tests.components.test_judge import compliant_live

ARGS = CnilExemptSiteArgs(site_name="Shop", urls=["https://shop.example.fr"])


def test_each_new_row_cites_its_source_and_quality() -> None:
    # The two cookie rows cite the API field's own description (the split of seed requirement #16).
    assert '"Visitor cookie timeout in seconds"' in BY_NUMBER[16].cited_source
    assert '"Privacy cookie expiration period (in seconds, default is one year)"' in BY_NUMBER[21].cited_source
    # Restatements of the CNIL's tool are [S], never presented as the CNIL's words; the CNIL's own page is [P].
    for number in (22, 23, 24, 25, 26, 28, 29):
        assert BY_NUMBER[number].quality == "[S]" and "restated" in BY_NUMBER[number].cited_source
    for number in (16, 21, 27, 30):
        assert BY_NUMBER[number].quality == "[P]" and "CNIL" in BY_NUMBER[number].cited_source
    # Seed rows without a named source cite the seed guide's section.
    assert BY_NUMBER[3].cited_source.startswith("Seed guide") and BY_NUMBER[3].seed_section in BY_NUMBER[3].cited_source


def test_every_rule_is_one_entry_of_the_shared_table() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert {r.requirement for r in RULES} >= {
        "cookie-lifetime",
        "consent-cookie-lifetime",
        "no-marketing-without-consent",
        "no-campaign-identifiers",
        "few-event-types",
        "first-party-trackers",
        "tag-respects-opt-out",
    }


def test_seed_2021_does_not_hold_a_site_to_the_campaign_and_referrer_rows() -> None:
    live = compliant_live()
    live["TrackerSettings"]["campaign_name_params"] = ["pk_campaign", "utm_campaign"]
    live["TrackerSettings"]["excluded_url_query_parameters"] = ["gclid"]
    strict = {r.number: r for r in judge_site(LiveSite.from_types(live), declared_of(ARGS))}
    assert strict[23].status == Status.BROKEN
    seed = {
        r.number: r
        for r in judge_site(LiveSite.from_types(live), declared_of(dataclasses.replace(ARGS, cnil_profile="seed-2021")))
    }
    assert seed[23].status == Status.NOT_APPLICABLE and seed[25].status == Status.NOT_APPLICABLE
    assert PROFILE_NOTES["seed-2021"] in seed[23].detail and "campaign attribution" in seed[23].detail
    # Every other row is judged alike under both profiles.
    assert {n: r.status for n, r in seed.items() if n not in (23, 25)} == {
        n: r.status for n, r in strict.items() if n not in (23, 25)
    }


@pytest.mark.parametrize("key", CAMPAIGN_KEYS)
def test_the_component_s_exclusions_cover_every_campaign_key(key: str) -> None:
    assert excluded_from_urls(key, CAMPAIGN_URL_EXCLUSIONS)


def test_exclusion_entries_are_literal_or_regular_expressions() -> None:
    assert excluded_from_urls("UTM_Source", ["utm_source"])
    assert not excluded_from_urls("utm_source", ["utm_sourcex", "/^pk_/"])
    assert excluded_from_urls("pk_kwd", ["/^pk_/"])
    assert not excluded_from_urls("pk_kwd", ["/([/"])  # a broken expression excludes nothing


@pytest.mark.parametrize(
    ("props", "broken"),
    [
        ({"template": "piwik", "visitor_cookie_timeout": 33_696_000}, False),
        ({"template": "piwik", "visitor_cookie_timeout": 33_696_001}, True),
        ({"template": "piwik_event", "visitor_cookie_timeout": 99_999_999}, False),  # not the tracking tag
        ({"template": "piwik", "cross_domain_tracking": True}, True),
        ({"template": "piwik", "respect_visitors_privacy": False}, True),
    ],
)
def test_piwik_tag_option_rules(props: dict[str, Any], broken: bool) -> None:
    assert bool(violations("TagConsentType", props)) is broken


def test_only_active_non_consent_tags_of_the_listed_templates_break_22() -> None:
    base = {"tag_id": "t", "name": "x", "is_active": True}
    tags = [
        {**base, "template": "google_adwords", "consent_type": "remarketing"},
        {**base, "template": "custom_tag", "consent_type": "not_require_consent"},
        {**base, "template": "heatmaps", "consent_type": "not_require_consent", "is_active": False},
    ]
    assert violations("SiteTags", {"tags": tags}) == []
    tags.append({**base, "name": "Pixel", "template": "linkedin", "consent_type": "not_require_consent"})
    (found,) = violations("SiteTags", {"tags": tags})
    assert found.rule == "cnil-no-marketing-without-consent" and "'Pixel' (linkedin, marketing" in found.message


@pytest.mark.parametrize(
    "name", ["referrer_host_only", "reports_aggregated", "no_vendor_reuse", "audience_only_purpose"]
)
def test_a_new_attestation_stated_false_is_refused_before_anything_is_sent(name: str) -> None:
    args = dataclasses.replace(ARGS, attestations=Attestations(**{name: False}))
    problems = refusals(args)
    assert any(p.startswith(f"attestations.{name}: false") for p in problems), problems
    requirement = next(r for r in REQUIREMENTS if r.attestation == name)
    assert requirement.reference in " ".join(problems)


def test_a_visitor_cookie_over_13_months_is_refused_by_the_rule() -> None:
    problems = refusals(dataclasses.replace(ARGS, visitor_cookie_timeout=40_000_000))
    assert any("visitor_cookie_timeout: 40000000 s is longer than 13 months" in p for p in problems), problems


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"cnil_profile": "cnil-2021"}, "cnil_profile", "Input should be 'cnil-2025' or 'seed-2021'"),
        ({"visitor_cookie_timeout": 0}, "visitor_cookie_timeout", "greater than or equal to 1"),
        ({"visitor_cookie_timeout": True}, "visitor_cookie_timeout", "not a boolean"),
    ],
)
def test_arguments_outside_their_type_fail_on_construction_naming_the_argument(
    change: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as err:
        dataclasses.replace(ARGS, **change)
    assert [e["loc"] for e in err.value.errors()] == [(field,)]
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"attested_on": "5 Jan 2026"}, "attested_on", "should match pattern '^\\d{4}-\\d{2}-\\d{2}$'"),
        ({"attested_on": "2026-02-30"}, "attested_on", "day is out of range for month"),
        ({"attested_by": " "}, "attested_by", "must not be empty"),
    ],
)
def test_attestations_who_and_when_are_checked_on_construction(
    change: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as err:
        Attestations(**change)
    assert [e["loc"] for e in err.value.errors()] == [(field,)]
    assert message in str(err.value)


def test_the_default_profile_is_the_strict_reading() -> None:
    assert ARGS.cnil_profile == "cnil-2025"
    assert BY_KEY["no-campaign-identifiers"].profiles == ("cnil-2025",)
