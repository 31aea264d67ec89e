"""One CLI convention for the stack commands (doctor, watch, evidence, pr-preview): the same --stack/--cwd/--json,
one error path for a usage or configuration problem, and one table of exit codes in the README."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from piwik_resources.cli import _common, main, watch

REPO = Path(__file__).resolve().parents[2]
STACK_COMMANDS = ("doctor", "watch", "evidence", "pr-preview")
#: What each command needs besides --stack to reach the stack (evidence: where to write).
EXTRA: dict[str, tuple[str, ...]] = {"evidence": ("--out", "dossiers")}


@pytest.mark.parametrize("command", STACK_COMMANDS)
def test_the_stack_commands_take_the_same_options(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"], prog_name="piwik-cnil")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "--stack NAME The Pulumi stack, as `pulumi --stack NAME` means it" in text
    assert "--cwd DIRECTORY The Pulumi project directory (default: the current directory)." in text
    assert re.search(r"--json Print .* as JSON", text), text


@pytest.mark.parametrize("command", STACK_COMMANDS)
def test_a_configuration_problem_takes_one_error_path(command: str, tmp_path: Path) -> None:
    """No usable Pulumi CLI: every command says so the same way, on stderr and (with --json) as JSON; exit 2."""
    missing = str(tmp_path / "no-pulumi-here")
    args = [command, "--stack", "prod", *EXTRA.get(command, ()), "--json"]
    result = CliRunner().invoke(main, args, prog_name="piwik-cnil", env={"PIWIK_CNIL_PULUMI": missing})
    assert result.exit_code == _common.EXIT_USAGE, result.output
    assert result.stderr.startswith(f"piwik-cnil {command}: error: PIWIK_CNIL_PULUMI names {missing}"), result.stderr
    answer = json.loads(result.stdout)
    assert answer["ok"] is False and answer["exit_code"] == 2 and answer["error"].startswith("PIWIK_CNIL_PULUMI")
    assert "Traceback" not in result.output
    assert not (tmp_path / "dossiers").exists()


def test_the_readme_has_one_table_of_exit_codes_for_every_command() -> None:
    readme = (REPO / "README.md").read_text()
    tables = re.findall(r"^\| exit \|.*$", readme, flags=re.MULTILINE)
    assert len(tables) == 1, tables
    header = tables[0]
    for command in (*STACK_COMMANDS, "evidence verify", "policy-pack"):
        assert f"`{command}`" in header, command
    rows = {line.split("|")[1].strip() for line in readme.splitlines() if re.match(r"^\| [0-3] \|", line)}
    assert rows == {"0", "1", "2", "3"}
    # The watch's own constants are the shared ones.
    assert (watch.EXIT_COMPLIANT, watch.EXIT_BROKEN, watch.EXIT_USAGE, watch.EXIT_DRIFT) == (
        _common.EXIT_OK,
        _common.EXIT_FOUND,
        _common.EXIT_USAGE,
        _common.EXIT_DRIFT,
    )
