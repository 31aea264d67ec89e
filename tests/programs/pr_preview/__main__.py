"""Two stages of one site's Piwik PRO resources; `pr_preview:stage=change` creates, updates, replaces and deletes.

base:   Site (secret name), TrackerSettings (IP masking 2), dimensions "Page category" (session) and "Legacy".
change: the site renamed (a secret changes), IP masking 0 (update that breaks the exemption), "Page category"
        moved to the event scope (replace), "Legacy" removed (delete), the Piwik tag's consent type (create).
"""

import pulumi

from piwik_resources.resources import (
    CustomDimension,
    CustomDimensionArgs,
    Site,
    SiteArgs,
    TagConsentType,
    TagConsentTypeArgs,
    TrackerSettings,
    TrackerSettingsArgs,
)

config = pulumi.Config()
change = config.get("stage") == "change"

site = Site(
    "shop",
    SiteArgs(name=pulumi.Output.secret("Shop (renamed)" if change else "Shop"), urls=["https://shop.example.fr"]),
)
# The app UUID is also the Site's id, which stays known while the Site is updated (site_id would not).
site_id = site.id

TrackerSettings(
    "shop-tracker",
    TrackerSettingsArgs(site_id=site_id, ip_masking_level=0 if change else 2, exclude_unknown_urls=True),
)
CustomDimension(
    "shop-category",
    CustomDimensionArgs(site_id=site_id, name="Page category", scope="event" if change else "session"),
)
if change:
    TagConsentType("shop-piwik-tag", TagConsentTypeArgs(site_id=site_id, consent_type="analytics"))
else:
    CustomDimension("shop-legacy", CustomDimensionArgs(site_id=site_id, name="Legacy", scope="event"))
pulumi.export("site_id", site.site_id)
