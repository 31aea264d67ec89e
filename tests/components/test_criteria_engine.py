"""The 2025 criteria through the real engine against the emulator, and the evidence dossier of that stack.

`pulumi up` of the repository's local stack sets the Piwik PRO tag's visitor cookie lifetime, cross-domain
tracking and privacy flag and empties the campaign parameters (cnil-2025); each is read back over HTTP. A
remarketing pixel made by hand on a site's container, firing without consent, turns row #22 *broken* after
`pulumi up --refresh`. `piwik-cnil evidence` then writes a sealed dossier with GET requests only and leaves the
state byte for byte as it was; a second dossier names the first and lists the audit-log changes made between.
A `seed-2021` site keeps the account's campaign parameters.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from piwik_resources.cli import _dossier
from piwik_resources.compliance import CAMPAIGN_KEYS, CAMPAIGN_PARAM_SETTINGS, excluded_from_urls
from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import EngineEnv, StackFactory

pytestmark = pytest.mark.engine

READS = ("GET",)


def report(outputs: dict[str, Any], site: str) -> dict[int, dict[str, Any]]:
    return {row["number"]: row for row in outputs["sites"].value[site]["compliance_report"]}


def attributes(emulator: Emulator, path: str) -> dict[str, Any]:
    response = emulator.api("GET", path)
    assert response.status_code == 200, (path, response.text)
    data: dict[str, Any] = response.json()["data"]["attributes"]
    return data


def piwik_tag(emulator: Emulator, app_id: str) -> dict[str, Any]:
    listed = emulator.api("GET", f"/api/tag/v1/{app_id}/tags", params={"filter[template]": "piwik"}).json()["data"]
    (tag,) = listed
    return attributes(emulator, f"/api/tag/v1/{app_id}/tags/{tag['id']}")


def hand_made_pixel(emulator: Emulator, app_id: str) -> str:
    body = {
        "data": {
            "type": "tag",
            "attributes": {
                "name": "Retargeting pixel",
                "template": "facebook_retargeting_pixel",
                "template_options": {},
                "consent_type": "not_require_consent",
            },
        }
    }
    response = emulator.api("POST", f"/api/tag/v1/{app_id}/tags", json=body)
    assert response.status_code == 201, response.text
    tag_id: str = response.json()["data"]["id"]
    return tag_id


def evidence(st: auto.Stack, env: EngineEnv, out: Path) -> subprocess.CompletedProcess[str]:
    return env.piwik_cnil(st, "evidence", "--stack", st.name, "--out", out, "--json")


def state_bytes(env: EngineEnv) -> dict[str, bytes]:
    backend = env.root / "backend" / ".pulumi" / "stacks"
    return {str(p.relative_to(backend)): p.read_bytes() for p in sorted(backend.rglob("*.json"))}


def test_the_new_requirements_hold_a_hand_made_pixel_breaks_22_and_the_dossier_reads_only(
    project_stack: StackFactory, emulator: Emulator, engine_env: EngineEnv, tmp_path: Path
) -> None:
    st = project_stack(emulator=emulator)
    up = st.up()
    assert up.summary.result == "succeeded"
    for site, out in up.outputs["sites"].value.items():
        app_id = out["site_id"]
        tag = piwik_tag(emulator, app_id)
        assert tag["template_options"]["visitor_cookie_timeout"] <= 33_696_000, site  # 16
        assert tag["template_options"]["cross_domain_tracking"] is False  # 27
        assert tag["respect_visitors_privacy"] is True and tag["is_published"] is True  # 28
        tracker = attributes(emulator, f"/api/tracker/v2/settings/app/{app_id}")
        assert all(tracker[setting] == [] for setting in CAMPAIGN_PARAM_SETTINGS)  # 23
        excluded = tracker["url_query_parameter_to_exclude_from_url"]
        assert all(excluded_from_urls(key, excluded) for key in CAMPAIGN_KEYS) and "phpsessid" in excluded
        rows = report(up.outputs, site)
        assert {rows[n]["status"] for n in (16, 21, 23, 27, 28)} == {"enforced by API"}, site
        assert {rows[n]["status"] for n in (22, 24)} == {"checked"}
        assert "visitor_cookie_timeout = 31536000" in rows[16]["detail"]
        assert "privacy_cookie_expiration_period" in rows[21]["detail"]
        # The account section: the stack's CnilAccount's live global settings, judged by the same rules.
        account = out["account_report"]
        assert [(r["number"], r["status"]) for r in account] == [(n, "enforced by API") for n in (1, 2, 17, 18)]

    # The first dossier: nothing broken (exit 0), GET requests only, the state untouched byte for byte.
    out_dir = tmp_path / "dossiers"
    before_export = st.export_stack().deployment
    before_bytes = state_bytes(engine_env)
    emulator.clear_requests()
    first = evidence(st, engine_env, out_dir)
    assert first.returncode == 0, first.stderr
    methods = {key.split(" ", 1)[0] for key in emulator.requests()["counts"] if "/auth/token" not in key}
    assert methods == set(READS), emulator.requests()["counts"]
    assert state_bytes(engine_env) == before_bytes
    assert st.export_stack().deployment == before_export
    summary = json.loads(first.stdout)
    first_doc = json.loads(Path(summary["files"]["json"]).read_text())
    assert _dossier.verify(first_doc) and first_doc["sha256"] == summary["sha256"]
    assert {s["component"] for s in first_doc["content"]["sites"]} == {"boutique", "blog"}
    assert Path(summary["files"]["html"]).read_text().count("<table>") >= 2

    # By hand: a remarketing pixel firing without consent on the blog's container, and a change of the app.
    blog = up.outputs["sites"].value["blog"]["site_id"]
    pixel = hand_made_pixel(emulator, blog)
    rename = {
        "data": {
            "type": "ppms/app",
            "id": blog,
            "attributes": {"urls": ["https://blog.example.fr", "https://x.example"]},
        }
    }
    assert emulator.api("PATCH", f"/api/apps/v2/{blog}", json=rename).status_code == 204

    broken = st.up(refresh=True)
    rows = report(broken.outputs, "blog")
    assert rows[22]["status"] == "broken"
    assert "'Retargeting pixel'" in rows[22]["detail"] and pixel in rows[22]["detail"]
    assert rows[22]["violations"][0]["rule"] == "cnil-no-marketing-without-consent"
    assert broken.outputs["sites"].value["blog"]["compliance_report"][0]["number"] == 22, "broken rows first"
    assert report(broken.outputs, "boutique")[22]["status"] == "checked"

    # The second dossier: exit 1 (a requirement is broken), names the first, lists the app change.
    second = evidence(st, engine_env, out_dir)
    assert second.returncode == 1, second.stderr
    doc = json.loads(Path(json.loads(second.stdout)["files"]["json"]).read_text())
    content = doc["content"]
    assert content["previous"]["sha256"] == first_doc["sha256"]
    blog_site = next(s for s in content["sites"] if s["component"] == "blog")
    assert blog_site["broken"] == [22]
    row22 = next(r for r in blog_site["requirements"] if r["number"] == 22)
    assert row22["source_quality"] == "[P]" and any(t["tag_id"] == pixel for t in row22["live_value"]["SiteTags.tags"])
    types = [e["type"] for e in blog_site["changes"]["entries"]]
    assert "app.changed.urls" in types and "app.added" not in types, types


def test_seed_2021_leaves_the_campaign_parameters_alone(project_stack: StackFactory, emulator: Emulator) -> None:
    site = {
        "key": "vitrine",
        "site_name": "Vitrine",
        "urls": ["https://vitrine.example.fr"],
        "cnil_profile": "seed-2021",
    }
    st = project_stack(emulator=emulator, config={"piwik-cnil:sites": json.dumps([site])})
    up = st.up()
    assert up.summary.result == "succeeded"
    app_id = up.outputs["sites"].value["vitrine"]["site_id"]
    tracker = attributes(emulator, f"/api/tracker/v2/settings/app/{app_id}")
    global_settings = attributes(emulator, "/api/tracker/v2/settings/app/global")
    for setting in CAMPAIGN_PARAM_SETTINGS:
        assert tracker[setting] == global_settings[setting] != [], setting  # the account's values, untouched
    assert "utm_campaign" in tracker["campaign_name_params"]
    rows = report(up.outputs, "vitrine")
    assert rows[23]["status"] == rows[25]["status"] == "not applicable"
    assert "seed-2021" in rows[23]["detail"] and "campaign attribution" in rows[23]["detail"]
    # The rest of the 2025 criteria still apply.
    assert piwik_tag(emulator, app_id)["template_options"]["cross_domain_tracking"] is False
    assert rows[27]["status"] == "enforced by API"
