"""The Pulumi CLI as the subcommands use it: found once, run without a terminal, its JSON parsed.

The commands read a stack the way `pulumi` itself does (same project directory, backend login and secrets
provider), so `--stack NAME` means exactly what it means to `pulumi --stack NAME`.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from piwik_resources.pulumi_cli import TOOLCHAIN_VERSION, PulumiCliError, find_pulumi, pulumi_env

__all__ = ["TOOLCHAIN_VERSION", "PulumiCliError", "find_pulumi", "run", "stack_config", "stack_state"]


def run(args: list[str], cwd: Path | None = None) -> str:
    """Run `pulumi ARGS --non-interactive` and return its stdout; PulumiCliError with its stderr on failure."""
    pulumi = find_pulumi()
    proc = subprocess.run(
        [str(pulumi), *args, "--non-interactive"],
        cwd=cwd,
        env=pulumi_env(pulumi),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise PulumiCliError(f"`pulumi {' '.join(args[:2])}` failed: {' '.join(detail[-3:]) or 'no output'}")
    return proc.stdout


def stack_config(stack: str, cwd: Path | None = None) -> dict[str, Any]:
    """The stack's configuration as plain values, secrets decrypted (`pulumi config --show-secrets --json`).

    The values stay in this process: callers must never print a secret (``piwik:clientSecret``).
    """
    raw = json.loads(run(["config", "--stack", stack, "--show-secrets", "--json"], cwd))
    values: dict[str, Any] = {}
    for key, entry in raw.items():
        value = entry.get("objectValue", entry.get("value"))
        values[key] = value
    return values


def stack_state(stack: str, cwd: Path | None = None) -> dict[str, Any]:
    """The stack's checkpoint (`pulumi stack export`, secrets left encrypted). Reading it changes nothing."""
    data: dict[str, Any] = json.loads(run(["stack", "export", "--stack", stack], cwd))
    return data
