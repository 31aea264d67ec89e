"""CnilExemptSite: one Piwik PRO site made exempt from consent for audience measurement (CNIL), in one component.

It declares every API-settable requirement of the seed guide as a resource (the app, its privacy settings,
its tracker settings, the Piwik PRO tag's consent type, the consent form texts, the export dimensions when
exports are needed, the opt-out form code), refuses a configuration that would break the exemption before
anything is declared, and reports, requirement by requirement, what the API enforces and what still needs a
human (cnil-exemption.md §2).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import pulumi
from pydantic import ConfigDict

from piwik_resources.resources import (
    ConsentTemplate,
    ConsentTemplateArgs,
    CustomDimension,
    CustomDimensionArgs,
    Site,
    SiteArgs,
    SitePrivacy,
    SitePrivacyArgs,
    TagConsentType,
    TagConsentTypeArgs,
    TrackerSettings,
    TrackerSettingsArgs,
)
from piwik_resources.resources.opt_out_form import InstallationCode, InstallationCodeArgs, OptOutForm

from .compliance import (
    BY_KEY,
    MAX_COOKIE_LIFETIME_SECONDS,
    MAX_RETENTION_MONTHS,
    OPEN_QUESTIONS,
    ReportRow,
    Status,
    render_markdown,
    row,
    violations,
)
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
CONSENT_TEMPLATE_MODES = ("api", "manual")
#: Names of the export dimensions (seed: « une dimension personnalisée au niveau de session et d'évènement »).
EXPORT_DIMENSIONS = {"session": "Consentement (session)", "event": "Consentement (évènement)"}


class CnilExemptionError(ValueError):
    """A configuration that would break the exemption; the message names each property and seed requirement."""

    def __init__(self, site: str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"CnilExemptSite {site!r} would not be exempt from consent:\n{lines}")


# The stack config is validated against these dataclasses (stack_config.py): refuse unknown keys there.
STRICT = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Attestations:
    """What no API can set or read: the user states it; the compliance report shows it as attested.

    ``None`` means "not yet attested" (a pending manual step); ``False`` is a refusal, because it says the
    exemption is broken.
    """

    dpa_signed: bool | None = None
    integrations_off: bool | None = None
    no_export_credentials: bool | None = None
    session_log_hidden: bool | None = None
    retention_months: int | None = None
    hosting_region: str | None = None
    privacy_policy_published: bool | None = None
    opt_out_form_published: bool | None = None

    __pydantic_config__ = STRICT


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
    #: Take an existing app (its UUID) under management instead of creating one.
    adopt_site_id: str | None = None
    attestations: Attestations = field(default_factory=Attestations)

    __pydantic_config__ = STRICT


ARG_OF_PROPERTY = {"privacy_cookie_expiration_period": "cookie_lifetime_seconds"}


def _site_props(args: CnilExemptSiteArgs) -> dict[str, dict[str, Any]]:
    """The properties this component gives each resource (also what the compliance rules are checked on)."""
    return {
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
        "TagConsentType": {"consent_type": "analytics", "template": "piwik"},
    }


def refusals(args: CnilExemptSiteArgs) -> list[str]:
    """Every reason this configuration cannot be exempt (empty when it can), each naming property and requirement."""
    problems: list[str] = []

    def seed(key: str) -> str:
        req = BY_KEY[key]
        return f"seed requirement #{req.number}, {req.title} — {req.seed_section}"

    if not args.site_name or not args.site_name.strip():
        problems.append("site_name: must not be empty")
    elif len(args.site_name) > 90:
        problems.append(f"site_name: {len(args.site_name)} characters; allowed: 1 to 90 (Apps API limit)")
    if not args.urls:
        problems.append(
            f"urls: at least one URL is needed: only the site's own URLs are tracked ({seed('exact-url-matching')})"
        )
    for url in args.urls:
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            problems.append(f"urls: {url!r} is not an absolute http(s) URL")
    if isinstance(args.ip_masking_level, bool) or args.ip_masking_level not in (0, 1, 2, 3, 4):
        # Out of the API's range; 0 is in range and refused by the shared rule below.
        problems.append(f"ip_masking_level: {args.ip_masking_level!r} is not allowed; allowed: 1, 2, 3, 4")
    if args.geolocation_level not in ("none", "City", "Region", "Country", "Continent"):
        problems.append(
            f"geolocation_level: {args.geolocation_level!r} is not allowed; allowed: City, Region, Country, Continent"
        )
    if args.consent_template_mode not in CONSENT_TEMPLATE_MODES:
        problems.append(f"consent_template_mode: {args.consent_template_mode!r}; allowed: api, manual")
    if not args.consent_messages or not all(str(m).strip() for m in args.consent_messages.values()):
        problems.append(f"consent_messages: at least one non-empty message is needed ({seed('consent-message')})")
    att = args.attestations
    for name, key, what in (
        ("dpa_signed", "dpa", "a DPA signed with Piwik PRO"),
        ("integrations_off", "no-integrations", "no integration with other data sources"),
        ("no_export_credentials", "no-exports", "no API credentials able to export exempt data"),
        ("session_log_hidden", "session-log-hidden", "the session log hidden"),
    ):
        if getattr(att, name) is False:
            problems.append(f"attestations.{name}: false, but the exemption needs {what} ({seed(key)})")
    if att.retention_months is not None and not 1 <= att.retention_months <= MAX_RETENTION_MONTHS:
        problems.append(
            f"attestations.retention_months: {att.retention_months}; allowed: 1 to {MAX_RETENTION_MONTHS} "
            f"({seed('retention')})"
        )
    if args.cookie_lifetime_seconds < 0:
        problems.append(
            f"cookie_lifetime_seconds: {args.cookie_lifetime_seconds}; allowed: 0 to {MAX_COOKIE_LIFETIME_SECONDS}"
        )
    # The rules on resource properties live once, in compliance.RULES (shared with the policy pack); they speak
    # in the resources' property names, which are this component's argument names but for one.
    for kind, props in _site_props(args).items():
        for v in violations(kind, props):
            prop = ARG_OF_PROPERTY.get(v.property, v.property)
            problems.append(f"{prop}: {v.message} ({seed(v.requirement.key)})")
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
        super().__init__(TYPE_TOKEN, name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        props = _site_props(args)

        self.site = Site(
            f"{name}-site",
            SiteArgs(
                name=args.site_name,
                urls=list(args.urls),
                timezone=args.timezone,
                currency=args.currency,
                adopt_id=args.adopt_site_id,
            ),
            child,
        )
        # The resource id is the app UUID too, and unlike the site_id output it stays known in a preview of an
        # update to the Site, so a rename does not show every dependent resource as a replacement.
        site_id: pulumi.Output[str] = self.site.id
        self.privacy = SitePrivacy(f"{name}-privacy", SitePrivacyArgs(site_id=site_id, **props["SitePrivacy"]), child)
        self.tracker = TrackerSettings(
            f"{name}-tracker", TrackerSettingsArgs(site_id=site_id, **props["TrackerSettings"]), child
        )
        self.piwik_tag = TagConsentType(
            f"{name}-piwik-tag", TagConsentTypeArgs(site_id=site_id, **props["TagConsentType"]), child
        )
        self.consent_templates = [
            ConsentTemplate(
                f"{name}-consent-{language}",
                ConsentTemplateArgs(
                    site_id=site_id,
                    language=language,
                    title=args.consent_titles.get(language) or DEFAULT_CONSENT_TITLES.get(language, args.site_name),
                    message=message,
                    accept_label=DEFAULT_ACCEPT_LABELS.get(language, DEFAULT_ACCEPT_LABELS["en"]),
                    reject_label=DEFAULT_REJECT_LABELS.get(language, DEFAULT_REJECT_LABELS["en"]),
                    privacy_policy_url=args.privacy_policy_url,
                    mode=args.consent_template_mode,
                ),
                child,
            )
            for language, message in sorted(args.consent_messages.items())
        ]
        self.export_dimensions = (
            [
                CustomDimension(
                    f"{name}-consent-{scope}",
                    CustomDimensionArgs(site_id=site_id, name=dim_name, scope=scope, active=True),
                    child,
                )
                for scope, dim_name in EXPORT_DIMENSIONS.items()
            ]
            if args.exports_needed
            else []
        )
        self.opt_out_form = OptOutForm(f"{name}-opt-out", opts=child)

        facts = PolicyFacts(
            site_name=args.site_name,
            hosting_region=args.attestations.hosting_region or "EU",
            retention_months=args.attestations.retention_months or MAX_RETENTION_MONTHS,
        )
        self.site_id = site_id
        self.opt_out_code = self.opt_out_form.code
        self.installation_code = InstallationCode(f"{name}-install", InstallationCodeArgs(site_id), child).code
        self.privacy_policy = pulumi.Output.from_input(privacy_policy_paragraphs(facts))
        self.consent_message = pulumi.Output.from_input(dict(args.consent_messages))

        live = pulumi.Output.all(
            tracker=pulumi.Output.all(
                ip=self.tracker.ip_masking_level,
                enrich=self.tracker.use_masked_ip_for_enrichment,
                urls=self.tracker.exclude_unknown_urls,
                fp=self.tracker.fingerprinting_across_websites,
                geo=self.tracker.geolocation_level,
            ),
            privacy=pulumi.Output.all(
                gdpr=self.privacy.gdpr,
                anon=self.privacy.gdpr_data_anonymization,
                mode=self.privacy.gdpr_data_anonymization_mode,
                cookie=self.privacy.privacy_cookie_expiration_period,
            ),
            consent_type=self.piwik_tag.consent_type,
            templates=pulumi.Output.all(*[t.pending_manual_step for t in self.consent_templates]),
            dimensions=pulumi.Output.all(*[d.dimension_id for d in self.export_dimensions]),
        )
        rows = live.apply(lambda v: [r.as_dict() for r in report_rows(args, v)])
        self.compliance_report = rows
        self.compliance_report_markdown = rows.apply(
            lambda r: render_markdown(f"CNIL exemption — {args.site_name}", r, OPEN_QUESTIONS)
        )
        # Only the id is registered on the component: the other outputs are attributes for the program to export
        # as it sees fit, so the state does not store every report and text twice (bench: state per site).
        self.register_outputs({"site_id": self.site_id})


def _number(value: Any) -> int | None:
    """Numbers come back from the engine as floats (30 -> 30.0); None when absent."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def report_rows(args: CnilExemptSiteArgs, live: Mapping[str, Any]) -> list[ReportRow]:
    """One row per requirement of cnil-exemption.md §2, from the values the API answered (``live``)."""
    tracker, privacy = live["tracker"], live["privacy"]
    att = args.attestations
    rows: list[ReportRow] = []

    def api(key: str, ok: bool, detail: str) -> None:
        # A value the API answered that is not the one declared is reported, never hidden.
        rows.append(row(key, Status.ENFORCED if ok else Status.PENDING, detail if ok else f"NOT HELD: {detail}"))

    def attested(key: str, value: Any, yes: str, todo: str) -> None:
        rows.append(row(key, Status.ATTESTED, yes) if value else row(key, Status.PENDING, todo))

    ip = _number(tracker["ip"])
    api(
        "ip-masking",
        ip is not None and ip >= 1,
        f"app tracker setting anonymize_visitor_ip_level = {ip} (the account-wide value: CnilAccount)",
    )
    api("masked-ip-enrichment", tracker["enrich"] is True, "fingerprint_based_on_anonymized_ip = true")
    api("ask-consent", privacy["gdpr"] is True, "app gdpr = true")
    api(
        "cookieless-without-consent",
        privacy["anon"] is True and privacy["mode"] == "no_device_storage",
        f"gdprDataAnonymization = {json.dumps(privacy['anon'])}, gdprDataAnonymizationMode = {privacy['mode']}",
    )
    api(
        "exact-url-matching",
        tracker["urls"] is True,
        'exclude_unknown_urls = true with the site\'s urls (a "starts with" rule: no exact-match field is published)',
    )
    api(
        "piwik-tag-consent-type",
        live["consent_type"] == "analytics",
        f"Piwik PRO tag consent_type = {live['consent_type']}, Tag Manager draft published",
    )
    templates = list(live["templates"])
    if args.consent_template_mode == "manual" or any(templates):
        rows.append(
            row(
                "consent-message",
                Status.PENDING,
                "paste the consent message (output consent_message) in the Consent Manager template; "
                "the step and texts are in each ConsentTemplate's manual_instructions",
            )
        )
    else:
        rows.append(
            row(
                "consent-message",
                Status.ENFORCED,
                f"consent form templates set for {', '.join(sorted(args.consent_messages))} (API not "
                "published by Piwik PRO: the emulator's own paths)",
            )
        )
    attested(
        "privacy-policy",
        att.privacy_policy_published,
        "privacy policy published with the generated paragraph",
        "publish the generated paragraph (output privacy_policy), then attest privacy_policy_published",
    )
    attested(
        "opt-out",
        att.opt_out_form_published,
        "opt-out form published on the privacy policy page",
        "paste the opt-out form code (output opt_out_code), then attest opt_out_form_published",
    )
    attested(
        "dpa", att.dpa_signed, "DPA signed (attested)", "sign the DPA (legal+dpa@piwik.pro), then attest dpa_signed"
    )
    attested(
        "no-integrations",
        att.integrations_off,
        "integrations off (attested)",
        "check Analytics → Settings → Integrations, then attest integrations_off",
    )
    rows.append(
        row(
            "no-identifiers",
            Status.CHECKED,
            "no custom dimension declared by this site names or extracts an identifier",
        )
    )
    attested(
        "no-exports",
        att.no_export_credentials,
        "no export-capable API credentials (attested)",
        "remove API credentials with export access, then attest no_export_credentials",
    )
    if args.exports_needed:
        dims = [d for d in live["dimensions"] if d]
        api(
            "export-dimensions",
            len(dims) == len(EXPORT_DIMENSIONS),
            f"session- and event-scope dimensions {', '.join(map(str, dims))}",
        )
    else:
        rows.append(row("export-dimensions", Status.NOT_APPLICABLE, "exports_needed is false"))
    attested(
        "session-log-hidden",
        att.session_log_hidden,
        "session log hidden (attested)",
        "check that Analytics → Reports → Session log is hidden, then attest session_log_hidden",
    )
    cookie = _number(privacy["cookie"])
    api(
        "cookie-lifetime",
        cookie is not None and cookie <= MAX_COOKIE_LIFETIME_SECONDS,
        f"privacyCookieExpirationPeriod = {cookie} s (at most {MAX_COOKIE_LIFETIME_SECONDS})",
    )
    api("no-cross-site-fingerprinting", tracker["fp"] is False, "enable_fingerprinting_across_websites = false")
    api(
        "geolocation-city",
        tracker["geo"] not in (None, "none"),
        f"anonymize_visitor_geolocation_level = {tracker['geo']}",
    )
    attested(
        "retention",
        att.retention_months,
        f"data kept {att.retention_months} months (attested; plan-bound)",
        "check the plan's retention (≤ 25 months), then attest retention_months",
    )
    attested(
        "hosting",
        att.hosting_region,
        f"hosted in {att.hosting_region} (attested)",
        "state the account's hosting region in attestations.hosting_region",
    )
    return rows
