"""examples/monorepo consumes the library as another repository would: only the built wheel, in a venv of its own.

The program, the PR preview and the policy pack all come from that wheel; the commands run in a shell whose
PATH starts with the example's venv (as after `source .venv/bin/activate`), without this checkout's venv.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.api.test_top_level_exports import REQUIRED
from tests.examples.conftest import Release, fresh_venv, outside_env, run
from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import REPO, EngineEnv, StackFactory, set_config

pytestmark = pytest.mark.engine

EXAMPLE = REPO / "examples" / "monorepo"
#: The names a monorepo imports from the top of the package.
TOP_LEVEL = ", ".join(sorted({*REQUIRED, *(f"{n}Args" for n in REQUIRED), "Attestations"}))
PREVIEW_WITH_PACK = 'pulumi preview --stack dev --non-interactive --policy-pack "$(piwik-cnil policy-pack)"'
UP_WITH_PACK = 'pulumi up --stack dev --yes --non-interactive --policy-pack "$(piwik-cnil policy-pack)"'


def shell(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_example_uses_only_the_wheel_for_program_pr_preview_and_policy_pack(
    pulumi_stack: StackFactory, emulator: Emulator, engine_env: EngineEnv, release: Release, tmp_path: Path
) -> None:
    # A throw-away dev stack: deletion protection off, so the destroy at the end deletes the app.
    st = pulumi_stack(EXAMPLE, stack="dev", emulator=emulator, config={"shop-analytics:deletionProtection": "false"})
    work_dir = Path(st.workspace.work_dir)
    venv = work_dir / ".venv"
    bin_dir = fresh_venv(venv, release.wheel, "-r", work_dir / "requirements.txt")
    env = {**outside_env(bin_dir, engine_env.cli.bin_dir), "VIRTUAL_ENV": str(venv)}
    for key in ("PULUMI_BACKEND_URL", "PULUMI_HOME", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_SKIP_UPDATE_CHECK"):
        env[key] = engine_env.env[key]

    # 1. The top-level names import from the installed wheel; the client alone does not load Pulumi.
    probe = f"import piwik_resources, sys; from piwik_resources import {TOP_LEVEL}; print(piwik_resources.__file__)"
    where = run(bin_dir / "python", "-c", probe, cwd=tmp_path, env=env)
    assert where.strip().startswith(str(venv)), "the example must use the installed library, not this checkout"
    client_only = "import sys, piwik_resources.api; print(sorted(m for m in sys.modules if m.startswith('pulumi')))"
    assert run(bin_dir / "python", "-c", client_only, cwd=tmp_path, env=env).strip() == "[]"

    # 2. The console script and its subcommands.
    top_help = run(bin_dir / "piwik-cnil", "--help", env=env)
    assert "pr-preview" in top_help and "policy-pack" in top_help
    assert "--stack" in run(bin_dir / "piwik-cnil", "pr-preview", "--help", env=env)
    pack_dir = Path(run("piwik-cnil", "policy-pack", cwd=work_dir, env=env).strip())
    assert pack_dir.is_relative_to(venv) and (pack_dir / "PulumiPolicy.yaml").is_file()

    # 3. A compliant stack: `pulumi up` with the pack from the wheel passes and makes the site exempt.
    up = shell(UP_WITH_PACK, work_dir, env)
    assert up.returncode == 0, up.stdout[-3000:] + up.stderr[-3000:]
    assert "cnil-exemption" in up.stdout  # the pack ran
    outputs = st.outputs()
    app = emulator.api("GET", f"/api/apps/v2/{outputs['site_id'].value}").json()["data"]["attributes"]
    assert app["name"] == "Shop" and app["gdprDataAnonymizationMode"] == "no_device_storage"
    assert "enforced by API" in outputs["compliance_report"].value
    urns = [r["urn"] for r in st.export_stack().deployment["resources"]]
    assert any(u.endswith("::web-shop") for u in urns)  # the monorepo's own naming helper named the component

    # 4. A change that breaks the exemption: the pack stops the preview, naming the rule and the resource.
    set_config(st, {"shop-analytics:dimensionName": "Customer email"})
    stopped = shell(PREVIEW_WITH_PACK, work_dir, env)
    output = stopped.stdout + stopped.stderr
    assert stopped.returncode != 0, output[-3000:]
    assert "cnil-dimension-name-identifier" in output and "web-shop-category" in output
    assert "mandatory" in output

    # 5. The PR comment for the same change, rendered by the wheel's `piwik-cnil pr-preview`.
    rendered = shell("piwik-cnil pr-preview --stack dev --json", work_dir, env)
    assert rendered.returncode == 0, rendered.stderr[-3000:]
    report = json.loads(rendered.stdout)
    assert report["headline"] == "Exemption broken ❌" and report["changed_requirements"] == ["no-identifiers"]
    assert "✏️ update CustomDimension `web-shop-category`" in report["markdown"]

    st.destroy()
    assert emulator.api("GET", "/api/apps/v2").json()["meta"]["total"] == 0
