"""The CNIL consent exemption as data: the requirements, the rules that break them, and the one judge of both.

This package is the single source of the compliance rules (docs/cnil-exemption.md). The CnilExemptSite component
uses them to refuse a non-compliant configuration before anything is sent and to report on the live values; the
CrossGuard policy pack (policy_pack/) uses them to stop a stack whose resources would break the exemption; the PR
renderer uses them for the compliance delta; the `piwik-cnil` commands use :func:`judge_site` on values they read
over the API. It imports nothing of Pulumi, nor of the providers, resources or components (an import-linter
contract in pyproject.toml holds it), so that all of them can load it cheaply.

Modules: :mod:`.sources` (what a report cites), :mod:`.requirements` (the requirements, profiles and statuses),
:mod:`.checks` (a check per kind of value, and the tables they judge with), :mod:`.rules` (which property of which
resource a check judges), :mod:`.attestations` (what the user states), :mod:`.live` (the judge's typed input),
:mod:`.judge` (the verdict per requirement) and :mod:`.render` (the Markdown report).

The judge's contract (what :func:`judge_site` takes and returns)
-----------------------------------------------------------------

``judge_site(live, declared)`` returns one :class:`ReportRow` per entry of :data:`REQUIREMENTS`, broken rows first.

* ``live`` (:class:`LiveSite`) holds a site's live output properties per resource type, in the resources' property
  names: one mapping for ``TrackerSettings``, ``SitePrivacy``, ``TagConsentType`` and ``SiteTags``; a list for
  ``CustomDimension`` (*every* dimension of the app, as SiteCustomDimensions lists them, with ``name``, ``scope``,
  ``active``, ``extractions``, ``dimension_id``) and ``ConsentTemplate`` (``language``, ``message``, ``mode``,
  ``pending_manual_step``). :meth:`LiveSite.build` is the one way to make it from resources' outputs. A type that
  was not read is ``None``; a property not read is left out or ``None``.
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
:data:`ROW_JUDGES` entry.
"""

from __future__ import annotations

from .attestations import EU_EEA_REGIONS, STRICT, Attestations, attestation_problem
from .checks import (
    AUDIENCE_TEMPLATES,
    CAMPAIGN_KEYS,
    CAMPAIGN_PARAM_SETTINGS,
    CAMPAIGN_URL_EXCLUSIONS,
    CONSENT_ONLY_TEMPLATES,
    COOKIE_SETTING_CONDITION_TYPES,
    COOKIE_SETTING_VARIABLES,
    DEFAULT_IDENTIFIER_PATTERNS,
    DEFAULT_OPTIONS,
    EXEMPT_GEOLOCATION_LEVELS,
    EXEMPT_IP_MASKING_LEVELS,
    EXTRA_EVENT_TEMPLATES,
    KEPT_URL_EXCLUSIONS,
    NO_CONSENT,
    Check,
    Options,
    cookie_condition,
    excluded_from_urls,
    fires_without_consent,
    identifier_in,
    safe_url,
)
from .judge import (
    ACCOUNT_TYPE,
    ROW_JUDGES,
    Declared,
    ReportRow,
    RowJudge,
    in_report_order,
    judge,
    judge_account,
    judge_attestation,
    judge_consent_message,
    judge_export_dimensions,
    judge_rules,
    judge_site,
    report_order,
    row,
    variable_reference,
)
from .live import LiveSite, as_published
from .render import OPEN_QUESTIONS, render_markdown
from .requirements import (
    BY_KEY,
    BY_NUMBER,
    CNIL_PROFILES,
    DEFAULT_CNIL_PROFILE,
    MAX_COOKIE_LIFETIME_SECONDS,
    MAX_RETENTION_MONTHS,
    PROFILE_NOTES,
    REQUIREMENTS,
    WAITING,
    CnilProfile,
    How,
    Requirement,
    Status,
)
from .rules import (
    DYNAMIC_TYPE_PREFIX,
    RULES,
    RULES_BY_NAME,
    TRACKER,
    Rule,
    Violation,
    compliant_values,
    properties_judged,
    rules_for,
    short_type,
    violations,
)
from .sources import CNIL_2020_092, CNIL_PAGE, CNIL_TOOL, SEED_GUIDE, SOURCE_QUALITY, Source

__all__ = [
    "ACCOUNT_TYPE",
    "AUDIENCE_TEMPLATES",
    "BY_KEY",
    "BY_NUMBER",
    "CAMPAIGN_KEYS",
    "CAMPAIGN_PARAM_SETTINGS",
    "CAMPAIGN_URL_EXCLUSIONS",
    "CNIL_2020_092",
    "CNIL_PAGE",
    "CNIL_PROFILES",
    "CNIL_TOOL",
    "CONSENT_ONLY_TEMPLATES",
    "COOKIE_SETTING_CONDITION_TYPES",
    "COOKIE_SETTING_VARIABLES",
    "DEFAULT_CNIL_PROFILE",
    "DEFAULT_IDENTIFIER_PATTERNS",
    "DEFAULT_OPTIONS",
    "DYNAMIC_TYPE_PREFIX",
    "EU_EEA_REGIONS",
    "EXEMPT_GEOLOCATION_LEVELS",
    "EXEMPT_IP_MASKING_LEVELS",
    "EXTRA_EVENT_TEMPLATES",
    "KEPT_URL_EXCLUSIONS",
    "MAX_COOKIE_LIFETIME_SECONDS",
    "MAX_RETENTION_MONTHS",
    "NO_CONSENT",
    "OPEN_QUESTIONS",
    "PROFILE_NOTES",
    "REQUIREMENTS",
    "ROW_JUDGES",
    "RULES",
    "RULES_BY_NAME",
    "SEED_GUIDE",
    "SOURCE_QUALITY",
    "STRICT",
    "TRACKER",
    "WAITING",
    "Attestations",
    "Check",
    "CnilProfile",
    "Declared",
    "How",
    "LiveSite",
    "Options",
    "ReportRow",
    "Requirement",
    "RowJudge",
    "Rule",
    "Source",
    "Status",
    "Violation",
    "as_published",
    "attestation_problem",
    "compliant_values",
    "cookie_condition",
    "excluded_from_urls",
    "fires_without_consent",
    "identifier_in",
    "in_report_order",
    "judge",
    "judge_account",
    "judge_attestation",
    "judge_consent_message",
    "judge_export_dimensions",
    "judge_rules",
    "judge_site",
    "properties_judged",
    "render_markdown",
    "report_order",
    "row",
    "rules_for",
    "safe_url",
    "short_type",
    "variable_reference",
    "violations",
]
