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
    """What a user may tune or state for the judging; handed to every rule's check."""

    identifier_patterns: tuple[str, ...] = DEFAULT_IDENTIFIER_PATTERNS
    #: Tag ids attested to fire without consent (Attestations.tags_without_consent): #22 lets them pass.
    attested_tags: tuple[str, ...] = ()


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


#: The Tag Manager templates that measure the audience and may fire without consent: #22's allow-list (this
#: project's reading, docs/cnil-criteria.md). Every other template firing without consent breaks #22 unless the tag
#: is attested by id. Their own custom-dimension options are not read (SiteTags lists the summary fields).
AUDIENCE_TEMPLATES: dict[str, str] = {
    "piwik": "the Piwik PRO tag (audience measurement)",
    "piwik_virtual_page_view": "a page view of a single-page application",
}
#: What some templates do, for the wording of a broken #22 (a template not named here is "not audience measurement").
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
    **dict.fromkeys(("custom_tag", "custom_content", "custom_popup"), "pasted code: can do anything"),
    "google_analytics": "another analytics tool",
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
    "abandoned": "a discontinued template kept as code: what it measures is not published",
}
NO_CONSENT = "not_require_consent"


def fires_without_consent(tag: Mapping[str, Any]) -> bool:
    """An active tag of consent type ``not_require_consent`` (an inactive tag fires for nobody)."""
    return tag.get("consent_type") == NO_CONSENT and tag.get("is_active") is not False


def _firing(value: Any) -> list[Mapping[str, Any]]:
    """The active tags of a container's live list that fire without consent (none when the value is not a list)."""
    return [t for t in value if isinstance(t, Mapping) and fires_without_consent(t)] if isinstance(value, list) else []


def _tag_text(tag: Mapping[str, Any], what: str) -> str:
    return f"{tag.get('name')!r} ({tag.get('template')}, {what}, tag {tag.get('tag_id')})"


def _tags_firing_without_consent(
    templates: Mapping[str, str], what: str, value: Any, _props: Mapping[str, Any], _options: Options
) -> str | None:
    """``partial(_tags_firing_without_consent, templates, what)``: a check of a container's live tags: no active
    tag of ``templates`` fires without consent."""
    found = [_tag_text(t, templates[str(t.get("template"))]) for t in _firing(value) if t.get("template") in templates]
    if not found:
        return None
    return (
        f"active tag(s) firing without consent ({NO_CONSENT}): {', '.join(found)}; {what} needs the visitor's "
        "consent (set another consent type or deactivate the tag)"
    )


def _only_audience_tags_without_consent(value: Any, _props: Mapping[str, Any], options: Options) -> str | None:
    """#22, default-deny: every active tag firing without consent is on AUDIENCE_TEMPLATES or attested by id."""
    found = [
        _tag_text(t, CONSENT_ONLY_TEMPLATES.get(str(t.get("template")), "not audience measurement"))
        for t in _firing(value)
        if t.get("template") not in AUDIENCE_TEMPLATES and str(t.get("tag_id")) not in options.attested_tags
    ]
    if not found:
        return None
    allowed = ", ".join(AUDIENCE_TEMPLATES)
    return (
        f"active tag(s) firing without consent ({NO_CONSENT}) that are not audience measurement: "
        f"{', '.join(found)}; only {allowed} may fire without consent: set another consent type, deactivate the "
        "tag, or attest it by id in attestations.tags_without_consent"
    )


# --- Triggers that set a cookie (#4) ------------------------------------------------------------------------------

#: Trigger conditions that make Tag Manager set a cookie, as Piwik PRO's help names them (« Setting up Consent
#: Manager »): the event conditions on these built-in variables ...
COOKIE_SETTING_VARIABLES: tuple[str, ...] = ("Traffic source", "Returning visitor", "Campaign", "External referrer")
#: ... and these condition types of the archived trigger schema (this project's mapping of the help's « Returning
#: visitor » and multiplicity names to the condition_type enum: is_first_visit / is_not_first_visit,
#: once_per_session, once_per_page_view).
COOKIE_SETTING_CONDITION_TYPES: tuple[str, ...] = (
    "is_first_visit",
    "is_not_first_visit",
    "once_per_session",
    "once_per_page_view",
)


_COOKIE_SETTING_NAMES = frozenset(v.casefold() for v in COOKIE_SETTING_VARIABLES)


def cookie_condition(condition: Mapping[str, Any]) -> str | None:
    """Why a trigger condition sets a cookie, or None."""
    kind, variable = condition.get("condition_type"), condition.get("variable")
    if isinstance(variable, str) and variable.casefold() in _COOKIE_SETTING_NAMES:
        return f"a condition on {variable!r}"
    if kind in COOKIE_SETTING_CONDITION_TYPES:
        return f"the condition {kind!r}"
    return None


def _no_cookie_setting_trigger(value: Any, _props: Mapping[str, Any], _options: Options) -> str | None:
    """#4: no trigger of a tag that fires without consent uses a condition that sets a cookie."""
    if not isinstance(value, list):
        return None
    found: list[str] = []
    for trigger in value:
        if not isinstance(trigger, Mapping):
            continue
        why = [w for c in trigger.get("conditions") or () if isinstance(c, Mapping) and (w := cookie_condition(c))]
        if why:
            found.append(
                f"tag {trigger.get('tag_name')!r} ({trigger.get('tag_id')}) fires on trigger "
                f"{trigger.get('trigger_name')!r} ({trigger.get('trigger_id')}) with {', '.join(why)}"
            )
    if not found:
        return None
    return (
        f"{'; '.join(found)}: Tag Manager sets a cookie for such a trigger (Piwik PRO help, « Setting up Consent "
        "Manager »), also for visitors who did not consent; give the tag a consent type or change the trigger"
    )


# --- The Piwik PRO tag's own options ------------------------------------------------------------------------------


def _no_user_id(value: Any, _props: Mapping[str, Any], _options: Options) -> str | None:
    if isinstance(value, str) and value.strip():
        return (
            f"{value!r} sets a user id, which the API describes as connecting « a given user's data collected from "
            "multiple sources »; the tag of an exempt site sets none (allowed: empty)"
        )
    return None


def _tag_dimension_values(value: Any, _props: Mapping[str, Any], options: Options) -> str | None:
    """The tag's piwik_custom_dimensions / piwik_custom_variables: no name or value that names an identifier."""
    if not isinstance(value, list):
        return None
    for entry in value:
        if not isinstance(entry, Mapping):
            continue
        for key in ("name", "value"):
            text = entry.get(key)
            word = identifier_in(text, options.identifier_patterns) if isinstance(text, str) else None
            if word:
                return (
                    f"entry {entry.get('id')} sets {key} {text!r}, which looks like an identifier ({word!r}); the tag "
                    "must not attach identifiers to visitors who did not consent"
                )
    return None


def _no_content_tracking(value: Any, _props: Mapping[str, Any], _options: Options) -> str | None:
    if isinstance(value, str) and value:
        return (
            f"{value!r} tracks content impressions, an event type beyond the few allowed without consent (page "
            "views, interactions, load / scroll / reading time); allowed: unset"
        )
    return None


def _no_cookie_domain(value: Any, _props: Mapping[str, Any], _options: Options) -> str | None:
    if isinstance(value, str) and value:
        return f"{value!r} shares the tracking cookie beyond the site's own host; allowed: unset (the site's host)"
    return None


# --- The app's URLs (#5) -----------------------------------------------------------------------------------------

_HOST_THEN_SEPARATOR = re.compile(r"^https?://[^/?#\s]+/")


def safe_url(url: str) -> str:
    """``url`` with a path separator after its host: ``https://shop.example.fr`` -> ``https://shop.example.fr/``."""
    return url if _HOST_THEN_SEPARATOR.match(url) or not re.match(r"^https?://[^/?#\s]+$", url) else f"{url}/"


def _urls_end_their_host(value: Any, _props: Mapping[str, Any], _options: Options) -> str | None:
    """#5: under the "starts with" rule, a URL whose host is not followed by ``/`` admits lookalike hosts."""
    if not isinstance(value, list):
        return None
    open_ended = [str(url) for url in value if not _HOST_THEN_SEPARATOR.match(str(url))]
    if not open_ended:
        return None
    return (
        f"{', '.join(map(repr, open_ended))} end(s) the host without a path separator: exclude_unknown_urls keeps "
        f"requests whose URL starts with one of the app's urls, so {open_ended[0] + '.evil.example'!r} is kept too; "
        f"write {safe_url(open_ended[0])!r}"
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
