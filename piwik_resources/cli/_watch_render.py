"""How `piwik-cnil watch` shows its report: text for a terminal, JSON for machines, Markdown for an issue body."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from piwik_resources.api import AuditLogEntry
from piwik_resources.compliance import Status

from ._live import ACCOUNT

if TYPE_CHECKING:
    from .watch import Change, Drift, Reach, SiteWatch, WatchReport

#: What a drift shows when the audit log holds nothing that explains it.
NO_AUDIT_ENTRY = "no audit entry"


def show(value: Any) -> str:
    """A value as the config spells it (``True``, ``'City'``, ``2``), cut to 100 characters."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = repr(value)
    return text if len(text) <= 100 else text[:99] + "…"


def entry_text(entry: AuditLogEntry) -> str:
    who = entry.author_email or f"author {entry.author_id or 'unknown'}"
    where = f" from {entry.ip}" if entry.ip else ""
    return f"by {who}{where} at {entry.created_at.isoformat()} ({entry.type})"


def entry_json(entry: AuditLogEntry) -> dict[str, Any]:
    return {
        "author_email": entry.author_email,
        "author_id": entry.author_id,
        "ip": entry.ip,
        "created_at": entry.created_at.isoformat(),
        "type": entry.type,
        "payload": entry.payload,
    }


def _attribution(drift: Drift, audit_read: bool) -> list[str]:
    if not audit_read:
        return ["(audit log not read: no attribution)"]
    if not drift.audit:
        why = " (Tag Manager changes are not in the audit log)" if drift.resource.type.startswith("Tag") else ""
        return [NO_AUDIT_ENTRY + why]
    return [entry_text(e) for e in drift.audit]


def reach_text(reach: Reach) -> str:
    """What an account-wide drift does to one site: the value its app reads, and where that value comes from."""
    where = f"site {reach.site}" + (f" (app {reach.site_id})" if reach.site_id else "")
    if reach.weakened:
        return f"{where} reads {show(reach.live)}: the account's new value, which the app inherits (not its own)"
    own = "its own value, pinned" if reach.pinned else "its value, not recorded as pinned (it may be inherited)"
    return f"{where} reads {show(reach.live)}: {own}"


def _site_title(site: SiteWatch) -> str:
    snap = site.site
    if snap.key == ACCOUNT:
        return "Account-wide settings"
    if not site.judged:
        return f"Resources outside any CnilExemptSite on app {snap.site_id} ({snap.name})"
    return f"Site {snap.key} — {snap.name} (app {snap.site_id})"


def _quiet_text(site: SiteWatch) -> str:
    """What a group with no drift and nothing broken shows on one line."""
    if not site.judged:
        return "no drift (not judged: no CnilExemptSite declares this app exempt)"
    return "no drift, every requirement as declared"


def declared_json(site: SiteWatch) -> dict[str, Any] | None:
    """What the site was judged with (its CnilExemptSite's record) and the rows waiting; None when not a site."""
    record = site.site.record
    if not site.site.is_site or record is None:
        return None
    return {
        "cnil_profile": record.cnil_profile,
        "attested_by": record.attestations.attested_by,
        "attested_on": record.attestations.attested_on,
        "waiting": [{"number": r.number, "status": str(r.status)} for r in site.waiting],
    }


def _change_text(change: Change) -> str:
    after = change.after
    return f"#{after.number} {after.requirement}: {change.before.status} → {after.status}"


def as_text(report: WatchReport) -> str:
    lines = [f"piwik-cnil watch: stack {report.stack} — {report.verdict} (exit {report.exit_code})"]
    if report.audit_problem:
        lines.append(f"audit log: {report.audit_problem}")
    for site in report.sites:
        if not (site.drifts or site.changes or site.broken):
            lines.append(f"{_site_title(site)}: {_quiet_text(site)}")
            continue
        lines.append(_site_title(site))
        if site.drifts:
            lines.append("  drift (declared → live):")
        for drift in site.drifts:
            lines.append(f"    {drift.resource.type} {drift.property}: {show(drift.declared)} → {show(drift.live)}")
            lines += [f"      {text}" for text in _attribution(drift, report.audit_problem is None)]
            lines += [f"      {reach_text(r)}" for r in drift.reach]
        if site.changes:
            lines.append("  requirements whose status changed:")
        for change in site.changes:
            lines.append(f"    {_change_text(change)}")
            if change.after.status == Status.BROKEN:
                lines.append(f"      {change.after.detail}")
        for row in site.broken:
            if all(c.after.number != row.number for c in site.changes):
                lines.append(f"    #{row.number} {row.requirement}: broken — {row.detail}")
    return "\n".join(lines)


def _drift_json(drift: Drift) -> dict[str, Any]:
    return {
        "resource_type": drift.resource.type,
        "resource": drift.resource.name,
        "urn": drift.resource.urn,
        "property": drift.property,
        "declared": drift.declared,
        "live": drift.live,
        "audit": [entry_json(e) for e in drift.audit],
        "sites": [dataclasses.asdict(r) for r in drift.reach],
    }


def as_json(report: WatchReport) -> dict[str, Any]:
    return {
        "stack": report.stack,
        "verdict": report.verdict,
        "exit_code": report.exit_code,
        "audit_log": "read" if report.audit_problem is None else "not read",
        "audit_problem": report.audit_problem,
        "sites": [
            {
                "key": s.site.key,
                "name": s.site.name,
                "site_id": s.site.site_id,
                "judged": s.judged,
                "declared": declared_json(s),
                "drift": [_drift_json(d) for d in s.drifts],
                "requirement_changes": [
                    {**c.after.as_dict(), "before": str(c.before.status), "after": str(c.after.status)}
                    for c in s.changes
                ],
                "broken": [r.as_dict() for r in s.broken],
            }
            for s in report.sites
        ],
    }


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _site_markdown(site: SiteWatch, audit_read: bool) -> list[str]:
    lines = [f"### {_site_title(site)}", ""]
    if site.drifts:
        header = "| Resource | Property | Declared | Live | Audit log (account-wide: each site) |"
        lines += [header, "|---|---|---|---|---|"]
        for d in site.drifts:
            who = "<br>".join(_cell(t) for t in [*_attribution(d, audit_read), *map(reach_text, d.reach)])
            lines.append(f"| {d.resource.type} | `{d.property}` | `{show(d.declared)}` | `{show(d.live)}` | {who} |")
        lines.append("")
    if site.changes:
        lines += ["| # | Requirement | Before | Now | Detail |", "|---|---|---|---|---|"]
        for c in site.changes:
            a = c.after
            lines.append(
                f"| {a.number} | {_cell(a.requirement)} | {c.before.status} | **{a.status}** | {_cell(a.detail)} |"
            )
        lines.append("")
    if not (site.drifts or site.changes):
        lines += [f"{_quiet_text(site).capitalize()}.", ""]
    return lines


def as_markdown(report: WatchReport) -> str:
    lines = [f"## CNIL compliance watch — stack `{report.stack}`: {report.verdict}", ""]
    if report.audit_problem:
        lines += [f"> Audit log: {report.audit_problem}; changes are shown without attribution.", ""]
    for site in report.sites:
        lines += _site_markdown(site, report.audit_problem is None)
    lines.append(f"Exit code {report.exit_code}. Run `piwik-cnil watch --stack {report.stack}` to see it again.")
    return "\n".join(lines) + "\n"
