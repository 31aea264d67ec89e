"""What the plugin serves: every resource adapter (by type name) and the two components (by name)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from piwik_resources.compliance import record
from piwik_resources.components.cnil_account import CnilAccountArgs
from piwik_resources.components.cnil_exempt_site import CnilExemptSiteArgs

from ._adapters import adapter, adapters
from .components import PluginCnilAccount, PluginCnilExemptSite


@dataclass(frozen=True)
class Component:
    """A component the plugin constructs: its class, its arguments' dataclass and its outputs' descriptions."""

    cls: type
    args: type
    #: Output attribute -> what it holds (in the order the schema lists them).
    outputs: Mapping[str, str]


COMPONENTS: dict[str, Component] = {
    "CnilExemptSite": Component(
        PluginCnilExemptSite,
        CnilExemptSiteArgs,
        {
            "site_id": "The app's UUID.",
            "opt_out_code": "The opt-out form's HTML, to paste into the privacy policy page.",
            "installation_code": "The app's container installation code, for every page of the site.",
            "privacy_policy": "The privacy policy paragraphs to publish, per language.",
            "consent_message": "The consent form's message, per language.",
            "compliance_report": "One row per requirement of the exemption: number, title, status, source, detail.",
            "compliance_report_markdown": "The compliance report as Markdown tables (the site's, the account's).",
            "account_report": "The account section: the account-wide requirements judged on the live settings of "
            "the CnilAccount the site depends on.",
            record.OUTPUT: "What the site declares and no API answers (profile, attestations with who and when, "
            "identifier patterns, consent mode and languages, export dimensions, name), recorded in the state for "
            "`piwik-cnil watch`, `evidence` and `doctor`.",
        },
    ),
    "CnilAccount": Component(
        PluginCnilAccount,
        CnilAccountArgs,
        {"ip_masking_level": "The account-wide IP masking level now set."},
    ),
}

__all__ = ["COMPONENTS", "Component", "adapter", "adapters"]
