"""The CrossGuard policies of the CNIL pack: one per compliance rule of piwik_resources, no rule of its own.

Each policy is named after its rule, is mandatory unless the rule is advisory, and judges a resource by calling
``compliance.violations`` with that single rule. Enforcement levels can be changed per run with the standard
policy config (``pulumi preview --policy-pack "$(piwik-cnil policy-pack)" --policy-pack-config f.json``, where
f.json maps a rule name, or ``all``, to advisory, mandatory or disabled; see docs/policy.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)
from pulumi_policy.proxy import UnknownValueError

from piwik_resources import compliance
from piwik_resources.unknown import UNKNOWN

PACK_NAME = "cnil-exemption"
PACK_DESCRIPTION = (
    "Stops a stack whose Piwik PRO resources would break the CNIL consent exemption "
    "(the requirements of docs/cnil-exemption.md)."
)


def plain(value: Any) -> Any:
    """A plain copy of policy props: the SDK's unknown-checking proxies become dicts and lists.

    The rules test ``isinstance(value, list)`` and the like, which the SDK's proxies do not satisfy. Values not
    known yet (a preview) become ``UNKNOWN`` so that the rules skip them instead of judging a sentinel.
    """
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key in value:
            try:
                out[key] = plain(value[key])
            except UnknownValueError:
                out[key] = UNKNOWN
        return out
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        items: list[Any] = []
        for index in range(len(value)):
            try:
                items.append(plain(value[index]))
            except UnknownValueError:
                items.append(UNKNOWN)
        return items
    return value


def enforcement_of(rule: compliance.Rule) -> EnforcementLevel:
    return EnforcementLevel.ADVISORY if rule.advisory else EnforcementLevel.MANDATORY


def validator(rule: compliance.Rule) -> Any:
    """The ``validate`` callback of the policy for ``rule``."""

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        kind = compliance.short_type(args.resource_type)
        if kind not in rule.resource_types or rule.property not in args.props:
            return
        # Reading the judged property through the SDK's proxy raises UnknownValueError when its value is not
        # known yet; the SDK then reports "can't run policy … during preview" instead of a silent pass.
        args.props[rule.property]
        for violation in compliance.violations(args.resource_type, plain(args.props), rules=(rule,)):
            report_violation(f"{kind} {args.name}: {violation.text()}", args.urn)

    return validate


def build_policies() -> list[Policy]:
    """One ResourceValidationPolicy per ``compliance.RULES`` entry, in the rules' order."""
    return [
        ResourceValidationPolicy(
            name=rule.name,
            description=rule.description,
            enforcement_level=enforcement_of(rule),
            severity=Severity.MEDIUM if rule.advisory else Severity.HIGH,
            validate=validator(rule),
        )
        for rule in compliance.RULES
    ]
