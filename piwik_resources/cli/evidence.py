"""`piwik-cnil evidence`: a dated, self-contained dossier of a stack's CNIL exemption that anyone can verify.

For every CnilExemptSite of the stack's state — whatever program declared it: Python, the stack config
`piwik-cnil:sites`, or YAML through the provider plugin — it judges each requirement with compliance.judge_site on
the values read live at that moment (the read-only snapshot of _live.py: the resources' own adapters' reads) and on
what the site recorded of what no API answers (its profile, attestations with who and when, identifier patterns:
compliance/record.py), and writes, into ``--out``, one JSON document (the content and the SHA-256 of its canonical
form), a Markdown rendering and one printable HTML page without external assets (_dossier.py). The content names
the host (a Piwik PRO account, or the emulator, which says so itself: _host.py). With ``--sign-key FILE`` it also
signs the canonical JSON with Ed25519 into ``<dossier>.json.sig`` (_signature.py); ``piwik-cnil evidence verify``
checks a dossier (_verify.py). Each site lists its requirements with source and source quality, live value, rule
and status; its attestations with who attested and when; and the audit-log entries about its app since the
previous dossier of the stack found in ``--out``.

Read-only: the API is only read (GET; the token request aside) and the state only exported. Exit codes: 0 every
requirement holds or waits for a human; 1 the dossier was written and some requirement is broken; 2 usage or
configuration error, or no CnilExemptSite in the stack (no dossier written).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from piwik_resources import compliance
from piwik_resources.api import PiwikClient, PiwikError

from . import _common, _dossier, _live, _pulumi, _signature, _verify
from . import main as cli_main
from ._host import Host

HASH_RULE = (
    "SHA-256 of the JSON value of `content`, serialised with sorted keys, no spaces (separators ',' and ':') and "
    "UTF-8 characters unescaped"
)
SEAL = (
    "the SHA-256 is stored in this same file: it shows that the content is as written unless someone recomputed "
    "it, which anyone can, so on its own it catches an accidental edit, not a deliberate one. A signature (Ed25519, "
    "in the .sig file beside the JSON) shows who made the content: only the holder of the private key can make one "
    "that the public key accepts; `piwik-cnil evidence verify DOSSIER.json --key PUB` checks both"
)


def read_only_note(host: Host) -> str:
    return (
        f"this dossier was produced with GET requests to {host.api} only and a `pulumi stack export` of the state; "
        "nothing was written to either"
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def account_broken(section: Mapping[str, Any] | None) -> list[int]:
    """The broken account-wide requirements that fail the dossier: only when this stack's CnilAccount manages the
    account. Otherwise the section informs (each site's values are its own, pinned: docs/resources.md), as the
    values of an account nobody in this stack declared are not this stack's to keep."""
    if not section or not section.get("managed_by_stack"):
        return []
    return [int(r["number"]) for r in section.get("requirements", []) if r["status"] == compliance.Status.BROKEN]


def attestation_rows(att: compliance.Attestations) -> list[dict[str, Any]]:
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


def site_section(site: _live.SiteSnapshot, client: PiwikClient, since: str | None) -> dict[str, Any]:
    """One CnilExemptSite's section: judged on its live values and on what it recorded (its ``Declared``)."""
    declared = site.declaration()
    rows = requirement_rows(site.live, declared)
    broken = [r["number"] for r in rows if r["status"] == compliance.Status.BROKEN]
    waiting = [r["number"] for r in rows if r["status"] in compliance.WAITING]
    verdict = (
        f"BROKEN: requirement(s) {', '.join(map(str, broken))} broken on the live values"
        if broken
        else "no requirement broken on the live values"
        + (f"; waiting for a human or a read: {', '.join(map(str, waiting))}" if waiting else "")
    )
    return {
        "component": site.key,
        "component_urn": site.component,
        "site_name": site.name,
        "site_id": site.site_id,
        "cnil_profile": declared.cnil_profile,
        "profile_note": compliance.PROFILE_NOTES[declared.cnil_profile],
        "verdict": verdict,
        "broken": broken,
        "requirements": rows,
        "attestations": attestation_rows(declared.attestations),
        "changes": audit_changes(client, site.site_id, since),
    }


def build_document(
    stack: str,
    generated_at: datetime,
    host: Host,
    sites: list[dict[str, Any]],
    previous: Mapping[str, Any] | None,
    signer: Mapping[str, str] | None = None,
    account_settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The dossier: ``content`` (everything a reader needs) and ``sha256`` of its canonical JSON.

    ``signer``: the signing key's algorithm and fingerprint (_signature.signer), sealed with the content.
    """
    content = {
        "format": _dossier.FORMAT,
        "stack": stack,
        "generated_at": _iso(generated_at),
        "host": host.as_dict(),
        "read_only": read_only_note(host),
        "hash_rule": HASH_RULE,
        "seal": SEAL,
        "signature": dict(signer) if signer else None,
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


def write_dossier(out_dir: Path, document: Mapping[str, Any], key: Ed25519PrivateKey | None = None) -> dict[str, Path]:
    """The JSON, Markdown and HTML files (and, with ``key``, the detached signature of the canonical JSON)."""
    content = document["content"]
    stem = _dossier.file_stem(content["stack"], content["generated_at"])
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {ext: out_dir / f"{stem}.{ext}" for ext in ("json", "md", "html")}
    paths["json"].write_text(_dossier.file_text(document))
    paths["md"].write_text(_dossier.render_markdown(document))
    paths["html"].write_text(_dossier.render_html(document))
    if key is not None:
        paths["sig"] = paths["json"].with_name(paths["json"].name + _signature.SUFFIX)
        signature = _signature.sign(key, _dossier.canonical(content), document["sha256"])
        paths["sig"].write_text(json.dumps(signature, indent=2, sort_keys=True) + "\n")
    return paths


def collect(
    stack: str, cwd: Path | None, out_dir: Path, now: datetime, key: Ed25519PrivateKey | None = None
) -> dict[str, Any]:
    """Read the stack and the API (read-only) and return the dossier document; CommandError when no site."""
    state = _pulumi.stack_state(stack, cwd)
    conn = _live.connection_of(_pulumi.stack_config(stack, cwd))
    previous = _dossier.previous_dossier(out_dir, stack)
    since = previous["content"]["generated_at"] if previous else None
    with _live.client_for(conn) as client:
        snap = _live.snapshot(stack, state, client)
        nothing = snap.no_site("a dossier")
        if nothing:
            raise _common.CommandError(f"{nothing}. No dossier written.")
        sites = [site_section(site, client, since) for site in snap.sites if site.is_site]
        host = Host.of(client)
        account_settings = account_section(snap, client)
    signer = _signature.signer(key) if key else None
    return build_document(stack, now, host, sites, previous, signer, account_settings)


_EXIT_HELP = (
    "Exit codes: 0 the dossier is written and no requirement is broken; 1 it is written and a requirement is "
    "broken; 2 usage or configuration error, or no CnilExemptSite in the stack (nothing written). "
    "`evidence verify`: 0 intact; 1 changed (content, bytes or signature), or not signed by --key; 2 usage error."
)


@cli_main.group("evidence", invoke_without_command=True, subcommand_metavar="[verify DOSSIER.json]", epilog=_EXIT_HELP)
@_common.stack_option(required=False, without="needed to write a dossier")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of the dossiers (created if missing); the previous dossier of the stack is looked up there.",
)
@_common.cwd_option
@click.option(
    "--sign-key",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="An Ed25519 private key (PEM or OpenSSH, unencrypted): sign the dossier's canonical JSON into "
    "<dossier>.json.sig and name the key's fingerprint in the dossier.",
)
@_common.json_option("the files written, the SHA-256 and each site's verdict")
@click.pass_context
@_common.one_error_path
def evidence(
    ctx: click.Context,
    stack: str | None,
    out_dir: Path | None,
    cwd: Path | None,
    sign_key: Path | None,
    as_json: bool,
) -> None:
    """Write a dated evidence dossier of STACK's CNIL exemption (JSON, Markdown, one printable HTML page).

    Every CnilExemptSite of the stack's state is judged, whatever program declared it. `evidence verify
    DOSSIER.json [--key PUB]` checks a dossier's hash, bytes and signature.
    """
    if ctx.invoked_subcommand is not None:
        if stack or out_dir or sign_key:
            raise click.UsageError("`evidence verify` takes only DOSSIER.json, --key and --json")
        return
    if stack is None or out_dir is None:
        raise click.UsageError(f"Missing option '{'--stack' if stack is None else '--out'}'.")
    key = _signature.load_private_key(sign_key) if sign_key is not None else None
    document = collect(stack, cwd, out_dir, _now(), key)
    paths = write_dossier(out_dir, document, key)
    sites = document["content"]["sites"]
    summary = {
        "files": {ext: str(path) for ext, path in paths.items()},
        "sha256": document["sha256"],
        "host": document["content"]["host"]["kind"],
        "signature": document["content"]["signature"],
        "sites": {s["component"]: {"verdict": s["verdict"], "broken": s["broken"]} for s in sites},
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(f"dossier of stack {stack}: {paths['html']} (also .json, .md); SHA-256 {document['sha256']}")
        if key is not None:
            signer = document["content"]["signature"]
            click.echo(f"  signed: {paths['sig']} ({signer['algorithm']}, key {signer['public_key_fingerprint']})")
        for s in sites:
            click.echo(f"  {s['component']}: {s['verdict']}")
    if any(s["broken"] for s in sites) or account_broken(document["content"].get("account_settings")):
        raise SystemExit(_common.EXIT_FOUND)


@evidence.command("verify", epilog=_EXIT_HELP)
@click.argument("dossier", metavar="DOSSIER.json", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--key",
    "key_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    metavar="PUB",
    help="The signer's Ed25519 public key (PEM or OpenSSH): the signature must be this key's.",
)
@_common.json_option("the verdict")
@_common.one_error_path
def verify(dossier: Path, key_file: Path | None, as_json: bool) -> None:
    """Check DOSSIER.json: its SHA-256, its bytes, and its signature (<DOSSIER>.json.sig) — exit 1 on any change."""
    if not dossier.exists():
        raise _common.CommandError(f"{dossier}: no such file")
    key = _signature.load_public_key(key_file) if key_file is not None else None
    verdict = _verify.verify(dossier, key)
    click.echo(json.dumps(verdict.as_dict(), indent=2) if as_json else _verify.text(verdict))
    raise SystemExit(_common.EXIT_OK if verdict.ok else _common.EXIT_FOUND)
