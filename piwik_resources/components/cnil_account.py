"""CnilAccount: the seed's platform-level settings, declared once per Piwik PRO account.

« Administration → Plate-forme → Paramètres de confidentialité »: mask IP addresses (at least one byte) and use
the masked IP for data enrichment. These are the account's global tracker settings: a singleton that several
stacks may share, so they live apart from CnilExemptSite (which only sets per-app overrides) and exactly one
stack per account should declare this component (docs/cnil-exemption.md, "Platform-level versus per-site
settings"). Destroying it writes back the values found when it was created.
"""

from __future__ import annotations

from typing import Any

import pulumi
from pydantic.dataclasses import dataclass

from piwik_resources.api.models import GeolocationLevel
from piwik_resources.compliance import STRICT, compliant_values, violations
from piwik_resources.resources import GlobalTrackerSettings, GlobalTrackerSettingsArgs

from .cnil_exempt_site import CnilExemptionError, IpMasking

TYPE_TOKEN = "piwik:cnil:CnilAccount"


@dataclass(frozen=True, config=STRICT)
class CnilAccountArgs:
    """The account-wide choices, validated on construction (the levels as the API enumerates them)."""

    ip_masking_level: IpMasking = 2
    geolocation_level: GeolocationLevel = "City"


def global_settings(args: CnilAccountArgs) -> dict[str, Any]:
    """The GlobalTrackerSettings properties the account gets (what `piwik-cnil doctor` compares too): the values the
    rules of the account-wide requirements fix (``Requirement.account``), and the levels the user chose."""
    chosen = {"ip_masking_level": args.ip_masking_level, "geolocation_level": args.geolocation_level}
    return {**compliant_values("GlobalTrackerSettings", account=True), **chosen}


class CnilAccount(pulumi.ComponentResource):
    ip_masking_level: pulumi.Output[int | None]

    def __init__(self, name: str, args: CnilAccountArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        props = global_settings(args)
        problems = [v.text() for v in violations("GlobalTrackerSettings", props)]
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
