"""The components the plugin constructs: CnilExemptSite and CnilAccount, whose children are its own resources.

They are the library's components (piwik_resources/components), with the plugin's type tokens and its
``piwik:index:*`` resource classes (resources.py) in place of the dynamic ones: the refusals, the properties given
to each resource and the compliance report are the same code.
"""

from __future__ import annotations

from typing import ClassVar

from piwik_resources.components.cnil_account import CnilAccount
from piwik_resources.components.cnil_exempt_site import CnilExemptSite
from piwik_resources.resources.kinds import ResourceKinds
from piwik_resources.tokens import PLUGIN_TYPE_PREFIX

from .resources import PLUGIN


class PluginCnilExemptSite(CnilExemptSite):
    """A Piwik PRO site configured for the CNIL consent exemption (piwik_resources/components/cnil_exempt_site.py):
    its app, privacy and tracker settings, the Piwik PRO tag's consent type, the consent form texts, the export
    dimensions when exports are needed and the read-only listings, refused before anything is sent when the
    arguments would break the exemption; ``compliance_report`` judges every requirement on the live values."""

    type_token: ClassVar[str] = PLUGIN_TYPE_PREFIX + "CnilExemptSite"
    kinds: ClassVar[ResourceKinds] = PLUGIN


class PluginCnilAccount(CnilAccount):
    """The account-wide settings of the exemption, once per Piwik PRO account (the global tracker settings: IP
    masking, masked IP for enrichment, no fingerprinting across websites, geolocation); destroying it writes back
    the values found when it was created."""

    type_token: ClassVar[str] = PLUGIN_TYPE_PREFIX + "CnilAccount"
    kinds: ClassVar[ResourceKinds] = PLUGIN


__all__ = ["PluginCnilAccount", "PluginCnilExemptSite"]
