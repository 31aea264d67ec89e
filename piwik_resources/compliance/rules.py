"""The rules: each names one property of some resource types whose value can break one requirement.

Rules speak in the resources' own property names (``ip_masking_level`` of TrackerSettings, ``gdpr`` of
SitePrivacy, ...), so a rule can be applied to a component's inputs, to a policy pack's resource and to a
resource's live outputs alike. :meth:`Violation.text` is the one message formatter of a broken rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from piwik_resources.unknown import is_known

from .checks import (
    CAMPAIGN_PARAM_SETTINGS,
    CONSENT_ONLY_TEMPLATES,
    DEFAULT_OPTIONS,
    EXTRA_EVENT_TEMPLATES,
    Check,
    Options,
    _campaign_keys_excluded,
    _consent_type,
    _cookie_lifetime,
    _dimension_extractions,
    _dimension_name,
    _empty_list,
    _geolocation,
    _ip_masking,
    _must_be,
    _piwik_tag_only,
    _tags_firing_without_consent,
)
from .requirements import BY_KEY, Requirement


def _short(value: Any, limit: int = 120) -> str:
    """A value for a report: integers the wire made floats shown as integers, cut to ``limit`` characters."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Violation:
    """One way a value breaks the exemption; ``resource`` names the object when there are several (a dimension)."""

    rule: str
    requirement: Requirement
    resource_type: str
    property: str
    value: Any
    message: str
    resource: str = ""

    def text(self, as_property: str | None = None, *, where: bool = False) -> str:
        """The one wording of a violation: ``property: why (seed requirement #n, …)``.

        ``as_property`` names the property as the user wrote it (a component argument); ``where`` prefixes the
        resource and the live value and appends the rule's name, for reports on live values.
        """
        core = f"{as_property or self.property}: {self.message} ({self.requirement.reference})"
        if not where:
            return core
        subject = f"{self.resource_type} {self.resource}".rstrip()
        return f"{subject} {self.property} = {_short(self.value)}: {self.message} [rule {self.rule}]"

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "resource_type": self.resource_type,
            "resource": self.resource,
            "property": self.property,
            "value": self.value,
            "message": self.message,
        }

    def __str__(self) -> str:
        return self.text()


@dataclass(frozen=True)
class Rule:
    """A property of some resource types whose value can break one requirement.

    ``check(value, props, options)`` returns why the value breaks the requirement, or None. It is only called with
    a known, present value (unknown values during a preview and unmanaged properties are never judged).
    """

    name: str
    requirement: str
    resource_types: tuple[str, ...]
    property: str
    description: str
    check: Check
    #: Advisory by default rather than mandatory (the seed states it as guidance, not a hard condition).
    advisory: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


TRACKER = ("TrackerSettings", "GlobalTrackerSettings")

RULES: tuple[Rule, ...] = (
    Rule(
        "cnil-ip-masking",
        "ip-masking",
        TRACKER,
        "ip_masking_level",
        "IP addresses are masked by at least one byte",
        _ip_masking,
    ),
    Rule(
        "cnil-masked-ip-enrichment",
        "masked-ip-enrichment",
        TRACKER,
        "use_masked_ip_for_enrichment",
        "Location and network data come from the masked IP address",
        partial(_must_be, True, "enrichment must use the masked IP address"),
    ),
    Rule(
        "cnil-exact-url-matching",
        "exact-url-matching",
        TRACKER,
        "exclude_unknown_urls",
        "Only the site's own URLs are tracked",
        partial(_must_be, True, "requests from URLs that are not the site's must be discarded"),
    ),
    Rule(
        "cnil-no-cross-site-fingerprinting",
        "no-cross-site-fingerprinting",
        TRACKER,
        "fingerprinting_across_websites",
        "No visitor identifier is shared across websites",
        partial(_must_be, False, "an identifier shared across websites breaks the exemption"),
    ),
    Rule(
        "cnil-geolocation-city",
        "geolocation-city",
        TRACKER,
        "geolocation_level",
        "Geolocation is no finer than the city",
        _geolocation,
    ),
    Rule(
        "cnil-ask-consent",
        "ask-consent",
        ("SitePrivacy",),
        "gdpr",
        "The consent form is on",
        partial(_must_be, True, "visitors must be asked for consent"),
    ),
    Rule(
        "cnil-collect-without-consent",
        "cookieless-without-consent",
        ("SitePrivacy",),
        "gdpr_data_anonymization",
        "Non-consenting visitors are measured anonymously",
        partial(_must_be, True, "without consent, data must still be collected anonymously (not dropped)"),
    ),
    Rule(
        "cnil-cookieless-without-consent",
        "cookieless-without-consent",
        ("SitePrivacy",),
        "gdpr_data_anonymization_mode",
        "Non-consenting visitors are measured without cookies",
        partial(_must_be, "no_device_storage", "without consent, nothing may be stored on the device"),
    ),
    Rule(
        "cnil-cookie-lifetime",
        "consent-cookie-lifetime",
        ("SitePrivacy",),
        "privacy_cookie_expiration_period",
        "The privacy (consent-record) cookie lives at most 13 months",
        _cookie_lifetime,
    ),
    Rule(
        "cnil-piwik-tag-consent-type",
        "piwik-tag-consent-type",
        ("TagConsentType",),
        "consent_type",
        "The Piwik PRO tag fires under the Analytics consent type",
        _consent_type,
    ),
    Rule(
        "cnil-visitor-cookie-lifetime",
        "cookie-lifetime",
        ("TagConsentType",),
        "visitor_cookie_timeout",
        "The Piwik PRO tag's visitor cookie lives at most 13 months",
        partial(_piwik_tag_only, _cookie_lifetime),
    ),
    Rule(
        "cnil-no-cross-domain-tracking",
        "first-party-trackers",
        ("TagConsentType",),
        "cross_domain_tracking",
        "The Piwik PRO tag does not track across domains",
        partial(
            _piwik_tag_only,
            partial(_must_be, False, "cross-domain tracking shares the visitor's identifier with other sites"),
        ),
    ),
    Rule(
        "cnil-tag-respects-privacy",
        "tag-respects-opt-out",
        ("TagConsentType",),
        "respect_visitors_privacy",
        "The Piwik PRO tag respects the visitor's opt-out and Do Not Track",
        partial(_piwik_tag_only, partial(_must_be, True, "the tag must not fire for a visitor who objected")),
    ),
    Rule(
        "cnil-no-marketing-without-consent",
        "no-marketing-without-consent",
        ("SiteTags",),
        "tags",
        "No active marketing, A/B-testing or heatmap tag fires without consent",
        partial(_tags_firing_without_consent, CONSENT_ONLY_TEMPLATES, "marketing, A/B testing and heatmaps"),
    ),
    Rule(
        "cnil-few-event-types",
        "few-event-types",
        ("SiteTags",),
        "tags",
        "No active goal-conversion, e-commerce or video tag fires without consent",
        partial(_tags_firing_without_consent, EXTRA_EVENT_TEMPLATES, "measuring more than the few allowed event types"),
        advisory=True,
    ),
    *(
        Rule(
            f"cnil-no-{setting.removesuffix('_params').replace('_', '-')}-params",
            "no-campaign-identifiers",
            TRACKER,
            setting,
            f"No campaign data read from URLs ({setting} is empty)",
            _empty_list,
            advisory=True,
        )
        for setting in CAMPAIGN_PARAM_SETTINGS
    ),
    Rule(
        "cnil-campaign-keys-excluded-from-urls",
        "no-campaign-identifiers",
        TRACKER,
        "excluded_url_query_parameters",
        "Campaign and click keys are removed from tracked URLs",
        _campaign_keys_excluded,
        advisory=True,
    ),
    Rule(
        "cnil-dimension-name-identifier",
        "no-identifiers",
        ("CustomDimension",),
        "name",
        "Custom dimensions do not name an identifier",
        _dimension_name,
    ),
    Rule(
        "cnil-dimension-extraction-identifier",
        "no-identifiers",
        ("CustomDimension",),
        "extractions",
        "Custom dimensions do not extract an identifier",
        _dimension_extractions,
    ),
)

RULES_BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}

DYNAMIC_TYPE_PREFIX = "pulumi-python:dynamic/piwik:"


def short_type(type_token: str) -> str:
    """`pulumi-python:dynamic/piwik:Site` -> `Site`; other tokens are returned unchanged."""
    return type_token.removeprefix(DYNAMIC_TYPE_PREFIX)


def rules_for(requirement: str, rules: Iterable[Rule] = RULES) -> tuple[Rule, ...]:
    return tuple(r for r in rules if r.requirement == requirement)


def properties_judged(resource_type: str, rules: Iterable[Rule] = RULES) -> tuple[str, ...]:
    """The properties of ``resource_type`` that some rule judges (what a program must read to judge it)."""
    return tuple(dict.fromkeys(r.property for r in rules if resource_type in r.resource_types))


def violations(
    resource_type: str,
    props: Mapping[str, Any],
    rules: Iterable[Rule] = RULES,
    options: Options = DEFAULT_OPTIONS,
    resource: str = "",
) -> list[Violation]:
    """Every rule that the properties of one resource break (``resource_type`` may be a full type token)."""
    kind = short_type(resource_type)
    found: list[Violation] = []
    for rule in rules:
        if kind not in rule.resource_types or rule.property not in props:
            continue
        value = props[rule.property]
        if not is_known(value):
            continue
        reason = rule.check(value, props, options)
        if reason:
            found.append(Violation(rule.name, BY_KEY[rule.requirement], kind, rule.property, value, reason, resource))
    return found
