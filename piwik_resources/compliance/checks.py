"""The checks a rule runs on one value, and the tables they judge with (templates, identifier words, campaign keys).

A check is ``check(value, props, options) -> str | None``: why ``value`` (of a resource whose other properties are
``props``) breaks a requirement, or ``None``. Checks are module-level functions, parametrised with
``functools.partial`` where a rule needs it, so that mutation testing reaches their bodies (docs/mutation.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from piwik_resources.api.models import GEOLOCATION_LEVEL_VALUES, IP_MASKING_LEVEL_VALUES

from .requirements import MAX_COOKIE_LIFETIME_SECONDS

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


def _number(value: Any) -> int | None:
    """Numbers come back from the engine as floats (30 -> 30.0); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


#: The IP masking levels the exemption allows: every published level that masks at least one byte.
EXEMPT_IP_MASKING_LEVELS = tuple(level for level in IP_MASKING_LEVEL_VALUES if level >= 1)


def _ip_masking(value: Any, _props: Mapping[str, Any], _options: Options) -> str | None:
    level = _number(value)
    if level is not None and level < 1:
        *most, last = EXEMPT_IP_MASKING_LEVELS
        return f"{level} masks no byte of the IP address; the exemption needs {', '.join(map(str, most))} or {last}"
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


#: The consent type the Piwik PRO tag of an exempt site fires under (seed: « Type de consentement : Analytics »).
PIWIK_TAG_CONSENT_TYPE = "analytics"


def _consent_type(value: Any, props: Mapping[str, Any], _options: Options) -> str | None:
    # Only the Piwik PRO tracking tag is held to "analytics": found by template (the default) or named so.
    template = props.get("template")
    if template not in (None, "piwik"):
        return None
    if value != PIWIK_TAG_CONSENT_TYPE:
        return (
            f"{value!r} is not allowed for the Piwik PRO tag of an exempt site (required: {PIWIK_TAG_CONSENT_TYPE!r})"
        )
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
#: The API's initial global exclusions (session ids and the like), kept beside the campaign keys when CnilExemptSite
#: writes the setting: it is replaced as a whole, and these keep identifiers out of the tracked URLs too.
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
