"""The CNIL consent exemption as data: the seed guide's requirements and the rules that break them.

This module is the single source of the compliance rules. The CnilExemptSite component uses it to refuse a
non-compliant configuration before anything is sent; the CrossGuard policy pack (policy_pack/) uses it to stop a
stack whose resources would break the exemption; the PR renderer uses it for the compliance delta. It imports
nothing from Pulumi so that all three can load it cheaply.

Rules speak in the resources' own property names (``ip_masking_level`` of TrackerSettings, ``gdpr`` of
SitePrivacy, ...), so a rule can be applied to a component's inputs and to a resource's properties alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

#: Trackers may live at most 13 months (CNIL deliberation 2020-091, art. 5): 13 x 30 days x 86,400 s.
MAX_COOKIE_LIFETIME_SECONDS = 33_696_000
#: Collected data may be kept at most 25 months.
MAX_RETENTION_MONTHS = 25


class How(StrEnum):
    """How the project can make a requirement hold (cnil-exemption.md §2, "Kinds")."""

    API = "API"
    CHECK = "check"
    ATTEST = "attest"
    TEXT = "text"


class Status(StrEnum):
    """A requirement's status in a site's compliance report."""

    ENFORCED = "enforced by API"
    CHECKED = "checked"
    ATTESTED = "attested"
    PENDING = "pending manual step"
    NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class Requirement:
    number: int
    key: str
    title: str
    seed_section: str
    how: tuple[How, ...]


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        1,
        "ip-masking",
        "Mask IP addresses (at least 1 byte)",
        "Administration → Plate-forme → Paramètres de confidentialité → Masquer les adresses IP",
        (How.API, How.CHECK),
    ),
    Requirement(
        2,
        "masked-ip-enrichment",
        "Use the masked IP address for data enrichment",
        "Administration → Plate-forme → Paramètres de confidentialité → "
        "Utiliser une adresse IP masquée pour les données",
        (How.API,),
    ),
    Requirement(
        3,
        "ask-consent",
        "Ask visitors for consent",
        "Sites Web et applications → Paramètres → Confidentialité → Demander le consentement des visiteurs",
        (How.API,),
    ),
    Requirement(
        4,
        "cookieless-without-consent",
        "Without consent, collect data without cookies",
        "Sites Web et applications → Paramètres → Confidentialité → Paramètres de consentement → "
        "Collecter des données sans utiliser de cookies",
        (How.API,),
    ),
    Requirement(
        5,
        "exact-url-matching",
        "Track only the site's own URLs (exact URL matching)",
        "Sites Web et applications → Paramètres → Suivi → Correspondance exacte des URL lors du suivi",
        (How.API,),
    ),
    Requirement(
        6,
        "piwik-tag-consent-type",
        "The Piwik PRO tag's consent type is Analytics",
        "Gestionnaire de balises → Balises → balise Piwik PRO → Paramètres de balise avancés → Type de consentement",
        (How.API,),
    ),
    Requirement(
        7,
        "consent-message",
        "Consent form message describing the exempt processing",
        "Gestionnaire de consentement → Modèles de consentement → Choisir un formulaire → Modifier le modèle",
        (How.API, How.TEXT),
    ),
    Requirement(
        8,
        "privacy-policy",
        "Privacy policy names Piwik PRO, the hosting, retention ≤ 25 months, opt-out",
        "Votre politique de protection des données",
        (How.TEXT, How.ATTEST),
    ),
    Requirement(
        9,
        "opt-out",
        "Visitors can object (opt-out form on the privacy policy page)",
        "Administration → Plate-forme → Générateur de messages de retrait",
        (How.API, How.TEXT),
    ),
    Requirement(
        10,
        "dpa",
        "Data Processing Agreement signed with Piwik PRO",
        "Conditions préalables → Signature de DPA",
        (How.ATTEST,),
    ),
    Requirement(
        11,
        "no-integrations",
        "No integration with other data sources",
        "Intégration avec d'autres sources de données (Analytics → Paramètres → Integrations)",
        (How.ATTEST, How.CHECK),
    ),
    Requirement(
        12,
        "no-identifiers",
        "No custom dimension or other identifier for non-consenting visitors",
        "Intégration avec d'autres sources de données (dimensions personnalisées, identifiants)",
        (How.CHECK,),
    ),
    Requirement(
        13,
        "no-exports",
        "No export of exempt data; export-capable API credentials removed",
        "Exportations de données (Panel d'utilisateurs → Identifiants API)",
        (How.ATTEST,),
    ),
    Requirement(
        14,
        "export-dimensions",
        "If exports are needed: session- and event-scope consent dimensions",
        "Exportations de données (dimension personnalisée de session et d'évènement)",
        (How.API,),
    ),
    Requirement(
        15,
        "session-log-hidden",
        "Session log hidden (Analytics → Rapports)",
        "Exportations de données (Journal de session caché par défaut)",
        (How.ATTEST,),
    ),
    Requirement(
        16,
        "cookie-lifetime",
        "Cookies live at most 13 months and are not extended",
        "Lignes directrices CNIL 2020-091 art. 5 (durée de vie des traceurs)",
        (How.API, How.CHECK),
    ),
    Requirement(
        17,
        "no-cross-site-fingerprinting",
        "No identifier shared across websites (no fingerprinting)",
        "Lignes directrices CNIL 2020-091 art. 5 (pas de suivi inter-sites)",
        (How.API, How.CHECK),
    ),
    Requirement(
        18,
        "geolocation-city",
        "Geolocation no finer than the city",
        "Le champ d'application (zone géographique d'origine des requêtes)",
        (How.API, How.CHECK),
    ),
    Requirement(
        19,
        "retention",
        "Collected data kept at most 25 months",
        "Votre politique de protection des données (période maximale de 25 mois)",
        (How.ATTEST,),
    ),
    Requirement(
        20,
        "hosting",
        "Data hosted in the EU (as the privacy policy states)",
        "Votre politique de protection des données (données hébergées en France)",
        (How.ATTEST,),
    ),
)

BY_NUMBER: dict[int, Requirement] = {r.number: r for r in REQUIREMENTS}
BY_KEY: dict[str, Requirement] = {r.key: r for r in REQUIREMENTS}


@dataclass(frozen=True)
class Violation:
    """One way a configuration breaks the exemption."""

    rule: str
    requirement: Requirement
    resource_type: str
    property: str
    value: Any
    message: str

    def __str__(self) -> str:
        return (
            f"{self.property}: {self.message} (seed requirement #{self.requirement.number}, "
            f"{self.requirement.title} — {self.requirement.seed_section})"
        )


Check = Callable[[Any, Mapping[str, Any]], str | None]


@dataclass(frozen=True)
class Rule:
    """A property of some resource types whose value can break one requirement.

    ``check(value, props)`` returns why the value breaks the requirement, or None. It is only called with a
    known, present value (unknown values during a preview and unmanaged properties are never judged).
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


def _ip_masking(value: Any, _props: Mapping[str, Any]) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if int(value) < 1:
        return f"{int(value)} masks no byte of the IP address; the exemption needs 1, 2, 3 or 4"
    return None


def _must_be(expected: Any, why: str) -> Check:
    def check(value: Any, _props: Mapping[str, Any]) -> str | None:
        return None if value == expected else f"{value!r} is not allowed: {why} (required: {expected!r})"

    return check


def _cookie_lifetime(value: Any, _props: Mapping[str, Any]) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if int(value) > MAX_COOKIE_LIFETIME_SECONDS:
        return f"{int(value)} s is longer than 13 months; allowed: at most {MAX_COOKIE_LIFETIME_SECONDS} s (33,696,000)"
    return None


def _geolocation(value: Any, _props: Mapping[str, Any]) -> str | None:
    if value == "none":
        return "'none' keeps the full precision of the location; allowed: City, Region, Country, Continent"
    return None


def _consent_type(value: Any, props: Mapping[str, Any]) -> str | None:
    # Only the Piwik PRO tracking tag is held to "analytics": found by template (the default) or named so.
    template = props.get("template")
    if template not in (None, "piwik"):
        return None
    if value != "analytics":
        return f"{value!r} is not allowed for the Piwik PRO tag of an exempt site (required: 'analytics')"
    return None


# Words that name a person or a device rather than a page: any of them in a custom dimension's name or
# extraction pattern means the dimension would attach an identifier to visitors who did not consent.
IDENTIFIER_PATTERN = re.compile(
    r"(?ix)"
    r"(?:user|visitor|client|customer|member|account|device|cookie|utilisateur|visiteur)[\s_.-]*(?:id|identifier|identifiant)\b"
    r"|\buser[\s_.-]*id|\buid\b|e-?mail|courriel|\bmail\b|phone|t[ée]l[ée]phone|\bip\b|ip[\s_.-]*address|adresse[\s_.-]*ip"
    r"|login|username|nom[\s_.-]*d[’']utilisateur|fingerprint|empreinte|gclid|fbclid|msclkid|\bsiret\b|\bnir\b"
)


def identifier_in(text: str) -> str | None:
    """The identifier-like word in ``text``, if any."""
    found = IDENTIFIER_PATTERN.search(text or "")
    return found.group(0) if found else None


def _dimension_name(value: Any, _props: Mapping[str, Any]) -> str | None:
    word = identifier_in(str(value)) if isinstance(value, str) else None
    if word:
        return f"{value!r} looks like an identifier ({word!r}); dimensions of exempt data must not identify visitors"
    return None


def _dimension_extractions(value: Any, _props: Mapping[str, Any]) -> str | None:
    if not isinstance(value, list):
        return None
    for extraction in value:
        if not isinstance(extraction, Mapping):
            continue
        pattern = str(extraction.get("pattern", ""))
        word = identifier_in(pattern)
        if word:
            return (
                f"the extraction pattern {pattern!r} targets an identifier ({word!r}); dimensions of exempt data "
                "must not identify visitors"
            )
    return None


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
        _must_be(True, "enrichment must use the masked IP address"),
    ),
    Rule(
        "cnil-exact-url-matching",
        "exact-url-matching",
        TRACKER,
        "exclude_unknown_urls",
        "Only the site's own URLs are tracked",
        _must_be(True, "requests from URLs that are not the site's must be discarded"),
    ),
    Rule(
        "cnil-no-cross-site-fingerprinting",
        "no-cross-site-fingerprinting",
        TRACKER,
        "fingerprinting_across_websites",
        "No visitor identifier is shared across websites",
        _must_be(False, "an identifier shared across websites breaks the exemption"),
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
        _must_be(True, "visitors must be asked for consent"),
    ),
    Rule(
        "cnil-collect-without-consent",
        "cookieless-without-consent",
        ("SitePrivacy",),
        "gdpr_data_anonymization",
        "Non-consenting visitors are measured anonymously",
        _must_be(True, "without consent, data must still be collected anonymously (not dropped)"),
    ),
    Rule(
        "cnil-cookieless-without-consent",
        "cookieless-without-consent",
        ("SitePrivacy",),
        "gdpr_data_anonymization_mode",
        "Non-consenting visitors are measured without cookies",
        _must_be("no_device_storage", "without consent, nothing may be stored on the device"),
    ),
    Rule(
        "cnil-cookie-lifetime",
        "cookie-lifetime",
        ("SitePrivacy",),
        "privacy_cookie_expiration_period",
        "Cookies live at most 13 months",
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


def is_known(value: Any) -> bool:
    """False for values Pulumi does not know yet (preview) and for Pulumi Output objects."""
    if value is None:
        return False
    if type(value).__name__ in ("Output", "Unknown"):
        return False
    # The engine's unknown sentinel as the Python SDK and the policy SDK both spell it.
    return not (isinstance(value, str) and value == "04da6b54-80e4-46f7-96ec-b56ff0331ba9")


def violations(resource_type: str, props: Mapping[str, Any], rules: Iterable[Rule] = RULES) -> list[Violation]:
    """Every rule that the properties of one resource break (``resource_type`` may be a full type token)."""
    kind = short_type(resource_type)
    found: list[Violation] = []
    for rule in rules:
        if kind not in rule.resource_types or rule.property not in props:
            continue
        value = props[rule.property]
        if not is_known(value):
            continue
        reason = rule.check(value, props)
        if reason:
            found.append(Violation(rule.name, BY_KEY[rule.requirement], kind, rule.property, value, reason))
    return found


# --- Reports ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    number: int
    requirement: str
    status: Status
    seed_section: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        # The seed section is not repeated in every stack's state: render_markdown looks it up by number.
        return {
            "number": self.number,
            "requirement": self.requirement,
            "status": str(self.status),
            "detail": self.detail,
        }


def row(key: str, status: Status, detail: str) -> ReportRow:
    req = BY_KEY[key]
    return ReportRow(req.number, req.title, status, req.seed_section, detail)


def render_markdown(title: str, rows: Iterable[Mapping[str, Any]], open_questions: Iterable[str] = ()) -> str:
    """A compliance report as a Markdown table (rows as produced by ``ReportRow.as_dict``)."""
    lines = [f"### {title}", "", "| # | Requirement | Status | Seed section | Detail |", "|---|---|---|---|---|"]
    for r in sorted(rows, key=lambda r: int(r["number"])):
        detail = str(r["detail"]).replace("|", "\\|").replace("\n", " ")
        section = r.get("seed_section") or BY_NUMBER[int(r["number"])].seed_section
        lines.append(f"| {r['number']} | {r['requirement']} | {r['status']} | {section} | {detail} |")
    questions = list(open_questions)
    if questions:
        lines += ["", "Open questions (not published by Piwik PRO):"]
        lines += [f"- {q}" for q in questions]
    return "\n".join(lines) + "\n"


OPEN_QUESTIONS: tuple[str, ...] = (
    "What the app flag `cnil: true` changes server-side is not documented.",
    "Whether a Consent Manager template API exists for an account is not documented (none is published).",
    'Whether the UI\'s "exact URL matching" is more than `exclude_unknown_urls` (a "starts with" rule).',
)
