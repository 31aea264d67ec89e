"""TrackerSettings acceptance program: a Site and its tracker settings overrides. Config (namespace
piwik-tracker-settings): ipMaskingLevel (int), maskedIpForEnrichment (bool), geolocationLevel,
fingerprintingAcrossWebsites (bool)."""

import pulumi

from piwik_resources.resources import Site, SiteArgs, TrackerSettings, TrackerSettingsArgs

cfg = pulumi.Config()
site = Site("site", SiteArgs(name="Tracked site", urls=["https://tracked.example"], deletion_protection=False))
tracker = TrackerSettings(
    "tracker",
    TrackerSettingsArgs(
        site_id=site.site_id,
        ip_masking_level=cfg.get_int("ipMaskingLevel"),
        use_masked_ip_for_enrichment=cfg.get_bool("maskedIpForEnrichment"),
        geolocation_level=cfg.get("geolocationLevel"),
        fingerprinting_across_websites=cfg.get_bool("fingerprintingAcrossWebsites"),
    ),
)
pulumi.export("site_id", site.site_id)
pulumi.export("ip_masking_level", tracker.ip_masking_level)
