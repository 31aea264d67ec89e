"""CnilAccount: the seed's platform-level settings, declared once per Piwik PRO account.

« Administration → Plate-forme → Paramètres de confidentialité »: mask IP addresses (at least one byte) and use
the masked IP for data enrichment. These are the account's global tracker settings: a singleton that several
stacks may share, so they live apart from CnilExemptSite (which only sets per-app overrides) and exactly one
stack per account should declare this component (docs/cnil-exemption.md, "Platform-level versus per-site
settings"). Destroying it writes back the values found when it was created — never under a live site.

A site joins its account with ``ResourceOptions(depends_on=[account])`` on the CnilExemptSite (the project's
program does it for every site). That does two things (docs/resources.md, "Delete: what a destroy does"):

* the site's app (its Site resource) depends on the account's GlobalTrackerSettings, so a destroy reaches the
  account's restore only once every site is gone, and never when a site stops it (deletion protection, an
  error, Ctrl-C);
* a site that adopts an app tells the account (:meth:`CnilAccount.keep`): a destroy forgets that app and leaves
  it in place, so the GlobalTrackerSettings get its id in ``kept_app_ids`` and, while it exists, leave the
  account as it is rather than write back values it might inherit. The ids are gathered while the program
  declares its sites and sent once it has (the input is an Output that resolves when the Pulumi runtime first
  runs its event loop, i.e. after the program's declarations); a site that joins later — declared inside an
  ``apply`` or after a synchronous invoke — is refused with a message, never silently left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import pulumi
from pydantic.dataclasses import dataclass

from piwik_resources.api.models import GeolocationLevel
from piwik_resources.compliance import STRICT, compliant_values, violations
from piwik_resources.resources import GlobalTrackerSettingsArgs
from piwik_resources.resources.kinds import DYNAMIC, ResourceKinds

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


#: Every CnilAccount the program has declared (so that a site that joins none of them is warned).
DECLARED: list[CnilAccount] = []


class CnilAccount(pulumi.ComponentResource):
    """The account-wide settings of the exemption; see the module docstring."""

    ip_masking_level: pulumi.Output[int | None]
    #: Its type token and resource classes (the provider plugin's subclass sets its own: cnil_exempt_site.py).
    type_token: ClassVar[str] = TYPE_TOKEN
    kinds: ClassVar[ResourceKinds] = DYNAMIC

    def __init__(self, name: str, args: CnilAccountArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        props = global_settings(args)
        problems = [v.text() for v in violations("GlobalTrackerSettings", props)]
        if problems:
            raise CnilExemptionError(name, problems)
        super().__init__(self.type_token, name, None, opts)
        self.account_name = name
        #: Adopted app id -> the site that adopts it (what a destroy leaves in place).
        self._kept: dict[str, str] = {}
        self._sent = False
        self.global_tracker_settings = self.kinds.GlobalTrackerSettings(
            f"{name}-global-tracker-settings",
            GlobalTrackerSettingsArgs(**props, kept_app_ids=pulumi.Output.from_input(self._kept_app_ids())),
            pulumi.ResourceOptions(parent=self),
        )
        self.ip_masking_level = self.global_tracker_settings.ip_masking_level
        self.register_outputs({"ip_masking_level": self.ip_masking_level})
        DECLARED.append(self)

    async def _kept_app_ids(self) -> list[str]:
        # Runs when the runtime first awaits the inputs, after the program's own (synchronous) declarations.
        self._sent = True
        return sorted(self._kept)

    def keep(self, site: str, app_id: str) -> None:
        """Record that a destroy leaves the app ``app_id`` (adopted by the site ``site``) in place."""
        if self._sent:
            raise CnilExemptionError(
                site,
                [
                    f"adopt_site_id: the site joins CnilAccount {self.account_name!r} after its settings were sent, "
                    "so a destroy could write the account back under the adopted app; declare the site with the "
                    "account, at the top level of the program (not inside an apply, nor after a synchronous invoke)"
                ],
            )
        self._kept[app_id] = site


def accounts_in(depends_on: object) -> list[CnilAccount]:
    """The CnilAccount components among a ``depends_on`` option (a resource or a list; Outputs are not looked in)."""
    items: Sequence[Any] = depends_on if isinstance(depends_on, list | tuple) else [depends_on]
    return [item for item in items if isinstance(item, CnilAccount)]
