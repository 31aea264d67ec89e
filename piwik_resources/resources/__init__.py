"""Typed Pulumi resources for Piwik PRO (dynamic resources, type tokens ``pulumi-python:dynamic/piwik:<Name>``).

Field ownership on an app: Site owns name, urls, timezone, currency and app type; SitePrivacy owns the consent
and privacy attributes; TrackerSettings owns the app's tracker settings. See docs/resources.md.
"""

from .consent_template import ConsentTemplate, ConsentTemplateArgs
from .custom_dimension import CustomDimension, CustomDimensionArgs, Extraction
from .site import Site, SiteArgs
from .site_custom_dimensions import SiteCustomDimensions, SiteCustomDimensionsArgs
from .site_privacy import SitePrivacy, SitePrivacyArgs
from .site_tags import SiteTags, SiteTagsArgs
from .tag_consent_type import TagConsentType, TagConsentTypeArgs
from .tracker_settings import (
    GlobalTrackerSettings,
    GlobalTrackerSettingsArgs,
    TrackerSettings,
    TrackerSettingsArgs,
)

__all__ = [
    "ConsentTemplate",
    "ConsentTemplateArgs",
    "CustomDimension",
    "CustomDimensionArgs",
    "Extraction",
    "GlobalTrackerSettings",
    "GlobalTrackerSettingsArgs",
    "Site",
    "SiteArgs",
    "SiteCustomDimensions",
    "SiteCustomDimensionsArgs",
    "SitePrivacy",
    "SitePrivacyArgs",
    "SiteTags",
    "SiteTagsArgs",
    "TagConsentType",
    "TagConsentTypeArgs",
    "TrackerSettings",
    "TrackerSettingsArgs",
]
