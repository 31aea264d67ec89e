"""`piwik-cnil evidence`: a dated, self-contained dossier of a stack's CNIL exemption that a DPO can sign.

For every site of the stack it judges each requirement with compliance.judge_site on the values read live from
Piwik PRO at that moment (the read-only snapshot of _live.py: the resources' own adapters' reads), and writes,
into ``--out``, one JSON document (the content and the SHA-256 of its canonical form), a Markdown rendering and
one printable HTML page without external assets (_dossier.py). Each site lists its requirements with source and
source quality, live value, rule and status; its attestations with who attested and when; and the audit-log
entries about its app since the previous dossier of the stack found in ``--out``.

Read-only: the Piwik PRO API is only read (GET; the token request aside) and the state only exported.
Exit codes: 0 every requirement holds or waits for a human; 1 the dossier was written and some requirement is
broken; 2 usage or configuration error (no dossier written).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from piwik_resources import compliance
from piwik_resources.api import PiwikClient, PiwikError
from piwik_resources.components.cnil_exempt_site import CnilExemptSiteArgs, declared_of
from piwik_resources.components.stack_config import NAMESPACE, StackConfigError, parse

from . import _dossier, _live, _pulumi
from . import main as cli_main

READ_ONLY_NOTE = (
    "this dossier was produced with GET requests to the Piwik PRO API only and a `pulumi stack export` of the "
    "state; nothing was written to either"
)
HASH_RULE = (
    "SHA-256 of the JSON value of `content`, serialised with sorted keys, no spaces (separators ',' and ':') and "
    "UTF-8 characters unescaped"
)


class ConfigurationError(click.ClickException):
    """A stack, state or connection that cannot be read: exit 2 (click's own error exits with 1)."""

    exit_code = 2


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def site_args(config: Mapping[str, Any]) -> dict[str, CnilExemptSiteArgs]:
    """The stack's sites as the program reads them (piwik-cnil:sites), by key: what no API answers."""
    raw = {key: config.get(f"{NAMESPACE}:{key}") for key in ("sites", "account")}
    parsed = parse({k: _decoded(v) for k, v in raw.items() if v is not None})
    return {s.key: s.args for s in parsed.sites}


def _decoded(value: Any) -> Any:
    # `pulumi config --json` gives an object's value as JSON text when objectValue is absent.
    if isinstance(value, str) and value[:1] in "[{":
        return json.loads(value)
    return value


def live_value(requirement: compliance.Requirement, live: compliance.LiveSite) -> dict[str, Any] | None:
    """The live values the requirement's rules judge (``Kind.property`` -> value), None when it has no rule."""
    rules = compliance.rules_for(requirement.key)
    if not rules:
        return None
    found: dict[str, Any] = {}
    for rule in rules:
        for kind in rule.resource_types:
            props = live.of(kind)
            if isinstance(props, Mapping) and rule.property in props:
                found[f"{kind}.{rule.property}"] = props[rule.property]
            elif isinstance(props, tuple):
                found[f"{kind}.{rule.property}"] = [p.get(rule.property) for p in props if isinstance(p, Mapping)]
    for path in requirement.reads:
        kind, _, prop = path.partition(".")
        props = live.of(kind)
        if isinstance(props, Mapping) and prop in props:
            found[path] = props[prop]
    return found


def rule_text(requirement: compliance.Requirement) -> str:
    """What the requirement is judged by: its rules' descriptions, its attestation, or its row judge."""
    rules = compliance.rules_for(requirement.key)
    if rules:
        return "; ".join(f"{r.description} [{r.name}{', advisory' if r.advisory else ''}]" for r in rules)
    if requirement.key in compliance.ROW_JUDGES:
        doc = (compliance.ROW_JUDGES[requirement.key].__doc__ or "").strip().splitlines()
        first = re.sub(r"^#\d+: ", "", doc[0]).replace("``", "") if doc else ""
        return first or "judged on the live objects"
    if requirement.attestation:
        return f"attested in attestations.{requirement.attestation}"
    return "a manual step"


def requirement_rows(live: compliance.LiveSite, declared: compliance.Declared) -> list[dict[str, Any]]:
    return dossier_rows(compliance.judge_site(live, declared), live)


def dossier_rows(reports: list[compliance.ReportRow], live: compliance.LiveSite) -> list[dict[str, Any]]:
    """The judged rows as the dossier prints them: each with its sources (mark, text, URL) and the live value."""
    rows = []
    for report in reports:
        req = compliance.BY_KEY[report.key]
        rows.append(
            {
                "number": req.number,
                "key": req.key,
                "requirement": req.title,
                "source": req.cited_source,
                "source_quality": req.quality,
                "source_urls": list(req.source_urls),
                "live_value": live_value(req, live),
                "rule": rule_text(req),
                "status": str(report.status),
                "detail": report.detail,
            }
        )
    return sorted(rows, key=lambda r: int(r["number"]))


def account_section(snap: _live.StackSnapshot, client: PiwikClient) -> dict[str, Any]:
    """The account-wide settings (the account's global tracker settings) judged: those of the stack's CnilAccount
    when it declares one, else read over the API (GET only) and marked as not managed by this stack."""
    group = next((g for g in snap.sites if g.key == _live.ACCOUNT), None)
    values = group.live.global_tracker_settings if group is not None else None
    managed = values is not None
    if values is None:
        adapter = _live.adapters()[compliance.ACCOUNT_TYPE]
        state = dict.fromkeys(compliance.properties_judged(compliance.ACCOUNT_TYPE))
        values = adapter.read(_live._ClientContext(client), "global", state)
    live = compliance.LiveSite(global_tracker_settings=values)
    note = (
        "the account's global tracker settings, managed by this stack's CnilAccount and read now"
        if managed
        else "the account's global tracker settings, read now; no CnilAccount of this stack manages them"
    )
    return {
        "managed_by_stack": managed,
        "note": note,
        "requirements": dossier_rows(compliance.judge_account(values), live),
    }


def attestation_rows(args: CnilExemptSiteArgs) -> list[dict[str, Any]]:
    att = args.attestations
    return [
        {
            "name": f"attestations.{req.attestation}",
            "requirement": req.number,
            "value": getattr(att, req.attestation),
            "attested_by": att.attested_by if getattr(att, req.attestation) is not None else None,
            "attested_on": att.attested_on if getattr(att, req.attestation) is not None else None,
        }
        for req in compliance.REQUIREMENTS
        if req.attestation
    ]


def audit_changes(client: PiwikClient, site_id: str | None, since: str | None) -> dict[str, Any]:
    """The audit-log entries about the site's app since ``since`` (the previous dossier), newest first."""
    scope = (
        "Piwik PRO's audit log covers Administration changes (apps, their settings), not Tag Manager, Analytics "
        "or Consent Manager ones"
    )
    if not site_id:
        return {"note": f"no app id in the state: no audit-log query. {scope}.", "entries": []}
    when = f"since the previous dossier ({since})" if since else "since the audit log's start (no previous dossier)"
    try:
        date_from = datetime.fromisoformat(since.replace("Z", "+00:00")) if since else None
        entries = list(client.audit_log.entries(subject_ids=[site_id], date_from=date_from))
    except PiwikError as err:
        return {"note": f"the audit log could not be read ({err}); owner permission is needed. {scope}.", "entries": []}
    rows = [
        {
            "created_at": _iso(e.created_at),
            "type": e.type,
            "author_email": e.author_email,
            "author_id": e.author_id,
            "subject_id": e.subject_id,
        }
        for e in entries
    ]
    return {
        "note": f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'} about app {site_id} {when}. {scope}.",
        "entries": rows,
    }


def site_section(
    site: _live.SiteSnapshot, args: CnilExemptSiteArgs, client: PiwikClient, since: str | None
) -> dict[str, Any]:
    declared = declared_of(args)
    rows = requirement_rows(site.live, declared)
    broken = [r["number"] for r in rows if r["status"] == compliance.Status.BROKEN]
    waiting = [r["number"] for r in rows if r["status"] in (compliance.Status.PENDING, compliance.Status.NOT_READ)]
    verdict = (
        f"BROKEN: requirement(s) {', '.join(map(str, broken))} broken on the live values"
        if broken
        else "no requirement broken on the live values"
        + (f"; waiting for a human or a read: {', '.join(map(str, waiting))}" if waiting else "")
    )
    return {
        "component": site.key,
        "site_name": site.name,
        "site_id": site.site_id,
        "cnil_profile": args.cnil_profile,
        "profile_note": compliance.PROFILE_NOTES[args.cnil_profile],
        "verdict": verdict,
        "broken": broken,
        "requirements": rows,
        "attestations": attestation_rows(args),
        "changes": audit_changes(client, site.site_id, since),
    }


def build_document(
    stack: str,
    generated_at: datetime,
    account: str,
    sites: list[dict[str, Any]],
    previous: Mapping[str, Any] | None,
    account_settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The dossier: ``content`` (everything a reader needs) and ``sha256`` of its canonical JSON."""
    content = {
        "format": _dossier.FORMAT,
        "stack": stack,
        "generated_at": _iso(generated_at),
        "account": account,
        "read_only": READ_ONLY_NOTE,
        "hash_rule": HASH_RULE,
        "source_quality": compliance.SOURCE_QUALITY,
        "previous": (
            {
                "file": previous["file"],
                "generated_at": previous["content"]["generated_at"],
                "sha256": previous["sha256"],
            }
            if previous
            else None
        ),
        "sites": sites,
        "account_settings": account_settings,
        "open_questions": list(compliance.OPEN_QUESTIONS),
    }
    return {"content": content, "sha256": _dossier.digest(content)}


def write_dossier(out_dir: Path, document: Mapping[str, Any]) -> dict[str, Path]:
    content = document["content"]
    stem = _dossier.file_stem(content["stack"], content["generated_at"])
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {ext: out_dir / f"{stem}.{ext}" for ext in ("json", "md", "html")}
    paths["json"].write_text(json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    paths["md"].write_text(_dossier.render_markdown(document))
    paths["html"].write_text(_dossier.render_html(document))
    return paths


def collect(stack: str, cwd: Path | None, out_dir: Path, now: datetime) -> dict[str, Any]:
    """Read the stack and Piwik PRO (read-only) and return the dossier document."""
    state = _pulumi.stack_state(stack, cwd)
    config = _pulumi.stack_config(stack, cwd)
    args = site_args(config)
    previous = _dossier.previous_dossier(out_dir, stack)
    since = previous["content"]["generated_at"] if previous else None
    conn = _live.connection_of(config)
    with _live.client_for(conn) as client:
        snap = _live.snapshot(stack, state, client)
        sites = [site_section(site, args[site.key], client, since) for site in snap.sites if site.key in args]
        account_settings = account_section(snap, client)
    return build_document(stack, now, conn.base_url, sites, previous, account_settings)


@cli_main.command("evidence")
@click.option("--stack", required=True, help="The Pulumi stack, as `pulumi --stack NAME` means it.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of the dossiers (created if missing); the previous dossier of the stack is looked up there.",
)
@click.option(
    "--cwd",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The Pulumi project directory (default: the current directory).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the files written, the SHA-256 and each site's verdict.")
def evidence(stack: str, out_dir: Path, cwd: Path | None, as_json: bool) -> None:
    """Write a dated evidence dossier of STACK's CNIL exemption (JSON, Markdown, one printable HTML page).

    Exit 0: nothing broken; 1: the dossier is written and a requirement is broken; 2: configuration error.
    """
    try:
        document = collect(stack, cwd, out_dir, _now())
    except (_pulumi.PulumiCliError, _live.LiveSnapshotError, StackConfigError, PiwikError) as err:
        raise ConfigurationError(str(err)) from None
    paths = write_dossier(out_dir, document)
    sites = document["content"]["sites"]
    summary = {
        "files": {ext: str(path) for ext, path in paths.items()},
        "sha256": document["sha256"],
        "sites": {s["component"]: {"verdict": s["verdict"], "broken": s["broken"]} for s in sites},
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(f"dossier of stack {stack}: {paths['html']} (also .json, .md); SHA-256 {document['sha256']}")
        for s in sites:
            click.echo(f"  {s['component']}: {s['verdict']}")
    account_broken = [
        r["number"]
        for r in (document["content"].get("account_settings") or {}).get("requirements", [])
        if r["status"] == compliance.Status.BROKEN
    ]
    if any(s["broken"] for s in sites) or account_broken:
        raise SystemExit(1)
