"""Markdown for a pull-request comment, from the parsed JSON of `pulumi preview --json` (a pure function)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from piwik_resources.providers.site import SiteAdapter
from piwik_resources.tokens import resource_types

from .delta import ComplianceDelta, Finding, RequirementDelta, compliance_delta
from .model import MASK, MISSING, OPS, UNKNOWN, Preview, PropertyChange, ResourceChange, parse

#: The first line of every comment; the workflow finds the comment to update by it.
MARKER = "<!-- pr-preview:{stack} -->"
MAX_VALUE = 160
#: GitHub refuses comments over 65,536 characters; resource sections past this budget are named, not shown.
MAX_COMMENT = 60_000

_ICON = {"create": "➕", "update": "✏️", "replace": "🔁", "delete": "➖"}
#: GitHub Markdown has no colour: a planned app deletion is marked "in red" by the red-circle emoji on its
#: section and by a `> [!CAUTION]` alert (which GitHub draws red) at the top of the comment.
RED = "🔴"
SITE_TYPES = resource_types(SiteAdapter.resource_type)


def deletes_an_app(change: ResourceChange) -> bool:
    """A Site delete or replace that deletes its app: an adopted app (``adopt_id``) is only forgotten."""
    if change.type not in SITE_TYPES or change.op not in ("delete", "replace"):
        return False
    return not (change.old_inputs or {}).get("adopt_id")


def app_deletion_alert(preview: Preview) -> list[str]:
    """The red alert listing every planned deletion of an app (and so of its analytics history)."""
    doomed = [c for c in preview.resources if deletes_an_app(c)]
    if not doomed:
        return []
    lines = [
        "> [!CAUTION]",
        f"> {RED} **This change deletes {len(doomed)} Piwik PRO app(s) and all their analytics history** "
        "(it cannot be undone):",
    ]
    for c in doomed:
        why = f" because {', '.join(_code(r) for r in c.replace_reasons)} changes" if c.replace_reasons else ""
        lines.append(f"> - {RED} {c.op} Site `{c.name}`{why}")
    lines += [
        "> ",
        "> It runs only where the program turned `deletion_protection` off for that site (a protected app makes the "
        "`up` or `destroy` fail before anything is deleted).",
        "",
    ]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _plain_json(value: Any) -> Any:
    if isinstance(value, str) and value == UNKNOWN:
        return "(known after apply)"
    if isinstance(value, Mapping):
        return {str(k): _plain_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_json(v) for v in value]
    return value


def value_text(value: Any) -> str:
    """One table cell's value: code span of compact JSON, `[secret]`, a dash for unset, or known-after-apply."""
    if value is MISSING:
        return "—"
    if isinstance(value, str) and value == MASK:
        return "`[secret]`"
    if isinstance(value, str) and value == UNKNOWN:
        return "_known after apply_"
    text = json.dumps(_plain_json(value), ensure_ascii=False, separators=(", ", ": "), default=str)
    if len(text) > MAX_VALUE:
        text = text[: MAX_VALUE - 1] + "…"
    return _cell(_code(text))


def summary_table(preview: Preview) -> list[str]:
    same = preview.counts.get("same", 0)
    other = sum(n for op, n in preview.counts.items() if op not in (*OPS, "same"))
    heads = ["Create", "Update", "Replace", "Delete", "Unchanged"] + (["Other"] if other else [])
    values = [preview.counts.get(op, 0) for op in OPS] + [same] + ([other] if other else [])
    return [
        "| " + " | ".join(heads) + " |",
        "|" + "---:|" * len(heads),
        "| " + " | ".join(str(v) for v in values) + " |",
    ]


def _finding(f: Finding) -> str:
    where = f"{f.resource_type} `{f.resource}` {_code(f.property)}"
    return f"{where} = {value_text(f.value)} (rule `{f.rule}`: {f.message})"


def _requirement(r: RequirementDelta) -> str:
    return f"#{r.requirement.number} {r.requirement.title}"


def delta_lines(delta: ComplianceDelta) -> list[str]:
    lines = ["### Compliance delta (CNIL consent exemption, docs/cnil-exemption.md)", ""]
    if not delta.changed and not delta.still_broken:
        lines.append("No requirement changes status: every rule of the policy pack holds before and after.")
    for r in delta.changed:
        if r.after:
            because = "; ".join(_finding(f) for f in r.after)
            lines.append(f"- ❌ **{_requirement(r)}**: compliant → **broken** by {because}")
        else:
            was = "; ".join(_finding(f) for f in r.before)
            lines.append(f"- ✅ **{_requirement(r)}**: broken → **compliant** (was broken by {was})")
    if delta.still_broken:
        if delta.changed:
            lines.append("")
        lines.append("Still broken (unchanged by this pull request):")
        for r in delta.still_broken:
            lines.append(f"- ❌ {_requirement(r)}: " + "; ".join(_finding(f) for f in r.after))
    if delta.advice:
        lines += ["", "Advisory (the policy pack warns; it does not stop the update):"]
        lines += [f"- ⚠️ #{f.requirement.number} {f.requirement.title}: {_finding(f)}" for f in delta.advice]
    if delta.unjudged:
        lines += ["", "Not judged in this preview:"]
        for u in delta.unjudged:
            lines.append(f"- {u.resource_type} `{u.resource}` {_code(u.prop)} (rule `{u.rule}`): {u.why}")
    return lines


def _property_row(change: ResourceChange, p: PropertyChange) -> str:
    name = _code(p.name) + (" 🔁" if p.forces_replacement else "")
    if change.op == "create":
        return f"| {name} | {value_text(p.new)} |"
    if change.op == "delete":
        return f"| {name} | {value_text(p.old)} |"
    note = " _(hidden; may have changed)_" if p.hidden else ""
    return f"| {name} | {value_text(p.old)} | {value_text(p.new)}{note} |"


def resource_section(change: ResourceChange) -> list[str]:
    icon = _ICON.get(change.op, "•")
    if deletes_an_app(change):
        icon = f"{RED} {icon}"
    lines = [f"#### {icon} {change.op} {change.short_type} `{change.name}`", ""]
    if deletes_an_app(change):
        lines += [f"{RED} **Deletes the app and all its analytics history.**", ""]
    if change.replace_reasons:
        lines += [
            "Replaced because " + ", ".join(_code(r) for r in change.replace_reasons) + " cannot change in place (🔁).",
            "",
        ]
    rows = list(change.properties)
    if not rows:
        empty = "_No inputs._" if change.op in ("create", "delete") else "_No visible property change._"
        lines += [empty, ""]
        return lines
    if change.op in ("create", "delete"):
        lines += ["| Property | Value |", "|---|---|"]
    else:
        lines += ["| Property | Before | After |", "|---|---|---|"]
    lines += [_property_row(change, p) for p in rows]
    lines.append("")
    return lines


def render(
    preview_json: Mapping[str, Any], *, stack: str, title: str | None = None, max_chars: int = MAX_COMMENT
) -> str:
    """The PR comment for one stack's preview (``preview_json`` = the parsed `pulumi preview --json` output)."""
    preview = parse(preview_json)
    delta = compliance_delta(preview)
    heading = title or f"Pulumi preview — stack `{stack}`"
    changed = [r for r in preview.resources if r.op in OPS]
    headline = f"**{delta.headline}**"
    if preview.errors:
        headline += " (the preview is incomplete: see its errors)"
    lines = [MARKER.format(stack=stack), f"## {heading}", "", headline, ""]
    lines += app_deletion_alert(preview)
    lines += summary_table(preview)
    lines.append("")
    if preview.errors:
        lines += ["### Preview errors", "", "The preview did not finish; the changes below may be incomplete.", ""]
        lines += ["```text", *[e.replace("```", "'''") for e in preview.errors], "```", ""]
    lines += delta_lines(delta)
    lines.append("")
    lines += ["### Changes", ""]
    components = [c for c in preview.components if c.op in OPS]
    if components:
        lines += [
            "Components: "
            + ", ".join(f"{_ICON[c.op]} {c.op} {c.short_type} `{c.name}`" for c in components)
            + " (they group the resources below and hold no Piwik PRO object).",
            "",
        ]
    if not changed:
        lines += ["No Piwik PRO resource changes.", ""]
    budget = max_chars - sum(len(line) + 1 for line in lines) - 2_000
    omitted: list[ResourceChange] = []
    for op in OPS:
        for change in (r for r in changed if r.op == op):
            section = resource_section(change)
            size = sum(len(line) + 1 for line in section)
            if omitted or size > budget:
                omitted.append(change)
                continue
            budget -= size
            lines += section
    if omitted:
        names = ", ".join(f"{c.op} {c.short_type} `{c.name}`" for c in omitted)
        lines += [f"_{len(omitted)} more change(s) not detailed (comment size limit): {names}._"[:4_000], ""]
    same = [r for r in preview.resources if r.op not in OPS]
    if same:
        lines += [f"<details><summary>{len(same)} resource(s) without changes</summary>", ""]
        lines += [f"- {r.short_type} `{r.name}` ({r.op})" for r in same]
        lines += ["", "</details>", ""]
    lines.append(
        "<sub>Values of secret properties are shown as `[secret]`. Rules: the `piwik-cnil policy-pack` pack "
        "(piwik_resources.compliance).</sub>"
    )
    return "\n".join(lines) + "\n"
