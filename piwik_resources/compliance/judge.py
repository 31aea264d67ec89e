"""The one judge: every requirement's status for one site, from its live values and what it declares.

See the package docstring for the contract of :func:`judge_site`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from piwik_resources.unknown import is_known

from .attestations import Attestations, attestation_problem
from .checks import DEFAULT_OPTIONS, Options
from .live import LiveSite
from .requirements import (
    BY_KEY,
    DEFAULT_CNIL_PROFILE,
    PROFILE_NOTES,
    REQUIREMENTS,
    CnilProfile,
    How,
    Requirement,
    Status,
)
from .rules import Rule, Violation, _short, rules_for, violations


@dataclass(frozen=True)
class Declared:
    """What the judge needs and no API answers (see the package docstring)."""

    site_name: str
    attestations: Attestations = field(default_factory=Attestations)
    exports_needed: bool = False
    consent_template_mode: str = "manual"
    consent_languages: tuple[str, ...] = ()
    #: The component's own export dimensions: scope -> name.
    export_dimensions: Mapping[str, str] = field(default_factory=dict)
    options: Options = DEFAULT_OPTIONS
    #: The criteria profile the site is judged under (CNIL_PROFILES).
    cnil_profile: CnilProfile = DEFAULT_CNIL_PROFILE
    #: The Tag Manager variable whose value is the visitor's consent state, which the Piwik PRO tag sends into the
    #: export dimensions (#14); ``None``: the dimensions are created, not filled.
    consent_state_variable: str | None = None


# --- Reports ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    """One requirement's line in a report; ``violations`` are the live values that break it (status broken)."""

    number: int
    requirement: str
    status: Status
    seed_section: str
    detail: str
    key: str = ""
    rules: tuple[str, ...] = ()
    violations: tuple[Violation, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        # The seed section is not repeated in every stack's state: render_markdown looks it up by number.
        out: dict[str, Any] = {
            "number": self.number,
            "requirement": self.requirement,
            "status": str(self.status),
            "detail": self.detail,
        }
        if self.violations:
            out["violations"] = [v.as_dict() for v in self.violations]
        return out


def row(
    key: str, status: Status, detail: str, rules: tuple[str, ...] = (), found: Sequence[Violation] = ()
) -> ReportRow:
    req = BY_KEY[key]
    return ReportRow(req.number, req.title, status, req.seed_section, detail, key, rules, tuple(found))


def _subjects(live: LiveSite, kind: str) -> list[tuple[str, Mapping[str, Any]]] | None:
    """The live objects of one type with a label each; inactive ones left out; None when the type was not read."""
    value = live.of(kind)
    if value is None:
        return None
    items = list(value) if isinstance(value, list | tuple) else [value]
    out: list[tuple[str, Mapping[str, Any]]] = []
    for item in items:
        if not isinstance(item, Mapping) or item.get("active") is False:
            continue
        # Only CustomDimension is both listed and judged by rules (docstring above); ConsentTemplate has a row judge.
        name, ident = item.get("name"), item.get("dimension_id")
        label = " ".join(part for part in (repr(name) if name else "", f"({ident})" if ident else "") if part)
        out.append((label if isinstance(value, list | tuple) else "", item))
    return out


def _seen(value: Any) -> str:
    """A judged value as the detail shows it; a list of objects (a container's tags, their triggers) by count and
    names."""
    named = isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value)
    if named and all("name" in v or "trigger_name" in v for v in value):
        return f"{len(value)} read (" + ", ".join(repr(v.get("name", v.get("trigger_name"))) for v in value) + ")"
    return _short(value)


def _reads(requirement: Requirement, live: LiveSite) -> list[str]:
    """The values a requirement shows as read without judging them (``Requirement.reads``), those read."""
    out: list[str] = []
    for path in requirement.reads:
        kind, _, prop = path.partition(".")
        props = live.of(kind)
        value = props.get(prop) if isinstance(props, Mapping) else None
        if is_known(value):
            out.append(f"{path} = {_short(value)} (shown, not judged)")
    return out


#: Where a per-app tracker setting's value comes from (issue 20: an app's privacy never rests on the account's).
ORIGIN_PINNED = (
    "the app's own override, pinned: written for this app even where it equals the account-wide value, "
    "so a change of the account does not reach it"
)
ORIGIN_NOT_PINNED = (
    "the value the app reads, not recorded as pinned: it may be inherited from the account-wide value and follow "
    "it (the next `pulumi up` writes it as the app's own)"
)
ORIGIN_ACCOUNT = (
    "the account-wide value, which an app without an override of its own inherits; each CnilExemptSite pins "
    "its app's own"
)


def origin(requirement: Requirement, live: LiveSite) -> list[str]:
    """Where the value of ``requirement.origin_of`` comes from, for each settings resource read that holds it."""
    prop = requirement.origin_of
    found: list[str] = []
    if not prop:
        return found
    app = live.tracker_settings
    if app is not None and prop in app:
        pinned = app.get("pinned")
        found.append(ORIGIN_PINNED if is_known(pinned) and prop in (pinned or ()) else ORIGIN_NOT_PINNED)
    account = live.global_tracker_settings
    if account is not None and prop in account:
        found.append(ORIGIN_ACCOUNT)
    return found


@dataclass
class _Verdict:
    found: list[Violation] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)


def _apply(rule: Rule, live: LiveSite, options: Options, verdict: _Verdict) -> None:
    read_any = False
    for kind in rule.resource_types:
        subjects = _subjects(live, kind)
        if subjects is None:
            continue
        read_any = True
        many = isinstance(live.of(kind), list | tuple)
        for label, props in subjects:
            value = props.get(rule.property)
            if value is None and many:
                continue  # a dimension without extractions has nothing to break
            if not is_known(value):
                verdict.unread.append(f"{kind}.{rule.property}")
                continue
            verdict.found += violations(kind, props, (rule,), options, label)
            if not many:
                verdict.seen.append(f"{kind}.{rule.property} = {_seen(value)}")
        if many:
            names = ", ".join(label for label, _ in subjects) or "none"
            verdict.seen.append(f"{len(subjects)} active {kind} of the app read and judged ({names})")
    if not read_any:
        verdict.unread.append(f"{'/'.join(rule.resource_types)}.{rule.property}")


def tag_version(rules: Iterable[Rule], live: LiveSite) -> list[str]:
    """Which version of the Piwik PRO tag the values of ``rules`` were read from, when some rule reads the tag."""
    return read_from(live) if any("TagConsentType" in r.resource_types for r in rules) else []


def read_from(live: LiveSite) -> list[str]:
    """Which version of the Piwik PRO tag its live values were read from (live.py, ``as_published``)."""
    tag = live.tag_consent_type
    if tag is None:
        return []
    version = tag.get("version")
    if version == "draft":
        return [
            "the Piwik PRO tag's values read from its draft: the published version's values cannot be read (the tag "
            "has unpublished changes and the API publishes no version's content)"
        ]
    if not version:
        return []
    differs = tag.get("draft_differs") or []
    changed = f"; the draft differs, unpublished: {', '.join(differs)}" if differs else ""
    return [f"the Piwik PRO tag's values read from its {version}{changed}"]


def judge_rules(requirement: Requirement, live: LiveSite, declared: Declared) -> ReportRow:
    """The verdict of the requirement's RULES on the live values (see the package docstring)."""
    return rules_row(requirement, rules_for(requirement.key), live, declared.options)


def rules_row(
    requirement: Requirement, rules: Sequence[Rule], live: LiveSite, options: Options = DEFAULT_OPTIONS
) -> ReportRow:
    """The verdict of ``rules`` (some or all of the requirement's) on ``live``."""
    verdict = _Verdict()
    for rule in rules:
        _apply(rule, live, options, verdict)
    names = tuple(r.name for r in rules)
    version = tag_version(rules, live)
    if verdict.found:
        detail = "; ".join([v.text(where=True) for v in verdict.found] + version)
        return row(requirement.key, Status.BROKEN, detail, names, verdict.found)
    if verdict.unread:
        detail = "no live value read for " + ", ".join(dict.fromkeys(verdict.unread))
        return row(requirement.key, Status.NOT_READ, detail, names)
    status = Status.ENFORCED if How.API in requirement.how else Status.CHECKED
    seen = list(dict.fromkeys(verdict.seen)) + _reads(requirement, live) + origin(requirement, live) + version
    detail = "; ".join(seen + ([requirement.note] if requirement.note else []))
    return row(requirement.key, status, detail, names)


def judge_attestation(requirement: Requirement, _live: LiveSite, declared: Declared) -> ReportRow:
    """An attested requirement: attested, pending, or broken when the statement itself breaks it."""
    name = requirement.attestation or ""
    value = getattr(declared.attestations, name, None)
    problem = attestation_problem(requirement, value)
    if problem:
        found = Violation("attestation", requirement, "Attestations", f"attestations.{name}", value, problem)
        return row(requirement.key, Status.BROKEN, found.text(), (), [found])
    if value is not None and value is not False and value != "":
        return row(requirement.key, Status.ATTESTED, requirement.done.format(value=value))
    return row(requirement.key, requirement.unattested, requirement.todo)


def judge_consent_message(requirement: Requirement, live: LiveSite, declared: Declared) -> ReportRow:
    """#7: in ``api`` mode, every declared language has a live template with a message; ``manual`` is a step."""
    if declared.consent_template_mode != "api":
        detail = (
            "paste the consent message (output consent_message) in the Consent Manager template; "
            "the step and texts are in each ConsentTemplate's manual_instructions"
        )
        return row(requirement.key, Status.PENDING, detail)
    templates = live.consent_templates
    if templates is None:
        return row(requirement.key, Status.NOT_READ, "no live consent template read")
    by_language = {str(t.get("language")): t for t in templates if isinstance(t, Mapping)}
    found: list[Violation] = []
    for language in declared.consent_languages:
        template = by_language.get(language, {})
        message, pending = template.get("message"), template.get("pending_manual_step")
        if not (isinstance(message, str) and message.strip()) or pending is not False:
            why = "no consent form message is live for this language" + (" (manual step pending)" if pending else "")
            rule = "cnil-consent-message-live"
            found.append(Violation(rule, requirement, "ConsentTemplate", "message", message, why, repr(language)))
    if found:
        return row(requirement.key, Status.BROKEN, "; ".join(v.text(where=True) for v in found), (), found)
    languages = ", ".join(declared.consent_languages) or "no language"
    detail = f"consent form templates live for {languages} (API not published by Piwik PRO: the emulator's paths)"
    return row(requirement.key, Status.ENFORCED, detail)


def judge_export_dimensions(requirement: Requirement, live: LiveSite, declared: Declared) -> ReportRow:
    """#14: when exports are needed, each export dimension is live, active and of its scope, and the Piwik PRO tag
    fills it with the consent state (``consent_state_variable``); created but not filled is a pending step."""
    if not declared.exports_needed:
        return row(requirement.key, Status.NOT_APPLICABLE, "exports_needed is false")
    dimensions = live.custom_dimensions
    if dimensions is None:
        return row(requirement.key, Status.NOT_READ, "the app's custom dimensions were not read")
    found: list[Violation] = []
    held: list[Mapping[str, Any]] = []
    for scope, name in declared.export_dimensions.items():
        match = [d for d in dimensions if d.get("name") == name and d.get("scope") == scope]
        active = [d for d in match if d.get("active") is True]
        if active:
            held.append(active[0])
            continue
        why = f"no active {scope}-scope dimension {name!r} in the app" + (" (it is inactive)" if match else "")
        value = match[0].get("active") if match else None
        rule = "cnil-export-dimensions-live"
        found.append(Violation(rule, requirement, "CustomDimension", "active", value, why, repr(name)))
    if found:
        return row(requirement.key, Status.BROKEN, "; ".join(v.text(where=True) for v in found), (), found)
    created = "live and active: " + ", ".join(
        f"{d.get('scope')} {d.get('name')!r} ({d.get('dimension_id')})" for d in held
    )
    return _filled(requirement, live, declared, held, created)


def _id(value: Any) -> str:
    """A dimension number as text, whether the wire made it a float (3.0) or not."""
    return str(int(value)) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def variable_reference(name: str) -> str:
    """How the Piwik PRO tag refers to a Tag Manager variable in an option's value (the spec's "Variable reference",
    example ``{{ Campaign }}``)."""
    return "{{ " + name + " }}"


def _filled(
    requirement: Requirement, live: LiveSite, declared: Declared, held: Sequence[Mapping[str, Any]], created: str
) -> ReportRow:
    """#14, second half: each held dimension is filled by the Piwik PRO tag from the consent-state variable."""
    if not declared.consent_state_variable:
        detail = (
            f"{created}; created but not filled: nothing sends the consent state into them, so exports cannot be "
            "filtered on it. Make a Tag Manager variable that holds the visitor's consent state (the API publishes "
            "no variables endpoint and Piwik PRO no built-in one), then name it in consent_state_variable"
        )
        return row(requirement.key, Status.PENDING, detail)
    tag = live.tag_consent_type
    entries = tag.get("piwik_custom_dimensions") if tag is not None else None
    if not isinstance(entries, list):
        return row(requirement.key, Status.NOT_READ, f"{created}; the Piwik PRO tag's custom dimensions were not read")
    wanted = variable_reference(declared.consent_state_variable)
    filled = {_id(e.get("id")): e.get("value") for e in entries if isinstance(e, Mapping)}
    found = [
        Violation(
            "cnil-export-dimensions-filled",
            requirement,
            "TagConsentType",
            "piwik_custom_dimensions",
            filled.get(_id(d.get("tracking_id"))),
            f"the Piwik PRO tag does not fill dimension {d.get('tracking_id')} with {wanted}",
            repr(d.get("name")),
        )
        for d in held
        if filled.get(_id(d.get("tracking_id"))) != wanted
    ]
    version = read_from(live)
    if found:
        detail = "; ".join([v.text(where=True) for v in found] + version)
        return row(requirement.key, Status.BROKEN, detail, (), found)
    detail = "; ".join([f"{created}; filled by the Piwik PRO tag with {wanted}", *version])
    return row(requirement.key, Status.ENFORCED, detail)


RowJudge = Callable[[Requirement, LiveSite, Declared], ReportRow]

#: Requirements judged by something other than their rules or their attestation.
ROW_JUDGES: dict[str, RowJudge] = {
    "consent-message": judge_consent_message,
    "export-dimensions": judge_export_dimensions,
}


def judge(requirement: Requirement, live: LiveSite, declared: Declared) -> ReportRow:
    """One requirement's row: its row judge, else its rules, else its attestation, else a manual step; a
    requirement the site's criteria profile does not hold it to is not applicable."""
    if declared.cnil_profile not in requirement.profiles:
        detail = f"not applied under the {declared.cnil_profile} profile: {PROFILE_NOTES[declared.cnil_profile]}"
        return row(requirement.key, Status.NOT_APPLICABLE, detail)
    if requirement.key in ROW_JUDGES:
        return ROW_JUDGES[requirement.key](requirement, live, declared)
    if rules_for(requirement.key):
        return judge_rules(requirement, live, declared)
    if requirement.attestation:
        return judge_attestation(requirement, live, declared)
    return row(requirement.key, Status.PENDING, requirement.todo or "no check exists: a manual step")


def report_order(status: Any, number: Any) -> tuple[bool, int]:
    """The sort key of a report row: broken rows first, then by requirement number."""
    return (str(status) != Status.BROKEN, int(number))


def in_report_order(rows: Iterable[ReportRow]) -> list[ReportRow]:
    return sorted(rows, key=lambda r: report_order(r.status, r.number))


def judge_site(
    live: LiveSite, declared: Declared, requirements: Iterable[Requirement] = REQUIREMENTS
) -> list[ReportRow]:
    """Every requirement judged on the live values of one site (the contract is in the package docstring)."""
    return in_report_order(judge(r, live, declared) for r in requirements)


#: The account's own resource type: CnilAccount's GlobalTrackerSettings.
ACCOUNT_TYPE = "GlobalTrackerSettings"
ACCOUNT_NOT_READ = (
    "the account-wide settings were not read: no CnilAccount of this program or stack manages them (declare one "
    "per account, or read them with `piwik-cnil evidence`)"
)


def judge_account(
    settings: Mapping[str, Any] | None, requirements: Iterable[Requirement] = REQUIREMENTS
) -> list[ReportRow]:
    """The account section: each account-wide requirement (``Requirement.account``) judged on the account's live
    global tracker settings (CnilAccount's GlobalTrackerSettings), by the same rules as an app's overrides."""
    live = LiveSite(global_tracker_settings=settings)
    rows: list[ReportRow] = []
    for requirement in requirements:
        rules = tuple(r for r in rules_for(requirement.key) if ACCOUNT_TYPE in r.resource_types)
        if not requirement.account or not rules:
            continue
        if settings is None:
            rows.append(row(requirement.key, Status.NOT_READ, ACCOUNT_NOT_READ, tuple(r.name for r in rules)))
        else:
            rows.append(rules_row(requirement, rules, live))
    return in_report_order(rows)
