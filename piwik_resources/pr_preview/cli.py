"""The command's work: run `pulumi preview --json` for a stack, render the Markdown, print or write it.

`piwik-cnil pr-preview` (piwik_resources/cli/pr_preview.py) parses the options and calls ``main``. Exit status:
0 when the preview succeeded and the Markdown was written; 1 when the preview reported an error (the Markdown,
with the errors, is still written so a workflow can post it). When nothing can be rendered ``main`` raises
PreviewError, which the command ends through the one error path of the stack commands (exit 2, cli/_common.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from piwik_resources.pulumi_cli import PulumiCliError, find_pulumi, pulumi_env

from .delta import compliance_delta
from .model import parse
from .render import render


class PreviewError(RuntimeError):
    """`pulumi preview` produced no JSON to render."""


@dataclass(frozen=True)
class PreviewRun:
    data: dict[str, Any]
    returncode: int
    stderr: str


def preview_command(pulumi: Path, stack: str, extra: Sequence[str] = ()) -> list[str]:
    return [str(pulumi), "preview", "--stack", stack, "--json", "--diff", "--non-interactive", *extra]


def run_preview(
    stack: str,
    *,
    cwd: Path | None = None,
    pulumi: Path | None = None,
    env: Mapping[str, str] | None = None,
    extra_args: Sequence[str] = (),
) -> PreviewRun:
    """Run `pulumi preview --json` and parse its stdout (JSON even when the preview fails)."""
    try:
        binary = pulumi or find_pulumi()
    except PulumiCliError as exc:
        raise PreviewError(str(exc)) from exc
    proc = subprocess.run(
        preview_command(binary, stack, extra_args),
        cwd=cwd,
        env=pulumi_env(binary, env),
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise PreviewError(
            f"`pulumi preview --json` (exit {proc.returncode}) printed no JSON:\n{proc.stdout[-2000:]}"
            f"\n{proc.stderr[-4000:]}"
        ) from exc
    if not isinstance(data, dict):
        raise PreviewError(f"`pulumi preview --json` printed {type(data).__name__}, not an object")
    return PreviewRun(data, proc.returncode, proc.stderr)


@dataclass(frozen=True)
class Request:
    """What `piwik-cnil pr-preview` was asked to do (its options, one field each)."""

    stack: str
    cwd: Path | None = None
    out: Path | None = None
    title: str | None = None
    from_json: Path | None = None
    pulumi: Path | None = None
    save_json: Path | None = None
    as_json: bool = False
    preview_args: tuple[str, ...] = ()


def summary(data: Mapping[str, Any], markdown: str, returncode: int) -> dict[str, Any]:
    """The `--json` report: the comment and the compliance verdict, for a workflow that posts or gates on it."""
    delta = compliance_delta(parse(data))
    return {
        "preview_ok": returncode == 0,
        "headline": delta.headline,
        "broken_before": delta.broken_before,
        "broken_after": delta.broken_after,
        "changed_requirements": [d.requirement.key for d in delta.changed],
        "markdown": markdown,
    }


def main(req: Request) -> int:
    returncode = 0
    stderr = ""
    try:
        if req.from_json is not None:
            data = json.loads(req.from_json.read_text())
        else:
            run = run_preview(req.stack, cwd=req.cwd, pulumi=req.pulumi, extra_args=req.preview_args)
            data, returncode, stderr = run.data, run.returncode, run.stderr
    except (OSError, json.JSONDecodeError) as exc:
        raise PreviewError(str(exc)) from exc
    if req.save_json is not None:
        req.save_json.write_text(json.dumps(data, indent=2) + "\n")
    markdown = render(data, stack=req.stack, title=req.title)
    if req.out is not None:
        req.out.write_text(markdown)
    if req.as_json:
        sys.stdout.write(json.dumps({"stack": req.stack, **summary(data, markdown, returncode)}, indent=2) + "\n")
    elif req.out is None:
        sys.stdout.write(markdown)
    if returncode != 0:
        print(f"pr-preview: `pulumi preview` exited with {returncode}\n{stderr[-4000:]}", file=sys.stderr)
        return 1
    return 0
