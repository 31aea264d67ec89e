"""`piwik-cnil policy-pack`: print the folder of the CNIL policy pack that this installation ships.

Usage in any repository: `pulumi preview --policy-pack "$(piwik-cnil policy-pack)"`. The pack has no virtualenv
of its own (piwik_resources/policy_pack/PulumiPolicy.yaml says why), so the language host runs it with
$PULUMI_PYTHON_CMD, else `python3` on PATH; the command checks that this Python is one that can run this
folder's pack, and says how to fix it when it is not.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import click

from piwik_resources.policy_pack import MANIFEST, PACK_DIR

from . import main

#: Run by the host's Python: where it imports this pack's package from, and whether it has pulumi-policy.
_PROBE = (
    "import importlib.util as u; s = u.find_spec('piwik_resources') and u.find_spec('piwik_resources.policy_pack'); "
    "print(s.origin if s and s.origin else ''); print(u.find_spec('pulumi_policy') is not None)"
)


@dataclass(frozen=True)
class PackCheck:
    path: str
    python: str
    host_python: str | None
    host_python_from: str
    problem: str | None


def host_python() -> tuple[str | None, str]:
    """The Python the language host runs a pack without virtualenv with, and where that choice comes from."""
    explicit = os.environ.get("PULUMI_PYTHON_CMD")
    if explicit:
        return shutil.which(explicit) or explicit, "PULUMI_PYTHON_CMD"
    return shutil.which("python3"), "python3 on PATH"


def probe(python: str) -> str | None:
    """Why ``python`` cannot run this installation's pack, or None when it can."""
    try:
        proc = subprocess.run([python, "-c", _PROBE], capture_output=True, text=True, check=False, timeout=60)
    except OSError as exc:
        return f"it cannot be started ({exc.strerror})"
    lines = proc.stdout.split("\n")
    if proc.returncode != 0 or len(lines) < 2:
        return f"it fails to start (exit {proc.returncode}: {proc.stderr.strip()[-300:]})"
    if not lines[0]:
        return "it has no piwik-resources installed"
    if Path(lines[0]).resolve().parent != PACK_DIR:
        return f"it imports another piwik-resources ({Path(lines[0]).resolve().parent.parent})"
    if lines[1] != "True":
        return "it has no pulumi-policy installed"
    return None


def check() -> PackCheck:
    python, source = host_python()
    if not MANIFEST.is_file():
        problem: str | None = f"this installation of piwik-resources lacks {MANIFEST.name}: reinstall it"
    elif python is None:
        problem = "there is no python3 on PATH"
    else:
        problem = probe(python)
    return PackCheck(str(PACK_DIR), sys.executable, python, source, problem)


@main.command(
    "policy-pack",
    epilog='Usage: pulumi preview --policy-pack "$(piwik-cnil policy-pack)". Exit status: 0 the pack will run; '
    "2 the Python that Pulumi would run it with cannot (the folder is printed all the same; stderr says why).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the folder, both Pythons and the verdict as JSON.")
def policy_pack(as_json: bool) -> None:
    """Print the folder of the CNIL CrossGuard policy pack shipped with this library.

    Pulumi runs the pack with $PULUMI_PYTHON_CMD, else `python3` on PATH: that must be the Python where
    piwik-resources is installed (activate its virtualenv, or set PULUMI_PYTHON_CMD to its python).
    """
    result = check()
    if as_json:
        click.echo(json.dumps(asdict(result), indent=2))
    else:
        click.echo(result.path)
    if result.problem is not None:
        click.echo(
            f"piwik-cnil policy-pack: Pulumi would run the pack with {result.host_python or 'python3'} "
            f"({result.host_python_from}), but {result.problem}. Activate the virtualenv where piwik-resources "
            f"is installed, or: export PULUMI_PYTHON_CMD={sys.executable}",
            err=True,
        )
        sys.exit(2)
