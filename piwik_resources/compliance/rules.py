"""The rules: each names one property of some resource types whose value can break one requirement.

Rules speak in the resources' own property names (``ip_masking_level`` of TrackerSettings, ``gdpr`` of
SitePrivacy, ...), so a rule can be applied to a component's inputs, to a policy pack's resource and to a
resource's live outputs alike. :meth:`Violation.text` is the one message formatter of a broken rule.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from piwik_resources.tokens import DYNAMIC_TYPE_PREFIX as DYNAMIC_TYPE_PREFIX  # re-exported (compliance/__init__.py)
from piwik_resources.tokens import short_type as short_type  # re-exported too
from piwik_resources.unknown import is_known

from .checks import (
    CAMPAIGN_PARAM_SETTINGS,
    CAMPAIGN_URL_EXCLUSIONS,
    DEFAULT_OPTIONS,
    EXTRA_EVENT_TEMPLATES,
    KEPT_URL_EXCLUSIONS,
    PIWIK_TAG_CONSENT_TYPE,
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
    _no_content_tracking,
    _no_cookie_domain,
    _no_cookie_setting_trigger,
    _no_user_id,
    _only_audience_tags_without_consent,
    _piwik_tag_only,
    _tag_dimension_values,
    _tags_firing_without_consent,
    _urls_end_their_host,
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
    ``compliant`` is the value the components write for the property (CnilExemptSite per app, CnilAccount for the
    account when the requirement is ``account``-wide), when the exemption fixes it; ``None`` when the rule only
    judges a value chosen elsewhere (the IP masking level is the user's, a container's tags are whoever made them).
    """

    name: str
    requirement: str
    resource_types: tuple[str, ...]
    property: str
    description: str
    check: Check
    compliant: Any = None
    #: Advisory by default rather than mandatory (the seed states it as guidance, not a hard condition).
    advisory: bool = False


def requiring(value: Any, why: str, *, piwik_tag_only: bool = False) -> dict[str, Any]:
    """The ``check`` and ``compliant`` of a rule whose property must be ``value`` (declared once, here)."""
    check: Check = partial(_must_be, value, why)
    return {"check": partial(_piwik_tag_only, check) if piwik_tag_only else check, "compliant": value}


TRACKER = ("TrackerSettings", "GlobalTrackerSettings")
PIWIK_TAG = ("TagConsentType",)
PRIVACY = ("SitePrivacy",)

RULES: tuple[Rule, ...] = (
    Rule(
        name="cnil-ip-masking",
        requirement="ip-masking",
        resource_types=TRACKER,
        property="ip_masking_level",
        description="IP addresses are masked by at least one byte",
        check=_ip_masking,
    ),
    Rule(
        name="cnil-masked-ip-enrichment",
        requirement="masked-ip-enrichment",
        resource_types=TRACKER,
        property="use_masked_ip_for_enrichment",
        description="Location and network data come from the masked IP address",
        **requiring(True, "enrichment must use the masked IP address"),
    ),
    Rule(
        name="cnil-exact-url-matching",
        requirement="exact-url-matching",
        resource_types=TRACKER,
        property="exclude_unknown_urls",
        description="Only the site's own URLs are tracked",
        **requiring(True, "requests from URLs that are not the site's must be discarded"),
    ),
    Rule(
        name="cnil-site-urls-end-their-host",
        requirement="exact-url-matching",
        resource_types=("Site",),
        property="urls",
        description="Each of the app's URLs ends its host with a path separator (no lookalike host starts with it)",
        check=_urls_end_their_host,
        advisory=True,
    ),
    Rule(
        name="cnil-no-cross-site-fingerprinting",
        requirement="no-cross-site-fingerprinting",
        resource_types=TRACKER,
        property="fingerprinting_across_websites",
        description="No visitor identifier is shared across websites",
        **requiring(False, "an identifier shared across websites breaks the exemption"),
    ),
    Rule(
        name="cnil-no-fingerprinting",
        requirement="no-cross-site-fingerprinting",
        resource_types=PRIVACY,
        property="privacy_use_fingerprinting",
        description="Visitors are not recognised by fingerprinting",
        **requiring(
            False,
            "fingerprinting recognises returning visitors with an identifier the API does not say is specific to "
            "the site and limited in time",
        ),
    ),
    Rule(
        name="cnil-geolocation-city",
        requirement="geolocation-city",
        resource_types=TRACKER,
        property="geolocation_level",
        description="Geolocation is no finer than the city",
        check=_geolocation,
    ),
    Rule(
        name="cnil-ask-consent",
        requirement="ask-consent",
        resource_types=PRIVACY,
        property="gdpr",
        description="The consent form is on",
        **requiring(True, "visitors must be asked for consent"),
    ),
    Rule(
        name="cnil-collect-without-consent",
        requirement="cookieless-without-consent",
        resource_types=PRIVACY,
        property="gdpr_data_anonymization",
        description="Non-consenting visitors are measured anonymously",
        **requiring(True, "without consent, data must still be collected anonymously (not dropped)"),
    ),
    Rule(
        name="cnil-cookieless-without-consent",
        requirement="cookieless-without-consent",
        resource_types=PRIVACY,
        property="gdpr_data_anonymization_mode",
        description="Non-consenting visitors are measured without cookies",
        **requiring("no_device_storage", "without consent, nothing may be stored on the device"),
    ),
    Rule(
        name="cnil-no-cookie-setting-trigger",
        requirement="cookieless-without-consent",
        resource_types=("SiteTags",),
        property="triggers",
        description="No tag that fires without consent has a trigger that sets a cookie",
        check=_no_cookie_setting_trigger,
    ),
    Rule(
        name="cnil-cookie-lifetime",
        requirement="consent-cookie-lifetime",
        resource_types=PRIVACY,
        property="privacy_cookie_expiration_period",
        description="The privacy (consent-record) cookie lives at most 13 months",
        check=_cookie_lifetime,
    ),
    Rule(
        name="cnil-piwik-tag-consent-type",
        requirement="piwik-tag-consent-type",
        resource_types=PIWIK_TAG,
        property="consent_type",
        description="The Piwik PRO tag fires under the Analytics consent type",
        check=_consent_type,
        compliant=PIWIK_TAG_CONSENT_TYPE,
    ),
    Rule(
        name="cnil-visitor-cookie-lifetime",
        requirement="cookie-lifetime",
        resource_types=PIWIK_TAG,
        property="visitor_cookie_timeout",
        description="The Piwik PRO tag's visitor cookie lives at most 13 months",
        check=partial(_piwik_tag_only, _cookie_lifetime),
    ),
    Rule(
        name="cnil-no-cross-domain-tracking",
        requirement="first-party-trackers",
        resource_types=PIWIK_TAG,
        property="cross_domain_tracking",
        description="The Piwik PRO tag does not track across domains",
        **requiring(
            False, "cross-domain tracking shares the visitor's identifier with other sites", piwik_tag_only=True
        ),
    ),
    Rule(
        name="cnil-no-tracking-cookie-domain",
        requirement="first-party-trackers",
        resource_types=PIWIK_TAG,
        property="cookie_domain",
        description="The Piwik PRO tag's cookie is not shared with other hosts (no cookie domain)",
        check=partial(_piwik_tag_only, _no_cookie_domain),
    ),
    Rule(
        name="cnil-no-privacy-cookie-domains",
        requirement="first-party-trackers",
        resource_types=PRIVACY,
        property="privacy_cookie_domains_enabled",
        description="The privacy cookie is not shared with other domains",
        **requiring(False, "the privacy cookie would be set for the domains of privacy_cookie_domains"),
    ),
    Rule(
        name="cnil-tag-respects-privacy",
        requirement="tag-respects-opt-out",
        resource_types=PIWIK_TAG,
        property="respect_visitors_privacy",
        description="The Piwik PRO tag respects the visitor's opt-out and Do Not Track",
        **requiring(True, "the tag must not fire for a visitor who objected", piwik_tag_only=True),
    ),
    Rule(
        name="cnil-no-marketing-without-consent",
        requirement="no-marketing-without-consent",
        resource_types=("SiteTags",),
        property="tags",
        description="Only audience-measurement tags (or tags attested by id) fire without consent",
        check=_only_audience_tags_without_consent,
    ),
    Rule(
        name="cnil-few-event-types",
        requirement="few-event-types",
        resource_types=("SiteTags",),
        property="tags",
        description="No active goal-conversion, e-commerce, video or abandoned-template tag fires without consent",
        check=partial(
            _tags_firing_without_consent, EXTRA_EVENT_TEMPLATES, "measuring more than the few allowed event types"
        ),
        advisory=True,
    ),
    Rule(
        name="cnil-no-content-tracking",
        requirement="few-event-types",
        resource_types=PIWIK_TAG,
        property="content_tracking",
        description="The Piwik PRO tag tracks no content impressions",
        check=partial(_piwik_tag_only, _no_content_tracking),
        advisory=True,
    ),
    *(
        Rule(
            name=f"cnil-no-{setting.removesuffix('_params').replace('_', '-')}-params",
            requirement="no-campaign-identifiers",
            resource_types=TRACKER,
            property=setting,
            description=f"No campaign data read from URLs ({setting} is empty)",
            check=_empty_list,
            compliant=[],
            advisory=True,
        )
        for setting in CAMPAIGN_PARAM_SETTINGS
    ),
    Rule(
        name="cnil-campaign-keys-excluded-from-urls",
        requirement="no-campaign-identifiers",
        resource_types=TRACKER,
        property="excluded_url_query_parameters",
        description="Campaign and click keys are removed from tracked URLs",
        check=_campaign_keys_excluded,
        compliant=[*KEPT_URL_EXCLUSIONS, *CAMPAIGN_URL_EXCLUSIONS],
        advisory=True,
    ),
    Rule(
        name="cnil-dimension-name-identifier",
        requirement="no-identifiers",
        resource_types=("CustomDimension",),
        property="name",
        description="Custom dimensions do not name an identifier",
        check=_dimension_name,
    ),
    Rule(
        name="cnil-dimension-extraction-identifier",
        requirement="no-identifiers",
        resource_types=("CustomDimension",),
        property="extractions",
        description="Custom dimensions do not extract an identifier",
        check=_dimension_extractions,
    ),
    Rule(
        name="cnil-tag-no-user-id",
        requirement="no-identifiers",
        resource_types=PIWIK_TAG,
        property="user_id",
        description="The Piwik PRO tag sets no user id",
        check=partial(_piwik_tag_only, _no_user_id),
    ),
    Rule(
        name="cnil-tag-dimension-identifier",
        requirement="no-identifiers",
        resource_types=PIWIK_TAG,
        property="piwik_custom_dimensions",
        description="The custom dimensions the Piwik PRO tag fills carry no identifier",
        check=partial(_piwik_tag_only, _tag_dimension_values),
    ),
    Rule(
        name="cnil-tag-variable-identifier",
        requirement="no-identifiers",
        resource_types=PIWIK_TAG,
        property="piwik_custom_variables",
        description="The custom variables the Piwik PRO tag sets carry no identifier",
        check=partial(_piwik_tag_only, _tag_dimension_values),
    ),
)


def compliant_values(resource_type: str, profile: str | None = None, *, account: bool = False) -> dict[str, Any]:
    """The values the exemption fixes for ``resource_type``'s properties: each rule's ``compliant`` value.

    ``profile``: only the requirements that criteria profile holds a site to (None: every profile's); ``account``:
    only the requirements the account's global settings hold (``Requirement.account``).
    """
    values: dict[str, Any] = {}
    for rule in RULES:
        requirement = BY_KEY[rule.requirement]
        if resource_type not in rule.resource_types or rule.compliant is None:
            continue
        if (profile is not None and profile not in requirement.profiles) or (account and not requirement.account):
            continue
        values[rule.property] = copy.deepcopy(rule.compliant)
    return values


RULES_BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}


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
