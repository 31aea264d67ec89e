"""GlobalTrackerSettings acceptance program. Config (namespace piwik-global-tracker-settings): ipMaskingLevel
(int), maskedIpForEnrichment (bool), geolocationLevel."""

import pulumi

from piwik_resources.resources import GlobalTrackerSettings, GlobalTrackerSettingsArgs

cfg = pulumi.Config()
settings = GlobalTrackerSettings(
    "global",
    GlobalTrackerSettingsArgs(
        ip_masking_level=cfg.get_int("ipMaskingLevel"),
        use_masked_ip_for_enrichment=cfg.get_bool("maskedIpForEnrichment"),
        geolocation_level=cfg.get("geolocationLevel"),
    ),
)
pulumi.export("ip_masking_level", settings.ip_masking_level)
pulumi.export("previous", settings.previous)
