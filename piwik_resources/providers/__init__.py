"""Pulumi dynamic providers for Piwik PRO: one generic engine (engine.py) and one adapter per resource.

Importing this package has no side effects (the provider process imports it to unpickle providers).
"""

from .consent_template import ConsentTemplateProvider
from .custom_dimension import CustomDimensionProvider
from .engine import Adapter, Context, PiwikProvider, ProviderError
from .opt_out_form import InstallationCodeProvider, OptOutFormProvider
from .site import SiteProvider
from .site_custom_dimensions import SiteCustomDimensionsProvider
from .site_privacy import SitePrivacyProvider
from .site_tags import SiteTagsProvider
from .tag_consent_type import TagConsentTypeProvider
from .tracker_settings import GlobalTrackerSettingsProvider, TrackerSettingsProvider

__all__ = [
    "Adapter",
    "ConsentTemplateProvider",
    "Context",
    "CustomDimensionProvider",
    "GlobalTrackerSettingsProvider",
    "InstallationCodeProvider",
    "OptOutFormProvider",
    "PiwikProvider",
    "ProviderError",
    "SiteCustomDimensionsProvider",
    "SitePrivacyProvider",
    "SiteProvider",
    "SiteTagsProvider",
    "TagConsentTypeProvider",
    "TrackerSettingsProvider",
]
