"""Piwik PRO Analytics Suite as code: a client, dynamic providers, resources and the CnilExemptSite component.

The component and resource classes are importable from here (``from piwik_resources import CnilExemptSite``).
They are loaded on first use: importing ``piwik_resources`` or its Pulumi-free client ``piwik_resources.api``
does not import Pulumi. The ``TYPE_CHECKING`` imports below are what type checkers and IDEs read; the table
``_EXPORTS`` is what Python reads at run time (tests/api/test_top_level_exports.py keeps the two equal).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

#: The release's version: pyproject.toml reads it from here (``[tool.setuptools.dynamic]``); CHANGELOG.md names it.
__version__ = "0.1.0"

if TYPE_CHECKING:
    from piwik_resources.compliance import Attestations as Attestations
    from piwik_resources.components.cnil_account import CnilAccount as CnilAccount
    from piwik_resources.components.cnil_account import CnilAccountArgs as CnilAccountArgs
    from piwik_resources.components.cnil_exempt_site import CnilExemptionError as CnilExemptionError
    from piwik_resources.components.cnil_exempt_site import CnilExemptSite as CnilExemptSite
    from piwik_resources.components.cnil_exempt_site import CnilExemptSiteArgs as CnilExemptSiteArgs
    from piwik_resources.resources.consent_template import ConsentTemplate as ConsentTemplate
    from piwik_resources.resources.consent_template import ConsentTemplateArgs as ConsentTemplateArgs
    from piwik_resources.resources.custom_dimension import CustomDimension as CustomDimension
    from piwik_resources.resources.custom_dimension import CustomDimensionArgs as CustomDimensionArgs
    from piwik_resources.resources.custom_dimension import Extraction as Extraction
    from piwik_resources.resources.opt_out_form import OptOutForm as OptOutForm
    from piwik_resources.resources.opt_out_form import OptOutFormArgs as OptOutFormArgs
    from piwik_resources.resources.site import Site as Site
    from piwik_resources.resources.site import SiteArgs as SiteArgs
    from piwik_resources.resources.site_custom_dimensions import SiteCustomDimensions as SiteCustomDimensions
    from piwik_resources.resources.site_custom_dimensions import SiteCustomDimensionsArgs as SiteCustomDimensionsArgs
    from piwik_resources.resources.site_privacy import SitePrivacy as SitePrivacy
    from piwik_resources.resources.site_privacy import SitePrivacyArgs as SitePrivacyArgs
    from piwik_resources.resources.tag_consent_type import TagConsentType as TagConsentType
    from piwik_resources.resources.tag_consent_type import TagConsentTypeArgs as TagConsentTypeArgs
    from piwik_resources.resources.tracker_settings import GlobalTrackerSettings as GlobalTrackerSettings
    from piwik_resources.resources.tracker_settings import GlobalTrackerSettingsArgs as GlobalTrackerSettingsArgs
    from piwik_resources.resources.tracker_settings import TrackerSettings as TrackerSettings
    from piwik_resources.resources.tracker_settings import TrackerSettingsArgs as TrackerSettingsArgs

#: Each top-level name and the module that defines it.
_EXPORTS: dict[str, str] = {
    "Attestations": "compliance",
    "CnilAccount": "components.cnil_account",
    "CnilAccountArgs": "components.cnil_account",
    "CnilExemptSite": "components.cnil_exempt_site",
    "CnilExemptSiteArgs": "components.cnil_exempt_site",
    "CnilExemptionError": "components.cnil_exempt_site",
    "ConsentTemplate": "resources.consent_template",
    "ConsentTemplateArgs": "resources.consent_template",
    "CustomDimension": "resources.custom_dimension",
    "CustomDimensionArgs": "resources.custom_dimension",
    "Extraction": "resources.custom_dimension",
    "GlobalTrackerSettings": "resources.tracker_settings",
    "GlobalTrackerSettingsArgs": "resources.tracker_settings",
    "OptOutForm": "resources.opt_out_form",
    "OptOutFormArgs": "resources.opt_out_form",
    "Site": "resources.site",
    "SiteArgs": "resources.site",
    "SiteCustomDimensions": "resources.site_custom_dimensions",
    "SiteCustomDimensionsArgs": "resources.site_custom_dimensions",
    "SitePrivacy": "resources.site_privacy",
    "SitePrivacyArgs": "resources.site_privacy",
    "TagConsentType": "resources.tag_consent_type",
    "TagConsentTypeArgs": "resources.tag_consent_type",
    "TrackerSettings": "resources.tracker_settings",
    "TrackerSettingsArgs": "resources.tracker_settings",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` the first time it is asked for (PEP 562)."""
    home = _EXPORTS.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
