"""`piwik-cnil doctor`: read-only (the emulator's request log proves it), secret never printed, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from piwik_resources.cli import main
from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import EngineEnv, StackFactory

SCRIPT = Path(sys.executable).parent / "piwik-cnil"


def only_reads(log: dict[str, Any]) -> list[str]:
    """The requests that were not reads (GET) or the token request: must be none."""
    return [key for key in log["counts"] if not key.startswith("GET ") and key != "POST /auth/token"]


def make_app(emulator: Emulator, name: str, url: str) -> str:
    body = {"data": {"type": "ppms/app", "attributes": {"name": name, "urls": [url]}}}
    response = emulator.api("POST", "/api/apps/v2", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["data"]["id"])


def env_of(emulator: Emulator, secret: str | None = None) -> dict[str, str]:
    return {
        "PIWIK_BASE_URL": emulator.base_url,
        "PIWIK_CLIENT_ID": emulator.client_id,
        "PIWIK_CLIENT_SECRET": secret or emulator.client_secret,
    }


def test_doctor_from_the_environment_reads_only(emulator: Emulator) -> None:
    app_id = make_app(emulator, "Shop", "https://shop.example")
    emulator.clear_requests()
    result = CliRunner().invoke(main, ["doctor", "--json"], env=env_of(emulator))
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] is True and report["stack"] is None
    statuses = {c["name"]: c["status"] for c in report["checks"]}
    assert statuses["token"] == "ok" and statuses["installation code"] == "ok", statuses
    assert statuses["consent templates"] == "ok"  # the emulator serves its own consent-template paths
    assert app_id in json.dumps(report["checks"])
    assert only_reads(emulator.requests()) == []
    assert emulator.client_secret not in result.output


def test_doctor_bad_credentials_is_a_clear_failure(emulator: Emulator) -> None:
    wrong = "not-the-secret-0123"
    result = CliRunner().invoke(main, ["doctor"], env=env_of(emulator, wrong))
    assert result.exit_code == 1, result.output
    assert "credentials of client id 'emulator-client' refused" in result.output
    assert "piwik:clientSecret" in result.output and wrong not in result.output
    assert only_reads(emulator.requests()) == []


def test_doctor_without_credentials_is_a_configuration_error() -> None:
    env = {k: "" for k in ("PIWIK_BASE_URL", "PIWIK_CLIENT_ID", "PIWIK_CLIENT_SECRET")}
    result = CliRunner().invoke(main, ["doctor"], env=env)
    assert result.exit_code == 2
    assert "piwik:baseUrl (or environment PIWIK_BASE_URL)" in result.output


@pytest.mark.engine
def test_doctor_stack_local_hints_adoption_and_account_changes(
    project_stack: StackFactory, emulator: Emulator, engine_env: EngineEnv
) -> None:
    st = project_stack(emulator=emulator)
    blog = make_app(emulator, "Blog Exemple", "https://blog.example.fr")
    env = {**os.environ, **st.workspace.env_vars, "PIWIK_CNIL_PULUMI": str(engine_env.cli.pulumi)}

    def doctor(*args: str) -> subprocess.CompletedProcess[str]:
        emulator.clear_requests()
        proc = subprocess.run(
            [str(SCRIPT), "doctor", "--stack", "local", *args],
            cwd=st.workspace.work_dir,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert only_reads(emulator.requests()) == [], emulator.requests()["counts"]
        assert emulator.client_secret not in proc.stdout + proc.stderr
        return proc

    first = doctor()
    print(f"\n$ piwik-cnil doctor --stack local\n{first.stdout}")
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"pulumi config set --stack local --path 'piwik-cnil:sites[1].adopt_site_id' {blog}" in first.stdout
    assert "anonymize_visitor_ip_level: 0 -> 2" in first.stdout
    assert "site boutique" in first.stdout and "no existing app matches: pulumi up creates one" in first.stdout

    st.up()
    after = json.loads(doctor("--json").stdout)
    assert after["ok"] is True and after["account_changes"] == []
    sites = {s["key"]: {m["app_id"]: m["config_line"] for m in s["matches"]} for s in after["sites"]}
    assert list(sites["boutique"].values()) == [None]  # the stack's own app: no adoption hint
    assert sites["blog"][blog] is not None  # the hand-made app could still be adopted ...
    assert sorted(line is None for line in sites["blog"].values()) == [False, True]  # ... beside the stack's


def test_doctor_help_names_its_options() -> None:
    result = CliRunner().invoke(main, ["doctor", "--help"])
    assert result.exit_code == 0
    assert "--stack NAME" in result.output and "--json" in result.output and "--cwd" in result.output
