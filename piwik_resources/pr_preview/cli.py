"""The command: run `pulumi preview --json` for a stack with the toolchain's CLI, render, print or write.

Exit status: 0 when the preview succeeded and the Markdown was written; 1 when the preview reported an error
(the Markdown, with the errors, is still written so a workflow can post it); 2 when nothing could be rendered.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .render import render

REPO = Path(__file__).resolve().parents[2]
TOOLCHAIN = REPO / "tools" / "pulumi-toolchain"


class PreviewError(RuntimeError):
    """`pulumi preview` produced no JSON to render."""


@dataclass(frozen=True)
class PreviewRun:
    data: dict[str, Any]
    returncode: int
    stderr: str


def find_pulumi() -> Path:
    """The toolchain's `pulumi` (a user's own if on PATH at the pinned version or newer; else the cached build)."""
    if TOOLCHAIN.exists():
        proc = subprocess.run([str(TOOLCHAIN)], capture_output=True, text=True, check=False)
        lines = proc.stdout.strip().splitlines()
        if proc.returncode == 0 and lines:
            return Path(lines[-1]) / "pulumi"
        sys.stderr.write(proc.stderr)
    found = shutil.which("pulumi")
    if found:
        return Path(found)
    raise PreviewError("no Pulumi CLI: tools/pulumi-toolchain failed and `pulumi` is not on PATH")


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
    binary = pulumi or find_pulumi()
    environ = dict(os.environ if env is None else env)
    # The language host and the provider launcher sit beside `pulumi`; keep them first on PATH.
    environ["PATH"] = f"{binary.parent}{os.pathsep}{environ.get('PATH', '')}"
    environ.setdefault("PULUMI_SKIP_UPDATE_CHECK", "true")
    proc = subprocess.run(
        preview_command(binary, stack, extra_args),
        cwd=cwd,
        env=environ,
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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m tools.pr_preview",
        description="Run `pulumi preview --json` for a stack and print a Markdown pull-request comment.",
    )
    p.add_argument("--stack", required=True, help="stack name (as for `pulumi preview --stack`)")
    p.add_argument("--cwd", type=Path, default=None, help="the Pulumi project directory (default: current)")
    p.add_argument("--out", type=Path, default=None, help="write the Markdown here instead of stdout")
    p.add_argument("--title", default=None, help="the comment's heading")
    p.add_argument(
        "--from-json",
        type=Path,
        default=None,
        metavar="FILE",
        help="render a saved `pulumi preview --json` output instead of running the engine",
    )
    p.add_argument("--pulumi", type=Path, default=None, help="the pulumi binary (default: tools/pulumi-toolchain)")
    p.add_argument("--save-json", type=Path, default=None, metavar="FILE", help="also keep the engine's JSON")
    p.add_argument("preview_args", nargs="*", help="extra `pulumi preview` arguments (after --)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    returncode = 0
    stderr = ""
    try:
        if args.from_json is not None:
            data = json.loads(args.from_json.read_text())
        else:
            run = run_preview(args.stack, cwd=args.cwd, pulumi=args.pulumi, extra_args=args.preview_args)
            data, returncode, stderr = run.data, run.returncode, run.stderr
    except (PreviewError, OSError, json.JSONDecodeError) as exc:
        print(f"pr-preview: {exc}", file=sys.stderr)
        return 2
    if args.save_json is not None:
        args.save_json.write_text(json.dumps(data, indent=2) + "\n")
    markdown = render(data, stack=args.stack, title=args.title)
    if args.out is not None:
        args.out.write_text(markdown)
    else:
        sys.stdout.write(markdown)
    if returncode != 0:
        print(f"pr-preview: `pulumi preview` exited with {returncode}\n{stderr[-4000:]}", file=sys.stderr)
        return 1
    return 0
