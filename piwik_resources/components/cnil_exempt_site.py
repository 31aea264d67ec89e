"""CnilExemptSite: one Piwik PRO site made exempt from consent for audience measurement (CNIL), in one component.

It declares every API-settable requirement of the seed guide as a resource (the app, its privacy settings,
its tracker settings, the Piwik PRO tag's consent type, the consent form texts, the export dimensions when
exports are needed, the opt-out form code), plus a read-only listing of every custom dimension of the app
(SiteCustomDimensions). It refuses a configuration that would break the exemption before anything is declared,
and reports, requirement by requirement, the verdict of compliance.judge_site on the resources' live outputs:
the same rules as the refusals and the policy pack (docs/cnil-exemption.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlparse

import pulumi

from piwik_resources.api.models import GEOLOCATION_LEVEL_VALUES
from piwik_resources.compliance import (
    BY_KEY,
    CAMPAIGN_PARAM_SETTINGS,
    CAMPAIGN_URL_EXCLUSIONS,
    CNIL_PROFILES,
    DEFAULT_CNIL_PROFILE,
    DEFAULT_IDENTIFIER_PATTERNS,
    EXEMPT_GEOLOCATION_LEVELS,
    MAX_COOKIE_LIFETIME_SECONDS,
    MAX_RETENTION_MONTHS,
    OPEN_QUESTIONS,
    REQUIREMENTS,
    STRICT,
    Attestations,
    Declared,
    LiveSite,
    Options,
    attestation_problem,
    judge_site,
    properties_judged,
    render_markdown,
    violations,
)
from piwik_resources.resources import (
    ConsentTemplate,
    ConsentTemplateArgs,
    CustomDimension,
    CustomDimensionArgs,
    Site,
    SiteArgs,
    SiteCustomDimensions,
    SiteCustomDimensionsArgs,
    SitePrivacy,
    SitePrivacyArgs,
    SiteTags,
    SiteTagsArgs,
    TagConsentType,
    TagConsentTypeArgs,
    TrackerSettings,
    TrackerSettingsArgs,
)
from piwik_resources.resources.opt_out_form import InstallationCode, InstallationCodeArgs, OptOutForm

from .texts import (
    DEFAULT_ACCEPT_LABELS,
    DEFAULT_CONSENT_MESSAGES,
    DEFAULT_CONSENT_TITLES,
    DEFAULT_REJECT_LABELS,
    PolicyFacts,
    privacy_policy_paragraphs,
)

TYPE_TOKEN = "piwik:cnil:CnilExemptSite"
DEFAULT_COOKIE_LIFETIME_SECONDS = 31_536_000  # the Apps API's default: 12 months
#: The Piwik PRO tag's visitor cookie: 12 months unless the user asks for up to 13 (the API publishes no default).
DEFAULT_VISITOR_COOKIE_TIMEOUT = 31_536_000
#: The API's initial global exclusions (session ids and the like), kept when the campaign keys are added: the
#: setting is replaced as a whole, and these keep identifiers out of the tracked URLs too.
KEPT_URL_EXCLUSIONS = (
    "fb_xd_fragment",
    "fb_comment_id",
    "phpsessid",
    "jsessionid",
    "sessionid",
    "aspsessionid",
    "doing_wp_cron",
    "sid",
    "pk_vid",
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CONSENT_TEMPLATE_MODES = ("api", "manual")
#: Names of the export dimensions (seed: « une dimension personnalisée au niveau de session et d'évènement »).
EXPORT_DIMENSIONS = {"session": "Consentement (session)", "event": "Consentement (évènement)"}


class CnilExemptionError(ValueError):
    """A configuration that would break the exemption; the message names each property and seed requirement."""

    def __init__(self, site: str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"CnilExemptSite {site!r} would not be exempt from consent:\n{lines}")


@dataclass(frozen=True)
class CnilExemptSiteArgs:
    site_name: str
    urls: Sequence[str]
    timezone: str = "Europe/Paris"
    currency: str = "EUR"
    ip_masking_level: int = 2
    geolocation_level: str = "City"
    cookie_lifetime_seconds: int = DEFAULT_COOKIE_LIFETIME_SECONDS
    #: Consent form message per language (default: the seed's French example and its English counterpart).
    consent_messages: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_CONSENT_MESSAGES))
    consent_titles: Mapping[str, str] = field(default_factory=dict)
    #: ``api`` writes the consent form texts over the (unpublished) consent template API; ``manual`` records
    #: them and lists them as a pending manual step.
    consent_template_mode: str = "manual"
    exports_needed: bool = False
    privacy_policy_url: str | None = None
    #: Take an existing app (its UUID) under management instead of creating one. A destroy never deletes it.
    adopt_site_id: str | None = None
    #: While true, a destroy or a replacement of the created app fails before anything is deleted.
    deletion_protection: bool = True
    attestations: Attestations = field(default_factory=Attestations)
    #: Regular expressions (case-insensitive) that mark a custom dimension's name or extraction pattern as an
    #: identifier (requirement #12); ``None`` = compliance.DEFAULT_IDENTIFIER_PATTERNS (docs/cnil-exemption.md).
    identifier_patterns: Sequence[str] | None = None
    #: ``cnil-2025`` (default): the CNIL's criteria since July 2025, strict reading (campaign parameters
    #: collected for nobody); ``seed-2021``: the seed guide's programme, campaign parameters left alone
    #: (compliance.PROFILE_NOTES, docs/cnil-criteria.md).
    cnil_profile: str = DEFAULT_CNIL_PROFILE
    #: Lifetime of the Piwik PRO tag's visitor cookie (the analytics tracker), in seconds: at most 33,696,000.
    visitor_cookie_timeout: int = DEFAULT_VISITOR_COOKIE_TIMEOUT

    __pydantic_config__ = STRICT


#: The one resource property whose component argument has another name.
ARG_OF_PROPERTY = {"privacy_cookie_expiration_period": "cookie_lifetime_seconds"}


def _site_props(args: CnilExemptSiteArgs) -> dict[str, dict[str, Any]]:
    """The properties this component gives each resource (also what the compliance rules are checked on)."""
    props: dict[str, dict[str, Any]] = {
        "SitePrivacy": {
            "gdpr": True,
            "gdpr_data_anonymization": True,
            "gdpr_data_anonymization_mode": "no_device_storage",
            "privacy_cookie_expiration_period": args.cookie_lifetime_seconds,
            "cnil": True,
        },
        "TrackerSettings": {
            "ip_masking_level": args.ip_masking_level,
            "use_masked_ip_for_enrichment": True,
            "exclude_unknown_urls": True,
            "fingerprinting_across_websites": False,
            "geolocation_level": args.geolocation_level,
        },
        "TagConsentType": {
            "consent_type": "analytics",
            "template": "piwik",
            "visitor_cookie_timeout": args.visitor_cookie_timeout,
            "cross_domain_tracking": False,
            "respect_visitors_privacy": True,
        },
    }
    if args.cnil_profile == "cnil-2025":
        # The strict reading (compliance.PROFILE_NOTES): no campaign data read from URLs, for any visitor, and the
        # campaign keys removed from the URLs kept; seed-2021 leaves these settings as the account has them.
        props["TrackerSettings"].update({key: [] for key in CAMPAIGN_PARAM_SETTINGS})
        props["TrackerSettings"]["excluded_url_query_parameters"] = [*KEPT_URL_EXCLUSIONS, *CAMPAIGN_URL_EXCLUSIONS]
    return props


def options_of(args: CnilExemptSiteArgs) -> Options:
    patterns = DEFAULT_IDENTIFIER_PATTERNS if args.identifier_patterns is None else tuple(args.identifier_patterns)
    return Options(identifier_patterns=patterns)


def declared_of(args: CnilExemptSiteArgs) -> Declared:
    """What the compliance judge needs from this site's arguments (what no API answers)."""
    return Declared(
        site_name=args.site_name,
        attestations=args.attestations,
        exports_needed=args.exports_needed,
        consent_template_mode=args.consent_template_mode,
        consent_languages=tuple(sorted(args.consent_messages)),
        export_dimensions=dict(EXPORT_DIMENSIONS) if args.exports_needed else {},
        options=options_of(args),
        cnil_profile=args.cnil_profile,
    )


def _pattern_problems(patterns: Sequence[str] | None) -> list[str]:
    if patterns is None:
        return []
    if not patterns:
        return [f"identifier_patterns: empty; at least one pattern is needed ({BY_KEY['no-identifiers'].reference})"]
    problems: list[str] = []
    for pattern in patterns:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as err:
            problems.append(f"identifier_patterns: {pattern!r} is not a regular expression ({err})")
    return problems


def _argument_problems(args: CnilExemptSiteArgs) -> list[str]:
    """The arguments' own ranges (the exemption's rules are applied apart, in refusals)."""
    problems: list[str] = []
    if not args.site_name or not args.site_name.strip():
        problems.append("site_name: must not be empty")
    elif len(args.site_name) > 90:
        problems.append(f"site_name: {len(args.site_name)} characters; allowed: 1 to 90 (Apps API limit)")
    if not args.urls:
        reference = BY_KEY["exact-url-matching"].reference
        problems.append(f"urls: at least one URL is needed: only the site's own URLs are tracked ({reference})")
    for url in args.urls:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            problems.append(f"urls: {url!r} is not an absolute http(s) URL")
    if isinstance(args.ip_masking_level, bool) or args.ip_masking_level not in (0, 1, 2, 3, 4):
        # Out of the API's range; 0 is in range and refused by the shared rule.
        problems.append(f"ip_masking_level: {args.ip_masking_level!r} is not allowed; allowed: 1, 2, 3, 4")
    if args.geolocation_level not in GEOLOCATION_LEVEL_VALUES:  # "none" is refused by the shared rule
        allowed = ", ".join(EXEMPT_GEOLOCATION_LEVELS)
        problems.append(f"geolocation_level: {args.geolocation_level!r} is not allowed; allowed: {allowed}")
    if args.consent_template_mode not in CONSENT_TEMPLATE_MODES:
        problems.append(f"consent_template_mode: {args.consent_template_mode!r}; allowed: api, manual")
    if not args.consent_messages or not all(str(m).strip() for m in args.consent_messages.values()):
        reference = BY_KEY["consent-message"].reference
        problems.append(f"consent_messages: at least one non-empty message is needed ({reference})")
    if args.cookie_lifetime_seconds < 0:
        problems.append(
            f"cookie_lifetime_seconds: {args.cookie_lifetime_seconds}; allowed: 0 to {MAX_COOKIE_LIFETIME_SECONDS}"
        )
    if args.visitor_cookie_timeout < 1:
        problems.append(
            f"visitor_cookie_timeout: {args.visitor_cookie_timeout}; allowed: 1 to {MAX_COOKIE_LIFETIME_SECONDS} s"
        )
    return problems + _profile_problems(args) + _pattern_problems(args.identifier_patterns)


def _profile_problems(args: CnilExemptSiteArgs) -> list[str]:
    problems: list[str] = []
    if args.cnil_profile not in CNIL_PROFILES:
        problems.append(f"cnil_profile: {args.cnil_profile!r} is not allowed; allowed: {', '.join(CNIL_PROFILES)}")
    attested_on = args.attestations.attested_on
    if attested_on is not None and not (ISO_DATE.match(attested_on) and _is_date(attested_on)):
        problems.append(f"attestations.attested_on: {attested_on!r} is not a date; allowed: YYYY-MM-DD")
    if args.attestations.attested_by is not None and not args.attestations.attested_by.strip():
        problems.append("attestations.attested_by: must not be empty (a name or role, e.g. the DPO)")
    return problems


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def refusals(args: CnilExemptSiteArgs) -> list[str]:
    """Every reason this configuration cannot be exempt (empty when it can), each naming property and requirement."""
    problems = _argument_problems(args)
    for requirement in REQUIREMENTS:
        if requirement.attestation:
            problem = attestation_problem(requirement, getattr(args.attestations, requirement.attestation))
            if problem:
                problems.append(f"attestations.{requirement.attestation}: {problem} ({requirement.reference})")
    if any(p.startswith("identifier_patterns:") for p in problems):
        return problems  # the rules cannot run with patterns that do not compile
    # The rules on resource properties live once, in compliance.RULES (shared with the policy pack and the
    # report); they speak in the resources' property names, which are this component's argument names but for one.
    options = options_of(args)
    for kind, props in _site_props(args).items():
        problems += [v.text(ARG_OF_PROPERTY.get(v.property)) for v in violations(kind, props, options=options)]
    for scope, name in EXPORT_DIMENSIONS.items() if args.exports_needed else ():
        # The export dimensions are what exports_needed declares.
        dimension = {"name": name, "scope": scope}
        problems += [v.text("exports_needed") for v in violations("CustomDimension", dimension, options=options)]
    return problems


class CnilExemptSite(pulumi.ComponentResource):
    """A Piwik PRO site configured for the CNIL consent exemption; see the module docstring."""

    site_id: pulumi.Output[str]
    opt_out_code: pulumi.Output[str]
    installation_code: pulumi.Output[str | None]
    privacy_policy: pulumi.Output[dict[str, str]]
    consent_message: pulumi.Output[dict[str, str]]
    compliance_report: pulumi.Output[list[dict[str, Any]]]
    compliance_report_markdown: pulumi.Output[str]

    def __init__(self, name: str, args: CnilExemptSiteArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        problems = refusals(args)
        if problems:
            # Raised before any resource is declared: nothing is sent to Piwik PRO.
            raise CnilExemptionError(name, problems)
        self._join_account(name, args, opts)  # may refuse: before anything is declared
        super().__init__(TYPE_TOKEN, name, None, opts)
        self._declare(name, args, pulumi.ResourceOptions(parent=self), opts.depends_on if opts else None)
        facts = PolicyFacts(
            site_name=args.site_name,
            hosting_region=args.attestations.hosting_region or "EU",
            retention_months=args.attestations.retention_months or MAX_RETENTION_MONTHS,
        )
        self.opt_out_code = self.opt_out_form.code
        self.installation_code = self.installation.code
        self.privacy_policy = pulumi.Output.from_input(privacy_policy_paragraphs(facts))
        self.consent_message = pulumi.Output.from_input(dict(args.consent_messages))

        declared = declared_of(args)
        rows = self.live_values().apply(
            lambda live: [r.as_dict() for r in judge_site(LiveSite.from_types(live), declared)]
        )
        self.compliance_report = rows
        self.compliance_report_markdown = rows.apply(
            lambda r: render_markdown(f"CNIL exemption — {args.site_name}", r, OPEN_QUESTIONS, args.cnil_profile)
        )
        # Only the id is registered on the component: the other outputs are attributes for the program to export
        # as it sees fit, so the state does not store every report and text twice (bench: state per site).
        self.register_outputs({"site_id": self.site_id})

    @staticmethod
    def _join_account(name: str, args: CnilExemptSiteArgs, opts: pulumi.ResourceOptions | None) -> None:
        """Tell the accounts this site depends on about an app a destroy leaves in place (cnil_account.py)."""
        from .cnil_account import DECLARED, accounts_in  # cnil_account imports this module

        accounts = accounts_in(opts.depends_on if opts else None)
        if args.adopt_site_id:
            for account in accounts:
                account.keep(name, args.adopt_site_id)
        if DECLARED and not accounts:
            pulumi.log.warn(
                f"CnilExemptSite {name!r} does not depend on CnilAccount {DECLARED[0].account_name!r}: give it "
                "ResourceOptions(depends_on=[account]), so that a destroy writes the account-wide settings back "
                "only after this site is gone, and not while its adopted app stays"
            )

    def _declare(
        self, name: str, args: CnilExemptSiteArgs, child: pulumi.ResourceOptions, depends_on: Any = None
    ) -> None:
        """Every resource of the site; the app's own settings first, its dimensions' listing last.

        The Site takes the component's ``depends_on`` (the account): docs/resources.md, "Delete", says why.
        """
        props = _site_props(args)
        self.site = Site(
            f"{name}-site",
            SiteArgs(
                name=args.site_name,
                urls=list(args.urls),
                timezone=args.timezone,
                currency=args.currency,
                adopt_id=args.adopt_site_id,
                deletion_protection=args.deletion_protection,
            ),
            pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=depends_on)),
        )
        # What lives on the app dies with it: when the app is deleted (or, adopted, forgotten) in the same run,
        # the engine drops these without calling their delete, so nothing is reverted one by one (and an adopted
        # app keeps its settings). Removed on their own, they are still reverted.
        child = pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(deleted_with=self.site))
        # The resource id is the app UUID too, and unlike the site_id output it stays known in a preview of an
        # update to the Site, so a rename does not show every dependent resource as a replacement.
        site_id: pulumi.Output[str] = self.site.id
        self.site_id = site_id
        self.privacy = SitePrivacy(f"{name}-privacy", SitePrivacyArgs(site_id=site_id, **props["SitePrivacy"]), child)
        self.tracker = TrackerSettings(
            f"{name}-tracker", TrackerSettingsArgs(site_id=site_id, **props["TrackerSettings"]), child
        )
        self.piwik_tag = TagConsentType(
            f"{name}-piwik-tag", TagConsentTypeArgs(site_id=site_id, **props["TagConsentType"]), child
        )
        self.consent_templates = [
            self._consent_template(name, args, language, child) for language in sorted(args.consent_messages)
        ]
        self.export_dimensions = [
            CustomDimension(
                f"{name}-consent-{scope}",
                CustomDimensionArgs(site_id=site_id, name=dim_name, scope=scope, active=True),
                child,
            )
            for scope, dim_name in (EXPORT_DIMENSIONS.items() if args.exports_needed else ())
        ]
        # Listed after the export dimensions exist, so the first report already sees them (requirement #12).
        self.live_dimensions = SiteCustomDimensions(
            f"{name}-dimensions",
            SiteCustomDimensionsArgs(site_id=site_id),
            pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=list(self.export_dimensions))),
        )
        # Every tag of the container, read live (requirement #22: a tag added by hand shows at the next refresh).
        self.live_tags = SiteTags(
            f"{name}-tags", SiteTagsArgs(site_id=site_id), pulumi.ResourceOptions.merge(child, self._after_tag())
        )
        self.opt_out_form = OptOutForm(f"{name}-opt-out", opts=child)
        self.installation = InstallationCode(f"{name}-install", InstallationCodeArgs(site_id=site_id), child)

    def _after_tag(self) -> pulumi.ResourceOptions:
        # Listed once the Piwik PRO tag is set, so the first report sees the tag as this stack left it.
        return pulumi.ResourceOptions(depends_on=[self.piwik_tag])

    def _consent_template(
        self, name: str, args: CnilExemptSiteArgs, language: str, child: pulumi.ResourceOptions
    ) -> ConsentTemplate:
        return ConsentTemplate(
            f"{name}-consent-{language}",
            ConsentTemplateArgs(
                site_id=self.site.id,
                language=language,
                title=args.consent_titles.get(language) or DEFAULT_CONSENT_TITLES.get(language, args.site_name),
                message=args.consent_messages[language],
                accept_label=DEFAULT_ACCEPT_LABELS.get(language, DEFAULT_ACCEPT_LABELS["en"]),
                reject_label=DEFAULT_REJECT_LABELS.get(language, DEFAULT_REJECT_LABELS["en"]),
                privacy_policy_url=args.privacy_policy_url,
                mode=args.consent_template_mode,
            ),
            child,
        )

    def live_values(self) -> pulumi.Output[dict[str, Any]]:
        """The resources' outputs in the shape compliance.judge_site takes (the properties the RULES judge)."""

        def judged(resource: pulumi.Resource, kind: str, *extra: str) -> pulumi.Output[dict[str, Any]]:
            return pulumi.Output.all(**{p: getattr(resource, p) for p in (*properties_judged(kind), *extra)})

        templates = [
            pulumi.Output.all(
                language=t.language, message=t.message, mode=t.mode, pending_manual_step=t.pending_manual_step
            )
            for t in self.consent_templates
        ]
        return pulumi.Output.all(
            # ``pinned``: the report says where each value comes from (compliance/judge.py, ``origin``).
            TrackerSettings=judged(self.tracker, "TrackerSettings", "pinned"),
            SitePrivacy=judged(self.privacy, "SitePrivacy"),
            TagConsentType=judged(self.piwik_tag, "TagConsentType", "template", "tag_id", "tag_name"),
            CustomDimension=self.live_dimensions.dimensions,
            ConsentTemplate=pulumi.Output.all(*templates),
            SiteTags=judged(self.live_tags, "SiteTags"),
        )
