"""Piwik PRO API client: httpx transport, client-credentials auth, pacing, retries, errors and models.

It knows nothing of Pulumi. Usage::

    with PiwikClient.from_config(ClientConfig.from_env()) as client:
        app = client.apps.get(app_id)
        client.tracker_settings.update_app(app_id, {"anonymize_visitor_ip_level": 2})
"""

from .auth import decode_jwt_claims
from .client import PiwikClient
from .config import ClientConfig, is_loopback_host, normalize_base_url
from .errors import (
    AuthError,
    ConfigurationError,
    ConflictError,
    ConsentTemplateApiUnavailable,
    ErrorItem,
    InsecureBaseUrlError,
    NotFoundError,
    OperationFailedError,
    OperationTimeoutError,
    PiwikError,
    RateLimitedError,
    ServerError,
    TriggersApiUnavailable,
    UnavailableError,
    ValidationError,
)
from .models import (
    ANONYMIZATION_MODE_VALUES,
    APP_EDITABLE_FIELDS,
    CONSENT_TYPE_VALUES,
    GEOLOCATION_LEVEL_VALUES,
    App,
    AppAttributes,
    AppSummary,
    AuditLogEntry,
    ConsentTemplate,
    ConsentTemplateAttributes,
    CustomDimension,
    CustomDimensionAttributes,
    Extraction,
    Operation,
    OptOutCode,
    Tag,
    TagAttributes,
    TrackerSettings,
    Trigger,
    Variable,
    Version,
)
from .pacing import Pacing, RateLimiter, shared_pacer, shared_pacing
from .retry import RetryPolicy
from .services.tracker_settings import TRACKER_SETTING_NAMES

__all__ = [
    "ANONYMIZATION_MODE_VALUES",
    "APP_EDITABLE_FIELDS",
    "CONSENT_TYPE_VALUES",
    "GEOLOCATION_LEVEL_VALUES",
    "TRACKER_SETTING_NAMES",
    "App",
    "AppAttributes",
    "AppSummary",
    "AuditLogEntry",
    "AuthError",
    "ClientConfig",
    "ConfigurationError",
    "ConflictError",
    "ConsentTemplate",
    "ConsentTemplateApiUnavailable",
    "ConsentTemplateAttributes",
    "CustomDimension",
    "CustomDimensionAttributes",
    "ErrorItem",
    "Extraction",
    "InsecureBaseUrlError",
    "NotFoundError",
    "Operation",
    "OperationFailedError",
    "OperationTimeoutError",
    "OptOutCode",
    "Pacing",
    "PiwikClient",
    "PiwikError",
    "RateLimitedError",
    "RateLimiter",
    "RetryPolicy",
    "ServerError",
    "Tag",
    "TagAttributes",
    "TrackerSettings",
    "Trigger",
    "TriggersApiUnavailable",
    "UnavailableError",
    "ValidationError",
    "Variable",
    "Version",
    "decode_jwt_claims",
    "is_loopback_host",
    "normalize_base_url",
    "shared_pacer",
    "shared_pacing",
]
