"""The dossier documents: the SHA-256 seals the JSON content; the Markdown and the HTML page render all of it.

The HTML page is rendered by headless Chromium (the Debian package, installed by tools/ensure-chromium when it
is missing) and every requirement and the site name must be in the text a reader sees.
"""

from __future__ import annotations

import copy
import html
import json
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from piwik_resources.cli import _dossier, main
from piwik_resources.cli._host import Host
from piwik_resources.cli.evidence import (
    attestation_rows,
    build_document,
    dossier_rows,
    requirement_rows,
    write_dossier,
)
from piwik_resources.compliance import REQUIREMENTS, Attestations, LiveSite, judge_account
from piwik_resources.components.cnil_exempt_site import CnilExemptSiteArgs, declared_of
from tests.components.test_judge import compliant_live

REPO = Path(__file__).resolve().parents[2]
ACCOUNT_VALUES = {
    "ip_masking_level": 0.0,
    "use_masked_ip_for_enrichment": True,
    "fingerprinting_across_websites": False,
    "geolocation_level": "City",
}
ARGS = CnilExemptSiteArgs(
    site_name="Boutique <Exemple> & Cie",
    urls=["https://boutique.example.fr"],
    attestations=Attestations(dpa_signed=True, attested_by="Camille Martin, DPO", attested_on="2026-01-05"),
)


def site(live: dict[str, Any] | None = None) -> dict[str, Any]:
    live = live or compliant_live()
    return {
        "component": "boutique",
        "site_name": ARGS.site_name,
        "site_id": "0f3c9d2e-0000-4000-8000-000000000001",
        "cnil_profile": ARGS.cnil_profile,
        "profile_note": "strict",
        "verdict": "no requirement broken",
        "broken": [],
        "requirements": requirement_rows(LiveSite.from_types(live), declared_of(ARGS)),
        "attestations": attestation_rows(ARGS.attestations),
        "changes": {
            "note": "1 entry",
            "entries": [
                {
                    "created_at": "2026-01-04T10:00:00Z",
                    "type": "app.changed.urls",
                    "author_email": "ops@example.fr",
                    "author_id": "a",
                    "subject_id": "s",
                }
            ],
        },
    }


EMULATOR = Host("emulator", "http://127.0.0.1:8089", "piwik-emulator 0.1.0")


def document(previous: dict[str, Any] | None = None, host: Host = EMULATOR) -> dict[str, Any]:
    when = datetime(2026, 1, 6, 9, 30, tzinfo=UTC)
    account = {
        "managed_by_stack": True,
        "note": "the account's global tracker settings, managed by this stack's CnilAccount and read now",
        "requirements": dossier_rows(judge_account(ACCOUNT_VALUES), LiveSite(global_tracker_settings=ACCOUNT_VALUES)),
    }
    return build_document("local", when, host, [site()], previous, None, account)


def test_the_sha256_seals_the_json_content() -> None:
    doc = document()
    assert _dossier.verify(doc)
    edited = copy.deepcopy(doc)
    edited["content"]["sites"][0]["requirements"][0]["status"] = "enforced by API (edited)"
    assert not _dossier.verify(edited)
    # The rule is the one printed in the dossier: anyone can recompute it from the file.
    canonical = json.dumps(doc["content"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    import hashlib

    assert hashlib.sha256(canonical.encode()).hexdigest() == doc["sha256"]


def test_each_requirement_row_has_source_live_value_rule_and_status() -> None:
    rows = {r["number"]: r for r in document()["content"]["sites"][0]["requirements"]}
    assert sorted(rows) == [r.number for r in REQUIREMENTS]
    visitor = rows[16]
    assert visitor["source_quality"] == "[P]" and "visitor_cookie_timeout" in visitor["source"]
    assert visitor["live_value"] == {"TagConsentType.visitor_cookie_timeout": 31_536_000.0}
    assert "[cnil-visitor-cookie-lifetime]" in visitor["rule"] and visitor["status"] == "enforced by API"
    assert rows[10]["rule"] == "attested in attestations.dpa_signed" and rows[10]["live_value"] is None
    attested = {a["name"]: a for a in document()["content"]["sites"][0]["attestations"]}
    assert attested["attestations.dpa_signed"]["attested_by"] == "Camille Martin, DPO"
    assert attested["attestations.dpa_signed"]["attested_on"] == "2026-01-05"
    # Who and when are only printed beside what was stated.
    assert attested["attestations.session_log_hidden"]["attested_by"] is None


def test_files_are_dated_and_the_previous_dossier_is_found(tmp_path: Path) -> None:
    first = write_dossier(tmp_path, document())
    assert first["json"].name == "evidence-local-20260106T093000Z.json"
    previous = _dossier.previous_dossier(tmp_path, "local")
    assert previous is not None and previous["file"] == first["json"].name
    assert _dossier.previous_dossier(tmp_path, "prod") is None
    second = document(previous)
    assert second["content"]["previous"]["sha256"] == previous["sha256"]
    md = _dossier.render_markdown(second)
    assert f"Previous dossier: {first['json'].name}" in md
    assert json.loads(first["json"].read_text()) == document()


def test_markdown_lists_every_requirement_with_its_sources_and_their_addresses(tmp_path: Path) -> None:
    md = _dossier.render_markdown(document())
    assert "## Site Boutique <Exemple> & Cie" in md
    for requirement in REQUIREMENTS:
        assert f"| {requirement.number} | {requirement.title} | {requirement.quality} — " in md
        assert all(f"<{url}>" in md for url in requirement.source_urls), requirement.number
    rows = {r["number"]: r for r in document()["content"]["sites"][0]["requirements"]}
    assert rows[16]["source_urls"][0] == "https://www.legifrance.gouv.fr/jorf/article_jo/JORFARTI000042388208"
    assert "| attestations.dpa_signed | true | Camille Martin, DPO | 2026-01-05 |" in md
    assert "| 2026-01-04T10:00:00Z | app.changed.urls | ops@example.fr | s |" in md


def test_the_dossier_has_an_account_section_judged_on_the_global_settings() -> None:
    doc = document()
    account = doc["content"]["account_settings"]
    statuses = {r["number"]: r["status"] for r in account["requirements"]}
    assert statuses == {1: "broken", 2: "enforced by API", 17: "enforced by API", 18: "enforced by API"}
    one = account["requirements"][0]
    assert one["live_value"] == {"GlobalTrackerSettings.ip_masking_level": 0.0}
    assert "0 masks no byte of the IP address" in one["detail"]
    md = _dossier.render_markdown(doc)
    section = md.split("## Account-wide settings", 1)[1]
    assert section.startswith("\n\nthe account's global tracker settings, managed by this stack's CnilAccount")
    assert "| 1 | Mask IP addresses (at least 1 byte) | [S] — " in section and "**broken**" in section
    assert "<h2>Account-wide settings</h2>" in _dossier.render_html(doc)
    # A dossier without the section (one made before it existed) still renders.
    old = copy.deepcopy(doc)
    old["content"].pop("account_settings")
    assert "Account-wide" not in _dossier.render_markdown(old)


def test_the_html_page_is_self_contained_and_escapes_every_text() -> None:
    page = _dossier.render_html(document())
    assert "Boutique &lt;Exemple&gt; &amp; Cie" in page and "<Exemple>" not in page
    for external in ("<script", "<link", "<img", "<iframe", "src=", "href=", "@import", "url("):
        assert external not in page.lower(), external
    assert "@media print" in page


def _chromium() -> str:
    found = subprocess.run([str(REPO / "tools" / "ensure-chromium")], capture_output=True, text=True, check=False)
    assert found.returncode == 0, found.stderr
    return found.stdout.strip().splitlines()[-1]


def visible_text(page: Path, tmp_path: Path) -> str:
    """The text headless Chromium shows for ``page``: its body's innerText (CSS-hidden text is left out).

    The dossier has no script; the test adds one to a copy so that --dump-dom returns what innerText gives.
    """
    probe = tmp_path / "probe.html"
    marker = "<script>document.body.setAttribute('data-visible', document.body.innerText)</script></body>"
    probe.write_text(page.read_text().replace("</body>", marker))
    done = subprocess.run(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", probe.as_uri()],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    match = re.search(r'<body data-visible="([^"]*)"', done.stdout)
    assert match, done.stdout[:2000]
    return html.unescape(match.group(1))


@pytest.mark.network  # tools/ensure-chromium apt-installs Chromium when it is missing
def test_headless_chromium_shows_the_site_and_every_requirement(tmp_path: Path) -> None:
    paths = write_dossier(tmp_path / "out", document())
    text = visible_text(paths["html"], tmp_path)
    assert "Site Boutique <Exemple> & Cie" in text
    for requirement in REQUIREMENTS:
        assert requirement.title in text, requirement.title
    assert document()["sha256"] in text
    assert "Camille Martin, DPO" in text and "2026-01-05" in text


def test_the_committed_local_dossier_is_sealed_and_complete() -> None:
    """docs/evidence-local.{json,md}: the local stack's dossier, by `piwik-cnil evidence` (docs/cnil-criteria.md)."""
    committed = json.loads((REPO / "docs" / "evidence-local.json").read_text())
    assert _dossier.verify(committed)
    assert committed["content"]["host"]["kind"] == "emulator"  # made against the emulator, and says so
    checked = CliRunner().invoke(main, ["evidence", "verify", str(REPO / "docs" / "evidence-local.json")])
    assert checked.exit_code == 0, checked.output
    md = (REPO / "docs" / "evidence-local.md").read_text()
    assert md == _dossier.render_markdown(committed)
    assert committed["sha256"] in md
    for name in ("Boutique Exemple", "Blog Exemple"):
        assert f"## Site {name}" in md
    for requirement in REQUIREMENTS:
        expected = 3 if requirement.account else 2  # both sites, and the account section
        assert md.count(f"| {requirement.number} | {requirement.title} |") == expected, requirement.number
    assert committed["content"]["account_settings"]["managed_by_stack"] is True


def test_a_broken_account_row_fails_the_dossier_only_when_the_stack_manages_the_account() -> None:
    from piwik_resources.cli.evidence import account_broken

    rows = [{"number": 1, "status": "broken"}, {"number": 2, "status": "enforced by API"}]
    assert account_broken({"managed_by_stack": True, "requirements": rows}) == [1]
    assert account_broken({"managed_by_stack": False, "requirements": rows}) == []
    assert account_broken(None) == []
