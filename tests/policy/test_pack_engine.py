"""The policy pack under the real engine: `pulumi preview --policy-pack PACK_DIR` passes a compliant stack and stops
one that breaks the exemption, naming each rule and resource; the standard policy config changes enforcement.

The program (tests/programs/policy_cnil) declares one site's resources directly, against the emulator.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pulumi import automation as auto

from piwik_resources import compliance
from piwik_resources.policy_pack import PACK_DIR
from tests.fixtures import cnil_data
from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import StackFactory

REPO = Path(__file__).resolve().parents[2]
PACK = str(PACK_DIR)
PROGRAM = REPO / "tests" / "programs" / "policy_cnil"
PROJECT = "policy_cnil"

pytestmark = pytest.mark.engine

# Every rule of the library, and the resource of the program that breaks it with `violate=true`.
BROKEN_BY = {
    "cnil-ip-masking": "shop-tracker",
    "cnil-masked-ip-enrichment": "shop-tracker",
    "cnil-exact-url-matching": "shop-tracker",
    "cnil-no-cross-site-fingerprinting": "shop-tracker",
    "cnil-geolocation-city": "shop-tracker",
    "cnil-ask-consent": "shop-privacy",
    "cnil-collect-without-consent": "shop-privacy",
    "cnil-cookieless-without-consent": "shop-privacy",
    "cnil-cookie-lifetime": "shop-privacy",
    "cnil-piwik-tag-consent-type": "shop-piwik-tag",
    "cnil-dimension-name-identifier": "shop-dimension",
    "cnil-dimension-extraction-identifier": "shop-dimension",
    "cnil-visitor-cookie-lifetime": "shop-piwik-tag",
    "cnil-no-cross-domain-tracking": "shop-piwik-tag",
    "cnil-tag-respects-privacy": "shop-piwik-tag",
    **{
        f"cnil-no-campaign-{part}-params": "shop-tracker"
        for part in ("name", "keyword", "source", "medium", "content", "id")
    },
    "cnil-campaign-keys-excluded-from-urls": "shop-tracker",
    "cnil-site-urls-end-their-host": "shop",
    "cnil-no-fingerprinting": "shop-privacy",
    "cnil-no-privacy-cookie-domains": "shop-privacy",
}
#: Rules on a read-only listing's outputs (SiteTags.tags, .triggers) or on output-only properties (the Piwik PRO
#: tag's options TagConsentType reads): a preview has no live value to judge, so the pack cannot be shown stopping
#: them here; tests/policy/test_policies.py runs their policies on such values.
LIVE_ONLY = {
    "cnil-no-marketing-without-consent",
    "cnil-few-event-types",
    "cnil-no-cookie-setting-trigger",
    "cnil-no-tracking-cookie-domain",
    "cnil-no-content-tracking",
    "cnil-tag-no-user-id",
    "cnil-tag-dimension-identifier",
    "cnil-tag-variable-identifier",
}
#: Which rules the pack reports without stopping the stack: from the sources (tests/fixtures/cnil_data.py), not from
#: compliance.RULES, so that a flag flipped in the code fails here too.
ADVISORY = cnil_data.ADVISORY


def policy_events(events: list[auto.EngineEvent]) -> list[auto.PolicyEvent]:
    return [e.policy_event for e in events if e.policy_event is not None]


def preview(
    st: auto.Stack,
    config: dict[str, str] | None = None,
    tmp_path: Path | None = None,
) -> tuple[bool, list[auto.PolicyEvent], str]:
    """Preview with the pack; (succeeded, policy events, output)."""
    events: list[auto.EngineEvent] = []
    configs: list[str] | None = None
    if config is not None:
        assert tmp_path is not None
        path = tmp_path / "policy-config.json"
        path.write_text(json.dumps(config))
        configs = [str(path)]
    try:
        result = st.preview(policy_packs=[PACK], policy_pack_configs=configs, on_event=events.append)
    except auto.CommandError as exc:
        return False, policy_events(events), str(exc)
    return True, policy_events(events), result.stdout


def test_every_rule_of_the_library_is_exercised() -> None:
    assert set(BROKEN_BY) | LIVE_ONLY == {r.name for r in compliance.RULES}


def test_compliant_stack_passes_the_pack(pulumi_stack: StackFactory, emulator: Emulator) -> None:
    st = pulumi_stack(PROGRAM, emulator=emulator)
    ok, events, output = preview(st)
    assert ok, output
    assert events == []
    assert "cnil-exemption" in output


def test_each_violation_is_reported_with_rule_and_resource(pulumi_stack: StackFactory, emulator: Emulator) -> None:
    st = pulumi_stack(PROGRAM, emulator=emulator, config={f"{PROJECT}:violate": "true"})
    ok, events, output = preview(st)
    assert not ok, "a stack that breaks the exemption must fail the preview"
    reported = {(e.policy_name, (e.resource_urn or "").rsplit("::", 1)[-1]) for e in events}
    assert reported == set(BROKEN_BY.items())
    for e in events:
        assert e.policy_pack_name == "cnil-exemption"
        assert e.enforcement_level == ("advisory" if e.policy_name in ADVISORY else "mandatory")
        resource = BROKEN_BY[e.policy_name]
        assert resource in e.message and "seed requirement #" in e.message
        assert e.resource_urn is not None and "pulumi-python:dynamic/piwik:" in e.resource_urn
    # The text a user reads names the rule and the resource too.
    for rule, resource in BROKEN_BY.items():
        assert rule in output and resource in output


def test_enforcement_levels_come_from_the_policy_config(
    pulumi_stack: StackFactory, emulator: Emulator, tmp_path: Path
) -> None:
    st = pulumi_stack(PROGRAM, emulator=emulator, config={f"{PROJECT}:violate": "true"})

    # `all` sets every rule, a rule's own entry wins: one stays mandatory (so the preview fails), one is off.
    config = {"all": "advisory", "cnil-ip-masking": "mandatory", "cnil-geolocation-city": "disabled"}
    ok, events, _ = preview(st, config, tmp_path)
    assert not ok
    levels = {e.policy_name: e.enforcement_level for e in events}
    assert levels.pop("cnil-ip-masking") == "mandatory"
    assert "cnil-geolocation-city" not in levels
    assert set(levels) == set(BROKEN_BY) - {"cnil-ip-masking", "cnil-geolocation-city"}
    assert set(levels.values()) == {"advisory"}

    # `all`: every rule advisory → reported, but the preview succeeds.
    ok, events, output = preview(st, {"all": "advisory"}, tmp_path)
    assert ok, output
    assert {e.policy_name for e in events} == set(BROKEN_BY)
    assert {e.enforcement_level for e in events} == {"advisory"}
