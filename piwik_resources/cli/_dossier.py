"""The evidence dossier as documents: one JSON content, its SHA-256, and the Markdown and HTML views of it.

The JSON content is the dossier; the Markdown and the HTML page are renderings of exactly that content, so a
reader who checks the SHA-256 printed in either view against the JSON file knows all three say the same thing.
The HTML page is self-contained (inline CSS, no script, no image, no external link target is fetched) so that
it prints and archives as one file.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

#: 2: the host (``host``: a Piwik PRO account or the emulator), the seal's scope (``seal``) and the signer
#: (``signature``) replaced 1's ``account``.
FORMAT = 2
#: A dossier's file names: evidence-<stack>-<UTC timestamp>.<ext>; the timestamp sorts as text.
NAME_PATTERN = re.compile(r"^evidence-(?P<stack>.+)-(?P<stamp>\d{8}T\d{6}Z)\.json$")


def canonical(content: Mapping[str, Any]) -> bytes:
    """The bytes the SHA-256 is taken of: sorted keys, no spaces, UTF-8 (any reader can recompute them)."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()


def file_text(document: Mapping[str, Any]) -> str:
    """The JSON file's text, as `piwik-cnil evidence` writes it and `evidence verify` expects it byte for byte."""
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def verify(document: Mapping[str, Any]) -> bool:
    """True when a dossier JSON file's ``sha256`` matches its ``content`` (nobody edited it since)."""
    content = document.get("content")
    return isinstance(content, Mapping) and document.get("sha256") == digest(content)


def file_stem(stack: str, generated_at: str) -> str:
    """``evidence-<stack>-20260101T120000Z`` from an ISO timestamp such as ``2026-01-01T12:00:00Z``."""
    stamp = re.sub(r"[-:]", "", generated_at).split(".")[0].removesuffix("Z") + "Z"
    return f"evidence-{stack}-{stamp}"


def previous_dossier(out_dir: Path, stack: str) -> dict[str, Any] | None:
    """The latest earlier dossier of this stack in ``out_dir`` (its JSON document), or None."""
    found: list[tuple[str, Path]] = []
    for path in out_dir.glob(f"evidence-{stack}-*.json") if out_dir.is_dir() else []:
        match = NAME_PATTERN.match(path.name)
        if match and match["stack"] == stack:
            found.append((match["stamp"], path))
    for _stamp, path in sorted(found, reverse=True):
        try:
            document = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(document, dict) and isinstance(document.get("content"), dict):
            document["file"] = path.name
            return document
    return None


def value_text(value: Any) -> str:
    """A live value as the report shows it: JSON; ``—`` for a row no rule judges (an attestation, or a row
    judge whose detail names the live objects)."""
    if value is None:
        return "—"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _md(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(document: Mapping[str, Any]) -> str:
    content, sha = document["content"], document["sha256"]
    lines = [
        f"# CNIL exemption evidence — stack `{content['stack']}`",
        "",
        f"- Generated: {content['generated_at']} by `piwik-cnil evidence` (dossier format {content['format']})",
        f"- Host: {content['host']['label']}",
        f"- SHA-256 of the JSON content: `{sha}` (recompute: {content['hash_rule']})",
        f"- Seal: {content['seal']}",
        f"- Signature: {signature_text(content)}",
        f"- Previous dossier: {_previous_text(content)}",
        f"- Read-only: {content['read_only']}",
        "",
        f"Source quality: {content['source_quality']}.",
    ]
    for site in content["sites"]:
        lines += _site_markdown(site)
    lines += _account_markdown(content.get("account_settings"))
    lines += ["", "## Open questions (not published by Piwik PRO)", ""]
    lines += [f"- {q}" for q in content["open_questions"]]
    return "\n".join(lines) + "\n"


def signature_text(content: Mapping[str, Any]) -> str:
    signer = content.get("signature")
    if not signer:
        return "none (unsigned)"
    return (
        f"{signer['algorithm']}, by the key {signer['public_key_fingerprint']}, in the file beside the JSON "
        "(`piwik-cnil evidence verify` checks it)"
    )


def _previous_text(content: Mapping[str, Any]) -> str:
    previous = content.get("previous")
    if not previous:
        return "none in the output directory (changes are listed from the audit log's start)"
    return f"{previous['file']} of {previous['generated_at']} (SHA-256 {previous['sha256']})"


REQUIREMENT_HEADERS = ("#", "Requirement", "Source", "Live value (read at generation)", "Rule", "Status")


def _requirements_markdown(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    lines = ["| " + " | ".join(REQUIREMENT_HEADERS) + " |", "|" + "---|" * len(REQUIREMENT_HEADERS)]
    for r in rows:
        lines.append(
            f"| {r['number']} | {_md(r['requirement'])} | {r['source_quality']} — {_md(r['source'])} | "
            f"{_md(value_text(r['live_value']))} | {_md(r['rule'])} | **{r['status']}** {_md(r['detail'])} |"
        )
    return lines


def _account_markdown(account: Mapping[str, Any] | None) -> list[str]:
    """The account section: the account-wide requirements on the account's global tracker settings."""
    if not account:
        return []
    return [
        "",
        "## Account-wide settings",
        "",
        f"{account['note']}.",
        "",
        *_requirements_markdown(account["requirements"]),
    ]


def _site_markdown(site: Mapping[str, Any]) -> list[str]:
    lines = [
        "",
        f"## Site {site['site_name']}",
        "",
        f"- App id: `{site['site_id']}`; component `{site['component']}`",
        f"- Criteria profile: `{site['cnil_profile']}` — {site['profile_note']}",
        f"- Verdict: {site['verdict']}",
        "",
        *_requirements_markdown(site["requirements"]),
    ]
    lines += ["", "### Attestations", "", "| Attestation | Value | Attested by | Attested on |", "|---|---|---|---|"]
    for a in site["attestations"]:
        lines.append(
            f"| {a['name']} | {_md(value_text(a['value']))} | {_md(a['attested_by'] or '—')} | "
            f"{a['attested_on'] or '—'} |"
        )
    lines += ["", "### Changes since the previous dossier (audit log)", ""]
    lines += _changes_markdown(site["changes"])
    return lines


def _changes_markdown(changes: Mapping[str, Any]) -> list[str]:
    lines = [f"{changes['note']}", ""]
    entries = changes.get("entries") or []
    if not entries:
        return [*lines, "No entry."]
    lines += ["| When | Event | Author | Subject |", "|---|---|---|---|"]
    for e in entries:
        lines.append(
            f"| {e['created_at']} | {_md(e['type'])} | {_md(e.get('author_email') or e.get('author_id') or '—')} "
            f"| {e.get('subject_id') or '—'} |"
        )
    return lines


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em;color:#111;line-height:1.35}
h1{font-size:1.5em}h2{font-size:1.25em;margin-top:2em;border-bottom:2px solid #333}h3{font-size:1.05em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-size:.85em}
th,td{border:1px solid #999;padding:.3em .45em;text-align:left;vertical-align:top}
th{background:#eee}code{font-size:.9em;word-break:break-all}
.s-broken,.s-refused{background:#fdd}.s-pending{background:#ffe9b3}.s-ok{background:#e3f5e3}
.meta li{margin:.15em 0}
@media print{body{margin:1cm}h2{page-break-before:always}tr{page-break-inside:avoid}}
"""


def _h(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _status_class(status: str) -> str:
    lowered = status.lower()
    if "broken" in lowered or "refused" in lowered or "not held" in lowered:
        return "s-broken"
    if "pending" in lowered:
        return "s-pending"
    return "s-ok"


def _table(headers: Iterable[str], rows: Iterable[tuple[str, Iterable[str]]]) -> str:
    head = "".join(f"<th>{_h(h)}</th>" for h in headers)
    body = "".join(f'<tr class="{cls}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>" for cls, cells in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(document: Mapping[str, Any]) -> str:
    """One printable page with everything inline; every text is HTML-escaped."""
    content, sha = document["content"], document["sha256"]
    title = f"CNIL exemption evidence — stack {content['stack']}"
    meta = [
        f"Generated: {_h(content['generated_at'])} by <code>piwik-cnil evidence</code>",
        f"Host: {_h(content['host']['label'])}",
        f"SHA-256 of the JSON content: <code>{_h(sha)}</code> ({_h(content['hash_rule'])})",
        f"Seal: {_h(content['seal'])}",
        f"Signature: {_h(signature_text(content))}",
        f"Previous dossier: {_h(_previous_text(content))}",
        f"Read-only: {_h(content['read_only'])}",
    ]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_h(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{_h(title)}</h1>",
        '<ul class="meta">' + "".join(f"<li>{m}</li>" for m in meta) + "</ul>",
        f"<p>Source quality: {_h(content['source_quality'])}.</p>",
    ]
    for site in content["sites"]:
        parts.append(_site_html(site))
    account = content.get("account_settings")
    if account:
        parts.append(
            f"<h2>Account-wide settings</h2><p>{_h(account['note'])}.</p>{_requirements_html(account['requirements'])}"
        )
    parts.append("<h2>Open questions (not published by Piwik PRO)</h2><ul>")
    parts += [f"<li>{_h(q)}</li>" for q in content["open_questions"]]
    parts.append("</ul></body></html>")
    return "\n".join(parts) + "\n"


def _requirements_html(rows: Iterable[Mapping[str, Any]]) -> str:
    return _table(
        REQUIREMENT_HEADERS,
        (
            (
                _status_class(str(r["status"])),
                (
                    _h(r["number"]),
                    _h(r["requirement"]),
                    f"{_h(r['source_quality'])} — {_h(r['source'])}",
                    f"<code>{_h(value_text(r['live_value']))}</code>",
                    _h(r["rule"]),
                    f"<b>{_h(r['status'])}</b> {_h(r['detail'])}",
                ),
            )
            for r in rows
        ),
    )


def _site_html(site: Mapping[str, Any]) -> str:
    requirements = _requirements_html(site["requirements"])
    attestations = _table(
        ("Attestation", "Value", "Attested by", "Attested on"),
        (
            (
                "s-ok" if a["value"] not in (None, False) else "s-pending",
                (_h(a["name"]), _h(value_text(a["value"])), _h(a["attested_by"] or "—"), _h(a["attested_on"] or "—")),
            )
            for a in site["attestations"]
        ),
    )
    changes = site["changes"]
    entries = changes.get("entries") or []
    change_table = (
        _table(
            ("When", "Event", "Author", "Subject"),
            (
                (
                    "s-ok",
                    (
                        _h(e["created_at"]),
                        _h(e["type"]),
                        _h(e.get("author_email") or e.get("author_id") or "—"),
                        _h(e.get("subject_id") or "—"),
                    ),
                )
                for e in entries
            ),
        )
        if entries
        else "<p>No entry.</p>"
    )
    return (
        f"<h2>Site {_h(site['site_name'])}</h2>"
        f'<ul class="meta"><li>App id: <code>{_h(site["site_id"])}</code>; component '
        f"<code>{_h(site['component'])}</code></li>"
        f"<li>Criteria profile: <code>{_h(site['cnil_profile'])}</code> — {_h(site['profile_note'])}</li>"
        f"<li>Verdict: {_h(site['verdict'])}</li></ul>"
        f"{requirements}<h3>Attestations</h3>{attestations}"
        f"<h3>Changes since the previous dossier (audit log)</h3><p>{_h(changes['note'])}</p>{change_table}"
    )
