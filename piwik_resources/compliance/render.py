"""A compliance report as Markdown, and the open questions every report lists."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .judge import report_order
from .requirements import BY_NUMBER, PROFILE_NOTES
from .sources import SOURCE_QUALITY


def render_markdown(
    title: str,
    rows: Iterable[Mapping[str, Any]],
    open_questions: Iterable[str] = (),
    profile: str | None = None,
    account: Iterable[Mapping[str, Any]] | None = None,
) -> str:
    """A compliance report as a Markdown table (rows as produced by ``ReportRow.as_dict``), broken rows first;
    ``account``: the account section's rows (``judge_account``), as a table of its own.

    The sources of each row and its mark are looked up by number (not stored in every stack's state).
    """
    lines = [f"### {title}", ""]
    if profile:
        lines += [f"Criteria profile `{profile}`: {PROFILE_NOTES.get(profile, 'unknown profile')}.", ""]
    lines += [f"Source marks: {SOURCE_QUALITY}.", "", *_table(rows)]
    if account is not None:
        lines += ["", "#### Account-wide settings (CnilAccount: the account's global tracker settings)", ""]
        lines += _table(account)
    questions = list(open_questions)
    if questions:
        lines += ["", "Open questions (not published by Piwik PRO):"]
        lines += [f"- {q}" for q in questions]
    return "\n".join(lines) + "\n"


def _table(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    lines = ["| # | Requirement | Status | Source | Detail |", "|---|---|---|---|---|"]
    for r in sorted(rows, key=lambda r: report_order(r["status"], r["number"])):
        detail = str(r["detail"]).replace("|", "\\|").replace("\n", " ")
        req = BY_NUMBER[int(r["number"])]
        source = f"{req.quality} — {req.cited_source}".replace("|", "\\|")
        lines.append(f"| {r['number']} | {r['requirement']} | {r['status']} | {source} | {detail} |")
    return lines


OPEN_QUESTIONS: tuple[str, ...] = (
    "What the app flag `cnil: true` changes server-side is not documented.",
    "Whether a Consent Manager template API exists for an account is not documented (none is published).",
    'Whether the UI\'s "exact URL matching" is more than `exclude_unknown_urls` (a "starts with" rule).',
    "Whether Piwik PRO extends a cookie's lifetime on each visit is not published (its help lists the visitor "
    "cookie as not extended).",
    "Whether Piwik PRO's session hash and fingerprint have a site-specific and a time component (a 2025 criterion) "
    "is not published.",
    "The Tag Manager's triggers and variables are not in the published API files: they are read at the paths of "
    "Piwik PRO's archived API reference, and a host that does not serve them leaves #4 not read.",
    "Whether Piwik PRO's cookieless mode drops campaign data for visitors who did not consent is not published "
    "(hence the cnil-2025 profile empties the campaign parameters for everyone).",
    "The CNIL's self-assessment tool itself was not available to this project: rows marked [S] follow restatements.",
)
