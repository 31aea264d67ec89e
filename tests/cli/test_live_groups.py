"""How the live snapshot finds a stack's sites in its state (cli/_live.py), without the engine.

Every CnilExemptSite of the state is a site — made by a Python program or by the provider plugin — with the record
it registered; a resource declared beside it on its app joins it; a resource on another app is not a site.
"""

from __future__ import annotations

from typing import Any

import pytest

from piwik_resources.cli import _live
from piwik_resources.compliance.record import to_record
from piwik_resources.components.cnil_exempt_site import CnilExemptSiteArgs, declared_of

ARGS = CnilExemptSiteArgs(site_name="Shop", urls=["https://shop.example"], cnil_profile="seed-2021")
PROGRAM = "urn:pulumi:dev::p::piwik:cnil:CnilExemptSite::shop"
PLUGIN = "urn:pulumi:dev::p::piwik:index:CnilExemptSite::blog"


def state() -> list[dict[str, Any]]:
    return [
        {"urn": PROGRAM, "type": "piwik:cnil:CnilExemptSite", "outputs": {"declared": to_record(declared_of(ARGS))}},
        {"urn": PLUGIN, "type": "piwik:index:CnilExemptSite", "outputs": {"site_id": "app-2"}},  # an older state
        {"urn": "u-site", "type": "pulumi-python:dynamic/piwik:Site", "id": "app-1", "parent": PROGRAM},
        {
            "urn": "u-dim",
            "type": "pulumi-python:dynamic/piwik:CustomDimension",
            "id": "d",
            "outputs": {"site_id": "app-1"},
        },
        {"urn": "u-other", "type": "pulumi-python:dynamic/piwik:Site", "id": "app-9"},
    ]


def test_every_cnil_exempt_site_is_a_site_with_its_record() -> None:
    groups = _live.site_groups(state())
    assert {g.key: g.component for g in groups.values()} == {"shop": PROGRAM, "blog": PLUGIN}
    assert groups[PROGRAM].record == declared_of(ARGS) and groups[PROGRAM].declaration().cnil_profile == "seed-2021"
    assert groups[PLUGIN].record is None
    with pytest.raises(_live.LiveSnapshotError, match=r"has no record of what no API answers.*run `pulumi up` once"):
        groups[PLUGIN].declaration()


def test_a_resource_beside_the_component_on_its_app_joins_it() -> None:
    resources = state()
    components = _live.site_groups(resources)
    apps = _live._apps_of(resources, components)
    keys = {r["urn"]: _live._group_key(r, components, apps)[0] for r in resources[2:]}
    assert keys == {"u-site": "shop", "u-dim": "shop", "u-other": "app-9"}


def test_an_unreadable_record_names_the_component() -> None:
    broken = state()
    broken[0]["outputs"]["declared"]["cnil_profile"] = "cnil-2030"
    with pytest.raises(_live.LiveSnapshotError, match=f"{PROGRAM}: its record .* is unreadable: cnil_profile"):
        _live.site_groups(broken)


def test_no_site_says_why() -> None:
    outside = _live.SiteSnapshot("app-9", "app-9", [_live.ResourceSnapshot("u", "Site", "s", "app-9", {}, {})])
    assert "holds 1 Piwik PRO resource(s), none in a CnilExemptSite" in str(
        _live.StackSnapshot("dev", [outside]).no_site("a dossier")
    )
    assert "holds no Piwik PRO resource" in str(_live.StackSnapshot("dev", []).no_site("the watch"))
    site = _live.SiteSnapshot("shop", None, component=PROGRAM)
    assert _live.StackSnapshot("dev", [site, outside]).no_site("a dossier") is None
