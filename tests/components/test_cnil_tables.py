"""The compliance tables, entry by entry, against the sources (tests/fixtures/cnil_data.py) and the docs' tables.

One case per template of each list, per identifier word, per rule's advisory flag and compliant value, per limit:
change one entry of ``compliance``'s tables — drop a template, rename one, drop a pattern, flip a flag — and the
case of that entry fails. The expected values never come from ``compliance`` itself; where a test walks a table of
the code (every pattern, every rule), it is to find an entry the sources do not have.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from piwik_resources import compliance
from piwik_resources.compliance import checks
from piwik_resources.compliance.rules import RULES_BY_NAME, violations
from tests.emulator.contract import raw_specs
from tests.fixtures import cnil_data as expected

REPO = Path(__file__).resolve().parents[2]
CRITERIA_DOC = (REPO / "docs" / "cnil-criteria.md").read_text(encoding="utf-8")
EXEMPTION_DOC = (REPO / "docs" / "cnil-exemption.md").read_text(encoding="utf-8")

MARKETING_RULE = "cnil-no-marketing-without-consent"
EVENTS_RULE = "cnil-few-event-types"


def tag(template: str, consent_type: str = "not_require_consent", *, active: bool = True) -> dict[str, Any]:
    return {"name": f"{template} tag", "template": template, "consent_type": consent_type, "is_active": active}


def broken_rules(*tags: dict[str, Any]) -> dict[str, str]:
    """rule -> message, for a container holding ``tags``."""
    return {v.rule: v.message for v in violations("SiteTags", {"tags": list(tags)})}


def published_templates() -> set[str]:
    """The ``template`` enum of the published tag create schema (every variant lists them all)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            template = node.get("properties", {}).get("template") if isinstance(node.get("properties"), dict) else None
            if isinstance(template, dict) and "enum" in template:
                found.update(template["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(raw_specs()["api_tag_v1_{app_id}_tags.json"])
    return found


# --- #4: the triggers that set a cookie ---------------------------------------------------------------------------

TRIGGER_RULE = "cnil-no-cookie-setting-trigger"


def trigger_rules(condition_type: str, variable: str | None) -> dict[str, str]:
    """rule -> message, for the Piwik PRO tag (it fires without consent) on one trigger with one condition."""
    trigger = {
        "tag_id": "t-1",
        "tag_name": "Piwik PRO",
        "trigger_id": "g-1",
        "trigger_name": "Visits",
        "trigger_type": "page_view",
        "conditions": [{"condition_type": condition_type, "variable": variable}],
    }
    return {v.rule: v.message for v in violations("SiteTags", {"triggers": [trigger]})}


@pytest.mark.parametrize("variable", expected.COOKIE_SETTING_VARIABLES)
def test_a_condition_on_a_cookie_setting_variable_breaks_4(variable: str) -> None:
    broken = trigger_rules("equals", variable)
    assert set(broken) == {TRIGGER_RULE} and f"a condition on {variable!r}" in broken[TRIGGER_RULE], broken


@pytest.mark.parametrize("condition_type", expected.COOKIE_SETTING_CONDITION_TYPES)
def test_a_cookie_setting_condition_type_breaks_4(condition_type: str) -> None:
    broken = trigger_rules(condition_type, "Page path")
    assert set(broken) == {TRIGGER_RULE} and f"the condition {condition_type!r}" in broken[TRIGGER_RULE], broken


@pytest.mark.parametrize("variable", expected.NO_COOKIE_VARIABLES)
@pytest.mark.parametrize("condition_type", expected.NO_COOKIE_CONDITION_TYPES)
def test_a_condition_the_help_does_not_name_passes_4(condition_type: str, variable: str) -> None:
    assert trigger_rules(condition_type, variable) == {}


# --- #22 and #24: the template lists -----------------------------------------------------------------------------


@pytest.mark.parametrize("template", sorted(expected.CONSENT_ONLY))
def test_a_consent_only_template_firing_without_consent_breaks_22(template: str) -> None:
    broken = broken_rules(tag(template))
    assert set(broken) == {MARKETING_RULE}, broken
    # The words end there (a comma before the tag id, or a colon before more): a renamed label is not a prefix.
    assert re.search(re.escape(f"({template}, {expected.CONSENT_ONLY[template]}") + "[,:]", broken[MARKETING_RULE])
    # Waiting for any consent type, or inactive, it passes.
    assert broken_rules(tag(template, "marketing"), tag(template, active=False)) == {}


@pytest.mark.parametrize("template", sorted(expected.EXTRA_EVENTS))
def test_an_extra_event_template_firing_without_consent_breaks_24_and_22(template: str) -> None:
    broken = broken_rules(tag(template))
    assert set(broken) == {EVENTS_RULE, MARKETING_RULE}, broken  # not audience measurement either
    assert re.search(re.escape(f"({template}, {expected.EXTRA_EVENTS[template]}") + "[,:]", broken[EVENTS_RULE])
    assert broken_rules(tag(template, "analytics"), tag(template, active=False)) == {}


@pytest.mark.parametrize("template", expected.NOT_AUDIENCE)
def test_any_other_template_firing_without_consent_breaks_22_as_not_audience_measurement(template: str) -> None:
    broken = broken_rules(tag(template))
    assert set(broken) == {MARKETING_RULE}, broken
    assert f"({template}, not audience measurement" in broken[MARKETING_RULE]


@pytest.mark.parametrize("template", expected.AUDIENCE)
def test_an_audience_template_fires_without_consent_and_passes_both(template: str) -> None:
    assert broken_rules(tag(template)) == {}


def test_a_tag_attested_by_id_may_fire_without_consent() -> None:
    attested = {**tag("custom_tag"), "tag_id": "t-1"}
    options = checks.Options(attested_tags=("t-1",))
    assert [v.rule for v in violations("SiteTags", {"tags": [attested]}, options=options)] == []
    assert [v.rule for v in violations("SiteTags", {"tags": [attested]})] == [MARKETING_RULE]


def test_every_published_template_is_placed_and_every_listed_one_is_published() -> None:
    placed = [*expected.AUDIENCE, *expected.CONSENT_ONLY, *expected.EXTRA_EVENTS, *expected.NOT_AUDIENCE]
    assert len(placed) == len(set(placed)) and set(placed) == published_templates()
    # The code's tables hold no template the sources do not (an addition needs its source in cnil_data.py).
    assert set(checks.AUDIENCE_TEMPLATES) == set(expected.AUDIENCE)
    assert set(checks.CONSENT_ONLY_TEMPLATES) == set(expected.CONSENT_ONLY)
    assert set(checks.EXTRA_EVENT_TEMPLATES) == set(expected.EXTRA_EVENTS)


def test_docs_list_the_templates_each_rule_judges() -> None:
    section = CRITERIA_DOC.split("### The templates of #22 and #24", 1)[1].split("\n### ", 1)[0].replace("\n  ", " ")

    def names(text: str) -> set[str]:
        found = set(re.findall(r"`([a-z0-9_*]+)`", text))
        if "ecommerce_*" in found:  # the doc's wildcard, read against the published enum
            found = found - {"ecommerce_*"} | {t for t in published_templates() if t.startswith("ecommerce_")}
        return found

    def listed(label: str) -> set[str]:
        match = re.search(re.escape(label) + r" \(([^)]*)\)", section)
        assert match, label
        return names(match[1])

    allowed = section.split("**allowed without consent (#22)**:", 1)[1]
    assert names(allowed.split("Every other template", 1)[0]) == set(expected.AUDIENCE)
    assert names(allowed.split("including", 1)[1].split("(pasted code", 1)[0]) == set(expected.PASTED_CODE)
    assert listed("marketing") == set(expected.MARKETING)
    assert listed("A/B testing") == set(expected.AB_TESTING)
    assert listed("heatmaps and session recording") == set(expected.HEATMAPS)
    events = section.split("more than the few allowed event types (#24):", 1)[1].split("\n", 1)[0]
    assert names(events) == set(expected.EXTRA_EVENTS)


# --- #12: identifier words -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", expected.IDENTIFIERS)
def test_a_dimension_named_with_an_identifier_word_breaks_12(name: str) -> None:
    found = {v.rule for v in violations("CustomDimension", {"name": name, "extractions": [{"pattern": name}]})}
    assert found == {"cnil-dimension-name-identifier", "cnil-dimension-extraction-identifier"}


@pytest.mark.parametrize("name", expected.NOT_IDENTIFIERS)
def test_a_dimension_of_pages_and_visits_passes_12(name: str) -> None:
    assert violations("CustomDimension", {"name": name, "extractions": [{"pattern": name}]}) == []


@pytest.mark.parametrize("pattern", checks.DEFAULT_IDENTIFIER_PATTERNS)
def test_every_default_pattern_matches_a_word_of_the_sources(pattern: str) -> None:
    """A pattern no source word needs is either a typo or a word missing from §6 of docs/cnil-exemption.md."""
    assert [w for w in expected.IDENTIFIERS if checks.identifier_in(w, [pattern])], pattern


# --- Rules: requirement, advisory flag, compliant value ---------------------------------------------------------


def test_the_rules_are_the_sources_rules() -> None:
    assert set(RULES_BY_NAME) == set(expected.RULES)


@pytest.mark.parametrize("name", sorted(expected.RULES))
def test_a_rules_requirement_and_advisory_flag(name: str) -> None:
    number, advisory, _ = expected.RULES[name]
    rule = RULES_BY_NAME[name]
    assert compliance.BY_KEY[rule.requirement].number == number
    assert rule.advisory is advisory


@pytest.mark.parametrize("name", sorted(expected.RULES))
def test_a_rules_compliant_value_passes_its_check_and_another_does_not(name: str) -> None:
    _, _, value = expected.RULES[name]
    rule = RULES_BY_NAME[name]
    if value is expected.NO_VALUE:
        if name != "cnil-campaign-keys-excluded-from-urls":
            assert rule.compliant is None or rule.property == "consent_type", (name, rule.compliant)
        return
    assert rule.compliant == value
    props = {"template": "piwik"}
    assert rule.check(value, props, checks.DEFAULT_OPTIONS) is None
    other = ["utm_source"] if isinstance(value, list) else (not value if isinstance(value, bool) else "other")
    assert rule.check(other, props, checks.DEFAULT_OPTIONS), (name, other)


def test_docs_name_each_rule_under_its_requirement() -> None:
    rows = [line for line in EXEMPTION_DOC.splitlines() if re.match(r"^\| \d+ \|", line)]
    named = {name: int(row.split("|")[1]) for row in rows for name in re.findall(r"`(cnil-[a-z-]+)`", row)}
    for name, number in named.items():
        assert expected.RULES[name][0] == number, name


# --- #23: campaign keys ---------------------------------------------------------------------------------------------

CAMPAIGN_RULE = "cnil-campaign-keys-excluded-from-urls"


def test_the_written_exclusions_cover_every_campaign_key_and_keep_the_accounts_own() -> None:
    written = RULES_BY_NAME[CAMPAIGN_RULE].compliant
    assert [k for k in expected.CAMPAIGN_KEYS if not checks.excluded_from_urls(k, written)] == []
    from piwik_emulator.tracker_settings import GLOBAL_INITIAL  # the account's initial list (a recorded response)

    initial = [k for k in GLOBAL_INITIAL["url_query_parameter_to_exclude_from_url"] if k not in expected.CAMPAIGN_KEYS]
    assert [k for k in initial if not checks.excluded_from_urls(k, written)] == []
    assert RULES_BY_NAME[CAMPAIGN_RULE].check(written, {}, checks.DEFAULT_OPTIONS) is None


@pytest.mark.parametrize("key", expected.CAMPAIGN_KEYS)
def test_a_campaign_key_left_in_the_urls_breaks_23(key: str) -> None:
    others = [k for k in expected.CAMPAIGN_KEYS if k != key]  # each excluded by name, none by a pattern
    message = RULES_BY_NAME[CAMPAIGN_RULE].check(others, {}, checks.DEFAULT_OPTIONS)
    assert message is not None and message.startswith("campaign keys "), message
    # Exactly that key is missing: the rule checks the sources' keys, no more (or a key of its own would show).
    assert message.removeprefix("campaign keys ").split(" stay ")[0].split(", ") == [key], message


@pytest.mark.parametrize("setting", expected.CAMPAIGN_SETTINGS)
def test_each_campaign_setting_has_its_rule(setting: str) -> None:
    [rule] = [r for r in compliance.RULES if r.property == setting]
    assert (
        rule.check(["utm_campaign"], {}, checks.DEFAULT_OPTIONS) and rule.check([], {}, checks.DEFAULT_OPTIONS) is None
    )


@pytest.mark.parametrize("name", expected.PIWIK_TAG_ONLY)
def test_a_piwik_tag_rule_leaves_tags_of_other_templates_alone(name: str) -> None:
    rule = RULES_BY_NAME[name]
    wrong = expected.MAX_TRACKER_LIFETIME_S + 1 if name == "cnil-visitor-cookie-lifetime" else not rule.compliant
    assert rule.check(wrong, {"template": "piwik"}, checks.DEFAULT_OPTIONS)
    assert rule.check(wrong, {}, checks.DEFAULT_OPTIONS)  # the Piwik PRO tag found by template, not named
    assert rule.check(wrong, {"template": "custom_tag"}, checks.DEFAULT_OPTIONS) is None


# --- Limits -----------------------------------------------------------------------------------------------------------


def test_the_limits_are_the_deliberations() -> None:
    assert compliance.MAX_COOKIE_LIFETIME_SECONDS == expected.MAX_TRACKER_LIFETIME_S
    assert compliance.MAX_RETENTION_MONTHS == expected.MAX_RETENTION_MONTHS


@pytest.mark.parametrize("name", ["cnil-visitor-cookie-lifetime", "cnil-cookie-lifetime"])
def test_a_cookie_of_13_months_passes_and_one_second_more_does_not(name: str) -> None:
    check = RULES_BY_NAME[name].check
    assert check(expected.MAX_TRACKER_LIFETIME_S, {"template": "piwik"}, checks.DEFAULT_OPTIONS) is None
    assert check(expected.MAX_TRACKER_LIFETIME_S + 1, {"template": "piwik"}, checks.DEFAULT_OPTIONS)


@pytest.mark.parametrize(
    ("level", "allowed"),
    [*((v, True) for v in expected.IP_LEVELS_ALLOWED), *((v, False) for v in expected.IP_LEVELS_REFUSED)],
)
def test_ip_masking_levels(level: int, allowed: bool) -> None:
    assert (RULES_BY_NAME["cnil-ip-masking"].check(level, {}, checks.DEFAULT_OPTIONS) is None) is allowed


@pytest.mark.parametrize(
    ("level", "allowed"),
    [*((v, True) for v in expected.GEOLOCATION_ALLOWED), *((v, False) for v in expected.GEOLOCATION_REFUSED)],
)
def test_geolocation_levels(level: str, allowed: bool) -> None:
    assert (RULES_BY_NAME["cnil-geolocation-city"].check(level, {}, checks.DEFAULT_OPTIONS) is None) is allowed


# --- docs/cnil-criteria.md's table: quality, profile, advisory per row -----------------------------------------------


def criteria_rows() -> dict[int, list[str]]:
    rows = [line for line in CRITERIA_DOC.splitlines() if re.match(r"^\| \d+ \|", line)]
    return {int(row.split("|")[1]): [c.strip() for c in row.split("|")[2:-1]] for row in rows}


@pytest.mark.parametrize("number", sorted(criteria_rows()))
def test_a_requirement_is_what_the_criteria_table_says(number: int) -> None:
    quality_cell = criteria_rows()[number][-1]
    requirement = compliance.BY_NUMBER[number]
    assert requirement.quality == quality_cell[:3]
    only_2025 = "`cnil-2025` only" in quality_cell
    assert requirement.profiles == (("cnil-2025",) if only_2025 else ("cnil-2025", "seed-2021"))
    rules = [r for r in compliance.RULES if r.requirement == requirement.key]
    if "advisory" in quality_cell:
        assert rules and all(r.advisory for r in rules)


# --- How each requirement is made to hold (docs/cnil-exemption.md §2 and docs/cnil-criteria.md, "How") ------------

HOW_WORDS = {"api": compliance.How.API, "check": compliance.How.CHECK, "attest": compliance.How.ATTEST}
HOW_WORDS["text"] = compliance.How.TEXT


def documented_how() -> dict[int, set[compliance.How]]:
    """number -> the How words of its row, from both docs' tables (a row of docs/cnil-criteria.md wins)."""
    found: dict[int, set[compliance.How]] = {}
    for doc in (EXEMPTION_DOC, CRITERIA_DOC):
        for line in doc.splitlines():
            cells = [c.strip() for c in line.split("|")[1:-1]]
            if len(cells) < 3 or not cells[0].isdigit():
                continue
            words = re.sub(r"\([^)]*\)", "", cells[2]).replace("+", ",").split(",")
            found[int(cells[0])] = {HOW_WORDS[w.strip().lower()] for w in words if w.strip()}
    return found


@pytest.mark.parametrize("number", sorted(documented_how()))
def test_a_requirement_is_made_to_hold_as_the_docs_say(number: int) -> None:
    assert set(compliance.BY_NUMBER[number].how) == documented_how()[number]


@pytest.mark.parametrize("number", sorted(expected.READ_NOT_JUDGED))
def test_a_requirement_shows_what_the_sources_say_it_reads(number: int) -> None:
    assert set(compliance.BY_NUMBER[number].reads) == set(expected.READ_NOT_JUDGED[number])
