"""The set of resource classes a component makes its children of: one injection point for both ways of running.

A Python program's components make dynamic resources (this package's classes, :data:`DYNAMIC`); the provider plugin
``piwik`` (piwik_resources/plugin/resources.py) hands the same components its own ``piwik:index:*`` custom
resources. Each class is called as ``Cls(name, args, opts)`` with the same generated ``…Args``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .consent_template import ConsentTemplate
from .custom_dimension import CustomDimension
from .opt_out_form import InstallationCode, OptOutForm
from .site import Site
from .site_custom_dimensions import SiteCustomDimensions
from .site_privacy import SitePrivacy
from .site_tags import SiteTags
from .tag_consent_type import TagConsentType
from .tracker_settings import GlobalTrackerSettings, TrackerSettings

#: ``Cls(resource_name, args, opts)``, returning the resource (its outputs are attributes).
ResourceClass = Callable[..., Any]


@dataclass(frozen=True)
class ResourceKinds:
    """One class per resource a component may make (field name = the resource type)."""

    Site: ResourceClass
    SitePrivacy: ResourceClass
    TrackerSettings: ResourceClass
    GlobalTrackerSettings: ResourceClass
    TagConsentType: ResourceClass
    ConsentTemplate: ResourceClass
    CustomDimension: ResourceClass
    SiteCustomDimensions: ResourceClass
    SiteTags: ResourceClass
    OptOutForm: ResourceClass
    InstallationCode: ResourceClass


#: The dynamic resources of a Python program.
DYNAMIC = ResourceKinds(
    Site=Site,
    SitePrivacy=SitePrivacy,
    TrackerSettings=TrackerSettings,
    GlobalTrackerSettings=GlobalTrackerSettings,
    TagConsentType=TagConsentType,
    ConsentTemplate=ConsentTemplate,
    CustomDimension=CustomDimension,
    SiteCustomDimensions=SiteCustomDimensions,
    SiteTags=SiteTags,
    OptOutForm=OptOutForm,
    InstallationCode=InstallationCode,
)

__all__ = ["DYNAMIC", "ResourceClass", "ResourceKinds"]
