"""`python -m build` makes a wheel and an sdist that carry the whole library and install in a clean venv."""

from __future__ import annotations

import re
import subprocess
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import piwik_resources
from tests.examples.conftest import Release, fresh_venv, outside_env, run
from tests.fixtures.engine import REPO

#: Files of the package that are not Python modules and must ship: PEP 561's marker and the pack's manifest.
DATA_FILES = ("piwik_resources/py.typed", "piwik_resources/policy_pack/PulumiPolicy.yaml")
MODULES = (
    "piwik_resources/policy_pack/__main__.py",
    "piwik_resources/policy_pack/cnil_policies.py",
    "piwik_resources/pr_preview/render.py",
    "piwik_resources/cli/pr_preview.py",
    "piwik_resources/cli/policy_pack.py",
)


def changelog_version() -> str:
    match = re.search(r"(?m)^## \[?(\d+\.\d+\.\d+)\]?", (REPO / "CHANGELOG.md").read_text())
    assert match, "CHANGELOG.md has no release section"
    return match.group(1)


def test_the_version_is_declared_once_and_named_by_the_changelog(release: Release) -> None:
    version = piwik_resources.__version__
    assert changelog_version() == version
    assert release.wheel.name == f"piwik_resources-{version}-py3-none-any.whl"
    assert release.sdist.name == f"piwik_resources-{version}.tar.gz"
    pyproject = (REPO / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject and f'"{version}"' not in pyproject
    # The install lines users copy name this release.
    install = (REPO / "README.md").read_text().split("## Install", 1)[1].split("\n## ", 1)[0]
    assert f"piwik-cnil@v{version}" in install and f"piwik_resources-{version}-py3-none-any.whl" in install


def test_wheel_carries_the_package_data_the_console_script_and_the_dependencies(release: Release) -> None:
    with zipfile.ZipFile(release.wheel) as wheel:
        names = set(wheel.namelist())
        dist_info = f"piwik_resources-{piwik_resources.__version__}.dist-info"
        metadata = Parser().parsestr(wheel.read(f"{dist_info}/METADATA").decode())
        entry_points = wheel.read(f"{dist_info}/entry_points.txt").decode()
    assert set(DATA_FILES) | set(MODULES) <= names
    assert not any(n.startswith(("tests/", "tools/", "piwik_emulator/", "examples/")) for n in names)
    assert "piwik-cnil = piwik_resources.cli:main" in entry_points
    requires = metadata.get_all("Requires-Dist") or []
    assert {re.split(r"[<>=!~ ;\[]", r, maxsplit=1)[0] for r in requires} >= {"pulumi", "pulumi-policy", "click"}
    assert metadata["Version"] == piwik_resources.__version__
    assert "Typing :: Typed" in (metadata.get_all("Classifier") or [])


def test_sdist_carries_what_a_rebuild_needs(release: Release) -> None:
    top = f"piwik_resources-{piwik_resources.__version__}"
    with tarfile.open(release.sdist) as sdist:
        names = {n.removeprefix(f"{top}/") for n in sdist.getnames()}
    assert {"pyproject.toml", "README.md", "CHANGELOG.md", *DATA_FILES, *MODULES} <= names


def test_sdist_installs_in_a_clean_venv_and_the_pack_names_the_python_it_needs(
    release: Release, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    bin_dir = fresh_venv(venv, release.sdist)
    active = {**outside_env(bin_dir), "VIRTUAL_ENV": str(venv)}
    names = "from piwik_resources import CnilExemptSite, Site, OptOutForm, TrackerSettingsArgs; print(Site.__module__)"
    assert run(bin_dir / "python", "-c", names, cwd=tmp_path, env=active).strip() == "piwik_resources.resources.site"
    assert "policy-pack" in run(bin_dir / "piwik-cnil", "--help", env=active)
    typed = "import piwik_resources as p, pathlib; print((pathlib.Path(p.__file__).parent / 'py.typed').is_file())"
    assert run(bin_dir / "python", "-c", typed, cwd=tmp_path, env=active).strip() == "True"

    # Activated: Pulumi would run the pack with this venv's python3, which holds it.
    pack = Path(run(bin_dir / "piwik-cnil", "policy-pack", cwd=tmp_path, env=active).strip())
    assert pack.is_relative_to(venv) and (pack / "PulumiPolicy.yaml").is_file()
    # Not activated: python3 on PATH is another Python. The folder is still printed, the fix is named, exit 2.
    proc = subprocess.run(
        [str(bin_dir / "piwik-cnil"), "policy-pack"],
        env=outside_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and proc.stdout.strip() == str(pack)
    assert "but it has no piwik-resources installed" in proc.stderr
    assert f"export PULUMI_PYTHON_CMD={bin_dir / 'python'}" in proc.stderr
    # PULUMI_PYTHON_CMD set as told: fine again.
    told = {**outside_env(), "PULUMI_PYTHON_CMD": str(bin_dir / "python")}
    report = run(bin_dir / "piwik-cnil", "policy-pack", "--json", cwd=tmp_path, env=told)
    assert '"problem": null' in report and '"host_python_from": "PULUMI_PYTHON_CMD"' in report
