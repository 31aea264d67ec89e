"""The `piwik-cnil` command: one entry point whose subcommands each live in a module of this package.

Conventions every subcommand follows: `--help`; `--json` for machines where it reports anything; exit 0 when
all is well, 1 when the command ran and found a problem it was asked to find, 2 for a usage or configuration
error (click's own code for bad options); secrets never printed. The commands that read a stack (doctor, watch,
evidence, pr-preview) share their `--stack/--cwd/--json` options and one error path: _common.py.
"""

from __future__ import annotations

from importlib import metadata

import click

#: Modules that add a subcommand to `main` when imported, in the order `--help` lists them.
SUBCOMMANDS: tuple[str, ...] = ("doctor", "watch", "evidence", "pr_preview", "policy_pack")


def _version() -> str:
    try:
        return metadata.version("piwik-resources")
    except metadata.PackageNotFoundError:  # run from a checkout that is not installed
        return "unknown"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), prog_name="piwik-cnil")
def main() -> None:
    """Piwik PRO made CNIL-exempt, as code: checks and reports beside `pulumi up`."""


def _load_subcommands() -> None:
    from importlib import import_module

    for name in SUBCOMMANDS:
        import_module(f"{__name__}.{name}")


_load_subcommands()
