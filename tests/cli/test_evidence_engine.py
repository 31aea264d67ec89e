"""Any program's sites, through the real engine against the emulator: evidence and watch read every CnilExemptSite.

A program that declares its CnilExemptSite in code (tests/programs/cnil_site_in_code, as another repository
would: no `piwik-cnil:sites` config) gets a full dossier and a watch verdict made with what it declared — its
`seed-2021` profile and its attestations, recorded by the component in the state (compliance/record.py). Judged
with default declarations instead (what watch did before), the profile would be cnil-2025 and every attestation
row would wait for a human (checked: the test then fails on ``waiting``). The dossier is signed, verifies, and
stops verifying when one byte changes. `piwik-cnil doctor` reads the same record. A stack with no CnilExemptSite
is a clear exit 2 for both commands, and no file is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from piwik_resources.cli import _signature
from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import EngineEnv, StackFactory

pytestmark = pytest.mark.engine

PROGRAMS = Path(__file__).resolve().parents[1] / "programs"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def writes(emulator: Emulator) -> list[str]:
    counts: dict[str, int] = emulator.requests()["counts"]
    return [key for key in counts if key.startswith(WRITE_METHODS) and "/auth/token" not in key]


def key_files(folder: Path) -> tuple[Path, Path]:
    key = Ed25519PrivateKey.generate()
    private, public = folder / "dpo.pem", folder / "dpo.pub.pem"
    private.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public.write_text(_signature.public_pem(key.public_key()))
    return private, public


def rows(site: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {r["number"]: r for r in site["requirements"]}


def test_a_site_declared_in_code_gets_a_signed_dossier_and_a_watch_verdict_from_what_it_declared(
    pulumi_stack: StackFactory, emulator: Emulator, engine_env: EngineEnv, tmp_path: Path
) -> None:
    st = pulumi_stack(PROGRAMS / "cnil_site_in_code", emulator=emulator)
    app_id = st.up().outputs["site_id"].value
    assert not [key for key in st.get_all_config() if key.startswith("piwik-cnil:")]
    private, public = key_files(tmp_path)
    out = tmp_path / "dossiers"

    emulator.clear_requests()
    made = engine_env.piwik_cnil(st, "evidence", "--stack", st.name, "--out", out, "--sign-key", private, "--json")
    assert made.returncode == 0, made.stdout + made.stderr
    assert writes(emulator) == []
    files = json.loads(made.stdout)["files"]
    content = json.loads(Path(files["json"]).read_text())["content"]
    (site,) = content["sites"]
    assert (site["component"], site["site_name"], site["site_id"]) == ("vitrine", "Vitrine en code", app_id)
    assert site["cnil_profile"] == "seed-2021" and "seed guide" in site["profile_note"]
    by_number = rows(site)
    assert len(by_number) >= 30 and site["broken"] == []
    assert by_number[23]["status"] == by_number[25]["status"] == "not applicable"
    assert {by_number[n]["status"] for n in (8, 9, 10, 19, 20)} == {"attested"}
    attested = {a["name"]: a for a in site["attestations"]}
    assert attested["attestations.dpa_signed"]["attested_by"] == "Camille Martin, DPO"
    assert attested["attestations.retention_months"]["value"] == 13
    assert attested["attestations.privacy_policy_published"]["attested_on"] == "2026-01-05"
    assert content["host"]["kind"] == "emulator" and content["signature"]["algorithm"] == "Ed25519"
    for path in files.values():
        text = Path(path).read_text()
        assert "Piwik PRO account" not in text and "the Piwik PRO API" not in text, path

    # The dossier verifies with the signer's key, and stops verifying when one byte changes.
    verified = engine_env.piwik_cnil(st, "evidence", "verify", files["json"], "--key", public)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    dossier = Path(files["json"])
    dossier.write_bytes(dossier.read_bytes().replace(b'"Vitrine en code"', b'"Vitrine en cod3"', 1))
    changed = engine_env.piwik_cnil(st, "evidence", "verify", dossier, "--key", public)
    assert changed.returncode == 1 and "CHANGED" in changed.stdout, changed.stdout + changed.stderr

    emulator.clear_requests()
    watch = engine_env.piwik_cnil(st, "watch", "--stack", st.name, "--json")
    assert watch.returncode == 0, watch.stdout + watch.stderr
    assert writes(emulator) == []
    (watched,) = json.loads(watch.stdout)["sites"]
    assert watched["key"] == "vitrine" and watched["judged"] and watched["broken"] == []
    declared = watched["declared"]
    assert declared["cnil_profile"] == "seed-2021" and declared["attested_by"] == "Camille Martin, DPO"
    waiting = {w["number"] for w in declared["waiting"]}
    assert not waiting & {8, 9, 10, 11, 13, 15, 19, 20}, waiting

    # piwik-cnil doctor reads the same record: the site, its profile and attester, its app managed already.
    doctor = engine_env.piwik_cnil(st, "doctor", "--stack", st.name, "--json")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    report = json.loads(doctor.stdout)
    checks = {c["name"]: c for c in report["checks"]}
    assert checks["site vitrine"]["status"] == "ok"
    assert "profile seed-2021, attested by Camille Martin, DPO on 2026-01-05" in checks["site vitrine"]["detail"]
    (entry,) = report["sites"]
    assert (entry["key"], entry["declared_in"], entry["site_name"]) == ("vitrine", "state", "Vitrine en code")
    assert [(m["app_id"], m["config_line"]) for m in entry["matches"]] == [(app_id, None)]
    assert report["host"].startswith("piwik-emulator ") and "not a Piwik PRO account" in report["host"]


def test_a_stack_with_no_site_is_exit_2_for_evidence_and_watch_and_writes_nothing(
    pulumi_stack: StackFactory, emulator: Emulator, engine_env: EngineEnv, tmp_path: Path
) -> None:
    st = pulumi_stack(PROGRAMS / "site", emulator=emulator, config={"piwik-site:name": "Une app sans site exempté"})
    assert st.up().summary.result == "succeeded"
    out = tmp_path / "dossiers"
    for args in (("evidence", "--out", out), ("watch",)):
        for form in ((), ("--json",)):
            proc = engine_env.piwik_cnil(st, *args, "--stack", st.name, *form)
            assert proc.returncode == 2, proc.stdout + proc.stderr
            assert "holds 1 Piwik PRO resource(s), none in a CnilExemptSite" in proc.stderr, proc.stderr
            assert "Traceback" not in proc.stderr
            if form:
                answer = json.loads(proc.stdout)
                assert (answer["ok"], answer["exit_code"]) == (False, 2)
                assert "none in a CnilExemptSite" in answer["error"]
    assert not out.exists() or not list(out.iterdir())
