"""The CNIL consent exemption as data: the requirements, the rules that break them, and the one judge of both.

This module is the single source of the compliance rules (docs/cnil-exemption.md). The CnilExemptSite component
uses them to refuse a non-compliant configuration before anything is sent and to report on the live values; the
CrossGuard policy pack (policy_pack/) uses them to stop a stack whose resources would break the exemption; the PR
renderer uses them for the compliance delta; command-line tools use :func:`judge_site` on values they read over
the API. It imports nothing from Pulumi so that all of them can load it cheaply.

Rules speak in the resources' own property names (``ip_masking_level`` of TrackerSettings, ``gdpr`` of
SitePrivacy, ...), so a rule can be applied to a component's inputs and to a resource's live outputs alike.

The judge's contract (what :func:`judge_site` takes and returns)
-----------------------------------------------------------------

``judge_site(live, declared)`` returns one :class:`ReportRow` per entry of :data:`REQUIREMENTS`, broken rows first.

* ``live`` maps a resource short type to its live output properties, in the resources' property names:
  a single mapping for ``"TrackerSettings"``, ``"SitePrivacy"`` and ``"TagConsentType"``; a list of mappings for
  ``"CustomDimension"`` (*every* dimension of the app, as SiteCustomDimensions lists them, with ``name``,
  ``scope``, ``active``, ``extractions``, ``dimension_id``) and ``"ConsentTemplate"`` (``language``, ``message``,
  ``mode``, ``pending_manual_step``). A type that was not read is left out; a property not read is left out or
  ``None``.
* ``declared`` (:class:`Declared`) holds what no API answers: the site name, the attestations, ``exports_needed``,
  ``consent_template_mode``, the consent languages, the component's own export dimensions and the judging
  :class:`Options` (identifier patterns).
* The status of a row backed by rules is the verdict of :data:`RULES` on the live values: ``broken`` when a live
  value breaks a rule (the row's ``violations`` name the rule, resource, property and live value), otherwise
  ``enforced by API`` (``checked`` for a requirement that is only checked) when every value the rules need was
  read, otherwise ``not read``. An absent or unknown value never makes a row enforced or checked. Inactive
  custom dimensions collect nothing and are not judged (the API cannot delete one: removing means deactivating).
* Rows that no rule backs are judged by :data:`ROW_JUDGES` (consent texts, export dimensions) or by their
  attestation (``Requirement.attestation``); an attestation stated ``False`` is ``broken``.

The tables are data: a new requirement is a :class:`Requirement` entry, a new rule a :class:`Rule` entry (its
``check(value, props, options)`` returns why a value breaks the requirement), a requirement judged otherwise a
:data:`ROW_JUDGES` entry. :meth:`Violation.text` is the one message formatter of a broken rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache, partial
from typing import Any

from pydantic import ConfigDict

from piwik_resources.api.models import GEOLOCATION_LEVEL_VALUES
from piwik_resources.unknown import is_known

#: Trackers may live at most 13 months (CNIL deliberation 2020-091, art. 5): 13 x 30 days x 86,400 s.
MAX_COOKIE_LIFETIME_SECONDS = 33_696_000
#: Collected data may be kept at most 25 months.
MAX_RETENTION_MONTHS = 25


#: The criteria profiles a site can be judged under (CnilExemptSiteArgs.cnil_profile; docs/cnil-criteria.md).
CNIL_PROFILES = ("cnil-2025", "seed-2021")
DEFAULT_CNIL_PROFILE = "cnil-2025"
#: Why a profile reads the criteria as it does; the report prints the note of the site's profile.
PROFILE_NOTES: dict[str, str] = {
    "cnil-2025": (
        "the CNIL's criteria since 4 July 2025, strict reading: campaign parameters are collected for nobody, "
        "because tracker settings apply to every visitor of the app and Piwik PRO does not publish whether its "
        "cookieless mode drops campaign data for visitors who did not consent; consenting visitors lose campaign "
        "attribution too"
    ),
    "seed-2021": (
        "the seed guide's 2021 programme where it differs from the 2025 criteria: campaign parameters and the "
        "referring page are left as the account has them, so consenting visitors keep campaign attribution; the "
        "2025 rows on campaign identifiers and referrers are not applied (not applicable) and the site is not "
        "judged against them"
    ),
}
SEED_GUIDE = "Seed guide (Piwik PRO's configuration guide for the CNIL's 2021 programme)"
CNIL_PAGE = "CNIL page « Cookies : solutions pour les outils de mesure d'audience » (updated 4 July 2025)"
CNIL_TOOL = "CNIL self-assessment tool (July 2025) as restated by a law firm and vendors"
SOURCE_QUALITY = (
    "[P] the CNIL's own page or deliberation; [S] a restatement (the seed guide, or a law firm's or vendor's "
    "reading of the CNIL's self-assessment tool): the best current reading, not the CNIL's words"
)
CNIL_2020_091 = "CNIL deliberation 2020-091 art. 5 and the CNIL page (trackers at most 13 months, not extended)"


class How(StrEnum):
    """How the project can make a requirement hold (docs/cnil-exemption.md §2)."""

    API = "API"
    CHECK = "check"
    ATTEST = "attest"
    TEXT = "text"


class Status(StrEnum):
    """A requirement's status in a site's compliance report (a report shows broken rows first)."""

    BROKEN = "broken"
    NOT_READ = "not read"
    PENDING = "pending manual step"
    ENFORCED = "enforced by API"
    CHECKED = "checked"
    ATTESTED = "attested"
    NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class Requirement:
    """One requirement of the exemption (docs/cnil-exemption.md §2).

    ``attestation`` names the :class:`Attestations` field that states it when no API can; ``done`` (may use
    ``{value}``) and ``todo`` are the report's texts for it attested and not yet; ``refuse_false`` says that the
    attestation stated ``False`` breaks the exemption. ``note`` is added to the detail of a rule-backed row.
    """

    number: int
    key: str
    title: str
    seed_section: str
    how: tuple[How, ...]
    attestation: str | None = None
    done: str = ""
    todo: str = ""
    refuse_false: bool = False
    note: str = ""
    #: Where the requirement comes from and how good that source is (docs/cnil-criteria.md): ``[P]`` the CNIL's
    #: own page or deliberation, ``[S]`` a restatement (the seed guide, a vendor's or a law firm's reading of the
    #: CNIL's self-assessment tool: best current reading, never the CNIL's words). Empty = the seed guide section.
    source: str = ""
    quality: str = "[S]"
    #: The criteria profiles (CnilExemptSiteArgs.cnil_profile) that hold a site to this requirement.
    profiles: tuple[str, ...] = ("cnil-2025", "seed-2021")
    #: Live properties (``Kind.property``) the report shows as read without judging them.
    reads: tuple[str, ...] = ()

    @property
    def cited_source(self) -> str:
        """The source as a report cites it (the seed guide's section when no other source is named)."""
        return self.source or f"{SEED_GUIDE}: {self.seed_section}"

    @property
    def reference(self) -> str:
        """How a message cites the requirement."""
        return f"seed requirement #{self.number}, {self.title} — {self.seed_section}"


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        1,
        "ip-masking",
        "Mask IP addresses (at least 1 byte)",
        "Administration → Plate-forme → Paramètres de confidentialité → Masquer les adresses IP",
        (How.API, How.CHECK),
        note="the app's own value; the account-wide one is CnilAccount's",
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
        note='with the site\'s urls: a "starts with" rule, no exact-match field is published',
    ),
    Requirement(
        6,
        "piwik-tag-consent-type",
        "The Piwik PRO tag's consent type is Analytics",
        "Gestionnaire de balises → Balises → balise Piwik PRO → Paramètres de balise avancés → Type de consentement",
        (How.API,),
        note="the draft is published after each change; whether the published version holds it is not read",
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
        attestation="privacy_policy_published",
        done="privacy policy published with the generated paragraph (attested)",
        todo="publish the generated paragraph (output privacy_policy), then attest privacy_policy_published",
    ),
    Requirement(
        9,
        "opt-out",
        "Visitors can object (opt-out form on the privacy policy page)",
        "Administration → Plate-forme → Générateur de messages de retrait",
        (How.API, How.TEXT),
        attestation="opt_out_form_published",
        done="opt-out form published on the privacy policy page (attested; its code is read over the API)",
        todo="paste the opt-out form code (output opt_out_code), then attest opt_out_form_published",
    ),
    Requirement(
        10,
        "dpa",
        "Data Processing Agreement signed with Piwik PRO",
        "Conditions préalables → Signature de DPA",
        (How.ATTEST,),
        attestation="dpa_signed",
        done="DPA signed (attested)",
        todo="sign the DPA (legal+dpa@piwik.pro), then attest dpa_signed",
        refuse_false=True,
    ),
    Requirement(
        11,
        "no-integrations",
        "No integration with other data sources",
        "Intégration avec d'autres sources de données (Analytics → Paramètres → Integrations)",
        (How.ATTEST, How.CHECK),
        attestation="integrations_off",
        done="integrations off (attested; identifying dimensions are judged in #12)",
        todo="check Analytics → Settings → Integrations, then attest integrations_off",
        refuse_false=True,
    ),
    Requirement(
        12,
        "no-identifiers",
        "No custom dimension or other identifier for non-consenting visitors",
        "Intégration avec d'autres sources de données (dimensions personnalisées, identifiants)",
        (How.CHECK,),
        note="the Piwik PRO tag's user id is not read",
    ),
    Requirement(
        13,
        "no-exports",
        "No export of exempt data; export-capable API credentials removed",
        "Exportations de données (Panel d'utilisateurs → Identifiants API)",
        (How.ATTEST,),
        attestation="no_export_credentials",
        done="no export-capable API credentials (attested)",
        todo="remove API credentials with export access, then attest no_export_credentials",
        refuse_false=True,
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
        attestation="session_log_hidden",
        done="session log hidden (attested)",
        todo="check that Analytics → Reports → Session log is hidden, then attest session_log_hidden",
        refuse_false=True,
    ),
    Requirement(
        16,
        "cookie-lifetime",
        "The analytics visitor cookie lives at most 13 months",
        "Lignes directrices CNIL 2020-091 art. 5 (durée de vie des traceurs)",
        (How.API, How.CHECK),
        note="whether Piwik PRO extends the visitor cookie on each visit is not published; the consent-record "
        "cookie is #21",
        source=f"{CNIL_2020_091}; field: Tag Manager, Piwik PRO tag template_options.visitor_cookie_timeout, "
        '"Visitor cookie timeout in seconds"',
        quality="[P]",
    ),
    Requirement(
        17,
        "no-cross-site-fingerprinting",
        "No identifier shared across websites (no fingerprinting)",
        "Lignes directrices CNIL 2020-091 art. 5 (pas de suivi inter-sites)",
        (How.API, How.CHECK),
        note="2025 criterion (a fingerprint or hash has a site-specific and a time component): how Piwik PRO "
        "builds its session hash is not published; use_session_hash, use_anonymous_session_hash and "
        "tracking_fingerprint_disabled are shown when a TrackerSettings manages them",
        source=f"{CNIL_PAGE}: no identifier shared by several sites; tracker setting "
        'enable_fingerprinting_across_websites, "tracker will try to generate unified visitor_id even when user '
        'visits different websites"',
        quality="[P]",
        reads=(
            "TrackerSettings.use_anonymous_session_hash",
            "TrackerSettings.use_session_hash",
            "TrackerSettings.tracking_fingerprint_disabled",
        ),
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
        attestation="retention_months",
        done="data kept {value} months (attested; plan-bound)",
        todo="check the plan's retention (≤ 25 months), then attest retention_months",
    ),
    Requirement(
        20,
        "hosting",
        "Data hosted in the EU (as the privacy policy states)",
        "Votre politique de protection des données (données hébergées en France)",
        (How.ATTEST,),
        attestation="hosting_region",
        done="hosted in {value} (attested)",
        todo="state the account's hosting region in attestations.hosting_region",
    ),
    # --- The CNIL's criteria since July 2025 beyond the seed's 20 (docs/cnil-criteria.md) -------------------
    Requirement(
        21,
        "consent-cookie-lifetime",
        "The privacy cookie (the visitor's consent record) lives at most 13 months",
        "Sites Web et applications → Paramètres → Confidentialité (cookie de confidentialité)",
        (How.API, How.CHECK),
        source=f"{CNIL_2020_091}; field: Apps API privacyCookieExpirationPeriod, "
        '"Privacy cookie expiration period (in seconds, default is one year)"',
        quality="[P]",
    ),
    Requirement(
        22,
        "no-marketing-without-consent",
        "No marketing, A/B-testing or heatmap tag fires without consent",
        "Gestionnaire de balises → Balises (type de consentement de chaque balise)",
        (How.CHECK,),
        note="every tag of the app's container, read over the API; the templates judged are "
        "docs/cnil-criteria.md's list",
        source=f"{CNIL_TOOL}: marketing measurement (channels, campaigns, conversions) and A/B cohorts off for "
        f"visitors who did not consent; {CNIL_PAGE}: purpose strictly limited to audience measurement",
    ),
    Requirement(
        23,
        "no-campaign-identifiers",
        "No campaign or CRM identifiers taken from URLs",
        "Paramètres de suivi → Paramètres de campagne / Paramètres d'URL exclus",
        (How.API, How.CHECK),
        note="applies to every visitor, consenting or not (see the profile note)",
        source=f"{CNIL_TOOL}: no customer/CRM identifier, UTM or campaign identifier taken from URLs; tracker "
        'settings campaign_*_params, "URL query parameters that could contain name of the campaign" (and keyword, '
        "source, medium, content, id)",
        profiles=("cnil-2025",),
    ),
    Requirement(
        24,
        "few-event-types",
        "Only a few event types (page views, interactions, load / scroll / reading time) without consent",
        "Le champ d'application (mesures strictement nécessaires)",
        (How.CHECK,),
        note="goal-conversion, e-commerce and video tags judged on the live container; the app's "
        "eCommerceTracking switch is not read",
        source=f"{CNIL_TOOL}: at most a few event types; seed guide: the seven strictly necessary measures",
    ),
    Requirement(
        25,
        "referrer-host-only",
        "Referrers reduced to their host",
        "Le champ d'application (référents par page)",
        (How.ATTEST,),
        attestation="referrer_host_only",
        done="referrers reduced to their host (attested; no published field)",
        todo="check that reports keep only the referring host, then attest referrer_host_only",
        refuse_false=True,
        source=f"{CNIL_TOOL}: referrer reduced to its host (the seed's scope list allows the referring page)",
        profiles=("cnil-2025",),
    ),
    Requirement(
        26,
        "aggregated-reports",
        "Reports aggregated; no single-visitor path, no session replay",
        "Exportations de données (journal de session)",
        (How.ATTEST,),
        attestation="reports_aggregated",
        done="reports aggregated, no single-visitor path (attested; heatmap and replay tags are judged in #22)",
        todo="check that no report shows a single visitor's path, then attest reports_aggregated",
        refuse_false=True,
        source=f"{CNIL_TOOL}: reports aggregated (rounded, or an anonymity analysis); no single-user path, no "
        "session replay",
    ),
    Requirement(
        27,
        "first-party-trackers",
        "First-party trackers only, scoped to the site (no cross-domain tracking)",
        "Gestionnaire de balises → balise Piwik PRO → Suivi inter-domaines",
        (How.API, How.CHECK),
        source=f"{CNIL_PAGE}: no tracking across sites or apps; field: Tag Manager, Piwik PRO tag "
        'template_options.cross_domain_tracking, "Enables cross domain tracking"',
        quality="[P]",
    ),
    Requirement(
        28,
        "tag-respects-opt-out",
        "The Piwik PRO tag respects the visitor's opt-out (and Do Not Track)",
        "Gestionnaire de balises → balise Piwik PRO → Respecter la vie privée des visiteurs",
        (How.API, How.CHECK),
        source=f"{CNIL_TOOL}: an opt-out that lasts; field: Tag Manager tag respect_visitors_privacy, "
        '"Flag describing whether tag should respect visitors privacy settings (DNT header, opt-out)"',
    ),
    Requirement(
        29,
        "no-vendor-reuse",
        "No pooling of clients' data and no reuse by Piwik PRO for any purpose",
        "Conditions préalables → Signature de DPA",
        (How.ATTEST,),
        attestation="no_vendor_reuse",
        done="no pooling and no reuse by the vendor (attested; the DPA is #10)",
        todo="check the DPA's terms on pooling and reuse, then attest no_vendor_reuse",
        refuse_false=True,
        source=f"{CNIL_TOOL}: DPA; no pooling of clients' data; no reuse by the vendor",
    ),
    Requirement(
        30,
        "audience-only-purpose",
        "Purpose limited to this site's audience, for the publisher alone; anonymous statistics, no cross-referencing",
        "Conditions préalables",
        (How.ATTEST,),
        attestation="audience_only_purpose",
        done="data used only for this site's audience statistics, by the publisher alone (attested)",
        todo="check that the data serve only this site's audience statistics, then attest audience_only_purpose",
        refuse_false=True,
        source=f"{CNIL_PAGE}: purpose strictly limited to measuring this site's audience, for the publisher alone; "
        "anonymous statistics only; no cross-referencing; no non-anonymous data to third parties",
        quality="[P]",
    ),
)

BY_NUMBER: dict[int, Requirement] = {r.number: r for r in REQUIREMENTS}
BY_KEY: dict[str, Requirement] = {r.key: r for r in REQUIREMENTS}


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


# --- Options and rules -----------------------------------------------------------------------------------------

#: Patterns (case-insensitive regular expressions) of words that name a person or a device rather than a page:
#: any of them in a custom dimension's name or extraction pattern means the dimension would attach an identifier
#: to visitors who did not consent. Documented in docs/cnil-exemption.md; CnilExemptSiteArgs.identifier_patterns
#: replaces the list.
DEFAULT_IDENTIFIER_PATTERNS: tuple[str, ...] = (
    r"(?:user|visitor|client|customer|member|account|device|cookie|crm|utilisateur|visiteur)[\s_.-]*"
    r"(?:id|identifier|identifiant)\b",
    r"(?:customer|client)[\s_.-]*(?:number|no|num|nr|numéro)\b",
    r"\buser[\s_.-]*id",
    r"\buid\b",
    r"\bcrm\b",
    r"e-?mail",
    r"courriel",
    r"\bmail\b",
    r"phone",
    r"t[ée]l[ée]phone",
    r"\bip\b",
    r"ip[\s_.-]*address",
    r"adresse[\s_.-]*ip",
    r"login",
    r"username",
    r"nom[\s_.-]*d[’']utilisateur",
    r"fingerprint",
    r"empreinte",
    r"gclid",
    r"fbclid",
    r"msclkid",
    r"\bsiret\b",
    r"\bnir\b",
)


@lru_cache(maxsize=32)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def identifier_in(text: str, patterns: Sequence[str] = DEFAULT_IDENTIFIER_PATTERNS) -> str | None:
    """The identifier-like word in ``text``, if any."""
    if not patterns:
        return None
    found = _compiled(tuple(patterns)).search(text or "")
    return found.group(0) if found else None


@dataclass(frozen=True)
class Options:
    """What a user may tune in the judging; handed to every rule's check."""

    identifier_patterns: tuple[str, ...] = DEFAULT_IDENTIFIER_PATTERNS


DEFAULT_OPTIONS = Options()

Check = Callable[[Any, Mapping[str, Any], Options], str | None]


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


def _number(value: Any) -> int | None:
    """Numbers come back from the engine as floats (30 -> 30.0); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def _ip_masking(value: Any, _props: Mapping[str, Any], _options: Options) -> str | None:
    level = _number(value)
    if level is not None and level < 1:
        return f"{level} masks no byte of the IP address; the exemption needs 1, 2, 3 or 4"
    return None


# The parametrised checks below are module-level functions bound with functools.partial rather than closures
# made by a factory: RULES is built at import, so a factory's body would never run under `make mutation`'s
# mutants (docs/mutation.md), while a bound function runs on every judged value.
def _must_be(expected: Any, why: str, value: Any, _props: Mapping[str, Any], _options: Options) -> str | None:
    """``partial(_must_be, expected, why)``: the value must be ``expected``."""
    return None if value == expected else f"{value!r} is not allowed: {why} (required: {expected!r})"


def _cookie_lifetime(value: Any, _props: Mapping[str, Any], _options: Options) -> str | None:
    seconds = _number(value)
    if seconds is not None and seconds > MAX_COOKIE_LIFETIME_SECONDS:
        return f"{seconds} s is longer than 13 months; allowed: at most {MAX_COOKIE_LIFETIME_SECONDS} s (33,696,000)"
    return None


#: The geolocation levels the exemption allows: every published level but ``none`` (full precision).
EXEMPT_GEOLOCATION_LEVELS = tuple(level for level in GEOLOCATION_LEVEL_VALUES if level != "none")


def _geolocation(value: Any, _props: Mapping[str, Any], _options: Options) -> str | None:
    if value == "none":
        return f"'none' keeps the full precision of the location; allowed: {', '.join(EXEMPT_GEOLOCATION_LEVELS)}"
    return None


def _consent_type(value: Any, props: Mapping[str, Any], _options: Options) -> str | None:
    # Only the Piwik PRO tracking tag is held to "analytics": found by template (the default) or named so.
    template = props.get("template")
    if template not in (None, "piwik"):
        return None
    if value != "analytics":
        return f"{value!r} is not allowed for the Piwik PRO tag of an exempt site (required: 'analytics')"
    return None


def _dimension_name(value: Any, _props: Mapping[str, Any], options: Options) -> str | None:
    word = identifier_in(value, options.identifier_patterns) if isinstance(value, str) else None
    if word:
        return f"{value!r} looks like an identifier ({word!r}); dimensions of exempt data must not identify visitors"
    return None


def _dimension_extractions(value: Any, _props: Mapping[str, Any], options: Options) -> str | None:
    if not isinstance(value, list):
        return None
    for extraction in value:
        if not isinstance(extraction, Mapping):
            continue
        pattern = str(extraction.get("pattern", ""))
        word = identifier_in(pattern, options.identifier_patterns)
        if word:
            return (
                f"the extraction pattern {pattern!r} targets an identifier ({word!r}); dimensions of exempt data "
                "must not identify visitors"
            )
    return None


def _piwik_tag_only(check: Check, value: Any, props: Mapping[str, Any], options: Options) -> str | None:
    """``partial(_piwik_tag_only, check)``: a check of the Piwik PRO tracking tag's own options (other templates
    have none of them)."""
    return check(value, props, options) if props.get("template") in (None, "piwik") else None


#: Tag Manager templates of tags that measure marketing, run A/B tests or record heatmaps / sessions: none may
#: fire without consent (requirement #22; the list is this project's reading of the template enum,
#: docs/cnil-criteria.md).
CONSENT_ONLY_TEMPLATES: dict[str, str] = {
    **dict.fromkeys(
        (
            "google_adwords",
            "facebook_retargeting_pixel",
            "linkedin",
            "bing_ads",
            "doubleclick_floodlight",
            "adroll",
            "hub_spot",
            "marketo",
            "mautic",
            "sales_manago",
            "salesforce_pardot",
        ),
        "marketing",
    ),
    **dict.fromkeys(("ab_tasty", "optimizely", "visual_website_optimizer"), "A/B testing"),
    **dict.fromkeys(("heatmaps", "crazy_egg", "hot_jar", "click_tale"), "heatmap / session recording"),
}
#: Templates that measure more than the few event types allowed without consent (requirement #24).
EXTRA_EVENT_TEMPLATES: dict[str, str] = {
    "piwik_goal_conversion": "goal conversion",
    **dict.fromkeys(
        (
            "ecommerce_order",
            "ecommerce_add_to_cart",
            "ecommerce_remove_from_cart",
            "ecommerce_product_detail_view",
            "ecommerce_cart_update",
        ),
        "e-commerce",
    ),
    **dict.fromkeys(("video_html5", "video_youtube"), "video"),
}
NO_CONSENT = "not_require_consent"


def _tags_firing_without_consent(
    templates: Mapping[str, str], what: str, value: Any, _props: Mapping[str, Any], _options: Options
) -> str | None:
    """``partial(_tags_firing_without_consent, templates, what)``: a check of a container's live tags: no active
    tag of ``templates`` fires without consent."""
    if not isinstance(value, list):
        return None
    found = [
        f"{t.get('name')!r} ({t.get('template')}, {templates[str(t.get('template'))]}, tag {t.get('tag_id')})"
        for t in value
        if isinstance(t, Mapping)
        and t.get("template") in templates
        and t.get("consent_type") == NO_CONSENT
        and t.get("is_active") is not False
    ]
    if not found:
        return None
    return (
        f"active tag(s) firing without consent ({NO_CONSENT}): {', '.join(found)}; {what} needs the visitor's "
        "consent (set another consent type or deactivate the tag)"
    )


#: The tracker settings that read campaign data from URLs; each must be empty under cnil-2025 (requirement #23).
CAMPAIGN_PARAM_SETTINGS = (
    "campaign_name_params",
    "campaign_keyword_params",
    "campaign_source_params",
    "campaign_medium_params",
    "campaign_content_params",
    "campaign_id_params",
)
#: What CnilExemptSite adds to excluded_url_query_parameters (the API's url_query_parameter_to_exclude_from_url,
#: which takes /regular expressions/) so that campaign and click keys never reach a stored URL either.
CAMPAIGN_URL_EXCLUSIONS = ("/^(utm|pk|mtm|piwik|matomo)_/", "gclid", "fbclid", "msclkid", "dclid")
#: Keys that must be excluded from URLs: the campaign settings' initial global values and the click ids.
CAMPAIGN_KEYS = (
    "utm_campaign",
    "utm_term",
    "utm_source",
    "utm_medium",
    "utm_content",
    "utm_id",
    "pk_campaign",
    "pk_cpn",
    "pk_kwd",
    "pk_keyword",
    "pk_source",
    "pk_medium",
    "pk_content",
    "pk_cid",
    "piwik_campaign",
    "piwik_kwd",
    "mtm_campaign",
    "gclid",
    "fbclid",
    "msclkid",
)


def excluded_from_urls(key: str, entries: Iterable[Any]) -> bool:
    """Whether the query key is excluded by an entry of url_query_parameter_to_exclude_from_url."""
    for entry in entries:
        text = str(entry)
        if len(text) > 2 and text.startswith("/") and text.endswith("/"):
            try:
                if re.search(text[1:-1], key):
                    return True
            except re.error:
                continue
        elif text.casefold() == key.casefold():
            return True
    return False


def _empty_list(value: Any, _props: Mapping[str, Any], _options: Options) -> str | None:
    if isinstance(value, list) and value:
        return f"{value!r} reads campaign data from URLs; allowed: [] (no campaign parameter)"
    return None


def _campaign_keys_excluded(value: Any, _props: Mapping[str, Any], _options: Options) -> str | None:
    if not isinstance(value, list):
        return None
    missing = [key for key in CAMPAIGN_KEYS if not excluded_from_urls(key, value)]
    if missing:
        return (
            f"campaign keys {', '.join(missing)} stay in the tracked URLs; add them (or /^(utm|pk|mtm|piwik)_/) "
            "to excluded_url_query_parameters (url_query_parameter_to_exclude_from_url)"
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


# --- What no API answers -----------------------------------------------------------------------------------------

# The stack config is validated against these dataclasses (stack_config.py): refuse unknown keys there.
STRICT = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Attestations:
    """What no API can set or read: the user states it; the compliance report shows it as attested.

    ``None`` means "not yet attested" (a pending manual step); ``False`` is a refusal where the requirement says
    ``refuse_false``, because it says the exemption is broken.
    """

    dpa_signed: bool | None = None
    integrations_off: bool | None = None
    no_export_credentials: bool | None = None
    session_log_hidden: bool | None = None
    retention_months: int | None = None
    hosting_region: str | None = None
    privacy_policy_published: bool | None = None
    opt_out_form_published: bool | None = None
    referrer_host_only: bool | None = None
    reports_aggregated: bool | None = None
    no_vendor_reuse: bool | None = None
    audience_only_purpose: bool | None = None
    #: Who made these statements (a name or role, e.g. the DPO) and when (ISO date, YYYY-MM-DD): the evidence
    #: dossier prints both beside every attestation.
    attested_by: str | None = None
    attested_on: str | None = None

    __pydantic_config__ = STRICT


def attestation_problem(requirement: Requirement, value: Any) -> str | None:
    """Why an attested value breaks ``requirement`` (shared by the component's refusals and the report)."""
    if value is False and requirement.refuse_false:
        return f"false, but the exemption needs: {requirement.title}"
    if requirement.key == "retention" and value is not None and not 1 <= value <= MAX_RETENTION_MONTHS:
        return f"{value}; allowed: 1 to {MAX_RETENTION_MONTHS}"
    return None


@dataclass(frozen=True)
class Declared:
    """What the judge needs and no API answers (see the module docstring)."""

    site_name: str
    attestations: Attestations = field(default_factory=Attestations)
    exports_needed: bool = False
    consent_template_mode: str = "manual"
    consent_languages: tuple[str, ...] = ()
    #: The component's own export dimensions: scope -> name.
    export_dimensions: Mapping[str, str] = field(default_factory=dict)
    options: Options = DEFAULT_OPTIONS
    #: The criteria profile the site is judged under (CNIL_PROFILES).
    cnil_profile: str = DEFAULT_CNIL_PROFILE


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


def _subjects(live: Mapping[str, Any], kind: str) -> list[tuple[str, Mapping[str, Any]]] | None:
    """The live objects of one type with a label each; inactive ones left out; None when the type was not read."""
    value = live.get(kind)
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
    """A judged value as the detail shows it; a list of objects (a container's tags) by count and names."""
    if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        return f"{len(value)} read (" + ", ".join(repr(v.get("name")) for v in value) + ")"
    return _short(value)


def _reads(requirement: Requirement, live: Mapping[str, Any]) -> list[str]:
    """The values a requirement shows as read without judging them (``Requirement.reads``), those read."""
    out: list[str] = []
    for path in requirement.reads:
        kind, _, prop = path.partition(".")
        props = live.get(kind)
        value = props.get(prop) if isinstance(props, Mapping) else None
        if is_known(value):
            out.append(f"{path} = {_short(value)} (shown, not judged)")
    return out


@dataclass
class _Verdict:
    found: list[Violation] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)


def _apply(rule: Rule, live: Mapping[str, Any], options: Options, verdict: _Verdict) -> None:
    read_any = False
    for kind in rule.resource_types:
        subjects = _subjects(live, kind)
        if subjects is None:
            continue
        read_any = True
        many = isinstance(live.get(kind), list | tuple)
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


def judge_rules(requirement: Requirement, live: Mapping[str, Any], declared: Declared) -> ReportRow:
    """The verdict of the requirement's RULES on the live values (see the module docstring)."""
    rules = rules_for(requirement.key)
    verdict = _Verdict()
    for rule in rules:
        _apply(rule, live, declared.options, verdict)
    names = tuple(r.name for r in rules)
    if verdict.found:
        detail = "; ".join(v.text(where=True) for v in verdict.found)
        return row(requirement.key, Status.BROKEN, detail, names, verdict.found)
    if verdict.unread:
        detail = "no live value read for " + ", ".join(dict.fromkeys(verdict.unread))
        return row(requirement.key, Status.NOT_READ, detail, names)
    status = Status.ENFORCED if How.API in requirement.how else Status.CHECKED
    seen = list(dict.fromkeys(verdict.seen)) + _reads(requirement, live)
    detail = "; ".join(seen + ([requirement.note] if requirement.note else []))
    return row(requirement.key, status, detail, names)


def judge_attestation(requirement: Requirement, _live: Mapping[str, Any], declared: Declared) -> ReportRow:
    """An attested requirement: attested, pending, or broken when the statement itself breaks it."""
    name = requirement.attestation or ""
    value = getattr(declared.attestations, name, None)
    problem = attestation_problem(requirement, value)
    if problem:
        found = Violation("attestation", requirement, "Attestations", f"attestations.{name}", value, problem)
        return row(requirement.key, Status.BROKEN, found.text(), (), [found])
    if value is not None and value is not False and value != "":
        return row(requirement.key, Status.ATTESTED, requirement.done.format(value=value))
    return row(requirement.key, Status.PENDING, requirement.todo)


def judge_consent_message(requirement: Requirement, live: Mapping[str, Any], declared: Declared) -> ReportRow:
    """#7: in ``api`` mode, every declared language has a live template with a message; ``manual`` is a step."""
    if declared.consent_template_mode != "api":
        detail = (
            "paste the consent message (output consent_message) in the Consent Manager template; "
            "the step and texts are in each ConsentTemplate's manual_instructions"
        )
        return row(requirement.key, Status.PENDING, detail)
    templates = live.get("ConsentTemplate")
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


def judge_export_dimensions(requirement: Requirement, live: Mapping[str, Any], declared: Declared) -> ReportRow:
    """#14: when exports are needed, each export dimension is live, active and of its scope."""
    if not declared.exports_needed:
        return row(requirement.key, Status.NOT_APPLICABLE, "exports_needed is false")
    dimensions = live.get("CustomDimension")
    if dimensions is None:
        return row(requirement.key, Status.NOT_READ, "the app's custom dimensions were not read")
    found: list[Violation] = []
    held: list[str] = []
    for scope, name in declared.export_dimensions.items():
        match = [d for d in dimensions if d.get("name") == name and d.get("scope") == scope]
        active = [d for d in match if d.get("active") is True]
        if active:
            held.append(f"{scope} {name!r} ({active[0].get('dimension_id')})")
            continue
        why = f"no active {scope}-scope dimension {name!r} in the app" + (" (it is inactive)" if match else "")
        value = match[0].get("active") if match else None
        rule = "cnil-export-dimensions-live"
        found.append(Violation(rule, requirement, "CustomDimension", "active", value, why, repr(name)))
    if found:
        return row(requirement.key, Status.BROKEN, "; ".join(v.text(where=True) for v in found), (), found)
    return row(requirement.key, Status.ENFORCED, "live and active: " + ", ".join(held))


RowJudge = Callable[[Requirement, Mapping[str, Any], Declared], ReportRow]

#: Requirements judged by something other than their rules or their attestation.
ROW_JUDGES: dict[str, RowJudge] = {
    "consent-message": judge_consent_message,
    "export-dimensions": judge_export_dimensions,
}


def judge(requirement: Requirement, live: Mapping[str, Any], declared: Declared) -> ReportRow:
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
    live: Mapping[str, Any], declared: Declared, requirements: Iterable[Requirement] = REQUIREMENTS
) -> list[ReportRow]:
    """Every requirement judged on the live values of one site (the contract is in the module docstring)."""
    return in_report_order(judge(r, live, declared) for r in requirements)


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
