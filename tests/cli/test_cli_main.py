"""The `piwik-cnil` entry point itself: help, version, and the console script the package installs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from piwik_resources.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_help_lists_the_command_name_and_exits_0() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and "CNIL" in result.output


def test_unknown_subcommand_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command" in result.output


@pytest.mark.emulator  # runs the installed console script
def test_console_script_is_installed_beside_the_interpreter() -> None:
    script = Path(sys.executable).parent / "piwik-cnil"
    assert script.exists(), "pip install -e . must install the piwik-cnil console script"
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("piwik-cnil, version "), proc.stdout + proc.stderr
