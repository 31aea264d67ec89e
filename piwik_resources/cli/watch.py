"""`piwik-cnil watch --stack NAME`: drift on live values, the requirements it breaks, and who made each change.

Read-only (docs/watch.md): the stack's state and config come from the Pulumi CLI (`pulumi stack export`,
`pulumi config`), the live values from each resource's provider adapter (cli/_live.py), the verdicts from
compliance.judge_site (the same RULES as the report, the refusals and the policy pack), and the attribution from
Piwik PRO's audit log. Nothing is written to Piwik PRO or to the state.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click

from piwik_resources.api import AuditLogEntry, AuthError, PiwikClient, PiwikError
from piwik_resources.compliance import (
    ACCOUNT_TYPE,
    REQUIREMENTS,
    WAITING,
    Declared,
    ReportRow,
    Status,
    judge_site,
    rules_for,
)
from piwik_resources.providers._settings import PINNED
from piwik_resources.providers._values import same

from . import _common, _live, _pulumi, main
from . import _watch_render as render

#: Exit codes (also in --help, docs/watch.md and the README's table).
EXIT_COMPLIANT = _common.EXIT_OK
EXIT_BROKEN = _common.EXIT_FOUND
EXIT_USAGE = _common.EXIT_USAGE
EXIT_DRIFT = _common.EXIT_DRIFT
#: The audit log is read back this far before the oldest state record (clock skew between machines).
AUDIT_SLACK = timedelta(minutes=5)
#: At most this many audit entries are read (pages of 100): a busy account's log is not read to its start.
AUDIT_MAX_ENTRIES = 1000
#: Requirements with a rule on the account-wide resource: the watch follows every one of them for drift, wider
#: than the account section of a report and dossier (`judge_account`: the requirements CnilAccount makes hold).
ACCOUNT_REQUIREMENTS = tuple(
    r for r in REQUIREMENTS if any(ACCOUNT_TYPE in rule.resource_types for rule in rules_for(r.key))
)


# --- what the watch found -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """What an account-wide drift does to one site of the stack: the value its app reads now, and from where."""

    site: str
    site_id: str | None
    live: Any
    #: The stack's state records the value as the app's own (TrackerSettings ``pinned``).
    pinned: bool
    #: The app reads the account's new value instead of the one declared for it: it inherits the account's.
    weakened: bool


@dataclass
class Drift:
    resource: _live.ResourceSnapshot
    property: str
    declared: Any
    live: Any
    audit: list[AuditLogEntry] = field(default_factory=list)
    #: For an account-wide drift: each site of the stack that manages the same setting (see :func:`reach_of`).
    reach: list[Reach] = field(default_factory=list)


@dataclass
class Change:
    """A requirement whose status differs between the declared and the live values."""

    before: ReportRow
    after: ReportRow


@dataclass
class SiteWatch:
    site: _live.SiteSnapshot
    drifts: list[Drift]
    changes: list[Change]
    broken: list[ReportRow]
    #: Rows on the live values that wait for a human (pending) or a read (not read); empty when not judged.
    waiting: list[ReportRow] = field(default_factory=list)

    @property
    def judged(self) -> bool:
        """A CnilExemptSite or the account: resources outside any CnilExemptSite are watched for drift only."""
        return self.site.is_site or self.site.key == _live.ACCOUNT


@dataclass
class WatchReport:
    stack: str
    sites: list[SiteWatch]
    #: None when the audit log was read; otherwise why it could not be.
    audit_problem: str | None = None

    @property
    def exit_code(self) -> int:
        if any(s.broken for s in self.sites):
            return EXIT_BROKEN
        if any(s.drifts for s in self.sites):
            return EXIT_DRIFT
        return EXIT_COMPLIANT

    @property
    def verdict(self) -> str:
        return {EXIT_BROKEN: "compliance broken", EXIT_DRIFT: "drift, still compliant"}.get(
            self.exit_code, "compliant, no drift"
        )


# --- judging ---------------------------------------------------------------------------------------------------


def judge(site: _live.SiteSnapshot) -> tuple[list[ReportRow], list[ReportRow]]:
    """(rows on the declared values, rows on the live values), by the one judge of every requirement.

    A CnilExemptSite is judged with what it recorded in the state (its profile, attestations, identifier
    patterns...: _live.SiteSnapshot.declaration), the account on the account-wide requirements; resources outside
    any CnilExemptSite are not judged (nothing declared them exempt).
    """
    if site.key == _live.ACCOUNT:
        context, requirements = Declared(site_name="account"), ACCOUNT_REQUIREMENTS
    elif site.is_site:
        context, requirements = site.declaration(), REQUIREMENTS
    else:
        return [], []
    return (
        judge_site(site.declared, context, requirements),
        judge_site(site.live, context, requirements),
    )


def reach_of(drift: Drift, sites: Iterable[_live.SiteSnapshot]) -> list[Reach]:
    """What the account-wide ``drift`` does to each site whose TrackerSettings manage the same setting."""
    found = []
    for site in sites:
        tracker = next((r for r in site.resources if r.type == "TrackerSettings"), None)
        if site.key == _live.ACCOUNT or tracker is None or drift.property not in tracker.declared:
            continue
        live = (tracker.live or {}).get(drift.property)
        weakened = not same(live, tracker.declared[drift.property]) and same(live, drift.live)
        pinned = drift.property in (tracker.declared.get(PINNED) or [])
        found.append(Reach(site.key, site.site_id, live, pinned, weakened))
    return found


def watch_site(site: _live.SiteSnapshot, audit: list[AuditLogEntry] | None) -> SiteWatch:
    before, after = judge(site)
    by_number = {r.number: r for r in before}
    changes = [Change(by_number[r.number], r) for r in after if by_number[r.number].status != r.status]
    drifts = [
        Drift(resource, prop, old, new, attribute(resource, prop, new, site.site_id, audit or []))
        for resource in site.resources
        for prop, old, new in resource.drift()
    ]
    broken = [r for r in after if r.status == Status.BROKEN]
    return SiteWatch(site, drifts, changes, broken, [r for r in after if r.status in WAITING])


# --- attribution -----------------------------------------------------------------------------------------------


def _parse_time(text: str | None) -> datetime | None:
    """A state timestamp (RFC 3339, nanoseconds allowed) to the second, or None."""
    found = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)", text or "")
    return datetime.fromisoformat(found.group(1)).replace(tzinfo=UTC) if found else None


def api_attribute(resource: _live.ResourceSnapshot, prop: str) -> str:
    """The API's name of a resource property (the audit log's event types and payloads use it)."""
    fields: Mapping[str, str] = getattr(_live.adapters().get(resource.type), "fields", {}) or {}
    return fields.get(prop, prop)


def account_wide(entry: AuditLogEntry) -> bool:
    """An entry about the account's global settings (the emulator's ``global_tracker_settings.changed.*``;
    Piwik PRO does not publish its event types, docs/watch.md)."""
    return entry.type.startswith("global")


def attribute(
    resource: _live.ResourceSnapshot, prop: str, live: Any, site_id: str | None, audit: Iterable[AuditLogEntry]
) -> list[AuditLogEntry]:
    """The audit entries that explain a drift, newest first: same subject, same field, after the last record,
    and (when the payload carries it) setting the value now live. A per-app tracker setting with no entry of its
    own is explained by an account-wide change to that value: the app inherited it (it was not pinned)."""
    entries = list(audit)
    found = _matching(resource, prop, live, [e for e in entries if site_id is None or e.subject_id == site_id])
    if not found and site_id is not None and resource.type == "TrackerSettings":
        found = _matching(resource, prop, live, [e for e in entries if account_wide(e)])
    return found


def _matching(
    resource: _live.ResourceSnapshot, prop: str, live: Any, audit: Iterable[AuditLogEntry]
) -> list[AuditLogEntry]:
    name = api_attribute(resource, prop)
    since = _parse_time(resource.modified)
    found = []
    for entry in audit:
        if not (entry.type.rsplit(".", 1)[-1] == name or name in entry.payload):
            continue
        if since is not None and entry.created_at < since:
            continue
        if name in entry.payload and not same(entry.payload[name], live):
            continue
        found.append(entry)
    return found


def read_audit(client: PiwikClient, snapshot: _live.StackSnapshot) -> tuple[list[AuditLogEntry] | None, str | None]:
    """(entries since the oldest state record, None) or (None, why the audit log could not be read)."""
    stamps = [t for t in (_parse_time(r.modified) for r in snapshot.resources()) if t is not None]
    since = min(stamps) - AUDIT_SLACK if stamps else None
    entries: list[AuditLogEntry] = []
    try:
        for entry in client.audit_log.entries(date_from=since):
            entries.append(entry)
            if len(entries) >= AUDIT_MAX_ENTRIES:
                break
    except AuthError as err:
        if err.status == 403:
            return None, f"the audit log is not readable with these credentials (HTTP 403: {err.detail or err})"
        return None, f"the audit log could not be read: {err}"
    except PiwikError as err:
        return None, f"the audit log could not be read: {err}"
    return entries, None


# --- the run ---------------------------------------------------------------------------------------------------


def run_watch(stack: str, cwd: Path | None = None) -> WatchReport:
    """Everything the command does except printing; a configuration problem raises one of
    _common.CONFIGURATION_ERRORS (an unreadable stack, no credentials, no CnilExemptSite to judge)."""
    state = _pulumi.stack_state(stack, cwd)
    config = _pulumi.stack_config(stack, cwd)
    conn = _live.connection_of(config)
    with _live.client_for(conn) as client:
        snap = _live.snapshot(stack, state, client)
        nothing = snap.no_site("the watch") if not any(s.key == _live.ACCOUNT for s in snap.sites) else None
        if nothing:
            raise _common.CommandError(nothing)
        audit, problem = read_audit(client, snap)
    sites = [watch_site(site, audit) for site in snap.sites]
    for watched in sites:
        for drift in watched.drifts if watched.site.key == _live.ACCOUNT else ():
            drift.reach = reach_of(drift, snap.sites)
    return WatchReport(stack, sites, problem)


_EXIT_HELP = (
    f"Exit codes: {EXIT_COMPLIANT} compliant and no drift; {EXIT_DRIFT} drift, still compliant; "
    f"{EXIT_BROKEN} compliance broken; {EXIT_USAGE} usage or configuration error (unknown stack, no backend "
    "login, no Piwik PRO credentials)."
)


@main.command("watch", epilog=_EXIT_HELP)
@_common.stack_option()
@_common.cwd_option
@_common.json_option("the report")
@click.option("--markdown", "as_markdown", is_flag=True, help="Print the report as Markdown (an issue body).")
@_common.one_error_path
def watch(stack: str, cwd: Path | None, as_json: bool, as_markdown: bool) -> None:
    """Find drift on the live values of STACK, judge every requirement, and name who made each change.

    Run it in the Pulumi project directory, on the stack's backend, like `pulumi`. Reads only: nothing is
    written to Piwik PRO or to the stack's state. Tag Manager changes are not in Piwik PRO's audit log
    ("no audit entry").
    """
    if as_json and as_markdown:
        raise click.UsageError("--json and --markdown exclude each other: choose one")
    report = run_watch(stack, cwd)
    if as_json:
        click.echo(json.dumps(render.as_json(report), indent=2, default=str))
    elif as_markdown:
        click.echo(render.as_markdown(report))
    else:
        click.echo(render.as_text(report))
        if report.audit_problem:
            click.echo(f"warning: {report.audit_problem}; changes are shown without attribution", err=True)
    sys.exit(report.exit_code)
