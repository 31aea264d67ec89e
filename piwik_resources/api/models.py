"""Pydantic models of the Piwik PRO objects the providers manage.

Python attributes are snake_case; each field's alias is the API's spelling (camelCase for the Apps API,
snake_case elsewhere), and both spellings are accepted on input. Unknown response fields are kept
(``extra="allow"``) so that a new API attribute never breaks parsing. Enumerations are typed ``str`` on
response models for the same reason; the allowed values are listed in the ``*_VALUES`` constants.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

__all__ = [
    "ANONYMIZATION_MODE_VALUES",
    "CONSENT_TYPE_VALUES",
    "GEOLOCATION_LEVEL_VALUES",
    "IP_MASKING_LEVEL_VALUES",
    "AnonymizationMode",
    "App",
    "AppAttributes",
    "AppSummary",
    "AppType",
    "AuditLogEntry",
    "ConsentTemplate",
    "ConsentTemplateAttributes",
    "ConsentType",
    "CustomDimension",
    "CustomDimensionAttributes",
    "DimensionScope",
    "Extraction",
    "ExtractionTarget",
    "GeolocationLevel",
    "IpMaskingLevel",
    "Operation",
    "OptOutCode",
    "PiwikModel",
    "SessionLimitExceededAction",
    "Tag",
    "TagAttributes",
    "TrackerSettings",
    "Version",
]

# The API's enumerations, each spelled once: the providers' inputs (piwik_resources/providers/) type their
# properties with these Literals, and the allowed values in their error messages and docs derive from them.
AnonymizationMode = Literal["no_device_storage", "session_cookie_id"]
GeolocationLevel = Literal["none", "City", "Region", "Country", "Continent"]
#: How many trailing bytes (octets) of the visitor's IP address are masked (tracker settings' enum).
IpMaskingLevel = Literal[0, 1, 2, 3, 4]
SessionLimitExceededAction = Literal["split_and_exclude", "just_split"]
AppType = Literal["web", "sharepoint"]
DimensionScope = Literal["session", "event"]
ExtractionTarget = Literal["page_title_regex", "page_url_regex", "page_query_parameter"]
ConsentType = Literal[
    "not_require_consent",
    "analytics",
    "ab_testing_and_personalization",
    "conversion_tracking",
    "marketing_automation",
    "remarketing",
    "user_feedback",
    "custom_consent",
]
ANONYMIZATION_MODE_VALUES: tuple[str, ...] = get_args(AnonymizationMode)
GEOLOCATION_LEVEL_VALUES: tuple[str, ...] = get_args(GeolocationLevel)
IP_MASKING_LEVEL_VALUES: tuple[int, ...] = get_args(IpMaskingLevel)
CONSENT_TYPE_VALUES: tuple[str, ...] = get_args(ConsentType)


class PiwikModel(BaseModel):
    """Base: populate by name or alias, keep unknown fields, dump by alias for the wire."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    #: JSON:API ``type`` of the resource this model describes (``None`` when it has no envelope).
    resource_type: ClassVar[str | None] = None

    @classmethod
    def from_resource(cls, resource: Mapping[str, Any]) -> Any:
        """Build the model from a JSON:API resource object (``id`` + ``attributes`` + ``relationships``)."""
        data: dict[str, Any] = dict(resource.get("attributes") or {})
        if resource.get("id") is not None:
            data["id"] = resource["id"]
        return cls.model_validate(data)

    def to_attributes(self, *, exclude: set[str] | None = None) -> dict[str, Any]:
        """The fields the caller set (not defaults), by API alias, JSON-ready."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude=exclude)

    @classmethod
    def wire_name(cls, key: str) -> str | None:
        """API name (alias) of ``key`` (a Python name or alias); ``None`` if the model has no such field."""
        for name, info in cls.model_fields.items():
            alias = info.alias or name
            if key in (name, alias):
                return alias
        return None


class _CamelModel(PiwikModel):
    model_config = ConfigDict(populate_by_name=True, extra="allow", alias_generator=to_camel)


# --- Apps API (/api/apps/v2), camelCase ------------------------------------------------------------------


class AppAttributes(_CamelModel):
    """Editable attributes of an app (Apps API v2). ``name`` and ``urls`` are required on create."""

    resource_type: ClassVar[str | None] = "ppms/app"

    name: str  # at most 90 characters (checked by the API; responses are parsed leniently)
    urls: list[str]
    app_type: str | None = None  # create-only: web | sharepoint
    timezone: str | None = None
    currency: str | None = None
    exclude_unknown_urls: bool | None = None
    keep_url_fragment: bool | None = None
    e_commerce_tracking: bool | None = Field(default=None, alias="eCommerceTracking")
    site_search_tracking: bool | None = None  # deprecated by the API
    site_search_query_params: list[str] | None = None
    site_search_category_params: list[str] | None = None
    delay: int | None = None
    excluded_ips: list[str] | None = None
    excluded_url_params: list[str] | None = None
    excluded_user_agents: list[str] | None = None
    gdpr: bool | None = None
    gdpr_user_mode_enabled: bool | None = None
    privacy_cookie_domains_enabled: bool | None = None
    privacy_cookie_expiration_period: int | None = None
    privacy_cookie_domains: list[str] | None = None
    gdpr_location_recognition: bool | None = None  # deprecated by the API
    gdpr_data_anonymization: bool | None = None
    sharepoint_integration: bool | None = None
    gdpr_data_anonymization_mode: str | None = None  # ANONYMIZATION_MODE_VALUES
    privacy_use_cookies: bool | None = None
    privacy_use_fingerprinting: bool | None = None
    cnil: bool | None = None
    session_id_strict_privacy_mode: bool | None = None
    real_time_dashboards: bool | None = None


#: Attributes the API accepts on PATCH (``appType`` and ``id`` are create-only).
APP_EDITABLE_FIELDS: frozenset[str] = frozenset(
    (info.alias or name) for name, info in AppAttributes.model_fields.items() if name != "app_type"
)


class App(AppAttributes):
    """An app as returned by ``GET /api/apps/v2/{app_id}`` (all attributes, with read-only ones)."""

    id: str
    organization: str | None = None
    added_at: datetime | None = None
    updated_at: datetime | None = None


class AppSummary(_CamelModel):
    """An item of ``GET /api/apps/v2`` (the list carries only ``name``, ``addedAt``, ``updatedAt``)."""

    resource_type: ClassVar[str | None] = "ppms/app"

    id: str
    name: str
    added_at: datetime | None = None
    updated_at: datetime | None = None


# --- Tracker settings (/api/tracker/v2/settings/app/...), snake_case ---------------------------------------


class TrackerSettings(PiwikModel):
    """Global (``id == "global"``) or per-app tracker settings. Every field is optional."""

    id: str | None = None
    anonymize_visitor_ip_level: int | None = None  # 0..4
    anonymize_visitor_geolocation_level: str | None = None  # GEOLOCATION_LEVEL_VALUES
    fingerprint_based_on_anonymized_ip: bool | None = None
    set_ip_tracking: bool | None = None
    exclude_unknown_urls: bool | None = None
    urls: list[str] | None = None  # per app only
    keep_url_fragment: bool | None = None
    excluded_ips: list[str] | None = None
    excluded_user_agents: list[str] | None = None
    url_query_parameter_to_exclude_from_url: list[str] | None = None
    site_search_query_params: list[str] | None = None
    site_search_category_params: list[str] | None = None
    strip_site_search_query_parameters: bool | None = None
    exclude_crawlers: bool | None = None
    use_session_hash: bool | None = None
    use_anonymous_session_hash: bool | None = None
    trust_visitors_cookies: bool | None = None  # deprecated by the API
    tracking_fingerprint_disabled: bool | None = None
    enable_fingerprinting_across_websites: bool | None = None
    session_limit_exceeded_action: str | None = None  # split_and_exclude | just_split
    session_max_duration_seconds: int | None = None
    session_max_event_count: int | None = None
    create_new_visit_when_campaign_changes: bool | None = None
    create_new_visit_when_website_referrer_changes: bool | None = None
    campaign_name_params: list[str] | None = None
    campaign_source_params: list[str] | None = None
    campaign_medium_params: list[str] | None = None
    campaign_keyword_params: list[str] | None = None
    campaign_content_params: list[str] | None = None
    campaign_id_params: list[str] | None = None
    updated_at: datetime | None = None


# --- Tag Manager (/api/tag/v1/{app_id}/...) -----------------------------------------------------------------


class TagAttributes(PiwikModel):
    """Attributes sent to create a tag; only the fields given are sent.

    The published create body is one of 44 template variants: most require ``template_options`` (pass ``{}`` when
    there is nothing to set), while ``custom_tag``, ``custom_popup`` and ``heatmaps`` have no such property and are
    refused if it is sent, so it is never added on the caller's behalf.
    """

    resource_type: ClassVar[str | None] = "tag"

    name: str = Field(min_length=1, max_length=255)
    template: str
    template_options: dict[str, Any] | None = None
    consent_type: str | None = None  # CONSENT_TYPE_VALUES
    is_active: bool | None = None
    priority: int | None = None
    respect_visitors_privacy: bool | None = None
    disable_in_debug_mode: bool | None = None
    scheduler: dict[str, Any] | None = None
    tag_type: str | None = None
    document_write: bool | None = None
    code: str | None = None


class Tag(PiwikModel):
    """A tag; list items carry only the summary fields, ``get`` returns all and the trigger ids."""

    resource_type: ClassVar[str | None] = "tag"

    id: str
    name: str
    template: str | None = None
    consent_type: str | None = None
    is_active: bool | None = None
    is_published: bool | None = None
    priority: int | None = None
    tag_type: str | None = None
    respect_visitors_privacy: bool | None = None
    disable_in_debug_mode: bool | None = None
    document_write: bool | None = None
    code: str | None = None
    scheduler: dict[str, Any] | None = None
    template_options: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    trigger_ids: list[str] = Field(default_factory=list)

    @classmethod
    def from_resource(cls, resource: Mapping[str, Any]) -> Tag:
        tag: Tag = super().from_resource(resource)
        rel = (resource.get("relationships") or {}).get("triggers") or {}
        data = rel.get("data") if isinstance(rel, dict) else None
        if isinstance(data, list):
            tag.trigger_ids = [str(t["id"]) for t in data if isinstance(t, dict) and "id" in t]
        return tag


class Trigger(PiwikModel):
    """A Tag Manager trigger, at the path of Piwik PRO's archived API reference (PPMS-PublicDocs
    ``tag_manager/authorized_api/src/triggers.yaml``; not in the published 2025 OpenAPI files, docs/client.md):
    ``conditions`` are ``{condition_id, variable_id, condition_type, value, options}``."""

    resource_type: ClassVar[str | None] = "trigger"

    id: str
    name: str | None = None
    trigger_type: str | None = None
    is_published: bool | None = None
    conditions: list[dict[str, Any]] = Field(default_factory=list)


class Variable(PiwikModel):
    """A Tag Manager variable (archived API reference, like :class:`Trigger`): its name is what a trigger's
    condition refers to."""

    resource_type: ClassVar[str | None] = "variable"

    id: str
    name: str | None = None
    variable_type: str | None = None


class Version(PiwikModel):
    """A Tag Manager container version (``draft``, ``published`` or ``historic``)."""

    id: str
    version_type: str | None = None
    has_changes: bool | None = None
    version_major: int | None = None
    version_minor: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    published_at: datetime | None = None
    parent_id: str | None = None
    author: dict[str, Any] | None = None
    publisher: dict[str, Any] | None = None

    @property
    def number(self) -> str:
        """``"major.minor"`` as shown in the UI (e.g. ``"2.0"``)."""
        return f"{self.version_major or 0}.{self.version_minor or 0}"


class Operation(PiwikModel):
    """An asynchronous Tag Manager operation (``state``: created, started, completed, failed)."""

    id: str
    operation_type: str | None = None
    state: str | None = None
    parameters: dict[str, Any] | None = None
    summary: Any = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    failed_at: datetime | None = None
    #: Version id named by the 202 answer of a publish (not an API attribute of the operation).
    version_id: str | None = None

    @property
    def done(self) -> bool:
        return self.state in ("completed", "failed")


# --- Analytics custom dimensions (/api/analytics/v1/manage/custom-dimensions/) ------------------------------


class Extraction(PiwikModel):
    """A value extraction rule of a custom dimension (``target``: page_title_regex, page_url_regex,
    page_query_parameter)."""

    target: str
    pattern: str


class CustomDimensionAttributes(PiwikModel):
    """Attributes sent to create or (PUT, full object) update a custom dimension."""

    resource_type: ClassVar[str | None] = "CustomDimension"

    name: str
    active: bool = True
    case_sensitive: bool = False
    scope: str = "session"  # session | event (immutable after create)
    slot: int | None = None  # assigned by the API when omitted
    extractions: list[Extraction] | None = None
    description: str | None = None  # not in the published schema; sent only if set


class CustomDimension(PiwikModel):
    """A custom dimension; ``tracking_id`` is the number trackers use."""

    resource_type: ClassVar[str | None] = "CustomDimension"

    id: str
    website_id: str
    name: str
    active: bool | None = None
    case_sensitive: bool | None = None
    scope: str | None = None
    slot: int | None = None
    tracking_id: int | None = None
    extractions: list[Extraction] | None = None
    description: str | None = None


# --- Container settings ------------------------------------------------------------------------------------


class OptOutCode(PiwikModel):
    """The organization's opt-out form HTML (``id`` is the organization name)."""

    id: str | None = None
    code: str


# --- Consent form templates (emulator/private API, not part of Piwik PRO's published reference) -------------


class ConsentTemplateAttributes(PiwikModel):
    """Texts of a consent form template in one language."""

    resource_type: ClassVar[str | None] = "consent-manager/consent-form-template"

    title: str
    message: str
    accept_label: str | None = None
    reject_label: str | None = None
    privacy_policy_url: str | None = None


class ConsentTemplate(ConsentTemplateAttributes):
    """A stored consent form template; ``language`` is its id (e.g. ``fr``)."""

    language: str = Field(alias="id")


# --- Audit log (/api/audit-log/v1/entries) ----------------------------------------------------------------


class AuditLogEntry(PiwikModel):
    """Who did what, when and from where: one entry of the audit log (``ppms/audit-log-entry``).

    ``type`` is an open set of event names (``app.added``, ``app.changed.urls``, ...); ``author_email`` and
    ``ip`` may be null (an event of the system itself).
    """

    resource_type: ClassVar[str | None] = "ppms/audit-log-entry"

    id: str
    created_at: datetime
    type: str
    payload: dict[str, Any] = Field(default_factory=dict)
    author_id: str | None = None
    author_email: str | None = None
    subject_id: str | None = None
    ip: str | None = None
    version: int | None = None
