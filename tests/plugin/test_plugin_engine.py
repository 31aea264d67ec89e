"""The provider plugin under the real engine, from Pulumi YAML programs, against the emulator.

Three stack lifecycles, each asserting as much as it can: the YAML example (every setting, the report, a second
`up` that sends nothing), an import of a hand-made app (no write; then `up` writes only what makes it compliant;
a destroy refused by deletion protection), and the CNIL policy pack stopping a YAML program's preview.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from piwik_resources.plugin.schema import SCHEMA_FILE
from piwik_resources.pr_preview import render
from piwik_resources.pr_preview.cli import run_preview
from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import EngineEnv, StackFactory

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "yaml"
PROGRAMS = REPO / "tests" / "programs"

pytestmark = pytest.mark.engine


def writes(emulator: Emulator) -> dict[str, int]:
    """The emulator's request counts of everything but reads and the token endpoint."""
    counts: dict[str, int] = emulator.requests()["counts"]
    return {k: v for k, v in counts.items() if not k.startswith("GET ") and "/auth/token" not in k}


def attributes(emulator: Emulator, path: str) -> dict[str, Any]:
    response = emulator.api("GET", path)
    assert response.status_code == 200, (path, response.text)
    data: dict[str, Any] = response.json()["data"]
    return dict(data["attributes"])


def piwik_tag(emulator: Emulator, app_id: str) -> dict[str, Any]:
    tags = emulator.api("GET", f"/api/tag/v1/{app_id}/tags").json()["data"]
    (tag,) = [t for t in tags if t["attributes"]["template"] == "piwik"]
    return dict(emulator.api("GET", f"/api/tag/v1/{app_id}/tags/{tag['id']}").json()["data"]["attributes"])


def cli(engine_env: EngineEnv, st: auto.Stack, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(engine_env.cli.pulumi), *args, "--stack", st.name, "--cwd", st.workspace.work_dir or "."]
    return subprocess.run(command, env=engine_env.env, capture_output=True, text=True, timeout=300, check=False)


def test_get_schema_prints_the_committed_schema(engine_env: EngineEnv, tmp_path: Path) -> None:
    # By name, Pulumi looks the package up in its plugin cache (else in its registry, not reachable here):
    # `pulumi plugin install --file` puts the wheel's console script there, as docs/plugin.md says.
    plugin = Path(sys.executable).with_name("pulumi-resource-piwik")
    env = engine_env.env
    install = ["plugin", "install", "resource", "piwik", "0.1.0", "--file", str(plugin)]
    subprocess.run([str(engine_env.cli.pulumi), *install], env=env, check=True, capture_output=True, timeout=120)
    proc = subprocess.run(
        [str(engine_env.cli.pulumi), "package", "get-schema", "piwik"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_the_yaml_example_makes_the_site_exempt_and_a_second_up_sends_nothing(
    pulumi_stack: StackFactory, emulator: Emulator, engine_env: EngineEnv
) -> None:
    st = pulumi_stack(EXAMPLE, emulator=emulator)
    outputs = st.up().outputs
    app_id = outputs["shop_site_id"].value
    report = outputs["report"].value
    assert "| 1 | Mask IP addresses (at least 1 byte) | enforced by API |" in report
    assert "| 6 | The Piwik PRO tag's consent type is Analytics | enforced by API |" in report
    assert "| 10 | Data Processing Agreement signed with Piwik PRO | attested |" in report
    app = attributes(emulator, f"/api/apps/v2/{app_id}")
    assert (app["name"], app["urls"], app["timezone"], app["currency"]) == (
        "Boutique YAML",
        ["https://boutique-yaml.example.fr/"],  # the component ends each host with "/" (requirement #5)
        "Europe/Paris",
        "EUR",
    )
    assert (app["gdpr"], app["gdprDataAnonymization"], app["gdprDataAnonymizationMode"], app["cnil"]) == (
        True,
        True,
        "no_device_storage",
        True,
    )
    assert app["privacyCookieExpirationPeriod"] == 31_536_000
    tracker = attributes(emulator, f"/api/tracker/v2/settings/app/{app_id}")
    assert tracker["anonymize_visitor_ip_level"] == 2 and tracker["exclude_unknown_urls"] is True
    assert tracker["fingerprint_based_on_anonymized_ip"] is True and tracker["campaign_name_params"] == []
    assert tracker["anonymize_visitor_geolocation_level"] == "City"
    tag = piwik_tag(emulator, app_id)
    assert (tag["consent_type"], tag["respect_visitors_privacy"]) == ("analytics", True)
    assert tag["template_options"]["cross_domain_tracking"] is False
    account = attributes(emulator, "/api/tracker/v2/settings/app/global")
    assert account["anonymize_visitor_ip_level"] == 2
    intranet = attributes(emulator, f"/api/apps/v2/{outputs['intranet_site_id'].value}")
    assert (intranet["name"], intranet["timezone"]) == ("Intranet YAML", "Europe/Paris")

    emulator.clear_requests()
    second = st.up()
    assert second.summary.resource_changes == {"same": 15}
    assert writes(emulator) == {}

    # piwik-cnil watch reads a stack made through the plugin as one made in Python (tokens.py).
    watch = engine_env.piwik_cnil(st, "watch", "--stack", st.name, script=True)
    assert watch.returncode == 0, watch.stdout + watch.stderr
    assert f"Site shop — Boutique YAML (app {app_id}): no drift, every requirement as declared" in watch.stdout
    intranet = outputs["intranet_site_id"].value
    outside = f"Resources outside any CnilExemptSite on app {intranet} (Intranet YAML): no drift (not judged"
    assert outside in watch.stdout
    assert writes(emulator) == {}

    # piwik-cnil evidence: the YAML program's site, with the attestations it declared (the component records them
    # in the state, compliance/record.py; Pulumi keeps no inputs of a remote component).
    out = str(Path(st.workspace.work_dir or ".") / "dossiers")
    evidence = engine_env.piwik_cnil(st, "evidence", "--stack", st.name, "--out", out, "--json", script=True)
    assert evidence.returncode == 0, evidence.stdout + evidence.stderr
    content = json.loads(Path(json.loads(evidence.stdout)["files"]["json"]).read_text())["content"]
    (site,) = content["sites"]
    assert (site["component"], site["site_name"], site["site_id"]) == ("shop", "Boutique YAML", app_id)
    statuses = {r["number"]: r["status"] for r in site["requirements"]}
    assert statuses[10] == statuses[20] == "attested" and statuses[1] == "enforced by API"
    attested = {a["name"]: a["value"] for a in site["attestations"]}
    assert attested["attestations.retention_months"] == 25 and attested["attestations.hosting_region"] == "EU"
    assert writes(emulator) == {}


def test_import_adopts_with_reads_then_up_writes_only_what_makes_it_compliant_and_destroy_is_refused(
    pulumi_stack: StackFactory, emulator: Emulator, engine_env: EngineEnv
) -> None:
    body = {
        "data": {"type": "ppms/app", "attributes": {"name": "Boutique faite main", "urls": ["https://main.example.fr"]}}
    }
    made = emulator.api("POST", "/api/apps/v2", json=body)
    assert made.status_code == 201, made.text
    app_id = made.json()["data"]["id"]
    # Made by hand, and not compliant: the Piwik PRO tag fires for remarketing consent.
    tags = emulator.api("GET", f"/api/tag/v1/{app_id}/tags").json()["data"]
    (tag_id,) = [t["id"] for t in tags if t["attributes"]["template"] == "piwik"]
    drift = {"data": {"type": "tag", "id": tag_id, "attributes": {"consent_type": "remarketing"}}}
    assert emulator.api("PATCH", f"/api/tag/v1/{app_id}/tags/{tag_id}", json=drift).status_code == 204
    st = pulumi_stack(PROGRAMS / "plugin_import", emulator=emulator)
    emulator.clear_requests()
    imported = cli(engine_env, st, "import", "piwik:index:Site", "shop", app_id, "--yes", "--protect=false")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    # The app's settings are imported by the app's id too (docs/resources.md, "Adoption of existing objects"),
    # several at once from a file as `pulumi import --file` takes it.
    bulk = Path(st.workspace.work_dir or ".") / "import.json"
    settings = [("piwik:index:SitePrivacy", "privacy"), ("piwik:index:TrackerSettings", "tracker")]
    bulk.write_text(json.dumps({"resources": [{"type": t, "name": n, "id": app_id} for t, n in settings]}))
    imported = cli(engine_env, st, "import", "--file", str(bulk), "--yes", "--protect=false")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert writes(emulator) == {}  # adopted by reads alone
    resources = {r["type"]: r for r in st.export_stack().deployment["resources"]}
    site = resources["piwik:index:Site"]
    assert site["id"] == app_id and site["inputs"]["deletion_protection"] is True
    assert resources["piwik:index:TrackerSettings"]["id"] == resources["piwik:index:SitePrivacy"]["id"] == app_id

    emulator.clear_requests()
    st.up()
    tag_write = "PATCH /api/tag/v1/{app_id}/tags/{tag_id}"
    assert writes(emulator) == {
        "PATCH /api/apps/v2/{app_id}": 1,  # the privacy attributes (the app's name and URLs were already right)
        "PATCH /api/tracker/v2/settings/app/{app_id}": 1,
        tag_write: 1,
        "POST /api/tag/v1/{app_id}/versions/draft/publish": 1,
    }
    assert attributes(emulator, f"/api/apps/v2/{app_id}")["gdprDataAnonymization"] is True
    assert piwik_tag(emulator, app_id)["consent_type"] == "analytics"

    emulator.clear_requests()
    with pytest.raises(auto.CommandError) as refused:
        st.destroy()
    assert f"Site {app_id} ('Boutique faite main'): not deleted" in str(refused.value)
    assert "deletion_protection is on" in str(refused.value)
    assert "DELETE /api/apps/v2/{app_id}" not in writes(emulator)
    assert attributes(emulator, f"/api/apps/v2/{app_id}")["name"] == "Boutique faite main"


def test_the_policy_pack_stops_a_yaml_program_with_an_identifying_dimension(
    pulumi_stack: StackFactory, emulator: Emulator, engine_env: EngineEnv
) -> None:
    pack = subprocess.run(
        [str(Path(sys.executable).with_name("piwik-cnil")), "policy-pack"],
        env=engine_env.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    st = pulumi_stack(PROGRAMS / "plugin_policy", emulator=emulator)
    events: list[auto.EngineEvent] = []
    with pytest.raises(auto.CommandError) as stopped:
        st.preview(policy_packs=[pack], on_event=events.append)
    violations = [e.policy_event for e in events if e.policy_event is not None]
    assert [(v.policy_name, v.enforcement_level) for v in violations] == [
        ("cnil-dimension-name-identifier", "mandatory")
    ]
    assert "CustomDimension email" in violations[0].message and "Customer email" in violations[0].message
    assert "cnil-dimension-name-identifier" in str(stopped.value)
    assert emulator.requests()["counts"].get("POST /api/analytics/v1/manage/custom-dimensions/") is None

    # The PR preview reads the plugin's piwik:index:* types as the dynamic ones (piwik_resources/tokens.py).
    work_dir = Path(st.workspace.work_dir or ".")
    preview = run_preview(st.name, cwd=work_dir, pulumi=engine_env.cli.pulumi, env=engine_env.env)
    assert preview.returncode == 0, preview.stderr
    markdown = render(preview.data, stack=st.name)
    assert "➕ create CustomDimension `email`" in markdown and "➕ create Site `shop`" in markdown
    assert "Exemption broken" in markdown and "Customer email" in markdown
