"""`piwik-cnil pr-preview`: the pull-request comment of one stack's `pulumi preview`, as Markdown.

The renderer is piwik_resources/pr_preview/; this module is only its command line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import _common, main

_FILE = click.Path(dir_okay=False, path_type=Path)


@main.command(
    "pr-preview",
    context_settings={"ignore_unknown_options": True},
    epilog="Exit codes: 0 rendered; 1 rendered, but `pulumi preview` failed (the comment shows its errors); "
    "2 usage or configuration error: nothing could be rendered. Extra `pulumi preview` arguments go after `--`.",
)
@_common.stack_option()
@_common.cwd_option
@click.option("--out", type=_FILE, default=None, help="Write the Markdown here instead of printing it.")
@click.option("--title", default=None, help="The comment's heading.")
@click.option(
    "--from-json",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="Render a saved `pulumi preview --json` output instead of running the engine.",
)
@click.option(
    "--pulumi",
    type=_FILE,
    default=None,
    help="The pulumi binary (default: $PIWIK_CNIL_PULUMI, else `pulumi` on PATH).",
)
@click.option("--save-json", type=_FILE, default=None, metavar="FILE", help="Also keep the engine's JSON here.")
@_common.json_option("a report (headline, compliance verdict, the Markdown) instead of the Markdown")
@click.argument("preview_args", nargs=-1, type=click.UNPROCESSED)
@_common.one_error_path
def pr_preview(
    stack: str,
    cwd: Path | None,
    out: Path | None,
    title: str | None,
    from_json: Path | None,
    pulumi: Path | None,
    save_json: Path | None,
    as_json: bool,
    preview_args: tuple[str, ...],
) -> None:
    """Run `pulumi preview --json` for a stack and print a Markdown pull-request comment.

    The comment lists every Piwik PRO change and how it moves each CNIL exemption requirement; secret values
    are shown as [secret].
    """
    from piwik_resources.pr_preview.cli import PreviewError, Request
    from piwik_resources.pr_preview.cli import main as render_main

    request = Request(stack, cwd, out, title, from_json, pulumi, save_json, as_json, preview_args)
    try:
        code = render_main(request)
    except PreviewError as err:  # nothing could be rendered: a configuration problem (imported here, lazily)
        raise _common.CommandError(str(err)) from None
    sys.exit(code)
