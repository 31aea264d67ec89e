"""What the stack commands (doctor, watch, evidence, pr-preview) share: their options, exit codes and error path.

``--stack NAME`` means what it means to `pulumi --stack NAME`, ``--cwd DIR`` is the Pulumi project directory (default:
the current one) and ``--json`` prints the result for machines. A usage or configuration problem — an unknown stack,
no backend login, no Piwik PRO credentials, an unreadable config or record, an API error while reading — takes one
path (:func:`one_error_path`): ``piwik-cnil COMMAND: error: MESSAGE`` on stderr, with ``--json`` also
``{"ok": false, "exit_code": 2, "error": MESSAGE}`` on stdout, and exit 2. The README's table "Exit codes" lists
every command's codes.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from piwik_resources.api import PiwikError
from piwik_resources.compliance.record import RecordError
from piwik_resources.components.stack_config import StackConfigError
from piwik_resources.providers._connection import ConnectionNotConfigured

from . import _live, _pulumi
from ._signature import KeyFileError

#: The command ran and what it checks holds.
EXIT_OK = 0
#: The command ran and found what it looks for: a broken requirement, a failed check, a changed dossier.
EXIT_FOUND = 1
#: Usage or configuration error: nothing was judged or written.
EXIT_USAGE = 2
#: `watch` only: drift that keeps the exemption.
EXIT_DRIFT = 3

F = TypeVar("F", bound=Callable[..., Any])


class CommandError(Exception):
    """A usage or configuration problem found by a command itself; the message says what and how to fix it."""


#: Everything that means "the command cannot do its work with this stack or configuration" (exit 2).
CONFIGURATION_ERRORS: tuple[type[Exception], ...] = (
    CommandError,
    _pulumi.PulumiCliError,
    _live.LiveSnapshotError,
    StackConfigError,
    RecordError,
    KeyFileError,
    ConnectionNotConfigured,
    PiwikError,
)


def stack_option(*, required: bool = True, without: str = "") -> Callable[[F], F]:
    """``--stack NAME``; ``without`` says what the command reads when it is not given (``required=False``)."""
    text = "The Pulumi stack, as `pulumi --stack NAME` means it (its backend, config and secrets provider)"
    return click.option(
        "--stack", "stack", metavar="NAME", required=required, help=f"{text}{'; ' + without if without else ''}."
    )


def cwd_option(fn: F) -> F:
    option = click.option(
        "--cwd",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=None,
        help="The Pulumi project directory (default: the current directory).",
    )
    return option(fn)


def json_option(what: str) -> Callable[[F], F]:
    return click.option("--json", "as_json", is_flag=True, help=f"Print {what} as JSON.")


def problem_text(err: Exception, stack: str | None) -> str:
    """The message of a configuration problem; a Pulumi CLI failure says which of the usual causes it is."""
    text = str(err)
    if not isinstance(err, _pulumi.PulumiCliError):
        return text
    lowered = text.lower()
    if "no stack named" in lowered or "stack not found" in lowered or "does not exist" in lowered:
        return f"unknown stack {stack!r}: `pulumi stack ls` lists the stacks of this project ({text})"
    if "login" in lowered or "access_token" in lowered or "logged in" in lowered:
        return (
            "no backend login: run `pulumi login` (or set PULUMI_BACKEND_URL / PULUMI_ACCESS_TOKEN) so that the "
            f"stack {stack!r} can be read ({text})"
        )
    return text


def fail(message: str, as_json: bool) -> NoReturn:
    """The one error path: the message on stderr (and as JSON on stdout with --json), exit 2."""
    context = click.get_current_context(silent=True)
    name = context.command_path if context is not None else "piwik-cnil"
    click.echo(f"{name}: error: {message}", err=True)
    if as_json:
        click.echo(json.dumps({"ok": False, "exit_code": EXIT_USAGE, "error": message}))
    sys.exit(EXIT_USAGE)


def one_error_path(fn: F) -> F:
    """Run a command; a configuration problem (:data:`CONFIGURATION_ERRORS`) ends it through :func:`fail`."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CONFIGURATION_ERRORS as err:
            fail(problem_text(err, kwargs.get("stack")), bool(kwargs.get("as_json")))

    return run  # type: ignore[return-value]
