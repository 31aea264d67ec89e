"""The compliance delta of a preview: which requirement of the CNIL exemption changes status, and why.

The rules are those of ``piwik_resources.compliance`` (the policy pack uses the same ones). A
requirement is *compliant* in a state when no resource of the stack breaks one of its mandatory rules, *broken*
otherwise; an advisory rule's finding is listed as advice, as the pack warns without stopping the update.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from piwik_resources import compliance

from .model import UNKNOWN, Preview, ResourceChange, contains_secret, contains_unknown

#: One rule broken by one resource: the rules' own Violation, with ``resource`` = the resource's name.
Finding = compliance.Violation


@dataclass(frozen=True)
class RequirementDelta:
    requirement: compliance.Requirement
    before: tuple[Finding, ...]
    after: tuple[Finding, ...]

    @property
    def status_before(self) -> str:
        return "broken" if self.before else "compliant"

    @property
    def status_after(self) -> str:
        return "broken" if self.after else "compliant"

    @property
    def changed(self) -> bool:
        return self.status_before != self.status_after


@dataclass(frozen=True)
class Unjudged:
    """A rule that could not be applied to the new state: the value is hidden or not known yet."""

    rule: str
    resource_type: str
    resource: str
    prop: str
    why: str


@dataclass(frozen=True)
class ComplianceDelta:
    """Per requirement, the findings of its mandatory rules before and after; ``advice``: the advisory rules'
    findings in the new state, which the policy pack reports without stopping the update (so they break nothing
    here either)."""

    requirements: tuple[RequirementDelta, ...]
    unjudged: tuple[Unjudged, ...] = ()
    advice: tuple[Finding, ...] = ()

    @property
    def broken_before(self) -> bool:
        return any(r.before for r in self.requirements)

    @property
    def broken_after(self) -> bool:
        return any(r.after for r in self.requirements)

    @property
    def changed(self) -> tuple[RequirementDelta, ...]:
        return tuple(r for r in self.requirements if r.changed)

    @property
    def still_broken(self) -> tuple[RequirementDelta, ...]:
        return tuple(r for r in self.requirements if r.before and r.after)

    @property
    def headline(self) -> str:
        if self.broken_after:
            return "Exemption still broken ❌" if self.broken_before else "Exemption broken ❌"
        return "Exemption restored ✅" if self.broken_before else "Site stays exempt ✅"


def judgeable(props: Mapping[str, Any]) -> dict[str, Any]:
    """Props for the rules: values the engine hid become unknown, so no rule judges a mask."""
    return {key: (UNKNOWN if contains_secret(value) else value) for key, value in props.items()}


def findings(resource: ResourceChange, props: Mapping[str, Any] | None) -> list[Finding]:
    if props is None:
        return []
    return compliance.violations(resource.type, judgeable(props), resource=resource.name)


def is_advisory(finding: Finding) -> bool:
    return compliance.RULES_BY_NAME[finding.rule].advisory


def unjudged(resource: ResourceChange) -> list[Unjudged]:
    props = resource.new_inputs
    if props is None:
        return []
    kind = compliance.short_type(resource.type)
    out: list[Unjudged] = []
    for rule in compliance.RULES:
        if kind not in rule.resource_types or rule.property not in props:
            continue
        value = props[rule.property]
        if contains_secret(value):
            out.append(Unjudged(rule.name, kind, resource.name, rule.property, "the value is secret"))
        elif contains_unknown(value):
            out.append(Unjudged(rule.name, kind, resource.name, rule.property, "the value is known only after apply"))
    return out


def compliance_delta(resources: Iterable[ResourceChange] | Preview) -> ComplianceDelta:
    """Evaluate every rule on the old and the new inputs of every resource, grouped by requirement."""
    items = resources.resources if isinstance(resources, Preview) else tuple(resources)
    before: dict[str, list[Finding]] = {}
    after: dict[str, list[Finding]] = {}
    gaps: list[Unjudged] = []
    advice: list[Finding] = []
    for resource in items:
        old = resource.old_inputs if resource.op != "create" else None
        new = resource.new_inputs if resource.op != "delete" else None
        for finding in findings(resource, old):
            if not is_advisory(finding):
                before.setdefault(finding.requirement.key, []).append(finding)
        for finding in findings(resource, new):
            if is_advisory(finding):
                advice.append(finding)
            else:
                after.setdefault(finding.requirement.key, []).append(finding)
        if resource.op != "delete":
            gaps.extend(unjudged(resource))
    keys = sorted(set(before) | set(after), key=lambda k: compliance.BY_KEY[k].number)
    deltas = tuple(
        RequirementDelta(compliance.BY_KEY[k], tuple(before.get(k, ())), tuple(after.get(k, ()))) for k in keys
    )
    return ComplianceDelta(deltas, tuple(gaps), tuple(advice))
