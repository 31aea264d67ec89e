"""`piwik-cnil watch` on the repository's own program and local stack, through the real engine, against the emulator.

A second API client (Jane, `--extra-client`) makes changes "by hand"; the watch must find each drift, the
requirement it breaks, and Jane's audit-log entry, while sending no write and leaving the state file untouched.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pulumi import automation as auto

from piwik_resources.cli import _live, main
from piwik_resources.compliance import Declared, Status, judge_site
from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import EngineEnv, StackFactory

JANE = ("jane-client", "jane-secret-value", "jane@example.com")
TS = "/api/tracker/v2/settings/app"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def writes(log: dict[str, Any]) -> dict[str, int]:
    return {
        key: n for key, n in log["counts"].items() if key.split(" ", 1)[0] in WRITE_METHODS and "/auth/token" not in key
    }


def state_file(engine_env: EngineEnv) -> Path:
    found = sorted((engine_env.root / "backend").rglob("stacks/**/local.json"))
    assert len(found) == 1, found
    return found[0]


def run_watch(st: auto.Stack, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The console command as a user runs it: in the project directory, on the stack's backend."""
    return subprocess.run(
        [sys.executable, "-m", "piwik_resources.cli", "watch", *args],
        cwd=st.workspace.work_dir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


class Watcher:
    """Runs the watch and checks, every time, that it wrote nothing: no API write, the same state bytes."""

    def __init__(self, st: auto.Stack, engine_env: EngineEnv, emulator: Emulator) -> None:
        self.st, self.env, self.emulator = st, engine_env.env, emulator
        self.state = state_file(engine_env)

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        before = self.state.read_bytes()
        self.emulator.clear_requests()
        proc = run_watch(self.st, self.env, "--stack", "local", *args)
        assert writes(self.emulator.requests()) == {}, "a watch must send no write request"
        assert self.state.read_bytes() == before, "a watch must leave the state file byte-identical"
        return proc

    def json(self) -> tuple[int, dict[str, Any]]:
        proc = self("--json")
        assert proc.stdout.strip().startswith("{"), proc.stdout + proc.stderr
        return proc.returncode, json.loads(proc.stdout)


def site(report: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in report["sites"] if s["key"] == key)
    return found


def patch_tracker(who: Emulator, app_id: str, **attributes: Any) -> None:
    body = {"data": {"type": "tracker/settings/app", "id": app_id, "attributes": attributes}}
    response = who.api("PATCH", f"{TS}/{app_id}", json=body)
    assert response.status_code == 204, response.text


@pytest.fixture
def jane_emulator(emulator_factory: Callable[..., Emulator]) -> Emulator:
    return emulator_factory("--no-rate-limit", client_email="ops@example.com", extra_clients=[JANE])


@pytest.mark.engine
def test_watch_finds_drift_names_the_author_and_writes_nothing(
    project_stack: StackFactory, engine_env: EngineEnv, jane_emulator: Emulator
) -> None:
    st = project_stack(emulator=jane_emulator)
    boutique = st.up().outputs["sites"].value["boutique"]["site_id"]
    watch = Watcher(st, engine_env, jane_emulator)
    jane = jane_emulator.acting_as(JANE[0], JANE[1])

    compliant = watch()
    assert compliant.returncode == 0, compliant.stdout + compliant.stderr
    assert "compliant, no drift" in compliant.stdout

    # A drift that keeps the exemption: geolocation City -> Country is still "no finer than the city".
    patch_tracker(jane, boutique, anonymize_visitor_geolocation_level="Country")
    code, report = watch.json()
    assert code == 3 and report["verdict"] == "drift, still compliant"
    drift = site(report, "boutique")["drift"]
    assert [(d["property"], d["declared"], d["live"]) for d in drift] == [("geolocation_level", "City", "Country")]
    assert [e["author_email"] for e in drift[0]["audit"]] == ["jane@example.com"]
    assert site(report, "boutique")["broken"] == []

    # A drift that breaks it: IP masking off, by Jane; and the Piwik PRO tag's consent type, which no audit covers.
    patch_tracker(jane, boutique, anonymize_visitor_ip_level=0)
    code, report = watch.json()
    assert code == 1 and report["verdict"] == "compliance broken"
    shop = site(report, "boutique")
    ip = next(d for d in shop["drift"] if d["property"] == "ip_masking_level")
    assert (ip["resource_type"], ip["declared"], ip["live"]) == ("TrackerSettings", 2, 0)
    (entry,) = ip["audit"]
    assert entry["author_email"] == "jane@example.com" and entry["type"] == "app.changed.anonymize_visitor_ip_level"
    assert entry["ip"] == "127.0.0.1" and entry["created_at"]
    (change,) = [c for c in shop["requirement_changes"] if c["number"] == 1]
    assert (change["before"], change["after"]) == ("enforced by API", "broken")
    assert site(report, "blog")["drift"] == []

    text = watch()
    print(text.stdout)  # the README's example output comes from here
    assert text.returncode == 1
    assert "ip_masking_level: 2 → 0" in text.stdout and "by jane@example.com from 127.0.0.1" in text.stdout
    assert "#1 Mask IP addresses (at least 1 byte): enforced by API → broken" in text.stdout
    markdown = watch("--markdown")
    assert markdown.returncode == 1 and markdown.stdout.startswith("## CNIL compliance watch — stack `local`")
    assert "| TrackerSettings | `ip_masking_level` | `2` | `0` |" in markdown.stdout

    # No audit-log permission: still judged, without attribution, and said so.
    jane_emulator.switches(audit_log_forbidden=True)
    forbidden = watch()
    assert forbidden.returncode == 1, forbidden.stdout + forbidden.stderr
    assert "HTTP 403" in forbidden.stderr and "without attribution" in forbidden.stderr
    assert "ip_masking_level: 2 → 0" in forbidden.stdout and "jane@example.com" not in forbidden.stdout
    jane_emulator.switches(audit_log_forbidden=False)

    assert st.up(refresh=True).summary.result == "succeeded"
    again = watch()
    assert again.returncode == 0, again.stdout + again.stderr


def check_snapshot_shape(st: auto.Stack, engine_env: EngineEnv, monkeypatch: pytest.MonkeyPatch, app_id: str) -> None:
    """The snapshot module on its own (as `piwik-cnil evidence` uses it): judge_site's shape, per site."""
    for key, value in engine_env.env.items():
        monkeypatch.setenv(key, value)
    snap = _live.live_snapshot("local", Path(st.workspace.work_dir))
    assert [s.key for s in snap.sites] == ["blog", "boutique", _live.ACCOUNT]
    shop = snap.sites[1]
    assert shop.site_id == app_id and shop.name == "Boutique Exemple"
    live, declared = shop.live, shop.declared
    # Every resource of the site was read (the judge keeps the types it judges; the others are in resources).
    assert {r.type for r in shop.resources} == {
        "Site",
        "SitePrivacy",
        "TrackerSettings",
        "TagConsentType",
        "ConsentTemplate",
        "CustomDimension",
        "SiteCustomDimensions",  # every dimension of the app: what the judge reads as custom_dimensions
        "OptOutForm",
        "InstallationCode",
        "SiteTags",  # every tag of the container, as the read-only listing gives them (requirement #22)
    }
    assert all(r.live is not None for r in shop.resources)
    assert live.site_privacy is not None and live.tracker_settings is not None
    assert live.site_tags is not None and [t["template"] for t in live.site_tags["tags"]] == ["piwik"]
    assert live.tag_consent_type is not None and live.tag_consent_type["consent_type"] == "marketing_automation"
    assert declared.tag_consent_type is not None and declared.tag_consent_type["consent_type"] == "analytics"
    assert sorted(d["scope"] for d in live.custom_dimensions or ()) == ["event", "session"]
    assert sorted(t["language"] for t in live.consent_templates or ()) == ["en", "fr"]
    rows = {r.number: r for r in judge_site(live, Declared(site_name="Boutique Exemple"))}
    assert rows[6].status == Status.BROKEN and rows[1].status == Status.ENFORCED
    account = snap.sites[2].live.global_tracker_settings
    assert account is not None and account["ip_masking_level"] == 2


@pytest.mark.engine
def test_a_tag_manager_change_has_no_audit_entry(
    project_stack: StackFactory, engine_env: EngineEnv, jane_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    st = project_stack(emulator=jane_emulator)
    boutique = st.up().outputs["sites"].value["boutique"]["site_id"]
    jane = jane_emulator.acting_as(JANE[0], JANE[1])
    tags = jane.api("GET", f"/api/tag/v1/{boutique}/tags", params={"filter[template]": "piwik"}).json()["data"]
    body = {"data": {"type": "tag", "id": tags[0]["id"], "attributes": {"consent_type": "marketing_automation"}}}
    assert jane.api("PATCH", f"/api/tag/v1/{boutique}/tags/{tags[0]['id']}", json=body).status_code == 204

    # Left in the Tag Manager draft, the change is drift but the website still runs the published tag: #6 holds.
    code, _ = Watcher(st, engine_env, jane_emulator).json()
    assert code == 3
    # Published, it reaches the website: #6 is broken.
    assert jane.api("POST", f"/api/tag/v1/{boutique}/versions/draft/publish").status_code == 202
    code, report = Watcher(st, engine_env, jane_emulator).json()
    assert code == 1
    check_snapshot_shape(st, engine_env, monkeypatch, boutique)
    shop = site(report, "boutique")
    (drift,) = shop["drift"]
    assert (drift["resource_type"], drift["property"], drift["live"]) == (
        "TagConsentType",
        "consent_type",
        "marketing_automation",
    )
    assert drift["audit"] == []
    assert [c["number"] for c in shop["requirement_changes"]] == [6]
    text = run_watch(st, engine_env.env, "--stack", "local")
    assert "no audit entry (Tag Manager changes are not in the audit log)" in text.stdout

    # An account-wide change (the global tracker settings CnilAccount declares), attributed without a site. Before
    # it, Jane drops blog's own IP masking override: blog now inherits the account's 2 (no visible change, no
    # audit entry), while boutique keeps its pinned value (issue 20).
    blog = st.outputs()["sites"].value["blog"]["site_id"]
    assert jane.api("DELETE", f"{TS}/{blog}/anonymize_visitor_ip_level").status_code == 204
    level = {"anonymize_visitor_ip_level": 0}
    body = {"data": {"type": "tracker/settings/app/global", "id": "global", "attributes": level}}
    assert jane.api("PATCH", f"{TS}/global", json=body).status_code == 204
    code, report = Watcher(st, engine_env, jane_emulator).json()
    account = site(report, _live.ACCOUNT)
    assert code == 1 and account["site_id"] is None
    ((prop, declared, live, authors),) = [
        (d["property"], d["declared"], d["live"], [e["author_email"] for e in d["audit"]]) for d in account["drift"]
    ]
    assert (prop, declared, live, authors) == ("ip_masking_level", 2, 0, ["jane@example.com"])
    assert [(c["number"], c["after"]) for c in account["requirement_changes"]] == [(1, "broken")]
    # Which value each site's app reads now, and from where: boutique its own, blog the account's new one.
    reach = {r["site"]: (r["live"], r["pinned"], r["weakened"]) for r in account["drift"][0]["sites"]}
    assert reach == {"boutique": (2, True, False), "blog": (0, True, True)}
    assert [(d["property"], d["declared"], d["live"]) for d in site(report, "boutique")["drift"]] == [
        ("consent_type", "analytics", "marketing_automation")
    ]
    # blog's drift is the account's change (its own log has nothing): the global entry, by Jane, explains it.
    (inherited,) = site(report, "blog")["drift"]
    assert (inherited["property"], inherited["declared"], inherited["live"]) == ("ip_masking_level", 2, 0)
    assert [(e["type"], e["author_email"]) for e in inherited["audit"]] == [
        ("global_tracker_settings.changed.anonymize_visitor_ip_level", "jane@example.com")
    ]
    text = run_watch(st, engine_env.env, "--stack", "local").stdout
    assert "site boutique (app " in text and "reads 2: its own value, pinned" in text
    assert "reads 0: the account's new value, which the app inherits (not its own)" in text


def assert_usage_error(st: auto.Stack, env: dict[str, str], stack: str, message: str) -> None:
    """Exit 2 with ``message`` on stderr and no traceback."""
    proc = run_watch(st, env, "--stack", stack)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.engine
def test_an_unknown_stack_is_a_clear_usage_error(project_stack: StackFactory, engine_env: EngineEnv) -> None:
    st = project_stack()
    assert_usage_error(st, engine_env.env, "no-such-stack", "unknown stack 'no-such-stack'")


@pytest.mark.engine
def test_no_backend_login_is_a_clear_usage_error(
    project_stack: StackFactory, engine_env: EngineEnv, tmp_path: Path
) -> None:
    st = project_stack()
    env = {k: v for k, v in engine_env.env.items() if k not in ("PULUMI_BACKEND_URL", "PULUMI_ACCESS_TOKEN")}
    env["PULUMI_HOME"] = str(tmp_path / "never-logged-in")  # no credentials.json: no backend login
    assert_usage_error(st, env, "local", "no backend login: run `pulumi login`")


@pytest.mark.engine
def test_missing_credentials_and_an_empty_stack_are_clear_usage_errors(
    project_stack: StackFactory, engine_env: EngineEnv, emulator: Emulator
) -> None:
    st = project_stack(emulator=emulator)
    env = {k: v for k, v in engine_env.env.items() if not k.startswith("PIWIK_")}
    # Never deployed: no resource to read.
    assert_usage_error(st, env, "local", "holds no Piwik PRO resource (never deployed, or destroyed)")
    st.remove_config("piwik:clientSecret")
    assert_usage_error(st, env, "local", "piwik:clientSecret (or environment PIWIK_CLIENT_SECRET)")
    assert emulator.requests()["total"] == 0


def test_json_and_markdown_exclude_each_other() -> None:
    result = CliRunner().invoke(main, ["watch", "--stack", "local", "--json", "--markdown"])
    assert result.exit_code == 2 and "exclude each other" in result.output


def test_help_documents_the_exit_codes() -> None:
    result = CliRunner().invoke(main, ["watch", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "0 compliant and no drift; 3 drift, still compliant; 1 compliance broken; 2 usage" in text


def test_the_drift_watch_workflow_keeps_one_issue_per_stack() -> None:
    """The schedule's contract with the command (its exit codes) and with GitHub (one issue per stack)."""
    from piwik_resources.cli.watch import EXIT_BROKEN, EXIT_COMPLIANT, EXIT_DRIFT

    text = (Path(__file__).resolve().parents[2] / ".github" / "workflows" / "drift-watch.yml").read_text()
    assert "schedule:" in text and "cron:" in text and "stack: [staging, prod]" in text
    assert "environment: ${{ matrix.stack }}" in text
    assert 'piwik-cnil watch --stack "$STACK" --markdown > watch.md' in text
    assert f'[ "$code" -ne {EXIT_COMPLIANT} ] && [ "$code" -ne {EXIT_BROKEN} ] && [ "$code" -ne {EXIT_DRIFT} ]' in text
    assert f'if [ "$CODE" -eq {EXIT_BROKEN} ]; then' in text
    assert 'gh issue create --title "$title" --label drift-watch --body-file watch.md' in text
    assert 'gh issue edit "$number" --body-file watch.md' in text
    assert 'gh issue close "$number"' in text
    assert "issues: write" in text
