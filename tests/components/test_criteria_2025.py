"""The CNIL's 2025 criteria in the shared tables: sources and their quality, the profiles, the new rules' edges."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from pydantic import ValidationError

from piwik_resources.compliance import (
    AUDIENCE_TEMPLATES,
    BY_KEY,
    BY_NUMBER,
    CAMPAIGN_KEYS,
    CAMPAIGN_URL_EXCLUSIONS,
    PROFILE_NOTES,
    REQUIREMENTS,
    RULES,
    Attestations,
    LiveSite,
    Options,
    Status,
    as_published,
    attestation_problem,
    compliant_values,
    excluded_from_urls,
    judge_account,
    judge_site,
    safe_url,
    violations,
)
from piwik_resources.compliance.judge import _id
from piwik_resources.compliance.live import FIELD_OF
from piwik_resources.components.cnil_exempt_site import CnilExemptSiteArgs, _site_props, declared_of, refusals
from tests.components.test_judge import compliant_live

ARGS = CnilExemptSiteArgs(site_name="Shop", urls=["https://shop.example.fr"])


def test_each_new_row_cites_its_source_and_quality() -> None:
    # The two cookie rows cite the API field's own description (the split of seed requirement #16).
    assert '"Visitor cookie timeout in seconds"' in BY_NUMBER[16].cited_source
    assert '"Privacy cookie expiration period (in seconds, default is one year)"' in BY_NUMBER[21].cited_source
    # Restatements of the CNIL's tool are [S], never presented as the CNIL's words; the CNIL's own texts are [P].
    for number in (23, 24, 25, 26, 28, 29, 33, 34):
        assert BY_NUMBER[number].quality == "[S]" and "restated" in BY_NUMBER[number].cited_source
    for number in (11, 16, 17, 22, 27, 30, 31, 32):
        assert BY_NUMBER[number].quality == "[P]" and "CNIL" in BY_NUMBER[number].cited_source
    # This project's own readings are [R]: the consent-record cookie's lifetime and the hosting region.
    for number in (20, 21):
        assert BY_NUMBER[number].quality == "[R]" and "this project's reading" in BY_NUMBER[number].cited_source
    # Seed rows without a named source cite the seed guide's section.
    seed_only = BY_NUMBER[3].cited_source
    assert seed_only.startswith("[S] Seed guide") and BY_NUMBER[3].seed_section in seed_only


def test_the_13_and_25_months_cite_the_recommendation_2020_092_on_legifrance() -> None:
    # The figures are in the recommendation (deliberation 2020-092, art. 5), not the guidelines (2020-091).
    for number in (16, 19, 31):
        cited = BY_NUMBER[number].cited_source
        assert "2020-092" in cited and "2020-091" not in cited
        assert "https://www.legifrance.gouv.fr/jorf/article_jo/JORFARTI000042388208" in BY_NUMBER[number].source_urls
    assert "treize mois" in BY_NUMBER[16].cited_source and "prorogée" in BY_NUMBER[31].cited_source


def test_every_cnil_source_carries_its_address() -> None:
    for requirement in REQUIREMENTS:
        for source in requirement.cited:
            if source.mark == "[R]":
                assert not source.url  # a reading has no address: it is this project's
                continue
            assert source.url.startswith("https://"), (requirement.number, source.text)
            if source.mark == "[P]":  # the CNIL's words: on its own site or on Légifrance
                assert source.url.startswith(("https://www.cnil.fr/", "https://www.legifrance.gouv.fr/"))


def test_18_cites_its_real_sources_not_the_seed_for_the_city() -> None:
    cited = BY_NUMBER[18].cited_source
    assert BY_NUMBER[18].quality == "[S]" and "city" in cited.split(";")[0] and "restated" in cited
    assert "no precision is named" in cited  # the seed's scope list says « zone géographique », never the city


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


def test_22_denies_by_default_every_tag_firing_without_consent_but_audience_measurement_and_attested_ids() -> None:
    base = {"tag_id": "t", "name": "x", "is_active": True}
    tags = [
        {**base, "template": "google_adwords", "consent_type": "remarketing"},  # waits for consent
        {**base, "template": "heatmaps", "consent_type": "not_require_consent", "is_active": False},  # inactive
        {**base, "template": "piwik", "consent_type": "not_require_consent"},  # audience measurement
        {**base, "template": "piwik_virtual_page_view", "consent_type": "not_require_consent"},
        {**base, "tag_id": "ok", "template": "custom_tag", "consent_type": "not_require_consent"},  # attested
    ]
    attested = Options(attested_tags=("ok",))
    assert [v for v in violations("SiteTags", {"tags": tags}, options=attested) if v.property == "tags"] == []
    for template in ("custom_tag", "custom_content", "custom_popup", "google_analytics", "qualaroo", "piwik_event"):
        tag = {**base, "tag_id": "t9", "name": "Pasted", "template": template, "consent_type": "not_require_consent"}
        (found,) = [v for v in violations("SiteTags", {"tags": [*tags, tag]}, options=attested) if v.property == "tags"]
        assert found.rule == "cnil-no-marketing-without-consent" and f"'Pasted' ({template}, " in found.message
        assert "tag t9" in found.message and "attestations.tags_without_consent" in found.message
    # The allow-list is short, and every template on it is one the published template enum names.
    assert set(AUDIENCE_TEMPLATES) == {"piwik", "piwik_virtual_page_view"}


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


# --- Issue 19: each row exactly as strong as its check ------------------------------------------------------------

PUBLISHED_TAG = {
    "consent_type": "not_require_consent",  # the draft, as the tag reads
    "template": "piwik",
    "tag_id": "tag-1",
    "published": {"version_id": "v3", "version": "3.0", "values": {"consent_type": "analytics", "user_id": ""}},
}


def test_the_piwik_tag_is_judged_on_its_published_version_and_the_row_says_so() -> None:
    built = LiveSite.build([("TagConsentType", PUBLISHED_TAG)])
    assert built.tag_consent_type is not None
    assert built.tag_consent_type["consent_type"] == "analytics"
    assert built.tag_consent_type["version"] == "published version 3.0"
    assert built.tag_consent_type["draft_differs"] == ["consent_type"]
    (got,) = judge_site(built, declared_of(ARGS), [BY_KEY["piwik-tag-consent-type"]])
    assert got.status == Status.ENFORCED
    assert got.detail == (
        "TagConsentType.consent_type = 'analytics'; the Piwik PRO tag's values read from its published version 3.0; "
        "the draft differs, unpublished: consent_type"
    )


def test_a_tag_whose_published_values_cannot_be_read_is_judged_on_its_draft_and_says_draft() -> None:
    draft_only = {**PUBLISHED_TAG, "published": {"values": False}}
    built = LiveSite.build([("TagConsentType", draft_only)])
    assert built.tag_consent_type is not None and built.tag_consent_type["version"] == "draft"
    (got,) = judge_site(built, declared_of(ARGS), [BY_KEY["piwik-tag-consent-type"]])
    assert got.status == Status.BROKEN  # the draft's not_require_consent is what can be read
    assert got.detail.endswith(
        "the Piwik PRO tag's values read from its draft: the published version's values cannot be read (the tag has "
        "unpublished changes and the API publishes no version's content)"
    )
    # A source that records no published values at all is judged as it is, without a word on the version.
    plain = LiveSite.build([("TagConsentType", {k: v for k, v in PUBLISHED_TAG.items() if k != "published"})])
    assert plain.tag_consent_type is not None and "version" not in plain.tag_consent_type
    assert as_published({"consent_type": "analytics", "published": {"values": "?"}})["version"] == "draft"


def test_the_account_section_judges_the_account_wide_requirements_on_the_global_settings() -> None:
    assert [(r.number, r.status) for r in judge_account(None)] == [(n, Status.NOT_READ) for n in (1, 2, 17, 18)]
    assert judge_account(None)[0].detail.startswith("the account-wide settings were not read: no CnilAccount")
    good = {
        "ip_masking_level": 2.0,
        "use_masked_ip_for_enrichment": True,
        "fingerprinting_across_websites": False,
        "geolocation_level": "City",
    }
    rows = judge_account(good)
    assert {r.status for r in rows} == {Status.ENFORCED}
    assert rows[0].detail.startswith("GlobalTrackerSettings.ip_masking_level = 2; the account-wide value")
    # Only the account's own rules: #17's app switch (privacy_use_fingerprinting) is not an account setting.
    assert [r.rules for r in rows if r.number == 17] == [("cnil-no-cross-site-fingerprinting",)]
    broken = judge_account({**good, "ip_masking_level": 0})
    assert broken[0].number == 1 and broken[0].status == Status.BROKEN


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://shop.example.fr", "https://shop.example.fr/"),
        ("https://shop.example.fr/", "https://shop.example.fr/"),
        ("https://shop.example.fr/boutique", "https://shop.example.fr/boutique"),
        ("http://shop.example.fr:8080", "http://shop.example.fr:8080/"),
        ("not a url", "not a url"),
    ],
)
def test_a_site_url_ends_its_host_with_a_path_separator(url: str, safe: str) -> None:
    assert safe_url(url) == safe
    assert bool(violations("Site", {"urls": [url]})) is (safe != url or url == "not a url")


def test_the_component_writes_the_fingerprinting_and_cookie_domain_switches() -> None:
    privacy = _site_props(ARGS)["SitePrivacy"]
    assert privacy["privacy_use_fingerprinting"] is False and privacy["privacy_cookie_domains_enabled"] is False


@pytest.mark.parametrize(
    ("attestations", "named"),
    [
        (Attestations(hosting_region="US"), "attestations.hosting_region: 'US' is outside the EU/EEA"),
        (Attestations(privacy_policy_published=False), "attestations.privacy_policy_published: false"),
        (Attestations(opt_out_form_published=False), "attestations.opt_out_form_published: false"),
        (Attestations(cookie_lifetime_not_extended=False), "attestations.cookie_lifetime_not_extended: false"),
        (Attestations(durations_reviewed_on="2020-01-01"), "last reviewed on 2020-01-01, more than 13 months"),
    ],
)
def test_a_statement_that_breaks_the_exemption_is_refused_before_anything_is_sent(
    attestations: Attestations, named: str
) -> None:
    problems = refusals(dataclasses.replace(ARGS, attestations=attestations))
    assert any(named in p for p in problems), problems


def test_what_the_judge_is_told_of_attested_tags_and_the_consent_variable() -> None:
    stated = Attestations(tags_without_consent={"t-9": "a status banner, no tracking"})
    args = dataclasses.replace(ARGS, attestations=stated, consent_state_variable=" Consent state ")
    assert declared_of(args).options.attested_tags == ("t-9",)
    assert declared_of(args).consent_state_variable is None  # no exports: nothing to fill
    exports = dataclasses.replace(args, exports_needed=True)
    assert declared_of(exports).consent_state_variable == "Consent state"
    with pytest.raises(ValidationError, match="not a Tag Manager variable name"):
        dataclasses.replace(ARGS, consent_state_variable="{{ Consent }}")
    with pytest.raises(ValidationError, match="must not be empty"):
        Attestations(tags_without_consent={"t-9": " "})


def test_14_words_for_each_state_and_the_value_found() -> None:
    declared = dataclasses.replace(declared_of(ARGS), exports_needed=True, export_dimensions={"event": "Consent"})
    dims = [{"dimension_id": "d-3", "name": "Consent", "scope": "event", "active": True, "tracking_id": "3"}]
    live = {"CustomDimension": dims, "TagConsentType": {"version": "published version 5.0", "draft_differs": []}}
    (pending,) = judge_site(LiveSite.from_types(live), declared, [BY_KEY["export-dimensions"]])
    assert pending.detail == (
        "live and active: event 'Consent' (d-3); created but not filled: nothing sends the consent state into them, "
        "so exports cannot be filtered on it. Make a Tag Manager variable that holds the visitor's consent state (the "
        "API publishes no variables endpoint and Piwik PRO no built-in one), then name it in consent_state_variable"
    )
    named = dataclasses.replace(declared, consent_state_variable="Consent")
    (unread,) = judge_site(LiveSite.from_types(live), named, [BY_KEY["export-dimensions"]])
    assert (unread.status, unread.detail) == (
        Status.NOT_READ,
        "live and active: event 'Consent' (d-3); the Piwik PRO tag's custom dimensions were not read",
    )
    live["TagConsentType"]["piwik_custom_dimensions"] = [{"id": 3.0, "value": "{{ Other }}"}]
    (wrong,) = judge_site(LiveSite.from_types(live), named, [BY_KEY["export-dimensions"]])
    assert wrong.status == Status.BROKEN and wrong.rules == () and wrong.violations[0].value == "{{ Other }}"
    assert wrong.detail.endswith(
        "[rule cnil-export-dimensions-filled]; the Piwik PRO tag's values read from its published version 5.0"
    )
    live["TagConsentType"]["piwik_custom_dimensions"] = [{"id": 3.0, "value": "{{ Consent }}"}]
    (filled,) = judge_site(LiveSite.from_types(live), named, [BY_KEY["export-dimensions"]])
    assert filled.detail == (
        "live and active: event 'Consent' (d-3); filled by the Piwik PRO tag with {{ Consent }}; the Piwik PRO tag's "
        "values read from its published version 5.0"
    )


def test_a_dimension_number_is_the_same_whether_the_wire_made_it_a_float_or_text() -> None:
    assert (_id(3.0), _id(3), _id("3"), _id(True), _id(None)) == ("3", "3", "3", "True", "None")


def test_only_rows_that_read_the_tag_say_which_version_they_read() -> None:
    tag = {"consent_type": "analytics", "template": "piwik", "version": "published version 2.0", "draft_differs": []}
    live = LiveSite.from_types({"TagConsentType": tag, "TrackerSettings": {"ip_masking_level": 2}})
    rows = {
        r.number: r
        for r in judge_site(live, declared_of(ARGS), [BY_KEY["ip-masking"], BY_KEY["piwik-tag-consent-type"]])
    }
    assert "Piwik PRO tag" not in rows[1].detail
    assert rows[6].detail == (
        "TagConsentType.consent_type = 'analytics'; the Piwik PRO tag's values read from its published version 2.0"
    )
    tag["draft_differs"] = ["consent_type", "user_id"]
    (row6,) = judge_site(live, declared_of(ARGS), [BY_KEY["piwik-tag-consent-type"]])
    assert row6.detail.endswith("published version 2.0; the draft differs, unpublished: consent_type, user_id")


def test_an_unread_account_row_names_the_account_s_rules() -> None:
    rows = {r.number: r for r in judge_account(None)}
    assert rows[1].rules == ("cnil-ip-masking",)
    assert rows[17].rules == ("cnil-no-cross-site-fingerprinting",)


def test_live_site_build_takes_each_type_as_the_judge_does() -> None:
    built = LiveSite.build(
        [
            ("SiteCustomDimensions", {"dimensions": [{"name": "a"}]}),
            ("SiteCustomDimensions", {"dimensions": None}),
            ("CustomDimension", {"name": "declared, judged through the listing"}),
            ("ConsentTemplate", {"language": "fr"}),
            ("ConsentTemplate", {"language": "en"}),
            ("SitePrivacy", None),  # gone: not read
            ("Unknown", {"x": 1}),  # a type the judge does not read: left out
            ("TrackerSettings", {"ip_masking_level": 2}),
        ]
    )
    assert built.custom_dimensions == ()  # the last listing read wins: an empty one
    assert built.consent_templates == ({"language": "fr"}, {"language": "en"})
    assert built.site_privacy is None and built.tracker_settings == {"ip_masking_level": 2}
    assert LiveSite.build([("SiteCustomDimensions", {"dimensions": [{"name": "a"}]})]).custom_dimensions == (
        {"name": "a"},
    )
    assert LiveSite.build([("SitePrivacy", None), ("TrackerSettings", {"a": 1})]).tracker_settings == {"a": 1}
    with pytest.raises(ValueError) as err:
        LiveSite.from_types({"Nope": {}})
    assert str(err.value) == f"LiveSite: 'Nope' is not a type the judge reads; known: {', '.join(FIELD_OF)}"
    assert LiveSite.from_types({"CustomDimension": [{"name": "a"}]}).custom_dimensions == ({"name": "a"},)
    assert LiveSite().of("NotAType") is None


def test_the_values_the_components_write() -> None:
    assert compliant_values("SitePrivacy")["privacy_use_fingerprinting"] is False
    assert "campaign_name_params" in compliant_values("TrackerSettings", "cnil-2025")
    assert "campaign_name_params" not in compliant_values("TrackerSettings", "seed-2021")
    assert "campaign_name_params" in compliant_values("TrackerSettings")  # every profile's
    account = compliant_values("GlobalTrackerSettings", account=True)
    assert account == {"use_masked_ip_for_enrichment": True, "fingerprinting_across_websites": False}
    assert "ip_masking_level" not in compliant_values("TrackerSettings")  # the user's choice: no compliant value
    first, second = compliant_values("TrackerSettings"), compliant_values("TrackerSettings")
    first["excluded_url_query_parameters"].append("mine")
    assert "mine" not in second["excluded_url_query_parameters"]  # each call gets its own copy


def test_attestation_words() -> None:
    with pytest.raises(ValidationError) as err:
        Attestations(dpa_processor_contact=" ")
    assert "Value error, must not be empty [" in str(err.value)
    with pytest.raises(ValidationError) as err:
        Attestations(attested_by=" ")
    assert "Value error, must not be empty (a name or role, e.g. the DPO) [" in str(err.value)
    problem = attestation_problem(BY_KEY["hosting"], "US")
    regions = (
        "AT, BE, BG, CY, CZ, DE, DK, EE, EL, ES, FI, FR, GR, HR, HU, IE, IS, IT, LI, LT, LU, LV, MT, NL, NO, PL, PT, "
        "RO, SE, SI, SK"
    )
    assert problem == f"'US' is outside the EU/EEA; allowed: EU, EEA or a member state's code ({regions})"
