"""Components: CnilExemptSite (one exempt site), CnilAccount (the account-wide settings) and the compliance model."""

from piwik_resources.compliance import Attestations

from .cnil_account import CnilAccount, CnilAccountArgs
from .cnil_exempt_site import (
    CnilExemptionError,
    CnilExemptSite,
    CnilExemptSiteArgs,
    refusals,
)

__all__ = [
    "Attestations",
    "CnilAccount",
    "CnilAccountArgs",
    "CnilExemptSite",
    "CnilExemptSiteArgs",
    "CnilExemptionError",
    "refusals",
]
