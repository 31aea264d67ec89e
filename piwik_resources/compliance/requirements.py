"""The requirements of the CNIL consent exemption, one :class:`Requirement` each (docs/cnil-exemption.md §2).

A requirement says what must hold, where the seed guide (or another source) states it, how the project can make it
hold (:class:`How`) and, when no API can, which attestation states it. The criteria profiles decide which
requirements a site is held to.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, get_args

from .sources import (
    CNIL_2013_378,
    CNIL_2013_378_URL,
    PIWIK_CONSENT_SETTINGS_URL,
    PIWIK_COOKIES_URL,
    P,
    R,
    Source,
    cnil_page,
    piwik_help,
    reading,
    recommendation,
    seed,
    tool,
)

#: Trackers may live at most 13 months (CNIL deliberation 2020-092, art. 5): 13 x 30 days x 86,400 s.
MAX_COOKIE_LIFETIME_SECONDS = 33_696_000
#: Collected data may be kept at most 25 months (the same article).
MAX_RETENTION_MONTHS = 25


#: The criteria profiles a site can be judged under (CnilExemptSiteArgs.cnil_profile; docs/cnil-criteria.md).
CnilProfile = Literal["cnil-2025", "seed-2021"]
CNIL_PROFILES: tuple[str, ...] = get_args(CnilProfile)
DEFAULT_CNIL_PROFILE: CnilProfile = "cnil-2025"
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


#: Statuses that wait for a human (an attestation, a manual step) or for a read.
WAITING = frozenset({Status.PENDING, Status.NOT_READ})


@dataclass(frozen=True)
class Requirement:
    """One requirement of the exemption (docs/cnil-exemption.md §2).

    ``attestation`` names the :class:`Attestations` field that states it when no API can; ``done`` (may use
    ``{value}``) and ``todo`` are the report's texts for it attested and not yet; ``refuse_false`` says that the
    attestation stated ``False`` breaks the exemption; ``unattested`` is the row's status while nothing is attested
    (a manual step, or *not read* where the fact is one an API could but does not publish). ``note`` is added to
    the detail of a rule-backed row, after the origin of ``origin_of`` when it names one.
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
    unattested: Status = Status.PENDING
    note: str = ""
    #: The texts the requirement rests on, strongest first, each with its mark and URL (sources.py). Empty = the
    #: seed guide's section.
    sources: tuple[Source, ...] = ()
    #: The row's own mark when it is not its first source's (a row resting on this project's reading is [R]).
    mark: str = ""
    #: The API fields the check reads, quoted with their own description from the published OpenAPI files.
    field: str = ""
    #: The criteria profiles (CnilExemptSiteArgs.cnil_profile) that hold a site to this requirement.
    profiles: tuple[str, ...] = ("cnil-2025", "seed-2021")
    #: Live properties (``Kind.property``) the report shows as read without judging them.
    reads: tuple[str, ...] = ()
    #: The account's global tracker settings hold it too: CnilAccount writes its rules' values account-wide (the
    #: seed sets IP masking at platform level, « Administration → Plate-forme → Paramètres de confidentialité »).
    account: bool = False
    #: A tracker setting whose origin the detail states: the app's own pinned override, a value that may be
    #: inherited, or the account-wide value (compliance/judge.py, ``origin``).
    origin_of: str = ""

    @property
    def cited(self) -> tuple[Source, ...]:
        """The sources as a report cites them (the seed guide's section when no other source is named)."""
        return self.sources or (seed(self.seed_section),)

    @property
    def quality(self) -> str:
        """The row's mark: ``[P]``, ``[S]`` or ``[R]`` (sources.py)."""
        return self.mark or self.cited[0].mark

    @property
    def cited_source(self) -> str:
        """Every source with its mark and URL, then the fields the check reads."""
        text = "; ".join(source.cited for source in self.cited)
        return f"{text}; field: {self.field}" if self.field else text

    @property
    def source_urls(self) -> tuple[str, ...]:
        return tuple(source.url for source in self.cited if source.url)

    @property
    def reference(self) -> str:
        """How a message cites the requirement."""
        return f"seed requirement #{self.number}, {self.title} — {self.seed_section}"


_ONLY_AUDIENCE = cnil_page(
    "« être utilisés pour une finalité strictement limitée à la seule mesure de l'audience du site ou de "
    "l'application […], pour le compte exclusif de l'éditeur »"
)
_NO_CROSS_SITE = cnil_page(
    "« ne doivent pas […] permettre le suivi global de la navigation de la personne utilisant différentes "
    "applications ou naviguant sur différents sites web. Toute solution utilisant un même identifiant à travers "
    "plusieurs sites […] est exclue »"
)
_THIRTEEN_MONTHS = recommendation(
    "« la durée de vie des traceurs soit limitée à une durée permettant une comparaison pertinente des audiences "
    "dans le temps, comme c'est le cas d'une durée de treize mois, et qu'elle ne soit pas prorogée automatiquement "
    "lors des nouvelles visites »"
)
_TWENTY_FIVE_MONTHS = recommendation(
    "the information collected through the trackers kept at most 25 months (the same list of recommendations)"
)
_INFORMED = recommendation(
    "« les utilisateurs soient informés de la mise en œuvre de ces traceurs, par exemple via la politique de "
    "confidentialité du site ou de l'application mobile »"
)
_NO_CROSS_REFERENCING = cnil_page(
    "« ne doivent pas conduire à un recoupement des données avec d'autres traitements ou à ce que les données non "
    "anonymes soient transmises à des tiers »"
)
_TAG_OPTIONS = "Tag Manager, Piwik PRO tag template_options"


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(
        number=1,
        key="ip-masking",
        title="Mask IP addresses (at least 1 byte)",
        seed_section="Administration → Plate-forme → Paramètres de confidentialité → Masquer les adresses IP",
        how=(How.API, How.CHECK),
        account=True,
        origin_of="ip_masking_level",
        sources=(
            seed("« Masquer les adresses IP → Activer. Au moins 1 octet doit être masqué. »"),
            tool("IP address truncated by at least its last octet"),
        ),
        field="tracker settings anonymize_visitor_ip_level (levels 0–4; 0 masks nothing)",
    ),
    Requirement(
        number=2,
        key="masked-ip-enrichment",
        title="Use the masked IP address for data enrichment",
        seed_section="Administration → Plate-forme → Paramètres de confidentialité → "
        "Utiliser une adresse IP masquée pour les données",
        how=(How.API,),
        account=True,
        field="tracker settings fingerprint_based_on_anonymized_ip",
    ),
    Requirement(
        number=3,
        key="ask-consent",
        title="Ask visitors for consent",
        seed_section="Sites Web et applications → Paramètres → Confidentialité → "
        "Demander le consentement des visiteurs",
        how=(How.API,),
        field='Apps API gdpr, "Enable collection of privacy consent"',
    ),
    Requirement(
        number=4,
        key="cookieless-without-consent",
        title="Without consent, collect data without cookies (and no tag trigger sets one)",
        seed_section="Sites Web et applications → Paramètres → Confidentialité → Paramètres de consentement → "
        "Collecter des données sans utiliser de cookies",
        how=(How.API, How.CHECK),
        sources=(
            seed(
                "« Lorsque les visiteurs ne donnent pas leur consentement → Activer Collecter des données sans "
                "utiliser de cookies »"
            ),
            piwik_help(
                "Setting up Consent Manager",
                "« Some triggers in Tag Manager create cookies to function correctly »: the event conditions Traffic "
                "source, Returning visitor, Campaign and External referrer, and the multiplicities « once per "
                "session », « multiple times per session, excluding first » and « once per page view »",
                PIWIK_CONSENT_SETTINGS_URL,
            ),
        ),
        field="Apps API gdprDataAnonymization, gdprDataAnonymizationMode; the triggers of every tag that fires "
        "without consent",
    ),
    Requirement(
        number=5,
        key="exact-url-matching",
        title="Track only the site's own URLs (exact URL matching)",
        seed_section="Sites Web et applications → Paramètres → Suivi → Correspondance exacte des URL lors du suivi",
        how=(How.API, How.CHECK),
        note='no exact-match field is published: exclude_unknown_urls is a "starts with" rule on the app\'s urls, '
        "each of which ends its host with a path separator so that a lookalike host does not start with it",
        field='tracker settings exclude_unknown_urls, "When enabled, tracker discards all requests originating from '
        'urls absent in `urls` collection"; Apps API excludeUnknownUrls, "Track only visits and actions when URL '
        "starts with one of `urls`\"; the app's urls",
    ),
    Requirement(
        number=6,
        key="piwik-tag-consent-type",
        title="The Piwik PRO tag's consent type is Analytics",
        seed_section="Gestionnaire de balises → Balises → balise Piwik PRO → Paramètres de balise avancés → "
        "Type de consentement",
        how=(How.API,),
        field="Tag Manager tag consent_type (the published version where it can be read)",
    ),
    Requirement(
        number=7,
        key="consent-message",
        title="Consent form message describing the exempt processing",
        seed_section="Gestionnaire de consentement → Modèles de consentement → Choisir un formulaire → "
        "Modifier le modèle",
        how=(How.API, How.TEXT),
    ),
    Requirement(
        number=8,
        key="privacy-policy",
        title="Privacy policy names Piwik PRO, the hosting, retention ≤ 25 months, opt-out",
        seed_section="Votre politique de protection des données",
        how=(How.TEXT, How.ATTEST),
        attestation="privacy_policy_published",
        done="privacy policy published with the generated paragraph (attested)",
        todo="publish the generated paragraph (output privacy_policy), then attest privacy_policy_published",
        refuse_false=True,
        sources=(seed("Votre politique de protection des données"), _INFORMED),
    ),
    Requirement(
        number=9,
        key="opt-out",
        title="Visitors can object (opt-out form on the privacy policy page)",
        seed_section="Administration → Plate-forme → Générateur de messages de retrait",
        how=(How.API, How.TEXT),
        attestation="opt_out_form_published",
        done="opt-out form published on the privacy policy page (attested; its code is read over the API)",
        todo="paste the opt-out form code (output opt_out_code), then attest opt_out_form_published",
        refuse_false=True,
        sources=(
            seed("« Ci-dessous, vous pouvez désactiver toute collecte de données »; the opt-out message generator"),
            tool("an opt-out that lasts"),
        ),
    ),
    Requirement(
        number=10,
        key="dpa",
        title="Data Processing Agreement signed with Piwik PRO",
        seed_section="Conditions préalables → Signature de DPA",
        how=(How.ATTEST,),
        attestation="dpa_signed",
        done="DPA signed (attested)",
        todo="sign the DPA (legal+dpa@piwik.pro), then attest dpa_signed",
        refuse_false=True,
        sources=(seed("« Un accord de traitement de données (DPA) avec Piwik PRO est nécessaire »"), tool("a DPA")),
    ),
    Requirement(
        number=11,
        key="no-integrations",
        title="No integration with other data sources",
        seed_section="Intégration avec d'autres sources de données (Analytics → Paramètres → Integrations)",
        how=(How.ATTEST, How.CHECK),
        attestation="integrations_off",
        done="integrations off (attested; identifying dimensions are judged in #12)",
        todo="check Analytics → Settings → Integrations, then attest integrations_off",
        refuse_false=True,
        sources=(
            _NO_CROSS_REFERENCING,
            seed(
                "« Les données collectées sous l'exemption ne peuvent pas être intégrées avec d'autres sources de "
                "données »"
            ),
        ),
    ),
    Requirement(
        number=12,
        key="no-identifiers",
        title="No custom dimension or other identifier for non-consenting visitors",
        seed_section="Intégration avec d'autres sources de données (dimensions personnalisées, identifiants)",
        how=(How.CHECK,),
        sources=(
            seed(
                "« Veuillez éviter d'appliquer des dimensions personnalisées ou d'attribuer d'autres identifiants aux "
                "utilisateurs qui n'ont pas donné leur consentement préalable »"
            ),
            tool("no customer or CRM identifier"),
        ),
        field=f"the app's custom dimensions (name, extractions); {_TAG_OPTIONS}.user_id, \"User ID to connect "
        "together a given user's data collected from multiple sources\", .piwik_custom_dimensions, "
        ".piwik_custom_variables",
    ),
    Requirement(
        number=13,
        key="no-exports",
        title="No export of exempt data; export-capable API credentials removed",
        seed_section="Exportations de données (Panel d'utilisateurs → Identifiants API)",
        how=(How.ATTEST,),
        attestation="no_export_credentials",
        done="no export-capable API credentials (attested)",
        todo="remove API credentials with export access, then attest no_export_credentials",
        refuse_false=True,
    ),
    Requirement(
        number=14,
        key="export-dimensions",
        title="If exports are needed: session- and event-scope consent dimensions, filled with the consent state",
        seed_section="Exportations de données (dimension personnalisée de session et d'évènement)",
        how=(How.API,),
        sources=(
            seed(
                "« il faut créer une dimension personnalisée au niveau de session et d'évènement. Cette dimension "
                "servira à segmenter les données collectées sous l'exemption […] des données collectées avec "
                "consentement »"
            ),
        ),
        field=f"the app's custom dimensions; {_TAG_OPTIONS}.piwik_custom_dimensions (id = the dimension's "
        "tracking_id, value)",
    ),
    Requirement(
        number=15,
        key="session-log-hidden",
        title="Session log hidden (Analytics → Rapports)",
        seed_section="Exportations de données (Journal de session caché par défaut)",
        how=(How.ATTEST,),
        attestation="session_log_hidden",
        done="session log hidden (attested)",
        todo="check that Analytics → Reports → Session log is hidden, then attest session_log_hidden",
        refuse_false=True,
    ),
    Requirement(
        number=16,
        key="cookie-lifetime",
        title="The analytics visitor cookie's lifetime is at most 13 months",
        seed_section="Recommandation CNIL 2020-092 art. 5 (durée de vie des traceurs)",
        how=(How.API, How.CHECK),
        note="whether the lifetime is extended on later visits is #31; the consent-record cookie is #21",
        sources=(_THIRTEEN_MONTHS, cnil_page("trackers live at most 13 months")),
        field=f'{_TAG_OPTIONS}.visitor_cookie_timeout, "Visitor cookie timeout in seconds"',
    ),
    Requirement(
        number=17,
        key="no-cross-site-fingerprinting",
        title="No identifier shared across websites; no fingerprinting to recognise visitors",
        seed_section="CNIL page (pas de suivi inter-sites)",
        how=(How.API, How.CHECK),
        note="open question (2025 criterion: a fingerprint or hash has a site-specific and a time component): how "
        "Piwik PRO builds its session hash is not published; use_session_hash, use_anonymous_session_hash and "
        "tracking_fingerprint_disabled are shown when a TrackerSettings manages them",
        sources=(_NO_CROSS_SITE, tool("any fingerprint or hash has a site-specific and a time component")),
        field='tracker settings enable_fingerprinting_across_websites, "tracker will try to generate unified '
        'visitor_id even when user visits different websites"; Apps API privacyUseFingerprinting, "Use '
        'fingerprinting to recognize new and returning visitors"',
        reads=(
            "TrackerSettings.use_anonymous_session_hash",
            "TrackerSettings.use_session_hash",
            "TrackerSettings.tracking_fingerprint_disabled",
        ),
        account=True,
    ),
    Requirement(
        number=18,
        key="geolocation-city",
        title="Geolocation no finer than the city",
        seed_section="Le champ d'application (zone géographique d'origine des requêtes)",
        how=(How.API, How.CHECK),
        account=True,
        sources=(
            tool("geolocation no finer than the city (one restatement says the postal code)"),
            seed("« des statistiques sur la zone géographique d'origine des requêtes » (no precision is named)"),
            Source(
                P, f"{CNIL_2013_378}: the earlier condition on how precise IP geolocation may be", CNIL_2013_378_URL
            ),
        ),
        field="tracker settings anonymize_visitor_geolocation_level (none = full precision)",
    ),
    Requirement(
        number=19,
        key="retention",
        title="Collected data kept at most 25 months",
        seed_section="Votre politique de protection des données (période maximale de 25 mois)",
        how=(How.ATTEST,),
        attestation="retention_months",
        done="data kept {value} months (attested; plan-bound)",
        todo="check the plan's retention (≤ 25 months), then attest retention_months",
        sources=(_TWENTY_FIVE_MONTHS, seed("« pour une période maximale de 25 mois »")),
    ),
    Requirement(
        number=20,
        key="hosting",
        title="Data hosted in the EU/EEA (as the privacy policy states)",
        seed_section="Votre politique de protection des données (données hébergées en France)",
        how=(How.ATTEST,),
        attestation="hosting_region",
        done="hosted in {value} (attested; an EU/EEA region)",
        todo="state the account's hosting region (EU, EEA or a member state's code) in attestations.hosting_region",
        mark=R,
        sources=(
            seed("« Les données seront hébergées en France »"),
            reading(
                "the CNIL's texts on audience measurement name no hosting region; the exemption is held to data "
                "hosted in the EU/EEA, where the GDPR applies without a transfer, as the seed's policy says"
            ),
        ),
    ),
    # --- The CNIL's criteria since July 2025 beyond the seed's 20 (docs/cnil-criteria.md) -------------------
    Requirement(
        number=21,
        key="consent-cookie-lifetime",
        title="The privacy cookie (the visitor's consent record) lives at most 13 months",
        seed_section="Sites Web et applications → Paramètres → Confidentialité (cookie de confidentialité)",
        how=(How.API, How.CHECK),
        mark=R,
        sources=(
            reading(
                "the privacy cookie records the visitor's consent choice; it is a tracker on the device too, so "
                "the 13-month lifetime the CNIL recommends for audience trackers is applied to it"
            ),
            _THIRTEEN_MONTHS,
        ),
        field='Apps API privacyCookieExpirationPeriod, "Privacy cookie expiration period (in seconds, default is '
        'one year)"',
    ),
    Requirement(
        number=22,
        key="no-marketing-without-consent",
        title="No tag fires without consent unless it measures the audience (allow-list) or is attested by id",
        seed_section="Gestionnaire de balises → Balises (type de consentement de chaque balise)",
        how=(How.CHECK,),
        note="every tag of the app's container as its draft holds it, read over the API (the API publishes no "
        "version's content); allowed without consent: the templates of docs/cnil-criteria.md's allow-list and the "
        "tags attested in attestations.tags_without_consent",
        sources=(
            _ONLY_AUDIENCE,
            tool(
                "marketing measurement (channels, campaigns, conversions) and A/B cohorts off for visitors who did "
                "not consent"
            ),
            reading(
                "default-deny: a template off the short allow-list of audience-measurement templates (pasted "
                "code, a pixel, another analytics tool) may do anything, so it needs consent or an attestation"
            ),
        ),
        field="Tag Manager tags: template, consent_type, is_active",
    ),
    Requirement(
        number=23,
        key="no-campaign-identifiers",
        title="No campaign identifiers taken from URLs (campaign parameters, click ids)",
        seed_section="Paramètres de suivi → Paramètres de campagne / Paramètres d'URL exclus",
        how=(How.API, How.CHECK),
        note="applies to every visitor, consenting or not (see the profile note); CRM identifiers in URLs are "
        "judged by #12's patterns on the custom dimensions' extractions",
        sources=(tool("no customer/CRM identifier, UTM or campaign identifier taken from URLs"),),
        field='tracker settings campaign_*_params, "URL query parameters that could contain name of the campaign" '
        "(and keyword, source, medium, content, id); url_query_parameter_to_exclude_from_url",
        profiles=("cnil-2025",),
    ),
    Requirement(
        number=24,
        key="few-event-types",
        title="No tag or Piwik PRO tag option measures more than a few event types without consent",
        seed_section="Le champ d'application (mesures strictement nécessaires)",
        how=(How.CHECK,),
        note="link tracking (clicks on links and downloads are user actions) and JavaScript error tracking (the "
        "detection of navigation problems the CNIL page names) are shown, not judged; events a page sends by its "
        "own code are outside any API",
        sources=(
            tool("at most a few event types (page view, interaction, load / scroll / reading time)"),
            seed("the seven strictly necessary measures (« Le champ d'application »)"),
        ),
        field=f"Tag Manager tags (template, consent_type, is_active); {_TAG_OPTIONS}.content_tracking, "
        '"Track all or visible content impressions within a page"',
        reads=("TagConsentType.link_tracking", "TagConsentType.js_error_tracking"),
    ),
    Requirement(
        number=25,
        key="referrer-host-only",
        title="Referrers reduced to their host",
        seed_section="Le champ d'application (référents par page)",
        how=(How.ATTEST,),
        attestation="referrer_host_only",
        done="referrers reduced to their host (attested; no published field)",
        todo="check that reports keep only the referring host, then attest referrer_host_only",
        refuse_false=True,
        sources=(tool("referrer reduced to its host (the seed's scope list allows the referring page)"),),
        profiles=("cnil-2025",),
    ),
    Requirement(
        number=26,
        key="aggregated-reports",
        title="Reports aggregated; no single-visitor path, no session replay",
        seed_section="Exportations de données (journal de session)",
        how=(How.ATTEST,),
        attestation="reports_aggregated",
        done="reports aggregated, no single-visitor path (attested; heatmap and replay tags are judged in #22)",
        todo="check that no report shows a single visitor's path, then attest reports_aggregated",
        refuse_false=True,
        sources=(
            tool("reports aggregated (rounded, or an anonymity analysis); no single-user path, no session replay"),
        ),
    ),
    Requirement(
        number=27,
        key="first-party-trackers",
        title="First-party trackers only, scoped to the site (no cross-domain tracking, no shared cookie domain)",
        seed_section="Gestionnaire de balises → balise Piwik PRO → Suivi inter-domaines",
        how=(How.API, How.CHECK),
        sources=(
            _NO_CROSS_SITE,
            tool("first-party trackers only, scoped to the site"),
            reading(
                "strict: no tracking cookie domain and no privacy-cookie domains, so neither cookie is shared "
                "with another host"
            ),
        ),
        field=f'{_TAG_OPTIONS}.cross_domain_tracking, "Enables cross domain tracking"; .cookie_domain, "Share the '
        'tracking cookie across subdomains"; Apps API privacyCookieDomainsEnabled',
    ),
    Requirement(
        number=28,
        key="tag-respects-opt-out",
        title="The Piwik PRO tag respects the visitor's opt-out (and Do Not Track)",
        seed_section="Gestionnaire de balises → balise Piwik PRO → Respecter la vie privée des visiteurs",
        how=(How.API, How.CHECK),
        sources=(tool("an opt-out that lasts"),),
        field='Tag Manager tag respect_visitors_privacy, "Flag describing whether tag should respect visitors '
        'privacy settings (DNT header, opt-out)"',
    ),
    Requirement(
        number=29,
        key="no-vendor-reuse",
        title="No pooling of clients' data and no reuse by Piwik PRO for any purpose",
        seed_section="Conditions préalables → Signature de DPA",
        how=(How.ATTEST,),
        attestation="no_vendor_reuse",
        done="no pooling and no reuse by the vendor (attested; the DPA is #10)",
        todo="check the DPA's terms on pooling and reuse, then attest no_vendor_reuse",
        refuse_false=True,
        sources=(
            tool("DPA; no pooling of clients' data; no reuse by the vendor"),
            seed(
                "« Piwik PRO n'est pas autorisé à traiter les données collectées […] dans les activités "
                "commerciales, avec l'exception du service de fournir la solution de mesure d'audience »"
            ),
        ),
    ),
    Requirement(
        number=30,
        key="audience-only-purpose",
        title="Purpose limited to this site's audience, for the publisher alone; anonymous statistics, "
        "no cross-referencing",
        seed_section="Conditions préalables",
        how=(How.ATTEST,),
        attestation="audience_only_purpose",
        done="data used only for this site's audience statistics, by the publisher alone (attested)",
        todo="check that the data serve only this site's audience statistics, then attest audience_only_purpose",
        refuse_false=True,
        sources=(
            _ONLY_AUDIENCE,
            cnil_page("« servir à produire des données statistiques anonymes uniquement »"),
            _NO_CROSS_REFERENCING,
        ),
    ),
    # --- What the CNIL states that no row above covers (issue 19) ------------------------------------------------
    Requirement(
        number=31,
        key="cookie-not-extended",
        title="The visitor cookie's lifetime is not extended on later visits",
        seed_section="Recommandation CNIL 2020-092 art. 5 (pas de prorogation automatique)",
        how=(How.ATTEST,),
        attestation="cookie_lifetime_not_extended",
        done="the visitor cookie's lifetime is not extended on later visits (attested)",
        todo="no published API field or value says whether the lifetime is extended (Piwik PRO's help lists the "
        "visitor cookie _pk_id as « Extends: No », the vendor's statement, not a live read): check it, then attest "
        "cookie_lifetime_not_extended",
        refuse_false=True,
        unattested=Status.NOT_READ,
        sources=(
            _THIRTEEN_MONTHS,
            piwik_help(
                "Cookies created for visitors by Piwik PRO",
                "_pk_id « Expires after: 13 months (can be changed) Extends: No »",
                PIWIK_COOKIES_URL,
            ),
        ),
    ),
    Requirement(
        number=32,
        key="durations-reviewed",
        title="Tracker lifetimes and data retention reviewed periodically",
        seed_section="Page CNIL (revue périodique des durées)",
        how=(How.ATTEST,),
        attestation="durations_reviewed_on",
        done="lifetimes and retention last reviewed on {value} (attested)",
        todo="review the cookie lifetimes (#16, #21) and the retention (#19), then attest durations_reviewed_on "
        "(YYYY-MM-DD)",
        sources=(
            cnil_page("its recommendations ask that the durations be reviewed periodically"),
            reading("a review older than 13 months (the trackers' longest lifetime) is not periodic"),
        ),
    ),
    Requirement(
        number=33,
        key="headers-minimised",
        title="Request headers minimised: only what the measurement needs is kept from them",
        seed_section="Critères CNIL 2025 (en-têtes des requêtes)",
        how=(How.ATTEST,),
        attestation="headers_minimised",
        done="only the header data the measurement needs is kept (attested)",
        todo="check which HTTP header data (user agent, language, referrer) the reports keep, then attest "
        "headers_minimised",
        refuse_false=True,
        sources=(tool("data collected from request headers minimised (not verified against the tool's own text)"),),
    ),
    Requirement(
        number=34,
        key="processor-contact",
        title="The DPA names the processor's data-protection contact",
        seed_section="Conditions préalables → Signature de DPA (coordonnées)",
        how=(How.ATTEST,),
        attestation="dpa_processor_contact",
        done="the DPA names the processor's contact: {value} (attested)",
        todo="state the processor's data-protection contact the DPA names in attestations.dpa_processor_contact",
        sources=(
            tool("a DPA with the processor; its contact (not verified against the tool's own text)"),
            seed(
                "« veuillez envoyer un email à legal+dpa@piwik.pro avec les coordonnées de votre organisation […] et "
                "l'adresse électronique du responsable du DPA »"
            ),
        ),
    ),
)

BY_NUMBER: dict[int, Requirement] = {r.number: r for r in REQUIREMENTS}
BY_KEY: dict[str, Requirement] = {r.key: r for r in REQUIREMENTS}
