"""What a user reads from the compliance judge, word for word: each rule's message, the report's details, the
attestation texts, the order of the rows and the Markdown table.

These tests pin the wording a user acts on (the property, the live value, the allowed values, the rule's name),
so that a changed word, bound or comparison in piwik_resources/compliance/ fails a test
(`make mutation`, docs/mutation.md).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from piwik_resources.compliance import (
    BY_KEY,
    BY_NUMBER,
    CAMPAIGN_KEYS,
    MAX_COOKIE_LIFETIME_SECONDS,
    OPEN_QUESTIONS,
    PROFILE_NOTES,
    REQUIREMENTS,
    RULES_BY_NAME,
    SEED_GUIDE,
    SOURCE_QUALITY,
    Attestations,
    Declared,
    LiveSite,
    Options,
    ReportRow,
    Source,
    Status,
    Violation,
    as_published,
    attestation_problem,
    cookie_condition,
    excluded_from_urls,
    fires_without_consent,
    identifier_in,
    in_report_order,
    judge_site,
    properties_judged,
    render_markdown,
    report_order,
    row,
    rules_for,
    short_type,
    violations,
)
from piwik_resources.compliance.judge import ORIGIN_ACCOUNT, ORIGIN_NOT_PINNED
from piwik_resources.unknown import UNKNOWN
from tests.components.test_judge import DECLARED, compliant_live, dimension

ALL = Options()


def message(kind: str, props: dict[str, Any], options: Options = ALL) -> str:
    """The one violation's message for ``props`` of ``kind``."""
    (found,) = violations(kind, props, options=options)
    return found.message


def report(live: dict[str, Any], declared: Declared = DECLARED) -> dict[int, ReportRow]:
    return {r.number: r for r in judge_site(LiveSite.from_types(live), declared)}


# --- Each rule's message names the value and what is allowed -------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "props", "expected"),
    [
        (
            "TrackerSettings",
            {"ip_masking_level": 0.0},
            "0 masks no byte of the IP address; the exemption needs 1, 2, 3 or 4",
        ),
        (
            "TrackerSettings",
            {"use_masked_ip_for_enrichment": False},
            "False is not allowed: enrichment must use the masked IP address (required: True)",
        ),
        (
            "SitePrivacy",
            {"gdpr_data_anonymization_mode": "session_cookie_id"},
            "'session_cookie_id' is not allowed: without consent, nothing may be stored on the device "
            "(required: 'no_device_storage')",
        ),
        (
            "SitePrivacy",
            {"privacy_cookie_expiration_period": 33_696_001.0},
            "33696001 s is longer than 13 months; allowed: at most 33696000 s (33,696,000)",
        ),
        (
            "TrackerSettings",
            {"geolocation_level": "none"},
            "'none' keeps the full precision of the location; allowed: City, Region, Country, Continent",
        ),
        (
            "TagConsentType",
            {"consent_type": "not_require_consent"},
            "'not_require_consent' is not allowed for the Piwik PRO tag of an exempt site (required: 'analytics')",
        ),
        (
            "CustomDimension",
            {"name": "Visitor ID"},
            "'Visitor ID' looks like an identifier ('Visitor ID'); dimensions of exempt data must not identify "
            "visitors",
        ),
        (
            "CustomDimension",
            {"extractions": ["not a mapping", {"target": "url"}, {"pattern": "[?&]uid=(\\d+)"}]},
            "the extraction pattern '[?&]uid=(\\\\d+)' targets an identifier ('uid'); dimensions of exempt data must "
            "not identify visitors",
        ),
        (
            "TrackerSettings",
            {"campaign_name_params": ["utm_campaign"]},
            "['utm_campaign'] reads campaign data from URLs; allowed: [] (no campaign parameter)",
        ),
    ],
)
def test_each_rule_s_message_names_the_value_and_the_allowed_values(
    kind: str, props: dict[str, Any], expected: str
) -> None:
    assert message(kind, props) == expected


def test_the_bounds_are_inclusive_where_the_exemption_allows_the_bound() -> None:
    assert violations("TrackerSettings", {"ip_masking_level": 1}) == []
    assert violations("TrackerSettings", {"ip_masking_level": -1})[0].message.startswith("-1 masks no byte")
    assert violations("SitePrivacy", {"privacy_cookie_expiration_period": MAX_COOKIE_LIFETIME_SECONDS}) == []
    # Not numbers: nothing to judge (a boolean is not a level, a text is not a lifetime).
    assert violations("TrackerSettings", {"ip_masking_level": False}) == []
    assert violations("SitePrivacy", {"privacy_cookie_expiration_period": "forever"}) == []
    assert violations("TrackerSettings", {"campaign_name_params": "utm_campaign"}) == []
    assert violations("CustomDimension", {"name": 7, "extractions": "uid"}) == []


def test_the_piwik_tag_rules_hold_only_the_piwik_pro_tracking_tag() -> None:
    other = {"template": "custom_tag", "consent_type": "marketing", "cross_domain_tracking": True}
    assert violations("TagConsentType", other) == []
    named = {"consent_type": "marketing", "cross_domain_tracking": True, "respect_visitors_privacy": False}
    assert [v.rule for v in violations("TagConsentType", named)] == [
        "cnil-piwik-tag-consent-type",
        "cnil-no-cross-domain-tracking",
        "cnil-tag-respects-privacy",
    ]
    assert message("TagConsentType", {"template": "piwik", "cross_domain_tracking": True}) == (
        "True is not allowed: cross-domain tracking shares the visitor's identifier with other sites (required: False)"
    )


def test_a_tag_firing_without_consent_is_named_with_its_template_purpose_and_id() -> None:
    tags = [
        {"tag_id": "t1", "name": "Pixel", "template": "linkedin", "consent_type": "not_require_consent"},
        {
            "tag_id": "t2",
            "name": "Map",
            "template": "hot_jar",
            "consent_type": "not_require_consent",
            "is_active": True,
        },
        "not a tag",
    ]
    assert message("SiteTags", {"tags": tags}) == (
        "active tag(s) firing without consent (not_require_consent) that are not audience measurement: 'Pixel' "
        "(linkedin, marketing, tag t1), 'Map' (hot_jar, heatmap / session recording, tag t2); only piwik, "
        "piwik_virtual_page_view may fire without consent: set another consent type, deactivate the tag, or attest "
        "it by id in attestations.tags_without_consent"
    )
    assert violations("SiteTags", {"tags": "none"}) == []
    # #24 names its own templates the same way, with what measuring them needs.
    order = {"tag_id": "t3", "name": "Order", "template": "ecommerce_order", "consent_type": "not_require_consent"}
    video = {**order, "tag_id": "t4", "name": "Film", "template": "video_youtube"}
    found = violations("SiteTags", {"tags": [order, video]})
    assert [v.message for v in found if v.rule == "cnil-few-event-types"] == [
        "active tag(s) firing without consent (not_require_consent): 'Order' (ecommerce_order, e-commerce, tag t3), "
        "'Film' (video_youtube, video, tag t4); measuring more than the few allowed event types needs the visitor's "
        "consent (set another consent type or deactivate the tag)"
    ]
    assert violations("SiteTags", {"tags": 5}) == []  # not a list: nothing to judge


def test_a_trigger_that_sets_a_cookie_is_named_with_its_tag_and_condition() -> None:
    trigger = {"tag_id": "t1", "tag_name": "Piwik PRO", "trigger_id": "g1", "trigger_name": "Ads visitors"}
    conditions = [
        {"condition_type": "equals", "variable": "Page URL"},
        {"condition_type": "contains", "variable": "campaign"},  # names are matched whatever their case
        {"condition_type": "is_not_first_visit", "variable": None},
        "not a condition",
    ]
    second = {
        **trigger,
        "trigger_id": "g2",
        "trigger_name": "Once",
        "conditions": [{"condition_type": "once_per_session"}],
    }
    assert message("SiteTags", {"triggers": ["not a trigger", {**trigger, "conditions": conditions}, second]}) == (
        "tag 'Piwik PRO' (t1) fires on trigger 'Ads visitors' (g1) with a condition on 'campaign', the condition "
        "'is_not_first_visit'; tag 'Piwik PRO' (t1) fires on trigger 'Once' (g2) with the condition "
        "'once_per_session': Tag Manager sets a cookie for such a trigger (Piwik PRO help, « Setting up Consent "
        "Manager »), also for visitors who did not consent; give the tag a consent type or change the trigger"
    )
    harmless = [{"condition_type": t, "variable": "Page path"} for t in ("each_time", "equals", "contains")]
    assert violations("SiteTags", {"triggers": [{**trigger, "conditions": harmless}]}) == []
    assert violations("SiteTags", {"triggers": "not read"}) == []


def test_campaign_keys_left_in_urls_are_listed_and_the_fix_named() -> None:
    kept = [k for k in CAMPAIGN_KEYS if k not in ("utm_term", "gclid")]
    assert message("TrackerSettings", {"excluded_url_query_parameters": kept}) == (
        "campaign keys utm_term, gclid stay in the tracked URLs; add them (or /^(utm|pk|mtm|piwik)_/) to "
        "excluded_url_query_parameters (url_query_parameter_to_exclude_from_url)"
    )
    assert violations("TrackerSettings", {"excluded_url_query_parameters": list(CAMPAIGN_KEYS)}) == []
    assert violations("TrackerSettings", {"excluded_url_query_parameters": "utm_"}) == []


@pytest.mark.parametrize(
    ("key", "entries", "excluded"),
    [
        ("UTM_Source", ["utm_source"], True),  # plain names match whatever the case
        ("utm_source", ["/^utm_/"], True),
        ("utm_source", ["/^pk_/", "/^utm_/"], True),  # a later entry counts too
        ("xutm_source", ["/^utm_/"], False),
        ("utm_source", ["//"], False),  # two characters: a plain name, not an empty expression
        ("/", ["/"], True),
        ("utm_source", ["/(/", "utm_source"], True),  # a broken expression is skipped, not the end
        ("utm_source", ["utm"], False),
    ],
)
def test_url_exclusions_are_names_or_regular_expressions(key: str, entries: list[str], excluded: bool) -> None:
    assert excluded_from_urls(key, entries) is excluded


def test_an_extraction_without_a_pattern_targets_nothing() -> None:
    # Even patterns that would match a placeholder text find nothing where no pattern is set.
    odd = Options(identifier_patterns=(r"none", r"xx"))
    assert violations("CustomDimension", {"extractions": [{"target": "url"}]}, options=odd) == []


def test_identifier_words_and_configured_patterns() -> None:
    assert identifier_in("Customer number") == "Customer number"
    assert identifier_in("User ID", ()) is None
    assert identifier_in("", ()) is None
    assert identifier_in("zip code", (r"zip",)) == "zip"
    strict = Options(identifier_patterns=(r"zip",))
    assert "('Zip')" in message("CustomDimension", {"name": "Zip"}, strict)


# --- Violations and rows as a user reads them ----------------------------------------------------------------


def test_a_violation_reads_property_why_and_requirement_or_subject_value_and_rule() -> None:
    (found,) = violations("pulumi-python:dynamic/piwik:SitePrivacy", {"gdpr": False})
    assert found.resource_type == "SitePrivacy" and found.value is False and found.resource == ""
    reference = "seed requirement #3, Ask visitors for consent — " + BY_NUMBER[3].seed_section
    assert (
        found.text()
        == str(found)
        == f"gdpr: False is not allowed: visitors must be asked for consent (required: True) ({reference})"
    )
    assert found.text("site.ask_consent").startswith("site.ask_consent: False is not allowed")
    assert found.text(where=True) == (
        "SitePrivacy gdpr = False: False is not allowed: visitors must be asked for consent (required: True) "
        "[rule cnil-ask-consent]"
    )
    named = violations("CustomDimension", {"name": "User ID"}, resource="'User ID' (d-9)")[0]
    assert named.text(where=True).startswith("CustomDimension 'User ID' (d-9) name = 'User ID': ")
    assert named.as_dict() == {
        "rule": "cnil-dimension-name-identifier",
        "resource_type": "CustomDimension",
        "resource": "'User ID' (d-9)",
        "property": "name",
        "value": "User ID",
        "message": named.message,
    }


def test_long_values_are_cut_and_whole_floats_shown_as_integers() -> None:
    requirement = BY_KEY["no-identifiers"]
    long = Violation("r", requirement, "CustomDimension", "name", "x" * 200, "why")
    shown = long.text(where=True).split(" = ")[1].split(":")[0]
    assert shown == "'" + "x" * 118 + "…" and len(shown) == 120
    exact = Violation("r", requirement, "CustomDimension", "name", "x" * 118, "why")
    assert exact.text(where=True) == "CustomDimension name = '" + "x" * 118 + "': why [rule r]"
    assert Violation("r", requirement, "T", "p", 2.5, "why").text(where=True) == "T p = 2.5: why [rule r]"


def test_the_requirement_cites_its_source_or_the_seed_section() -> None:
    seed_only = BY_NUMBER[2]
    assert seed_only.cited_source == (
        f"[S] {SEED_GUIDE}: {seed_only.seed_section} <https://piwik.pro/cnil-exemption>; field: {seed_only.field}"
    )
    assert (
        BY_NUMBER[7].cited_source == f"[S] {SEED_GUIDE}: {BY_NUMBER[7].seed_section} <https://piwik.pro/cnil-exemption>"
    )
    assert BY_NUMBER[16].cited_source == "; ".join(s.cited for s in BY_NUMBER[16].sources) + (
        f"; field: {BY_NUMBER[16].field}"
    )
    assert BY_NUMBER[21].quality == "[R]" and BY_NUMBER[21].cited[0].mark == "[R]"
    assert BY_NUMBER[16].quality == BY_NUMBER[16].sources[0].mark == "[P]"
    assert BY_NUMBER[7].source_urls == ("https://piwik.pro/cnil-exemption",)


def test_the_compliant_site_s_details_name_what_was_read() -> None:
    rows = report(compliant_live())
    assert rows[1].detail == (
        "TrackerSettings.ip_masking_level = 2; the app's own override, pinned: written for this app even where it "
        "equals the account-wide value, so a change of the account does not reach it"
    )
    assert rows[1].rules == ("cnil-ip-masking",) and rows[1].key == "ip-masking"
    assert rows[1].seed_section == BY_NUMBER[1].seed_section and rows[1].requirement == BY_NUMBER[1].title
    assert rows[4].detail == (
        "SitePrivacy.gdpr_data_anonymization = True; SitePrivacy.gdpr_data_anonymization_mode = 'no_device_storage'; "
        "SiteTags.triggers = 1 read ('All page views')"
    )
    assert rows[12].detail == (
        "2 active CustomDimension of the app read and judged ('Consentement (session)' (d-1), "
        "'Consentement (évènement)' (d-2)); TagConsentType.user_id = ''; TagConsentType.piwik_custom_dimensions = "
        "[{'id': 1.0, 'value': '{{ Consent state }}'}, {'id': 2.0, 'value': '{{ Consent state }}'}]; "
        "TagConsentType.piwik_custom_variables = []"
    )
    assert rows[22].detail.startswith("SiteTags.tags = 3 read ('Piwik PRO', 'Ads', 'Ads'); every tag")
    assert rows[7].detail == (
        "consent form templates live for en, fr (API not published by Piwik PRO: the emulator's paths)"
    )
    assert rows[14].detail == (
        "live and active: session 'Consentement (session)' (d-1), event 'Consentement (évènement)' (d-2); filled by "
        "the Piwik PRO tag with {{ Consent state }}"
    )
    assert rows[18].detail == "TrackerSettings.geolocation_level = 'City'"


def test_attested_rows_show_the_requirement_s_text_with_the_value() -> None:
    rows = report(compliant_live())
    assert rows[19].detail == "data kept 25 months (attested; plan-bound)"
    assert rows[20].detail == "hosted in FR (attested; an EU/EEA region)"
    assert rows[32].detail == f"lifetimes and retention last reviewed on {date.today().isoformat()} (attested)"
    assert rows[34].detail == "the DPA names the processor's contact: legal+dpa@piwik.pro (attested)"
    for r in REQUIREMENTS:
        if r.attestation and r.key not in ("retention", "hosting", "durations-reviewed", "processor-contact"):
            assert rows[r.number].detail == r.done, r.key
            assert rows[r.number].status == Status.ATTESTED and rows[r.number].rules == ()
    pending = report(compliant_live(), Declared(site_name="Shop", attestations=Attestations(hosting_region="")))
    assert pending[20].status == Status.PENDING and pending[20].detail == BY_KEY["hosting"].todo


@pytest.mark.parametrize(
    ("months", "problem"),
    [(0, "0; allowed: 1 to 25"), (1, None), (25, None), (26, "26; allowed: 1 to 25"), (None, None)],
)
def test_retention_is_one_to_twenty_five_months(months: int | None, problem: str | None) -> None:
    assert attestation_problem(BY_KEY["retention"], months) == problem


def test_a_false_attestation_breaks_only_a_refuse_false_requirement() -> None:
    assert attestation_problem(BY_KEY["dpa"], False) == (
        "false, but the exemption needs: Data Processing Agreement signed with Piwik PRO"
    )
    assert attestation_problem(BY_KEY["dpa"], None) is None
    assert attestation_problem(BY_KEY["hosting"], "") is None  # not attested yet
    # A privacy policy or an opt-out form stated unpublished breaks the exemption (issue 19): broken, not pending.
    for key in ("privacy-policy", "opt-out"):
        assert attestation_problem(BY_KEY[key], False) == f"false, but the exemption needs: {BY_KEY[key].title}"
    rows = report(compliant_live(), Declared(site_name="Shop", attestations=Attestations(dpa_signed=False)))
    (found,) = rows[10].violations
    assert (found.rule, found.resource_type, found.property, found.value) == (
        "attestation",
        "Attestations",
        "attestations.dpa_signed",
        False,
    )
    assert rows[10].detail == found.text() and rows[10].rules == ()
    assert rows[8].status == Status.PENDING and rows[8].detail == BY_KEY["privacy-policy"].todo
    unpublished = Attestations(privacy_policy_published=False, opt_out_form_published=False)
    rows = report(compliant_live(), Declared(site_name="Shop", attestations=unpublished))
    assert (rows[8].status, rows[9].status) == (Status.BROKEN, Status.BROKEN)
    assert rows[8].detail.startswith("attestations.privacy_policy_published: false, but the exemption needs: ")


@pytest.mark.parametrize(
    ("region", "broken"),
    [("FR", False), ("eu", False), ("EEA", False), ("NO", False), (" DE ", False), ("US", True), ("CH", True)],
)
def test_hosting_is_held_to_eu_eea_regions(region: str, broken: bool) -> None:
    problem = attestation_problem(BY_KEY["hosting"], region)
    assert (problem is not None) is broken
    if broken:
        assert problem is not None and problem.startswith(f"{region!r} is outside the EU/EEA; allowed: EU, EEA or")
        assert "FR" in problem and "NO" in problem
    rows = report(compliant_live(), Declared(site_name="Shop", attestations=Attestations(hosting_region=region)))
    assert rows[20].status == (Status.BROKEN if broken else Status.ATTESTED)


def test_a_review_older_than_13_months_is_not_periodic() -> None:
    today = date(2026, 6, 1)
    # 13 months of the exemption: 13 x 30 days = 390 days.
    assert attestation_problem(BY_KEY["durations-reviewed"], "2025-05-07", today) is None  # exactly 390 days
    assert attestation_problem(BY_KEY["durations-reviewed"], "2025-05-06", today) == (
        "last reviewed on 2025-05-06, more than 13 months ago; review the durations again"
    )


def test_31_is_not_read_until_attested_and_broken_when_stated_false() -> None:
    rows = report(compliant_live(), Declared(site_name="Shop"))
    assert (rows[31].status, rows[31].detail) == (Status.NOT_READ, BY_KEY["cookie-not-extended"].todo)
    assert "« Extends: No »" in rows[31].detail  # the vendor's statement, shown as such, not as a live read
    stated_false = Attestations(cookie_lifetime_not_extended=False)
    stated = report(compliant_live(), Declared(site_name="Shop", attestations=stated_false))
    assert stated[31].status == Status.BROKEN


def test_an_unread_row_names_each_missing_value_once() -> None:
    live = compliant_live()
    del live["SitePrivacy"]
    rows = report(live)
    assert rows[4].detail == (
        "no live value read for SitePrivacy.gdpr_data_anonymization, SitePrivacy.gdpr_data_anonymization_mode"
    )
    assert rows[4].rules == (
        "cnil-collect-without-consent",
        "cnil-cookieless-without-consent",
        "cnil-no-cookie-setting-trigger",
    )
    live = compliant_live()
    live["TrackerSettings"]["ip_masking_level"] = UNKNOWN
    assert report(live)[1].detail == "no live value read for TrackerSettings.ip_masking_level"
    live["CustomDimension"] = [dimension("d-1", "Page", extractions=UNKNOWN)]
    assert report(live)[12].detail == "no live value read for CustomDimension.extractions"


def test_the_global_tracker_settings_count_as_tracker_settings() -> None:
    live = compliant_live()
    live["GlobalTrackerSettings"] = live.pop("TrackerSettings")
    rows = report(live)
    assert rows[18].status == Status.ENFORCED
    assert rows[18].detail == "GlobalTrackerSettings.geolocation_level = 'City'"


def test_broken_dimensions_are_named_by_name_and_id() -> None:
    live = compliant_live()
    live["CustomDimension"] += [
        {"dimension_id": "d-7", "name": "User ID", "scope": "event", "active": True},
        {"name": "E-mail", "active": True},
    ]
    (broken,) = [r for r in judge_site(LiveSite.from_types(live), DECLARED) if r.status == Status.BROKEN]
    assert [v.resource for v in broken.violations] == ["'User ID' (d-7)", "'E-mail'"]
    assert broken.detail.startswith("CustomDimension 'User ID' (d-7) name = 'User ID': 'User ID' looks like")
    assert "CustomDimension 'E-mail' name = 'E-mail'" in broken.detail
    assert broken.rules == (
        "cnil-dimension-name-identifier",
        "cnil-dimension-extraction-identifier",
        "cnil-tag-no-user-id",
        "cnil-tag-dimension-identifier",
        "cnil-tag-variable-identifier",
    )


def test_a_dimension_is_labelled_by_what_it_has_and_inactive_ones_are_skipped() -> None:
    live = compliant_live()
    live["CustomDimension"] = [
        dimension("d-0", "User ID", active=False),
        "not a dimension",
        {"dimension_id": "d-5", "active": True, "extractions": [{"pattern": "email=(.*)"}]},
        {"name": "Phone", "active": True},
    ]
    (broken,) = [
        r for r in judge_site(LiveSite.from_types(live), Declared(site_name="Shop")) if r.status == Status.BROKEN
    ]
    assert [v.resource for v in broken.violations] == ["'Phone'", "(d-5)"]
    assert broken.detail.startswith("CustomDimension 'Phone' name = 'Phone': ")
    assert "CustomDimension (d-5) extractions = [{'pattern': 'email=(.*)'}]: the extraction pattern" in broken.detail


def test_a_single_resource_is_not_labelled() -> None:
    live = compliant_live()
    live["TagConsentType"] |= {"name": "Piwik PRO", "consent_type": "marketing"}
    (broken,) = [r for r in judge_site(LiveSite.from_types(live), DECLARED) if r.status == Status.BROKEN]
    assert broken.violations[0].resource == ""
    assert broken.detail.startswith("TagConsentType consent_type = 'marketing': ")


def test_configured_patterns_judge_extractions_too() -> None:
    zip_code = {"extractions": [{"target": "url", "pattern": "zip=(.*)"}]}
    assert violations("CustomDimension", zip_code) == []
    strict = Options(identifier_patterns=(r"zip",))
    assert "('zip')" in message("CustomDimension", zip_code, strict)


def test_a_source_with_a_pipe_does_not_break_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    piped = dataclasses.replace(BY_NUMBER[1], sources=(Source("[P]", "A | B"),), field="")
    monkeypatch.setitem(BY_NUMBER, 1, piped)
    md = render_markdown("Site", [row("ip-masking", Status.ENFORCED, "d").as_dict()])
    assert md.splitlines()[-1] == f"| 1 | {BY_NUMBER[1].title} | enforced by API | [P] — [P] A \\| B | d |"


def test_no_active_dimension_is_checked_and_says_none() -> None:
    live = compliant_live()
    live["CustomDimension"] = [dimension("d-1", "User ID", active=False)]
    rows = report(live, Declared(site_name="Shop"))
    assert rows[12].status == Status.CHECKED
    assert rows[12].detail.startswith("0 active CustomDimension of the app read and judged (none)")


def test_values_shown_but_not_judged() -> None:
    live = compliant_live()
    live["TrackerSettings"] |= {"use_session_hash": True, "use_anonymous_session_hash": UNKNOWN}
    detail = report(live)[17].detail
    assert detail.startswith(
        "TrackerSettings.fingerprinting_across_websites = False; SitePrivacy.privacy_use_fingerprinting = False; "
        "TrackerSettings.use_session_hash = True (shown, not judged); open question (2025 criterion"
    )
    assert "use_anonymous_session_hash =" not in detail
    live["TrackerSettings"]["fingerprinting_across_websites"] = True
    assert "shown, not judged" not in report(live)[17].detail  # a broken row names what breaks it


def test_consent_templates_missing_empty_or_pending_are_each_named() -> None:
    live = compliant_live()
    declared = Declared(site_name="Shop", consent_template_mode="api", consent_languages=("en", "fr", "de"))
    live["ConsentTemplate"] = [
        {"language": "en", "message": "  ", "pending_manual_step": False},
        {"language": "fr", "message": "Nous…", "pending_manual_step": True},
        "not a template",
    ]
    got = report(live, declared)[7]
    assert got.status == Status.BROKEN and got.rules == ()
    assert [(v.resource, v.value) for v in got.violations] == [("'en'", "  "), ("'fr'", "Nous…"), ("'de'", None)]
    assert got.detail == (
        "ConsentTemplate 'en' message = '  ': no consent form message is live for this language "
        "[rule cnil-consent-message-live]; "
        "ConsentTemplate 'fr' message = 'Nous…': no consent form message is live for this language "
        "(manual step pending) [rule cnil-consent-message-live]; "
        "ConsentTemplate 'de' message = None: no consent form message is live for this language "
        "[rule cnil-consent-message-live]"
    )
    live["ConsentTemplate"] = [{"language": "en", "message": "Hello"}]  # pending not read: not shown as live
    assert report(live, declared)[7].status == Status.BROKEN
    no_language = Declared(site_name="Shop", consent_template_mode="api")
    assert report(live, no_language)[7].detail.startswith("consent form templates live for no language (")
    del live["ConsentTemplate"]
    assert (report(live, declared)[7].status, report(live, declared)[7].detail) == (
        Status.NOT_READ,
        "no live consent template read",
    )
    manual = report(live, Declared(site_name="Shop"))[7]
    assert manual.detail == (
        "paste the consent message (output consent_message) in the Consent Manager template; "
        "the step and texts are in each ConsentTemplate's manual_instructions"
    )


def test_export_dimensions_missing_inactive_or_of_another_scope_are_each_named() -> None:
    declared = Declared(
        site_name="Shop", exports_needed=True, export_dimensions={"session": "Consent", "event": "Consent event"}
    )
    live = compliant_live()
    live["CustomDimension"] = [
        dimension("d-1", "Consent", "event"),
        dimension("d-2", "Consent event", "event", active=False),
    ]
    got = report(live, declared)[14]
    assert got.status == Status.BROKEN and got.rules == ()
    assert [(v.resource, v.property, v.value) for v in got.violations] == [
        ("'Consent'", "active", None),
        ("'Consent event'", "active", False),
    ]
    assert got.detail == (
        "CustomDimension 'Consent' active = None: no active session-scope dimension 'Consent' in the app "
        "[rule cnil-export-dimensions-live]; CustomDimension 'Consent event' active = False: no active "
        "event-scope dimension 'Consent event' in the app (it is inactive) [rule cnil-export-dimensions-live]"
    )
    live["CustomDimension"].append(dimension("d-3", "Consent event", "event"))
    live["CustomDimension"].append(dimension("d-4", "Consent", "session"))
    fixed = report(live, declared)[14]
    assert fixed.status == Status.PENDING  # created, but nothing fills them: never "enforced"
    assert fixed.detail.startswith(
        "live and active: session 'Consent' (d-4), event 'Consent event' (d-3); created but not filled: nothing "
        "sends the consent state into them"
    )
    filled = dataclasses.replace(declared, consent_state_variable="Consent")
    live["TagConsentType"]["piwik_custom_dimensions"] = [{"id": 4, "value": "{{ Consent }}"}]
    live["CustomDimension"][-2:] = [
        dimension("d-3", "Consent event", "event", tracking_id=3),
        dimension("d-4", "Consent", "session", tracking_id=4),
    ]
    half = report(live, filled)[14]
    assert half.status == Status.BROKEN and [v.resource for v in half.violations] == ["'Consent event'"]
    assert half.detail == (
        "TagConsentType 'Consent event' piwik_custom_dimensions = None: the Piwik PRO tag does not fill dimension 3 "
        "with {{ Consent }} [rule cnil-export-dimensions-filled]"
    )
    live["TagConsentType"]["piwik_custom_dimensions"].append({"id": 3.0, "value": "{{ Consent }}"})
    assert (report(live, filled)[14].status, report(live, filled)[14].detail) == (
        Status.ENFORCED,
        "live and active: session 'Consent' (d-4), event 'Consent event' (d-3); filled by the Piwik PRO tag with "
        "{{ Consent }}",
    )
    del live["TagConsentType"]["piwik_custom_dimensions"]
    assert report(live, filled)[14].status == Status.NOT_READ
    del live["CustomDimension"]
    assert (report(live, declared)[14].status, report(live, declared)[14].detail) == (
        Status.NOT_READ,
        "the app's custom dimensions were not read",
    )
    assert report(live, Declared(site_name="Shop"))[14].detail == "exports_needed is false"


# --- Profiles, order and rendering ---------------------------------------------------------------------------


def test_a_row_outside_the_profile_is_not_applicable_with_the_profile_s_note() -> None:
    rows = report(compliant_live(), Declared(site_name="Shop", cnil_profile="seed-2021"))
    for number in (23, 25):
        assert rows[number].status == Status.NOT_APPLICABLE
        assert rows[number].detail == f"not applied under the seed-2021 profile: {PROFILE_NOTES['seed-2021']}"
    assert rows[1].status == Status.ENFORCED


def test_a_requirement_with_no_rule_no_judge_and_no_attestation_is_a_manual_step() -> None:
    requirement = BY_KEY["dpa"]
    bare = type(requirement)(99, "dpa", "t", "s", requirement.how)
    (got,) = judge_site(LiveSite.from_types({}), DECLARED, [bare])
    assert (got.status, got.detail) == (Status.PENDING, "no check exists: a manual step")


def test_broken_rows_come_first_then_by_number() -> None:
    assert report_order("broken", "7") == (False, 7)
    assert report_order(Status.PENDING, 3) == (True, 3)
    rows = [row("dpa", Status.PENDING, ""), row("hosting", Status.BROKEN, ""), row("ip-masking", Status.ENFORCED, "")]
    assert [r.number for r in in_report_order(rows)] == [20, 1, 10]
    live = compliant_live()
    live["SitePrivacy"]["gdpr"] = False
    live["TrackerSettings"]["geolocation_level"] = "none"
    assert [r.number for r in judge_site(LiveSite.from_types(live), DECLARED)][:4] == [3, 18, 1, 2]


def test_a_row_as_stored_in_the_state() -> None:
    ok = row("ip-masking", Status.ENFORCED, "level 2")
    assert ok.as_dict() == {
        "number": 1,
        "requirement": BY_NUMBER[1].title,
        "status": "enforced by API",
        "detail": "level 2",
    }
    found = violations("SitePrivacy", {"gdpr": False})
    broken = row("ask-consent", Status.BROKEN, "d", ("cnil-ask-consent",), found)
    assert broken.as_dict()["violations"] == [found[0].as_dict()]
    assert broken.violations == tuple(found) and broken.rules == ("cnil-ask-consent",)


def test_the_markdown_report_word_for_word() -> None:
    rows = [
        row("ip-masking", Status.ENFORCED, "a|b\nc").as_dict(),
        row("cookie-lifetime", Status.BROKEN, "x").as_dict(),
    ]
    md = render_markdown("Site", rows, ["Why?", "How?"], "cnil-2025")
    escaped_source = f"{BY_NUMBER[16].quality} — {BY_NUMBER[16].cited_source}".replace("|", "\\|")
    assert (
        md
        == "\n".join(
            [
                "### Site",
                "",
                f"Criteria profile `cnil-2025`: {PROFILE_NOTES['cnil-2025']}.",
                "",
                f"Source marks: {SOURCE_QUALITY}.",
                "",
                "| # | Requirement | Status | Source | Detail |",
                "|---|---|---|---|---|",
                f"| 16 | {BY_NUMBER[16].title} | broken | {escaped_source} | x |",
                f"| 1 | {BY_NUMBER[1].title} | enforced by API | [S] — {BY_NUMBER[1].cited_source} | a\\|b c |",
                "",
                "Open questions (not published by Piwik PRO):",
                "- Why?",
                "- How?",
            ]
        )
        + "\n"
    )
    plain = render_markdown("Site", [], (), None)
    header = "| # | Requirement | Status | Source | Detail |\n|---|---|---|---|---|\n"
    assert plain == f"### Site\n\nSource marks: {SOURCE_QUALITY}.\n\n{header}"
    account = [row("ip-masking", Status.NOT_READ, "no account").as_dict()]
    with_account = render_markdown("Site", [], (), None, account)
    assert with_account.endswith(
        "\n\n#### Account-wide settings (CnilAccount: the account's global tracker settings)\n\n"
        f"{header}| 1 | {BY_NUMBER[1].title} | not read | [S] — {BY_NUMBER[1].cited_source} | no account |\n"
    )
    assert "Criteria profile `x`: unknown profile." in render_markdown("Site", [], profile="x")
    assert len(OPEN_QUESTIONS) >= 1


def test_type_tokens_and_the_properties_a_program_must_read() -> None:
    assert short_type("pulumi-python:dynamic/piwik:Site") == "Site"
    assert short_type("aws:s3/bucket:Bucket") == "aws:s3/bucket:Bucket"
    assert properties_judged("SitePrivacy") == (
        "privacy_use_fingerprinting",
        "gdpr",
        "gdpr_data_anonymization",
        "gdpr_data_anonymization_mode",
        "privacy_cookie_expiration_period",
        "privacy_cookie_domains_enabled",
    )
    assert properties_judged("SiteTags") == ("triggers", "tags")  # three rules, two properties
    assert properties_judged("Site") == ("urls",)
    assert rules_for("ask-consent") == (RULES_BY_NAME["cnil-ask-consent"],)
    assert rules_for("ask-consent", []) == ()


def test_an_unknown_or_missing_value_does_not_hide_the_next_one() -> None:
    found = violations("SitePrivacy", {"gdpr": UNKNOWN, "gdpr_data_anonymization": False})
    assert [v.rule for v in found] == ["cnil-collect-without-consent"]
    live = compliant_live()
    live["CustomDimension"] = [
        {"dimension_id": "d-1", "active": True, "name": "Page"},
        {"dimension_id": "d-2", "active": True, "name": "User ID", "extractions": [{"pattern": "email"}]},
    ]
    rows = report(live, Declared(site_name="Shop"))
    assert [v.resource for v in rows[12].violations] == ["'User ID' (d-2)", "'User ID' (d-2)"]
    assert "; CustomDimension 'User ID' (d-2) extractions = " in rows[12].detail  # one row, violations joined
    # A dimension whose name is not known yet (a preview) does not stop the next one being judged by the same rule.
    live["CustomDimension"][0]["name"] = UNKNOWN
    unread_first = report(live, Declared(site_name="Shop"))[12]
    assert unread_first.status == Status.BROKEN
    assert [(v.rule, v.resource) for v in unread_first.violations] == [
        ("cnil-dimension-name-identifier", "'User ID' (d-2)"),
        ("cnil-dimension-extraction-identifier", "'User ID' (d-2)"),
    ]


def test_a_type_not_read_is_named_with_every_type_the_rule_reads() -> None:
    live = compliant_live()
    del live["TrackerSettings"]
    assert report(live)[18].detail == "no live value read for TrackerSettings/GlobalTrackerSettings.geolocation_level"


def test_short_expressions_and_anchors_in_url_exclusions() -> None:
    assert excluded_from_urls("gclid", ["/d/"])  # three characters: a one-letter expression
    assert not excluded_from_urls("pk_kwd_x", ["/^pk_kwd$/"])  # the whole expression, its anchor included


def test_an_empty_text_names_no_identifier_whatever_the_patterns() -> None:
    assert identifier_in("", (r"x",)) is None


def test_a_broken_attestation_row_says_why() -> None:
    rows = report(compliant_live(), Declared(site_name="Shop", attestations=Attestations(dpa_signed=False)))
    assert rows[10].detail.startswith("attestations.dpa_signed: false, but the exemption needs: Data Processing")


def test_row_1_says_where_each_value_comes_from() -> None:
    """Issue 20: the app's own pinned override, a value that may be inherited, or the account-wide value."""
    live = compliant_live()
    live["TrackerSettings"]["pinned"] = ["geolocation_level"]  # a state from before pinning, for this setting
    rows = report(live)
    assert rows[1].status == Status.ENFORCED
    assert rows[1].detail == f"TrackerSettings.ip_masking_level = 2; {ORIGIN_NOT_PINNED}"
    del live["TrackerSettings"]["pinned"]
    assert report(live)[1].detail == f"TrackerSettings.ip_masking_level = 2; {ORIGIN_NOT_PINNED}"
    account = {"GlobalTrackerSettings": {"ip_masking_level": 2, "geolocation_level": "City"}}
    (row,) = [r for r in judge_site(LiveSite.from_types(account), DECLARED, [BY_NUMBER[1]])]
    assert row.detail == f"GlobalTrackerSettings.ip_masking_level = 2; {ORIGIN_ACCOUNT}"


def test_an_output_nobody_filled_in_is_a_type_not_read() -> None:
    """A listing whose output is None (the bench's no-op provider gives none) is not read, not an error."""
    live = LiveSite.from_types({"CustomDimension": None, "ConsentTemplate": None, "TrackerSettings": None})
    assert (live.custom_dimensions, live.consent_templates, live.tracker_settings) == (None, None, None)


# --- Issue 19: the new rules' words -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "props", "expected"),
    [
        (
            "TagConsentType",
            {"template": "piwik", "user_id": "{{ Customer }}"},
            "'{{ Customer }}' sets a user id, which the API describes as connecting « a given user's data collected "
            "from multiple sources »; the tag of an exempt site sets none (allowed: empty)",
        ),
        (
            "TagConsentType",
            {"cookie_domain": "*.example.fr"},
            "'*.example.fr' shares the tracking cookie beyond the site's own host; allowed: unset (the site's host)",
        ),
        (
            "TagConsentType",
            {"content_tracking": "trackAllContentImpressions"},
            "'trackAllContentImpressions' tracks content impressions, an event type beyond the few allowed without "
            "consent (page views, interactions, load / scroll / reading time); allowed: unset",
        ),
        (
            "TagConsentType",
            {"piwik_custom_dimensions": ["not an entry", {"id": 4, "value": 7}, {"id": 5, "value": "{{ Phone }}"}]},
            "entry 5 sets value '{{ Phone }}', which looks like an identifier ('Phone'); the tag must not attach "
            "identifiers to visitors who did not consent",
        ),
        (
            "TagConsentType",
            {"piwik_custom_variables": [{"id": 2, "name": "plan", "value": "E-mail"}]},
            "entry 2 sets value 'E-mail', which looks like an identifier ('E-mail'); the tag must not attach "
            "identifiers to visitors who did not consent",
        ),
        (
            "Site",
            {"urls": ["https://shop.example.fr/", "https://blog.example.fr", "https://a.example.fr"]},
            "'https://blog.example.fr', 'https://a.example.fr' end(s) the host without a path separator: "
            "exclude_unknown_urls keeps requests whose URL starts with one of the app's urls, so "
            "'https://blog.example.fr.evil.example' is kept too; write 'https://blog.example.fr/'",
        ),
        (
            "SitePrivacy",
            {"privacy_use_fingerprinting": True},
            "True is not allowed: fingerprinting recognises returning visitors with an identifier the API does not "
            "say is specific to the site and limited in time (required: False)",
        ),
        (
            "SitePrivacy",
            {"privacy_cookie_domains_enabled": True},
            "True is not allowed: the privacy cookie would be set for the domains of privacy_cookie_domains "
            "(required: False)",
        ),
    ],
)
def test_each_new_rule_s_message_names_the_value_and_what_is_allowed(
    kind: str, props: dict[str, Any], expected: str
) -> None:
    assert message(kind, props) == expected


@pytest.mark.parametrize(
    ("kind", "props"),
    [
        ("TagConsentType", {"template": "piwik", "user_id": "  "}),  # blank is no user id
        ("TagConsentType", {"user_id": 3, "cookie_domain": "", "content_tracking": ""}),
        ("TagConsentType", {"cookie_domain": 7, "content_tracking": False}),
        ("TagConsentType", {"template": "custom_tag", "user_id": "x", "cookie_domain": "x", "content_tracking": "x"}),
        ("TagConsentType", {"piwik_custom_dimensions": "x", "piwik_custom_variables": [{"id": 1, "name": 5}]}),
        ("Site", {"urls": "https://x.fr"}),
        ("Site", {"urls": ["https://x.fr/path", "http://x.fr:8080/"]}),
        ("SiteTags", {"triggers": [{"tag_name": "t", "conditions": None}, {"tag_name": "u"}]}),
    ],
)
def test_values_the_new_rules_let_pass(kind: str, props: dict[str, Any]) -> None:
    assert violations(kind, props) == []


def test_configured_patterns_judge_the_tag_s_dimension_values_too() -> None:
    plan = {"piwik_custom_variables": [{"id": 1, "name": "plan", "value": "gold"}]}
    assert violations("TagConsentType", plan) == []
    assert "('plan')" in message("TagConsentType", plan, Options(identifier_patterns=(r"plan",)))


def test_a_condition_sets_a_cookie_by_its_variable_s_name_or_its_type() -> None:
    assert cookie_condition({"condition_type": "equals", "variable": "RETURNING VISITOR"}) == (
        "a condition on 'RETURNING VISITOR'"
    )
    assert cookie_condition({"condition_type": "once_per_page_view", "variable": "Page URL"}) == (
        "the condition 'once_per_page_view'"
    )
    assert cookie_condition({"condition_type": "each_time", "variable": None}) is None
    assert cookie_condition({}) is None


def test_which_tags_fire_without_consent() -> None:
    assert fires_without_consent({"consent_type": "not_require_consent"})
    assert fires_without_consent({"consent_type": "not_require_consent", "is_active": True})
    assert not fires_without_consent({"consent_type": "not_require_consent", "is_active": False})
    assert not fires_without_consent({"consent_type": "analytics"})


def test_as_published_names_only_the_values_the_draft_has_differently() -> None:
    props = {
        "consent_type": "analytics",
        "user_id": "",
        "published": {"version": "4.0", "values": {"consent_type": "analytics", "user_id": "", "cookie_domain": "x"}},
    }
    got = as_published(props)
    assert got["draft_differs"] == [] and got["cookie_domain"] == "x" and got["version"] == "published version 4.0"
    assert as_published({"published": None})["version"] == "draft"
