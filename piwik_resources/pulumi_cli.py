"""The Pulumi CLI as this package runs it: where it is, and the environment it runs in.

Shared by the `piwik-cnil` subcommands (piwik_resources/cli/_pulumi.py) and the pull-request renderer
(piwik_resources/pr_preview/cli.py), so that neither imports the other's private modules.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

__all__ = ["TOOLCHAIN_VERSION", "PulumiCliError", "find_pulumi", "pulumi_env"]

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


def pulumi_env(pulumi: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) made fit to run ``pulumi``."""
    env = dict(os.environ if base is None else base)
    # The toolchain's language host and provider launchers sit beside the CLI it built.
    env["PATH"] = f"{pulumi.parent}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("PULUMI_SKIP_UPDATE_CHECK", "true")
    return env
