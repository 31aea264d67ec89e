"""The Pulumi CLI as the subcommands use it: found once, run without a terminal, its JSON parsed.

The commands read a stack the way `pulumi` itself does (same project directory, backend login and secrets
provider), so `--stack NAME` means exactly what it means to `pulumi --stack NAME`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: Where tools/pulumi-toolchain caches the CLI it builds (PIWIK_CNIL_CACHE overrides the cache root).
TOOLCHAIN_VERSION = "3.260.0"


class PulumiCliError(RuntimeError):
    """The Pulumi CLI is missing or a `pulumi` command failed; the message says which and why."""


def find_pulumi() -> Path:
    """`PIWIK_CNIL_PULUMI`, else `pulumi` on PATH, else the CLI that tools/pulumi-toolchain built."""
    explicit = os.environ.get("PIWIK_CNIL_PULUMI")
    if explicit:
        if not Path(explicit).is_file():
            raise PulumiCliError(
                f"PIWIK_CNIL_PULUMI names {explicit}, which is not a file: point it at the pulumi binary"
            )
        return Path(explicit)
    on_path = shutil.which("pulumi")
    if on_path:
        return Path(on_path)
    cache = Path(os.environ.get("PIWIK_CNIL_CACHE", Path.home() / ".cache" / "piwik-cnil"))
    built = cache / f"pulumi-v{TOOLCHAIN_VERSION}" / "bin" / "pulumi"
    if built.exists():
        return built
    raise PulumiCliError(
        "no Pulumi CLI found: install it (https://www.pulumi.com/docs/install/), put it on PATH, "
        "or set PIWIK_CNIL_PULUMI to its path"
    )


def _env(pulumi: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) made fit to run ``pulumi``."""
    env = dict(os.environ if base is None else base)
    # The toolchain's language host and provider launchers sit beside the CLI it built.
    env["PATH"] = f"{pulumi.parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("PULUMI_SKIP_UPDATE_CHECK", "true")
    return env


def run(args: list[str], cwd: Path | None = None) -> str:
    """Run `pulumi ARGS --non-interactive` and return its stdout; PulumiCliError with its stderr on failure."""
    pulumi = find_pulumi()
    proc = subprocess.run(
        [str(pulumi), *args, "--non-interactive"],
        cwd=cwd,
        env=_env(pulumi),
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
