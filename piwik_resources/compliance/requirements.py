"""The requirements of the CNIL consent exemption, one :class:`Requirement` each (docs/cnil-exemption.md §2).

A requirement says what must hold, where the seed guide (or another source) states it, how the project can make it
hold (:class:`How`) and, when no API can, which attestation states it. The criteria profiles decide which
requirements a site is held to.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, get_args

from .sources import CNIL_2020_091, CNIL_PAGE, CNIL_TOOL, SEED_GUIDE

#: Trackers may live at most 13 months (CNIL deliberation 2020-091, art. 5): 13 x 30 days x 86,400 s.
MAX_COOKIE_LIFETIME_SECONDS = 33_696_000
#: Collected data may be kept at most 25 months.
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


@dataclass(frozen=True)
class Requirement:
    """One requirement of the exemption (docs/cnil-exemption.md §2).

    ``attestation`` names the :class:`Attestations` field that states it when no API can; ``done`` (may use
    ``{value}``) and ``todo`` are the report's texts for it attested and not yet; ``refuse_false`` says that the
    attestation stated ``False`` breaks the exemption. ``note`` is added to the detail of a rule-backed row, after
    the origin of ``origin_of`` when it names one.
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
    #: The account's global tracker settings hold it too: CnilAccount writes its rules' values account-wide (the
    #: seed sets IP masking at platform level, « Administration → Plate-forme → Paramètres de confidentialité »).
    account: bool = False
    #: A tracker setting whose origin the detail states: the app's own pinned override, a value that may be
    #: inherited, or the account-wide value (compliance/judge.py, ``origin``).
    origin_of: str = ""

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
        number=1,
        key="ip-masking",
        title="Mask IP addresses (at least 1 byte)",
        seed_section="Administration → Plate-forme → Paramètres de confidentialité → Masquer les adresses IP",
        how=(How.API, How.CHECK),
        account=True,
        origin_of="ip_masking_level",
    ),
    Requirement(
        number=2,
        key="masked-ip-enrichment",
        title="Use the masked IP address for data enrichment",
        seed_section="Administration → Plate-forme → Paramètres de confidentialité → "
        "Utiliser une adresse IP masquée pour les données",
        how=(How.API,),
        account=True,
    ),
    Requirement(
        number=3,
        key="ask-consent",
        title="Ask visitors for consent",
        seed_section="Sites Web et applications → Paramètres → Confidentialité → "
        "Demander le consentement des visiteurs",
        how=(How.API,),
    ),
    Requirement(
        number=4,
        key="cookieless-without-consent",
        title="Without consent, collect data without cookies",
        seed_section="Sites Web et applications → Paramètres → Confidentialité → Paramètres de consentement → "
        "Collecter des données sans utiliser de cookies",
        how=(How.API,),
    ),
    Requirement(
        number=5,
        key="exact-url-matching",
        title="Track only the site's own URLs (exact URL matching)",
        seed_section="Sites Web et applications → Paramètres → Suivi → Correspondance exacte des URL lors du suivi",
        how=(How.API,),
        note='with the site\'s urls: a "starts with" rule, no exact-match field is published',
    ),
    Requirement(
        number=6,
        key="piwik-tag-consent-type",
        title="The Piwik PRO tag's consent type is Analytics",
        seed_section="Gestionnaire de balises → Balises → balise Piwik PRO → Paramètres de balise avancés → "
        "Type de consentement",
        how=(How.API,),
        note="the draft is published after each change; whether the published version holds it is not read",
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
    ),
    Requirement(
        number=12,
        key="no-identifiers",
        title="No custom dimension or other identifier for non-consenting visitors",
        seed_section="Intégration avec d'autres sources de données (dimensions personnalisées, identifiants)",
        how=(How.CHECK,),
        note="the Piwik PRO tag's user id is not read",
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
        title="If exports are needed: session- and event-scope consent dimensions",
        seed_section="Exportations de données (dimension personnalisée de session et d'évènement)",
        how=(How.API,),
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
        title="The analytics visitor cookie lives at most 13 months",
        seed_section="Lignes directrices CNIL 2020-091 art. 5 (durée de vie des traceurs)",
        how=(How.API, How.CHECK),
        note="whether Piwik PRO extends the visitor cookie on each visit is not published; the consent-record "
        "cookie is #21",
        source=f"{CNIL_2020_091}; field: Tag Manager, Piwik PRO tag template_options.visitor_cookie_timeout, "
        '"Visitor cookie timeout in seconds"',
        quality="[P]",
    ),
    Requirement(
        number=17,
        key="no-cross-site-fingerprinting",
        title="No identifier shared across websites (no fingerprinting)",
        seed_section="Lignes directrices CNIL 2020-091 art. 5 (pas de suivi inter-sites)",
        how=(How.API, How.CHECK),
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
        account=True,
    ),
    Requirement(
        number=18,
        key="geolocation-city",
        title="Geolocation no finer than the city",
        seed_section="Le champ d'application (zone géographique d'origine des requêtes)",
        how=(How.API, How.CHECK),
        account=True,
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
    ),
    Requirement(
        number=20,
        key="hosting",
        title="Data hosted in the EU (as the privacy policy states)",
        seed_section="Votre politique de protection des données (données hébergées en France)",
        how=(How.ATTEST,),
        attestation="hosting_region",
        done="hosted in {value} (attested)",
        todo="state the account's hosting region in attestations.hosting_region",
    ),
    # --- The CNIL's criteria since July 2025 beyond the seed's 20 (docs/cnil-criteria.md) -------------------
    Requirement(
        number=21,
        key="consent-cookie-lifetime",
        title="The privacy cookie (the visitor's consent record) lives at most 13 months",
        seed_section="Sites Web et applications → Paramètres → Confidentialité (cookie de confidentialité)",
        how=(How.API, How.CHECK),
        source=f"{CNIL_2020_091}; field: Apps API privacyCookieExpirationPeriod, "
        '"Privacy cookie expiration period (in seconds, default is one year)"',
        quality="[P]",
    ),
    Requirement(
        number=22,
        key="no-marketing-without-consent",
        title="No marketing, A/B-testing or heatmap tag fires without consent",
        seed_section="Gestionnaire de balises → Balises (type de consentement de chaque balise)",
        how=(How.CHECK,),
        note="every tag of the app's container, read over the API; the templates judged are "
        "docs/cnil-criteria.md's list",
        source=f"{CNIL_TOOL}: marketing measurement (channels, campaigns, conversions) and A/B cohorts off for "
        f"visitors who did not consent; {CNIL_PAGE}: purpose strictly limited to audience measurement",
    ),
    Requirement(
        number=23,
        key="no-campaign-identifiers",
        title="No campaign or CRM identifiers taken from URLs",
        seed_section="Paramètres de suivi → Paramètres de campagne / Paramètres d'URL exclus",
        how=(How.API, How.CHECK),
        note="applies to every visitor, consenting or not (see the profile note)",
        source=f"{CNIL_TOOL}: no customer/CRM identifier, UTM or campaign identifier taken from URLs; tracker "
        'settings campaign_*_params, "URL query parameters that could contain name of the campaign" (and keyword, '
        "source, medium, content, id)",
        profiles=("cnil-2025",),
    ),
    Requirement(
        number=24,
        key="few-event-types",
        title="Only a few event types (page views, interactions, load / scroll / reading time) without consent",
        seed_section="Le champ d'application (mesures strictement nécessaires)",
        how=(How.CHECK,),
        note="goal-conversion, e-commerce and video tags judged on the live container; the app's "
        "eCommerceTracking switch is not read",
        source=f"{CNIL_TOOL}: at most a few event types; seed guide: the seven strictly necessary measures",
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
        source=f"{CNIL_TOOL}: referrer reduced to its host (the seed's scope list allows the referring page)",
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
        source=f"{CNIL_TOOL}: reports aggregated (rounded, or an anonymity analysis); no single-user path, no "
        "session replay",
    ),
    Requirement(
        number=27,
        key="first-party-trackers",
        title="First-party trackers only, scoped to the site (no cross-domain tracking)",
        seed_section="Gestionnaire de balises → balise Piwik PRO → Suivi inter-domaines",
        how=(How.API, How.CHECK),
        source=f"{CNIL_PAGE}: no tracking across sites or apps; field: Tag Manager, Piwik PRO tag "
        'template_options.cross_domain_tracking, "Enables cross domain tracking"',
        quality="[P]",
    ),
    Requirement(
        number=28,
        key="tag-respects-opt-out",
        title="The Piwik PRO tag respects the visitor's opt-out (and Do Not Track)",
        seed_section="Gestionnaire de balises → balise Piwik PRO → Respecter la vie privée des visiteurs",
        how=(How.API, How.CHECK),
        source=f"{CNIL_TOOL}: an opt-out that lasts; field: Tag Manager tag respect_visitors_privacy, "
        '"Flag describing whether tag should respect visitors privacy settings (DNT header, opt-out)"',
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
        source=f"{CNIL_TOOL}: DPA; no pooling of clients' data; no reuse by the vendor",
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
        source=f"{CNIL_PAGE}: purpose strictly limited to measuring this site's audience, for the publisher alone; "
        "anonymous statistics only; no cross-referencing; no non-anonymous data to third parties",
        quality="[P]",
    ),
)

BY_NUMBER: dict[int, Requirement] = {r.number: r for r in REQUIREMENTS}
BY_KEY: dict[str, Requirement] = {r.key: r for r in REQUIREMENTS}
