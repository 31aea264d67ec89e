"""CnilAccount: the seed's platform-level settings, declared once per Piwik PRO account.

« Administration → Plate-forme → Paramètres de confidentialité »: mask IP addresses (at least one byte) and use
the masked IP for data enrichment. These are the account's global tracker settings: a singleton that several
stacks may share, so they live apart from CnilExemptSite (which only sets per-app overrides) and exactly one
stack per account should declare this component (docs/cnil-exemption.md, "Platform-level versus per-site
settings"). Destroying it writes back the values found when it was created.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pydantic import ConfigDict

from piwik_resources.compliance import violations
from piwik_resources.resources import GlobalTrackerSettings, GlobalTrackerSettingsArgs

from .cnil_exempt_site import CnilExemptionError

TYPE_TOKEN = "piwik:cnil:CnilAccount"


@dataclass(frozen=True)
class CnilAccountArgs:
    ip_masking_level: int = 2
    geolocation_level: str = "City"

    __pydantic_config__ = ConfigDict(extra="forbid")


def global_settings(args: CnilAccountArgs) -> dict[str, Any]:
    """The GlobalTrackerSettings properties the account gets (what `piwik-cnil doctor` compares too)."""
    return {
        "ip_masking_level": args.ip_masking_level,
        "use_masked_ip_for_enrichment": True,
        "fingerprinting_across_websites": False,
        "geolocation_level": args.geolocation_level,
    }


class CnilAccount(pulumi.ComponentResource):
    ip_masking_level: pulumi.Output[int | None]

    def __init__(self, name: str, args: CnilAccountArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        props = global_settings(args)
        problems = [v.text() for v in violations("GlobalTrackerSettings", props)]
        if isinstance(args.ip_masking_level, bool) or args.ip_masking_level not in (0, 1, 2, 3, 4):
            problems.append(f"ip_masking_level: {args.ip_masking_level!r} is not allowed; allowed: 1, 2, 3, 4")
        if problems:
            raise CnilExemptionError(name, problems)
        super().__init__(TYPE_TOKEN, name, None, opts)
        self.global_tracker_settings = GlobalTrackerSettings(
            f"{name}-global-tracker-settings",
            GlobalTrackerSettingsArgs(**props),
            pulumi.ResourceOptions(parent=self),
        )
        self.ip_masking_level = self.global_tracker_settings.ip_masking_level
        self.register_outputs({"ip_masking_level": self.ip_masking_level})
