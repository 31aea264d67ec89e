"""The compliance rules: each breaks on the values the seed forbids, and only on those."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from piwik_resources.compliance import (
    BY_NUMBER,
    REQUIREMENTS,
    RULES,
    Status,
    identifier_in,
    render_markdown,
    row,
    violations,
)
from piwik_resources.unknown import UNKNOWN


def test_every_requirement_of_the_seed_checklist_and_the_2025_criteria_is_listed_once() -> None:
    # 1-20: the seed's checklist; 21: the consent-record cookie split from #16; 22-30: the 2025 criteria; 31-34:
    # what the CNIL states that no row covered (the lifetime not extended, periodic review, headers, the contact).
    assert [r.number for r in REQUIREMENTS] == list(range(1, 35))
    assert len({r.key for r in REQUIREMENTS}) == 34
    assert all(r.seed_section for r in REQUIREMENTS)
    assert all(r.quality in ("[P]", "[S]", "[R]") and r.cited_source for r in REQUIREMENTS)


def test_every_rule_names_a_requirement() -> None:
    keys = {r.key for r in REQUIREMENTS}
    assert all(rule.requirement in keys for rule in RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)


@pytest.mark.parametrize(
    ("kind", "props", "rule"),
    [
        ("TrackerSettings", {"ip_masking_level": 0}, "cnil-ip-masking"),
        ("GlobalTrackerSettings", {"ip_masking_level": 0.0}, "cnil-ip-masking"),
        ("TrackerSettings", {"use_masked_ip_for_enrichment": False}, "cnil-masked-ip-enrichment"),
        ("TrackerSettings", {"exclude_unknown_urls": False}, "cnil-exact-url-matching"),
        ("TrackerSettings", {"fingerprinting_across_websites": True}, "cnil-no-cross-site-fingerprinting"),
        ("TrackerSettings", {"geolocation_level": "none"}, "cnil-geolocation-city"),
        ("SitePrivacy", {"gdpr": False}, "cnil-ask-consent"),
        ("SitePrivacy", {"gdpr_data_anonymization": False}, "cnil-collect-without-consent"),
        ("SitePrivacy", {"gdpr_data_anonymization_mode": "session_cookie_id"}, "cnil-cookieless-without-consent"),
        ("SitePrivacy", {"privacy_cookie_expiration_period": 33_696_001}, "cnil-cookie-lifetime"),
        ("TagConsentType", {"consent_type": "marketing_automation"}, "cnil-piwik-tag-consent-type"),
        ("CustomDimension", {"name": "User ID"}, "cnil-dimension-name-identifier"),
        (
            "CustomDimension",
            {"name": "Campaign", "extractions": [{"target": "page_query_parameter", "pattern": "email"}]},
            "cnil-dimension-extraction-identifier",
        ),
    ],
)
def test_a_forbidden_value_is_a_violation(kind: str, props: dict[str, Any], rule: str) -> None:
    found = violations(f"pulumi-python:dynamic/piwik:{kind}", props)
    assert [v.rule for v in found] == [rule]
    text = str(found[0])
    assert text.startswith(f"{found[0].property}:")
    assert found[0].property in props
    assert f"seed requirement #{found[0].requirement.number}" in text


@pytest.mark.parametrize(
    ("kind", "props"),
    [
        (
            "TrackerSettings",
            {
                "ip_masking_level": 1,
                "use_masked_ip_for_enrichment": True,
                "exclude_unknown_urls": True,
                "fingerprinting_across_websites": False,
                "geolocation_level": "City",
            },
        ),
        (
            "SitePrivacy",
            {
                "gdpr": True,
                "gdpr_data_anonymization": True,
                "gdpr_data_anonymization_mode": "no_device_storage",
                "privacy_cookie_expiration_period": 33_696_000,
            },
        ),
        ("TagConsentType", {"consent_type": "analytics"}),
        # Another tag than the Piwik PRO one may have another consent type.
        ("TagConsentType", {"consent_type": "marketing_automation", "template": "custom_tag"}),
        ("CustomDimension", {"name": "Consentement (session)", "extractions": []}),
        # Unknown values (preview) and properties a stack does not manage are never judged.
        ("TrackerSettings", {"ip_masking_level": UNKNOWN, "geolocation_level": None}),
        ("Site", {"ip_masking_level": 0}),
    ],
)
def test_compliant_or_unknown_values_pass(kind: str, props: dict[str, Any]) -> None:
    assert violations(kind, props) == []


@pytest.mark.parametrize("text", ["user_id", "E-mail", "Visitor ID", "customer-id", "IP address", "téléphone", "login"])
def test_identifier_words_are_found(text: str) -> None:
    assert identifier_in(text)


@pytest.mark.parametrize("text", ["Consentement (session)", "page type", "Consent status", "zip", "Piwik"])
def test_ordinary_dimension_names_pass(text: str) -> None:
    assert identifier_in(text) is None


def test_markdown_report_lists_rows_in_seed_order_and_escapes_pipes() -> None:
    rows = [
        row("dpa", Status.PENDING, "sign | send").as_dict(),
        row("ip-masking", Status.ENFORCED, "level 2").as_dict(),
    ]
    md = render_markdown("Site shop", rows, ["open?"], "seed-2021")
    lines = md.splitlines()
    assert lines[0] == "### Site shop"
    assert lines[2].startswith("Criteria profile `seed-2021`: the seed guide's 2021 programme")
    assert lines[4].startswith("Source marks: [P] the CNIL's own words")
    assert lines[8].startswith("| 1 | Mask IP addresses")
    # Each row cites its sources with their marks and addresses (looked up by number, not stored in the state).
    assert "| [S] — [S] Seed guide (Piwik PRO's configuration guide" in lines[8]
    assert "<https://piwik.pro/cnil-exemption>" in lines[8]
    assert "| 10 | Data Processing Agreement" in lines[9]
    assert "sign \\| send" in lines[9]
    assert "- open?" in md
    assert BY_NUMBER[10].key == "dpa"


def test_the_repository_documents_every_seed_requirement_and_its_rules() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "cnil-exemption.md").read_text(encoding="utf-8")
    rows = [line for line in doc.splitlines() if line.startswith("| ") and line.split("|")[1].strip().isdigit()]
    numbers = [int(line.split("|")[1]) for line in rows]
    assert numbers[:20] == list(range(1, 21)), "the seed's 20 requirements, in order"
    documented = [r for r in REQUIREMENTS if r.number in numbers]
    assert [
        rule.name for r in documented for rule in RULES if rule.requirement == r.key and f"`{rule.name}`" not in doc
    ] == []
