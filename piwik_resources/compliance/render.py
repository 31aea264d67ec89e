"""A compliance report as Markdown, and the open questions every report lists."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .judge import report_order
from .requirements import BY_NUMBER, PROFILE_NOTES
from .sources import SOURCE_QUALITY


def render_markdown(
    title: str, rows: Iterable[Mapping[str, Any]], open_questions: Iterable[str] = (), profile: str | None = None
) -> str:
    """A compliance report as a Markdown table (rows as produced by ``ReportRow.as_dict``), broken rows first.

    The source of each row and its quality are looked up by number (not stored in every stack's state).
    """
    lines = [f"### {title}", ""]
    if profile:
        lines += [f"Criteria profile `{profile}`: {PROFILE_NOTES.get(profile, 'unknown profile')}.", ""]
    lines += [
        f"Source quality: {SOURCE_QUALITY}.",
        "",
        "| # | Requirement | Status | Source | Detail |",
        "|---|---|---|---|---|",
    ]
    for r in sorted(rows, key=lambda r: report_order(r["status"], r["number"])):
        detail = str(r["detail"]).replace("|", "\\|").replace("\n", " ")
        req = BY_NUMBER[int(r["number"])]
        source = f"{req.quality} {req.cited_source}".replace("|", "\\|")
        lines.append(f"| {r['number']} | {r['requirement']} | {r['status']} | {source} | {detail} |")
    questions = list(open_questions)
    if questions:
        lines += ["", "Open questions (not published by Piwik PRO):"]
        lines += [f"- {q}" for q in questions]
    return "\n".join(lines) + "\n"


OPEN_QUESTIONS: tuple[str, ...] = (
    "What the app flag `cnil: true` changes server-side is not documented.",
    "Whether a Consent Manager template API exists for an account is not documented (none is published).",
    'Whether the UI\'s "exact URL matching" is more than `exclude_unknown_urls` (a "starts with" rule).',
    "Whether Piwik PRO extends a cookie's lifetime on each visit is not published.",
    "Whether Piwik PRO's cookieless mode drops campaign data for visitors who did not consent is not published "
    "(hence the cnil-2025 profile empties the campaign parameters for everyone).",
    "The CNIL's self-assessment tool itself was not available to this project: rows marked [S] follow restatements.",
)
