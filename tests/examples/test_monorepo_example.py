"""examples/monorepo reuses CnilExemptSite from the installed library, in a virtualenv of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import REPO, StackFactory

pytestmark = pytest.mark.engine


def run(*cmd: str | Path, cwd: Path | None = None) -> str:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return proc.stdout


def test_example_installs_the_library_and_makes_a_site_exempt(
    pulumi_stack: StackFactory, emulator: Emulator, tmp_path: Path
) -> None:
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, REPO)
    (wheel,) = wheels.glob("piwik_resources-*.whl")

    # A throw-away dev stack: deletion protection off, so the destroy below deletes the app.
    st = pulumi_stack(
        REPO / "examples" / "monorepo",
        stack="dev",
        emulator=emulator,
        config={"shop-analytics:deletionProtection": "false"},
    )
    work_dir = Path(st.workspace.work_dir)
    venv = work_dir / ".venv"
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, "-r", work_dir / "requirements.txt")
    where = run(venv / "bin" / "python", "-c", "import piwik_resources; print(piwik_resources.__file__)", cwd=tmp_path)
    assert where.strip().startswith(str(venv)), "the example must use the installed library, not this checkout"

    up = st.up()
    assert up.summary.result == "succeeded"
    site_id = up.outputs["site_id"].value
    app = emulator.api("GET", f"/api/apps/v2/{site_id}").json()["data"]["attributes"]
    assert app["name"] == "Shop" and app["gdprDataAnonymizationMode"] == "no_device_storage"
    assert "enforced by API" in up.outputs["compliance_report"].value
    # The monorepo's own naming helper was used for the component's name.
    urns = [r["urn"] for r in st.export_stack().deployment["resources"]]
    assert any(u.endswith("::web-shop") for u in urns)

    st.destroy()
    assert emulator.api("GET", "/api/apps/v2").json()["meta"]["total"] == 0
