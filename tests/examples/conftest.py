"""The release artifacts, built once per session as a release would build them, and fresh venvs to install them in."""

from __future__ import annotations

import fcntl
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


def build(dist: Path) -> None:
    """`python -m build`: the sdist, then the wheel built from that sdist (so the sdist is proven complete)."""
    run(sys.executable, "-m", "build", "--outdir", dist, REPO)


def artifacts(dist: Path) -> Release:
    (wheel,) = dist.glob("piwik_resources-*.whl")
    (sdist,) = dist.glob("piwik_resources-*.tar.gz")
    return Release(wheel, sdist)


@pytest.fixture(scope="session")
def release(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Release:
    """The release artifacts, built once per run.

    On pytest-xdist workers (`make test`) both workers may need them: the first builds them in a folder beside the
    workers' base temp dirs, the other waits on a lock and takes the same files. Two builds at once would both
    write the checkout's ``piwik_resources.egg-info`` (the sdist step runs there), each reading the other's
    half-written file list."""
    if not hasattr(request.config, "workerinput"):  # pytest-xdist sets it on its workers' config
        dist = tmp_path_factory.mktemp("dist")
        build(dist)
        return artifacts(dist)
    shared = tmp_path_factory.getbasetemp().parent / "release"  # under the run's base temp dir, fresh each run
    dist = shared / "dist"
    dist.mkdir(parents=True, exist_ok=True)
    with (shared / "build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (shared / "built").exists():
            build(dist)
            (shared / "built").touch()
    return artifacts(dist)
