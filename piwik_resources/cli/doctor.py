"""`piwik-cnil doctor`: a read-only preflight of a Piwik PRO account before the first `pulumi up`.

It logs in with the stack's credentials (``--stack NAME``: its ``piwik:*`` config, secrets decrypted as Pulumi
does, in the current Pulumi project) or the environment (``PIWIK_BASE_URL``, ``PIWIK_CLIENT_ID``,
``PIWIK_CLIENT_SECRET``), reads each API family the providers use, lists the existing apps each site could adopt —
the sites of ``piwik-cnil:sites`` (with the exact config line) and every CnilExemptSite the stack's state already
holds, whatever program declared it (with what it recorded: compliance/record.py) — and says what `pulumi up`
would change in the account-wide settings (``piwik-cnil:account``). Only ``GET`` requests and the token request
are sent; the client secret is never printed. Exit 0: `pulumi up` can proceed; 1: a check failed; 2: the
configuration is unusable (cli/_common.py's one error path).
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
from piwik_resources.compliance import Declared, safe_url
from piwik_resources.components.cnil_account import global_settings
from piwik_resources.components.stack_config import NAMESPACE, StackConfig, parse
from piwik_resources.providers._connection import Connection
from piwik_resources.providers.tracker_settings import FIELDS as TRACKER_FIELDS
from piwik_resources.tokens import resource_types

from . import _common, _live, _pulumi, main
from ._host import Host
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
    #: "config" (an entry of piwik-cnil:sites, by index) or "state" (a CnilExemptSite the stack's state holds).
    declared_in: str = "config"
    #: The config entry's index (how to adopt an app through the config); None for a site of the state.
    index: int | None = None


@dataclass(frozen=True)
class StateSite:
    """A CnilExemptSite of the stack's state: its key, its app and URLs (its Site's outputs), its record."""

    key: str
    urls: list[str]
    app_id: str | None
    record: Declared | None


@dataclass
class Report:
    base_url: str
    stack: str | None
    #: What the host is (cli/_host.py), once it answered.
    host: str | None = None
    checks: list[Check] = field(default_factory=list)
    sites: list[SiteReport] = field(default_factory=list)
    account_declared: bool = False
    account_changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.status != FAIL for c in self.checks)

    def add(self, name: str, status: str, detail: str) -> None:
        self.checks.append(Check(name, status, detail))


# ------------------------------------------------------------------------------------------------- inputs


def _load(stack: str | None, cwd: Path | None) -> tuple[Connection, StackConfig, list[StateSite], set[str]]:
    """Credentials, the parsed `piwik-cnil:*` config, the state's CnilExemptSites and the app ids it manages."""
    raw: dict[str, Any] = {}
    resources: list[Any] = []
    if stack is not None:
        raw = _pulumi.stack_config(stack, cwd)
        resources = _state_resources(stack, cwd)
    conn = _live.connection_of(raw)
    config = parse({key: raw[f"{NAMESPACE}:{key}"] for key in ("sites", "account") if f"{NAMESPACE}:{key}" in raw})
    managed = {str(r["id"]) for r in resources if r.get("type") in SITE_TYPES and r.get("id") and not r.get("delete")}
    return conn, config, state_sites(resources), managed


def _state_resources(stack: str, cwd: Path | None) -> list[Any]:
    """The resources of the stack's state (a stack without state yet holds none)."""
    try:
        state = _pulumi.stack_state(stack, cwd)
    except _pulumi.PulumiCliError:
        return []
    return list((state.get("deployment") or {}).get("resources") or [])


def state_sites(resources: list[Any]) -> list[StateSite]:
    """Every CnilExemptSite of the state, with its Site's app id and URLs."""
    found = []
    for urn, group in _live.site_groups(resources).items():
        site = next((r for r in resources if r.get("parent") == urn and r.get("type") in SITE_TYPES), None)
        outputs = (site or {}).get("outputs") or {}
        urls = [str(u) for u in outputs.get("urls") or []]
        found.append(StateSite(group.key, urls, str(site["id"]) if site and site.get("id") else None, group.record))
    return found


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


def site_entries(config: StackConfig, state: list[StateSite]) -> list[SiteReport]:
    """The sites to look up: the config's, then the state's CnilExemptSites the config does not declare."""
    entries = [
        SiteReport(s.key, s.args.site_name, list(s.args.urls), s.args.adopt_site_id, index=i)
        for i, s in enumerate(config.sites)
    ]
    in_config = {s.key for s in config.sites}
    for site in state:
        if site.key not in in_config:
            name = site.record.site_name if site.record else site.key
            entries.append(SiteReport(site.key, name, site.urls, None, declared_in="state"))
    return entries


def _adopt_line(report: Report, entry: SiteReport, app_id: str) -> str:
    if entry.index is None:  # declared by a program: adopting is that program's argument
        return f"adopt_site_id='{app_id}' in the arguments of CnilExemptSite {entry.key!r} (its program)"
    stack = f" --stack {report.stack}" if report.stack else ""
    return f"pulumi config set{stack} --path '{NAMESPACE}:sites[{entry.index}].adopt_site_id' {app_id}"


def _sites(report: Report, client: PiwikClient, entries: list[SiteReport], managed: set[str]) -> None:
    names = {a.id: a.name for a in client.apps.list()}
    for entry in entries:
        found: dict[str, list[str]] = {}
        for app_id, name in names.items():
            if name == entry.site_name:
                found.setdefault(app_id, []).append("name")
        # As written (an app made before) and as CnilExemptSite writes it, with "/" after the host (#5).
        for url in dict.fromkeys(form for given in entry.urls for form in (given, safe_url(given))):
            by_url = client.tracker_settings.app_id_for_url(url)
            if by_url is not None:
                found.setdefault(by_url, []).append(f"url {url}")
        for app_id, by in found.items():
            line = None
            if app_id not in managed and app_id != entry.adopt_site_id:
                line = _adopt_line(report, entry, app_id)
            entry.matches.append(Match(app_id, names.get(app_id) or "?", by, line))
        if entry.adopt_site_id and entry.adopt_site_id not in names:
            report.add(f"site {entry.key}", FAIL, f"adopt_site_id {entry.adopt_site_id}: no such app in this account")
        report.sites.append(entry)


def _state_checks(report: Report, state: list[StateSite]) -> None:
    """One line per CnilExemptSite of the state: what it recorded of what no API answers, or that it recorded none."""
    for site in state:
        where = f"a CnilExemptSite of the state (app {site.app_id})"
        if site.record is None:
            detail = "records nothing of what no API answers (an earlier piwik-resources): `pulumi up` records it"
            report.add(f"site {site.key}", WARN, f"{where} {detail}")
            continue
        att = site.record.attestations
        who = f"attested by {att.attested_by} on {att.attested_on}" if att.attested_by else "no attester named"
        report.add(f"site {site.key}", OK, f"{where}: profile {site.record.cnil_profile}, {who}")


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
    conn, config, state, managed = _load(stack, cwd)
    report = Report(base_url=conn.base_url, stack=stack)
    try:
        client = client_for(conn)
    except ValueError as err:  # e.g. a plain-http base URL that is not loopback
        raise _common.CommandError(str(err)) from None
    with client:
        token = _token(report, client, conn)
        report.host = Host.of(client).short
        if not token:
            return report
        try:
            _family_checks(report, client, config)
            _pacing(report, conn)
            _state_checks(report, state)
            _sites(report, client, site_entries(config, state), managed)
            _account(report, client, config)
        except PiwikError as err:
            report.add("read", FAIL, str(err))
    return report


# ------------------------------------------------------------------------------------------------- output


def render_text(report: Report) -> str:
    lines = [f"{report.host or report.base_url}" + (f" (stack {report.stack})" if report.stack else "")]
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
@_common.stack_option(required=False, without="without it, the PIWIK_* environment and no sites")
@_common.cwd_option
@_common.json_option("the report")
@_common.one_error_path
def doctor(stack: str | None, cwd: Path | None, as_json: bool) -> None:
    """Check a Piwik PRO account read-only before `pulumi up` (exit 0: it can proceed)."""
    report = run_doctor(stack, cwd)
    click.echo(render_json(report) if as_json else render_text(report))
    sys.exit(_common.EXIT_OK if report.ok else _common.EXIT_FOUND)
