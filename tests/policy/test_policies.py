"""The pack's policies are the compliance rules (one each, same names), and judge props as the rules do."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pulumi_policy import EnforcementLevel, ResourceValidationArgs, ResourceValidationPolicy
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from piwik_resources import compliance
from piwik_resources.policy_pack import MANIFEST, PACK_DIR
from piwik_resources.policy_pack import cnil_policies as pack
from piwik_resources.policy_pack.__main__ import wrong_python

UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7"
UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def policies() -> dict[str, ResourceValidationPolicy]:
    built = pack.build_policies()
    assert all(isinstance(p, ResourceValidationPolicy) for p in built)
    return {p.name: p for p in built}


def run(policy_name: str, type_name: str, props: dict[str, Any], name: str = "shop") -> list[tuple[str, str | None]]:
    """Call one policy's validate as the SDK does (props behind the unknown-checking proxy)."""
    reported: list[tuple[str, str | None]] = []
    token = f"pulumi-python:dynamic/piwik:{type_name}"
    urn = f"urn:pulumi:test::p::{token}::{name}"
    args = ResourceValidationArgs(token, unknown_checking_proxy(props), urn, name, None, None)  # type: ignore[arg-type]
    policy = policies()[policy_name]
    assert policy.validate is not None

    def report(message: str, urn: str | None = None) -> None:
        reported.append((message, urn))

    policy.validate(args, report)
    return reported


def test_one_policy_per_rule_with_its_name_description_and_level() -> None:
    built = policies()
    assert list(built) == [r.name for r in compliance.RULES]
    for rule in compliance.RULES:
        policy = built[rule.name]
        assert policy.description == rule.description
        expected = EnforcementLevel.ADVISORY if rule.advisory else EnforcementLevel.MANDATORY
        assert policy.enforcement_level == expected


def test_pack_reuses_the_library_rules_and_holds_no_copy() -> None:
    source = (PACK_DIR / "cnil_policies.py").read_text() + (PACK_DIR / "__main__.py").read_text()
    assert "compliance.RULES" in source and "compliance.violations" in source
    for rule in compliance.RULES:
        assert rule.name not in source, f"{rule.name} is spelled out in the pack; it must come from compliance.RULES"
    assert "33_696_000" not in source and "33696000" not in source


def test_pack_names_no_virtualenv_so_it_runs_where_the_library_is_installed() -> None:
    # A path relative to the pack (the engine's reading of `virtualenv`) cannot name the environment that
    # installed the wheel; without one the host runs the pack with $PULUMI_PYTHON_CMD or python3.
    manifest = MANIFEST.read_text()
    assert MANIFEST.parent == PACK_DIR
    assert re.search(r"(?m)^\s+name: python$", manifest)
    assert not re.search(r"(?m)^\s+virtualenv:", manifest)
    assert not re.search(r"(?m)^\s+options:", manifest)


def test_the_pack_accepts_the_python_that_holds_it() -> None:
    assert wrong_python() is None


@pytest.mark.emulator  # runs the pack's entry point in a fresh interpreter
def test_the_pack_refuses_a_python_that_imports_another_copy(tmp_path: Path) -> None:
    # A copy of the pack's folder run by this Python: it would judge with this installation's rules, not its own.
    copy = tmp_path / "policy_pack"
    shutil.copytree(PACK_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    proc = subprocess.run(
        [sys.executable, str(copy / "__main__.py")], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert proc.returncode == 1
    assert f"{sys.executable} imports another piwik_resources, from {PACK_DIR.parent}" in proc.stderr
    assert "PULUMI_PYTHON_CMD" in proc.stderr


def test_violation_is_reported_with_resource_name_urn_and_requirement() -> None:
    reported = run("cnil-ip-masking", "TrackerSettings", {"site_id": "x", "ip_masking_level": 0.0})
    assert len(reported) == 1
    message, urn = reported[0]
    assert message.startswith("TrackerSettings shop: ip_masking_level: 0 masks no byte")
    assert "seed requirement #1" in message
    assert urn is not None and urn.endswith("::shop")


def test_compliant_values_and_other_types_are_not_reported() -> None:
    assert run("cnil-ip-masking", "TrackerSettings", {"ip_masking_level": 2.0}) == []
    assert run("cnil-ip-masking", "GlobalTrackerSettings", {"ip_masking_level": 1.0}) == []
    assert run("cnil-ip-masking", "SitePrivacy", {"ip_masking_level": 0.0}) == []
    assert run("cnil-ip-masking", "TrackerSettings", {"site_id": "x"}) == []  # not managed: not judged


def test_each_policy_judges_only_its_own_rule() -> None:
    props = {"ip_masking_level": 0.0, "geolocation_level": "none", "fingerprinting_across_websites": True}
    assert [m for m, _ in run("cnil-geolocation-city", "TrackerSettings", props)] == [
        "TrackerSettings shop: " + str(compliance.violations("TrackerSettings", {"geolocation_level": "none"})[0])
    ]


def test_extractions_behind_the_sdk_proxy_are_judged() -> None:
    # The SDK hands lists over as read-only proxies, which are not `list`: the pack must unwrap them.
    props = {"name": "Category", "extractions": [{"target": "page_query_parameter", "pattern": "email"}]}
    reported = run("cnil-dimension-extraction-identifier", "CustomDimension", props, name="dim")
    assert len(reported) == 1 and "'email'" in reported[0][0]


def test_consent_type_of_other_tags_is_free() -> None:
    assert run("cnil-piwik-tag-consent-type", "TagConsentType", {"consent_type": "remarketing", "template": "ga"}) == []
    assert run("cnil-piwik-tag-consent-type", "TagConsentType", {"consent_type": "remarketing"})


def test_unknown_judged_property_is_left_to_the_sdk() -> None:
    # The SDK turns UnknownValueError into "can't run policy ... during preview" (an advisory note).
    with pytest.raises(UnknownValueError):
        run("cnil-ask-consent", "SitePrivacy", {"gdpr": UNKNOWN_BOOL})


def test_unknown_values_elsewhere_do_not_stop_judging() -> None:
    props = {"site_id": UNKNOWN_STRING, "gdpr": False}
    assert len(run("cnil-ask-consent", "SitePrivacy", props)) == 1
    nested = {"name": "Category", "extractions": [{"target": "page_url_regex", "pattern": UNKNOWN_STRING}]}
    assert run("cnil-dimension-extraction-identifier", "CustomDimension", nested) == []


def test_plain_unwraps_nested_proxies() -> None:
    raw = {"a": [1, {"b": UNKNOWN_BOOL}], "c": {"d": "x"}, "e": UNKNOWN_STRING}
    assert pack.plain(unknown_checking_proxy(raw)) == {
        "a": [1, {"b": pack.UNKNOWN}],
        "c": {"d": "x"},
        "e": pack.UNKNOWN,
    }


@pytest.mark.parametrize(
    ("policy", "kind", "props", "level"),
    [
        ("cnil-visitor-cookie-lifetime", "TagConsentType", {"template": "piwik", "visitor_cookie_timeout": 4e7}, "m"),
        ("cnil-no-cross-domain-tracking", "TagConsentType", {"template": "piwik", "cross_domain_tracking": True}, "m"),
        ("cnil-tag-respects-privacy", "TagConsentType", {"respect_visitors_privacy": False}, "m"),
        ("cnil-no-campaign-name-params", "TrackerSettings", {"campaign_name_params": ["utm_campaign"]}, "a"),
        ("cnil-campaign-keys-excluded-from-urls", "TrackerSettings", {"excluded_url_query_parameters": []}, "a"),
        (
            "cnil-no-marketing-without-consent",
            "SiteTags",
            {"tags": [{"name": "Ads", "template": "adroll", "consent_type": "not_require_consent", "is_active": True}]},
            "m",
        ),
    ],
)
def test_the_pack_knows_the_2025_rules(policy: str, kind: str, props: dict[str, Any], level: str) -> None:
    """The 2025 rules are policies of the pack with no copy of their own (one per compliance.RULES entry);
    the campaign rules are advisory, because a seed-2021 stack keeps campaign parameters on purpose."""
    (reported,) = run(policy, kind, props)
    assert reported[0].startswith(f"{kind} shop: ")
    expected = EnforcementLevel.ADVISORY if level == "a" else EnforcementLevel.MANDATORY
    assert policies()[policy].enforcement_level == expected
