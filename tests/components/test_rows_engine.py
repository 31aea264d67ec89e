"""Issue 19 through the real engine against the emulator: each row exactly as strong as its check.

A hand-made ``custom_tag`` firing without consent breaks #22 by default (its template is not audience
measurement) and the row names the tag; attested by its id, it passes. The dossier of a stack whose site records a
hosting region outside the EU/EEA and an unpublished privacy policy has #20 and #8 broken (and `pulumi up` refuses
such a config before anything is sent). A change to the Piwik PRO tag's consent type left in the Tag
Manager draft does not change the verdict of #6, which is judged on the published version; once published, it does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from tests.components.test_criteria_engine import evidence as run_evidence
from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import EngineEnv, StackFactory

pytestmark = pytest.mark.engine

ATTESTED = {
    "dpa_signed": True,
    "integrations_off": True,
    "hosting_region": "FR",
    "privacy_policy_published": True,
    "attested_by": "DPO",
    "attested_on": "2026-11-30",
}


def site(**attestations: Any) -> dict[str, Any]:
    return {
        "key": "vitrine",
        "site_name": "Vitrine",
        "urls": ["https://vitrine.example.fr"],
        "deletion_protection": False,
        "attestations": {**ATTESTED, **attestations},
    }


def config(**attestations: Any) -> dict[str, str]:
    return {
        "piwik-cnil:sites": json.dumps([site(**attestations)]),
        "piwik-cnil:account": json.dumps({"ip_masking_level": 2}),
    }


def rows(result: auto.UpResult) -> dict[int, dict[str, Any]]:
    return {row["number"]: row for row in result.outputs["sites"].value["vitrine"]["compliance_report"]}


def evidence(st: auto.Stack, env: EngineEnv, out: Path) -> tuple[int, dict[str, Any]]:
    done = run_evidence(st, env, out)
    assert done.returncode in (0, 1), done.stderr
    document: dict[str, Any] = json.loads(Path(json.loads(done.stdout)["files"]["json"]).read_text())
    return done.returncode, document


def up_vitrine(project_stack: StackFactory, emulator: Emulator) -> tuple[auto.Stack, auto.UpResult, str]:
    """The stack of one site (and its account), up: the stack, the result, the app's id."""
    st = project_stack(emulator=emulator, config=config())
    up = st.up()
    assert up.summary.result == "succeeded"
    return st, up, up.outputs["sites"].value["vitrine"]["site_id"]


def dossier_rows(document: dict[str, Any]) -> dict[int, dict[str, Any]]:
    (vitrine,) = document["content"]["sites"]
    return {row["number"]: row for row in vitrine["requirements"]}


def test_a_hand_made_custom_tag_breaks_22_until_attested_by_id_and_us_hosting_breaks_20(
    project_stack: StackFactory, emulator: Emulator, engine_env: EngineEnv, tmp_path: Path
) -> None:
    st, up, app_id = up_vitrine(project_stack, emulator)
    assert rows(up)[22]["status"] == "checked"
    # The account section of the site's report: the CnilAccount's live global settings, judged.
    account = {row["number"]: row["status"] for row in up.outputs["sites"].value["vitrine"]["account_report"]}
    assert account == {1: "enforced by API", 2: "enforced by API", 17: "enforced by API", 18: "enforced by API"}

    # By hand: pasted HTML (a pixel, say), firing without consent. Not on the allow-list: #22 is broken, by name.
    banner = {
        "name": "Status banner",
        "template": "custom_tag",
        "code": "<img src=x>",
        "consent_type": "not_require_consent",
    }
    response = emulator.api("POST", f"/api/tag/v1/{app_id}/tags", json={"data": {"type": "tag", "attributes": banner}})
    assert response.status_code == 201, response.text
    tag_id = response.json()["data"]["id"]
    broken = rows(st.up(refresh=True))
    assert broken[22]["status"] == "broken"
    assert f"'Status banner' (custom_tag, pasted code: can do anything, tag {tag_id})" in broken[22]["detail"]
    assert broken[22]["violations"][0]["rule"] == "cnil-no-marketing-without-consent"

    # The DPO attests it by id: it may fire without consent, and #22 passes.
    why = {tag_id: "a status banner: no tracking"}
    st.set_config("piwik-cnil:sites", auto.ConfigValue(json.dumps([site(tags_without_consent=why)])))
    attested = rows(st.up(refresh=True))
    assert attested[22]["status"] == "checked", attested[22]["detail"]

    # A state whose site records a hosting outside the EU/EEA and an unpublished privacy policy (what the CLI
    # judges is the record in the state, compliance/record.py; this version's `up` never records them, below,
    # so the state is edited as another program or an older version could have written it).
    recorded = {"hosting_region": "US", "privacy_policy_published": False}
    state = st.export_stack()
    (component,) = [r for r in state.deployment["resources"] if r["type"] == "piwik:cnil:CnilExemptSite"]
    component["outputs"]["declared"]["attestations"].update(recorded)
    st.import_stack(state)
    code, document = evidence(st, engine_env, tmp_path / "dossiers")
    assert code == 1
    judged = dossier_rows(document)
    assert judged[20]["status"] == "broken" and "'US' is outside the EU/EEA" in judged[20]["detail"]
    assert judged[8]["status"] == "broken" and "privacy_policy_published: false" in judged[8]["detail"]
    assert document["content"]["sites"][0]["broken"] == [8, 20]
    # ... and `pulumi up` refuses a config that states them before anything is sent to Piwik PRO.
    stated = site(tags_without_consent=why, **recorded)
    st.set_config("piwik-cnil:sites", auto.ConfigValue(json.dumps([stated])))
    emulator.clear_requests()
    with pytest.raises(auto.CommandError) as refused:
        st.up()
    assert "'US' is outside the EU/EEA" in str(refused.value) and "seed requirement #8" in str(refused.value)
    assert not [k for k in emulator.requests()["counts"] if not k.startswith(("GET ", "POST /auth/token"))]


def test_a_draft_only_change_of_the_piwik_tag_s_consent_type_leaves_the_published_verdict(
    project_stack: StackFactory, emulator: Emulator, engine_env: EngineEnv, tmp_path: Path
) -> None:
    st, up, app_id = up_vitrine(project_stack, emulator)
    assert "read from its published version" in rows(up)[6]["detail"]
    listed = emulator.api("GET", f"/api/tag/v1/{app_id}/tags", params={"filter[template]": "piwik"}).json()["data"]
    tag_id = listed[0]["id"]
    change = {"data": {"type": "tag", "id": tag_id, "attributes": {"consent_type": "not_require_consent"}}}
    assert emulator.api("PATCH", f"/api/tag/v1/{app_id}/tags/{tag_id}", json=change).status_code == 204

    # Left in the draft: the website still runs the published version, and so does the verdict.
    code, document = evidence(st, engine_env, tmp_path / "dossiers")
    row6 = dossier_rows(document)[6]
    assert code == 0 and row6["status"] == "enforced by API", row6
    assert "read from its published version" in row6["detail"]
    assert "the draft differs, unpublished: consent_type" in row6["detail"]
    assert row6["live_value"] == {"TagConsentType.consent_type": "analytics"}
    assert document["content"]["account_settings"]["managed_by_stack"] is True

    # Published: now the website runs it, and #6 is broken.
    assert emulator.api("POST", f"/api/tag/v1/{app_id}/versions/draft/publish").status_code == 202
    code, document = evidence(st, engine_env, tmp_path / "dossiers")
    row6 = dossier_rows(document)[6]
    assert code == 1 and row6["status"] == "broken"
    assert "'not_require_consent' is not allowed for the Piwik PRO tag" in row6["detail"]
