"""Rules name resources and properties as strings: the resource generator fails when one names what no resource
declares, or fixes a value its property refuses (tools/gen_resources.py, run with --check by `make test`)."""

from __future__ import annotations

import dataclasses

import pytest

from piwik_resources.compliance import RULES, RULES_BY_NAME, CnilProfile, compliant_values
from piwik_resources.components.cnil_account import CnilAccountArgs, global_settings
from piwik_resources.components.cnil_exempt_site import CnilExemptSiteArgs, _site_props
from tools import gen_resources

MODELS = {r.name: r.model for res in gen_resources.discover().values() for r in res}


def test_every_rule_names_a_declared_property_and_a_value_it_takes() -> None:
    assert gen_resources.rule_problems(MODELS) == []


def test_a_renamed_property_fails_the_generator_naming_the_rule() -> None:
    renamed = dataclasses.replace(RULES_BY_NAME["cnil-ip-masking"], property="ip_mask_level")
    assert gen_resources.rule_problems(MODELS, [renamed]) == [
        "rule cnil-ip-masking: TrackerSettings declares no property 'ip_mask_level'",
        "rule cnil-ip-masking: GlobalTrackerSettings declares no property 'ip_mask_level'",
    ]
    unknown = dataclasses.replace(RULES_BY_NAME["cnil-ask-consent"], resource_types=("SitePrivacyy",))
    (problem,) = gen_resources.rule_problems(MODELS, [unknown])
    assert problem.startswith("rule cnil-ask-consent: no resource 'SitePrivacyy' (resources: ConsentTemplate, ")


def test_a_compliant_value_the_property_refuses_fails_the_generator() -> None:
    wrong = dataclasses.replace(RULES_BY_NAME["cnil-cookieless-without-consent"], compliant="no_cookies")
    (problem,) = gen_resources.rule_problems(MODELS, [wrong])
    assert problem.startswith("rule cnil-cookieless-without-consent: compliant 'no_cookies' is not a SitePrivacy.")


def test_the_components_write_the_values_the_rules_own() -> None:
    """A rule's compliant value is written by the component: change it in the rule and the component follows."""
    props = _site_props(CnilExemptSiteArgs(site_name="Shop", urls=["https://shop.example.fr"]))
    for kind in ("TrackerSettings", "SitePrivacy", "TagConsentType"):
        owned = compliant_values(kind, "cnil-2025")
        assert owned and {k: props[kind][k] for k in owned} == owned
    assert global_settings(CnilAccountArgs()) == {
        "use_masked_ip_for_enrichment": True,
        "fingerprinting_across_websites": False,
        "ip_masking_level": 2,
        "geolocation_level": "City",
    }


@pytest.mark.parametrize("profile", ["cnil-2025", "seed-2021"])
def test_the_profile_decides_which_owned_values_are_written(profile: CnilProfile) -> None:
    args = CnilExemptSiteArgs(site_name="Shop", urls=["https://shop.example.fr"], cnil_profile=profile)
    written = set(_site_props(args)["TrackerSettings"])
    campaign = {r.property for r in RULES if r.requirement == "no-campaign-identifiers"}
    assert (campaign <= written) is (profile == "cnil-2025")


def test_the_judges_input_names_only_declared_resources_and_properties(monkeypatch: pytest.MonkeyPatch) -> None:
    """compliance/live.py names resource types and a listing's property as strings too: the generator checks them."""
    from piwik_resources.compliance import live

    monkeypatch.setitem(live.LISTINGS, "SiteCustomDimensions", ("CustomDimension", "dimension_list"))
    monkeypatch.setitem(live.FIELD_OF, "TrackerSetting", "tracker_settings")
    assert gen_resources.rule_problems(MODELS, []) == [
        "the judge's input (compliance/live.py) names 'TrackerSetting', which no resource declares",
        "compliance/live.py reads SiteCustomDimensions.dimension_list, which SiteCustomDimensions does not declare",
    ]
