"""The client's models: those generated from the vendored OpenAPI files, and what the library adds on top.

Every attribute, type, enumeration and limit Piwik PRO publishes is in generated.py, written by
``python -m tools.gen_api_models`` from piwik_emulator/openapi/ (``make test`` fails when it is stale). What stays
written by hand here is what the files do not say: behaviour (a tag's trigger ids from its relationships, a
version's number, whether an operation is done), the library's own defaults (a new custom dimension is active,
case-insensitive and per session), the client's own fields (an operation's version id) and the consent-template
API, which Piwik PRO does not publish (docs/client.md, "Generated models").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self, get_args

from pydantic import Field

from .base import PiwikModel
from .generated import (
    AnonymizationMode,
    App,
    AppAttributes,
    AppChanges,
    AppSummary,
    AppType,
    AuditLogEntry,
    ConsentType,
    CustomDimensionFields,
    CustomDimensionRead,
    DimensionScope,
    Extraction,
    ExtractionTarget,
    GeolocationLevel,
    IpMaskingLevel,
    OperationFields,
    OptOutCode,
    SessionLimitExceededAction,
    TagAttributes,
    TagFields,
    TagTemplate,
    TrackerSettings,
    VersionFields,
)

__all__ = [
    "ANONYMIZATION_MODE_VALUES",
    "APP_EDITABLE_FIELDS",
    "CONSENT_TYPE_VALUES",
    "GEOLOCATION_LEVEL_VALUES",
    "IP_MASKING_LEVEL_VALUES",
    "AnonymizationMode",
    "App",
    "AppAttributes",
    "AppChanges",
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
    "TagTemplate",
    "TrackerSettings",
    "Version",
]

# The allowed values of the enumerations the library's messages list, derived from their Literals.
ANONYMIZATION_MODE_VALUES: tuple[str, ...] = get_args(AnonymizationMode)
GEOLOCATION_LEVEL_VALUES: tuple[str, ...] = get_args(GeolocationLevel)
IP_MASKING_LEVEL_VALUES: tuple[int, ...] = get_args(IpMaskingLevel)
CONSENT_TYPE_VALUES: tuple[str, ...] = get_args(ConsentType)

#: Attributes the API accepts on an app's PATCH (``appType`` is fixed at creation).
APP_EDITABLE_FIELDS: frozenset[str] = frozenset((info.alias or name) for name, info in AppChanges.model_fields.items())


class Tag(TagFields):
    """A tag; list items carry only the summary fields, ``get`` returns all and the trigger ids."""

    trigger_ids: list[str] = Field(default_factory=list)

    @classmethod
    def from_resource(cls, resource: Mapping[str, Any]) -> Self:
        tag = super().from_resource(resource)
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


class Version(VersionFields):
    """A Tag Manager container version (``draft``, ``published`` or ``historic``)."""

    @property
    def number(self) -> str:
        """``"major.minor"`` as shown in the UI (e.g. ``"2.0"``)."""
        return f"{self.version_major}.{self.version_minor}"


class Operation(OperationFields):
    """An asynchronous Tag Manager operation (``state``: created, started, completed, failed)."""

    #: Version id named by the 202 answer of a publish (not an API attribute of the operation).
    version_id: str | None = None

    @property
    def done(self) -> bool:
        return self.state in ("completed", "failed")


class CustomDimensionAttributes(CustomDimensionFields):
    """Attributes sent to create or (PUT, full object) update a custom dimension, with the library's defaults."""

    active: bool = True
    case_sensitive: bool = False
    scope: DimensionScope = "session"  # immutable after create
    description: str | None = None  # not in the published schema; sent only if set


class CustomDimension(CustomDimensionRead):
    """A custom dimension as read; ``tracking_id`` is the number trackers use."""

    description: str | None = None  # not in the published schema


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
