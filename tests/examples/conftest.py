"""The release artifacts, built once per session as a release would build them, and fresh venvs to install them in."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fixtures.engine import REPO


@dataclass(frozen=True)
class Release:
    wheel: Path
    sdist: Path


def run(*cmd: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Run a command; its stdout, or the test fails with its output."""
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"{cmd} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-4000:]}"
    return proc.stdout


def outside_env(*first: Path) -> dict[str, str]:
    """This process's environment with none of the test venv on PATH: ``first`` dirs, then the rest of PATH.

    What a user's shell looks like after activating the venv in ``first`` (no PULUMI_PYTHON_CMD pointing back at
    the test runner's interpreter, no PYTHONPATH into this checkout).
    """
    ours = str(Path(sys.executable).parent)
    rest = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != ours]
    env = {k: v for k, v in os.environ.items() if k not in ("PULUMI_PYTHON_CMD", "PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join([*map(str, first), *rest])
    return env


def fresh_venv(path: Path, *install: str | Path) -> Path:
    """A new virtualenv at ``path`` with only ``install`` (and their dependencies) in it; its bin directory."""
    run(sys.executable, "-m", "venv", path)
    run(path / "bin" / "python", "-m", "pip", "install", "--quiet", *install, env=outside_env())
    return path / "bin"


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    """`python -m build`: the sdist, then the wheel built from that sdist (so the sdist is proven complete)."""
    dist = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", dist, REPO)
    (wheel,) = dist.glob("piwik_resources-*.whl")
    (sdist,) = dist.glob("piwik_resources-*.tar.gz")
    return Release(wheel, sdist)
