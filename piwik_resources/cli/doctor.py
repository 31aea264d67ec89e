"""`piwik-cnil doctor`: a read-only preflight of a Piwik PRO account before the first `pulumi up`.

It logs in with the stack's credentials (``--stack NAME``: its ``piwik:*`` config, secrets decrypted as Pulumi
does, in the current Pulumi project) or the environment (``PIWIK_BASE_URL``, ``PIWIK_CLIENT_ID``,
``PIWIK_CLIENT_SECRET``), reads each API family the providers use, lists the existing apps each site of
``piwik-cnil:sites`` could adopt (with the exact config line), and says what `pulumi up` would change in the
account-wide settings (``piwik-cnil:account``). Only ``GET`` requests and the token request are sent; the client
secret is never printed. Exit 0: `pulumi up` can proceed; 1: a check failed; 2: the configuration is unusable.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import click

from piwik_resources.api import ConsentTemplateApiUnavailable, PiwikClient, PiwikError
from piwik_resources.compliance import safe_url
from piwik_resources.components.cnil_account import global_settings
from piwik_resources.components.stack_config import NAMESPACE, SiteConfig, StackConfig, StackConfigError, parse
from piwik_resources.providers._connection import Connection, ConnectionNotConfigured, resolve_connection
from piwik_resources.providers.tracker_settings import FIELDS as TRACKER_FIELDS
from piwik_resources.tokens import resource_types

from . import _pulumi, main
from ._live import client_for

SITE_TYPES = resource_types("Site")
OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"


@dataclass
class Check:
    name: str
    status: str
    detail: str


@dataclass
class Match:
    app_id: str
    name: str
    by: list[str]
    config_line: str | None  # None: the app is already this stack's


@dataclass
class SiteReport:
    key: str
    site_name: str
    urls: list[str]
    adopt_site_id: str | None
    matches: list[Match] = field(default_factory=list)


@dataclass
class Report:
    base_url: str
    stack: str | None
    checks: list[Check] = field(default_factory=list)
    sites: list[SiteReport] = field(default_factory=list)
    account_declared: bool = False
    account_changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.status != FAIL for c in self.checks)

    def add(self, name: str, status: str, detail: str) -> None:
        self.checks.append(Check(name, status, detail))


class ConfigProblem(Exception):
    """The stack or the environment cannot be used; exit code 2."""


# ------------------------------------------------------------------------------------------------- inputs


def _load(stack: str | None, cwd: Path | None) -> tuple[Connection, StackConfig, set[str]]:
    """Credentials, the parsed `piwik-cnil:*` config and the app ids this stack already manages."""
    raw: dict[str, Any] = {}
    managed: set[str] = set()
    try:
        if stack is not None:
            raw = _pulumi.stack_config(stack, cwd)
            managed = _managed_apps(stack, cwd)
        conn = resolve_connection(raw)
        config = parse({key: raw[f"{NAMESPACE}:{key}"] for key in ("sites", "account") if f"{NAMESPACE}:{key}" in raw})
    except (_pulumi.PulumiCliError, ConnectionNotConfigured, StackConfigError, ValueError) as err:
        raise ConfigProblem(str(err)) from None
    return conn, config, managed


def _managed_apps(stack: str, cwd: Path | None) -> set[str]:
    """Ids of the apps the stack's state holds (a stack without state yet holds none)."""
    try:
        state = _pulumi.stack_state(stack, cwd)
    except _pulumi.PulumiCliError:
        return set()
    resources = (state.get("deployment") or {}).get("resources") or []
    return {str(r["id"]) for r in resources if r.get("type") in SITE_TYPES and r.get("id")}


# ------------------------------------------------------------------------------------------------- checks


def _probe(report: Report, name: str, read: Callable[[], str]) -> bool:
    """Run one read; its line says what it found, or the API's error (never a secret: the client redacts)."""
    try:
        report.add(name, OK, read())
        return True
    except ConsentTemplateApiUnavailable as err:
        report.add(name, WARN, f"not served by this host ({err.method} {err.path} → HTTP {err.status})")
    except PiwikError as err:
        report.add(name, FAIL, str(err))
    return False


def _token(report: Report, client: PiwikClient, conn: Connection) -> bool:
    try:
        organization = client.organization
    except PiwikError as err:
        hint = "check piwik:clientId and piwik:clientSecret (or PIWIK_CLIENT_ID / PIWIK_CLIENT_SECRET)"
        if err.status in (400, 401, 403):
            report.add("token", FAIL, f"credentials of client id {conn.client_id!r} refused by {conn.base_url}: {hint}")
        else:
            report.add("token", FAIL, f"no token from {conn.base_url}: {err}")
        return False
    report.add("token", OK, f"organization {organization!r}, client id {conn.client_id!r}")
    return True


def _family_checks(report: Report, client: PiwikClient, config: StackConfig) -> str | None:
    """One line per API family the providers use; returns the app the app-scoped reads used."""
    apps = list(client.apps.list())
    report.add("apps", OK, f"{len(apps)} app(s) visible to these credentials")
    _probe(report, "tracker settings (global)", lambda: _global_line(client))
    _probe(report, "opt-out code", lambda: f"{len(client.container_settings.opt_out_code())} characters of HTML")
    if not apps:
        for name in (
            "tag manager",
            "custom dimensions",
            "container settings",
            "installation code",
            "consent templates",
        ):
            report.add(name, SKIP, "no app exists yet to read it from (pulumi up creates the first)")
        return None
    app = apps[0]
    where = f"app {app.id} ({app.name!r})"
    _probe(report, "tag manager", lambda: _tag_line(client, app.id, where))
    _probe(report, "custom dimensions", lambda: f"{len(client.custom_dimensions.list(app.id))} in {where}")
    _probe(report, "container settings", lambda: f"{len(client.container_settings.app_settings(app.id))} in {where}")
    _probe(
        report, "installation code", lambda: f"{len(client.container_settings.installation_code(app.id))} characters"
    )
    if not _probe(report, "consent templates", lambda: f"{len(client.consent_templates.list(app.id))} in {where}"):
        wanting = [s.key for s in config.sites if s.args.consent_template_mode == "api"]
        if wanting and report.checks[-1].status == WARN:
            report.checks[-1].status = FAIL
            report.checks[-1].detail += f"; sites {wanting} use consent_template_mode: api (use manual)"
    return app.id


def _global_line(client: PiwikClient) -> str:
    settings = client.tracker_settings.get_global()
    return f"IP masking level {settings.anonymize_visitor_ip_level}"


def _tag_line(client: PiwikClient, app_id: str, where: str) -> str:
    tags = client.tags.list(app_id, template="piwik")
    draft = client.versions.get_draft(app_id)
    return f"{len(tags)} Piwik PRO tag(s) in {where}, draft has_changes={draft.has_changes}"


def _pacing(report: Report, conn: Connection) -> None:
    def rate(n: int | None) -> str:
        return "unpaced" if n is None else f"{n}/min"

    detail = f"reads {rate(conn.reads_per_minute)}, writes {rate(conn.writes_per_minute)}"
    report.add("rate limits", OK, f"{detail} (piwik:readsPerMinute / piwik:writesPerMinute)")


# ------------------------------------------------------------------------------------------- sites, account


def _sites(report: Report, client: PiwikClient, sites: list[SiteConfig], managed: set[str]) -> None:
    names = {a.id: a.name for a in client.apps.list()}
    for index, site in enumerate(sites):
        args = site.args
        entry = SiteReport(site.key, args.site_name, list(args.urls), args.adopt_site_id)
        found: dict[str, list[str]] = {}
        for app_id, name in names.items():
            if name == args.site_name:
                found.setdefault(app_id, []).append("name")
        # As written (an app made before) and as CnilExemptSite writes it, with "/" after the host (#5).
        for url in dict.fromkeys(form for given in args.urls for form in (given, safe_url(given))):
            by_url = client.tracker_settings.app_id_for_url(url)
            if by_url is not None:
                found.setdefault(by_url, []).append(f"url {url}")
        stack = f" --stack {report.stack}" if report.stack else ""
        for app_id, by in found.items():
            line = None
            if app_id not in managed and app_id != args.adopt_site_id:
                line = f"pulumi config set{stack} --path '{NAMESPACE}:sites[{index}].adopt_site_id' {app_id}"
            entry.matches.append(Match(app_id, names.get(app_id, "?"), by, line))
        if args.adopt_site_id and args.adopt_site_id not in names:
            report.add(f"site {site.key}", FAIL, f"adopt_site_id {args.adopt_site_id}: no such app in this account")
        report.sites.append(entry)


def _account(report: Report, client: PiwikClient, config: StackConfig) -> None:
    if config.account is None:
        return
    report.account_declared = True
    current = client.tracker_settings.get_global()
    for prop, wanted in global_settings(config.account).items():
        setting = TRACKER_FIELDS[prop]
        now = getattr(current, setting)
        if now != wanted:
            report.account_changes.append({"setting": setting, "property": prop, "current": now, "desired": wanted})


def run_doctor(stack: str | None, cwd: Path | None) -> Report:
    conn, config, managed = _load(stack, cwd)
    report = Report(base_url=conn.base_url, stack=stack)
    try:
        client = client_for(conn)
    except ValueError as err:  # e.g. a plain-http base URL that is not loopback
        raise ConfigProblem(str(err)) from None
    with client:
        if not _token(report, client, conn):
            return report
        try:
            _family_checks(report, client, config)
            _pacing(report, conn)
            _sites(report, client, config.sites, managed)
            _account(report, client, config)
        except PiwikError as err:
            report.add("read", FAIL, str(err))
    return report


# ------------------------------------------------------------------------------------------------- output


def render_text(report: Report) -> str:
    lines = [f"Piwik PRO account {report.base_url}" + (f" (stack {report.stack})" if report.stack else "")]
    lines += [f"{c.status:<5} {c.name:<26} {c.detail}" for c in report.checks]
    for site in report.sites:
        lines.append(f"site {site.key} ({site.site_name!r}, {', '.join(site.urls)}):")
        if not site.matches:
            lines.append("  no existing app matches: pulumi up creates one")
        for m in site.matches:
            where = f"  app {m.app_id} ({m.name!r}) matches by {', '.join(m.by)}"
            lines.append(
                f"{where}; adopt it with:\n    {m.config_line}" if m.config_line else f"{where}; managed already"
            )
    if report.account_declared and report.account_changes:
        lines.append(f"account-wide settings ({NAMESPACE}:account): pulumi up would change")
        lines += [f"  {c['setting']}: {c['current']!r} -> {c['desired']!r}" for c in report.account_changes]
    elif report.account_declared:
        lines.append(f"account-wide settings ({NAMESPACE}:account): already as declared, pulumi up changes none")
    else:
        lines.append(f"account-wide settings: {NAMESPACE}:account is not declared here, pulumi up changes none")
    verdict = "pulumi up can proceed" if report.ok else "fix the failed checks before pulumi up"
    lines.append(f"{'ok' if report.ok else 'FAILED'}: {verdict}")
    return "\n".join(lines)


def render_json(report: Report) -> str:
    data = asdict(report)
    data["ok"] = report.ok
    return json.dumps(data, indent=2, default=str)


@main.command("doctor")
@click.option("--stack", "stack", metavar="NAME", help="read credentials and sites from this stack's config")
@click.option(
    "--cwd",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="the Pulumi project directory (default: the current directory)",
)
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
def doctor(stack: str | None, cwd: Path | None, as_json: bool) -> None:
    """Check a Piwik PRO account read-only before `pulumi up` (exit 0: it can proceed)."""
    try:
        report = run_doctor(stack, cwd)
    except ConfigProblem as err:
        if as_json:
            click.echo(json.dumps({"ok": False, "error": str(err)}))
        else:
            click.echo(f"piwik-cnil doctor: {err}", err=True)
        sys.exit(2)
    click.echo(render_json(report) if as_json else render_text(report))
    sys.exit(0 if report.ok else 1)
