"""CustomDimension acceptance program: a Site and one custom dimension. Config (namespace
piwik-custom-dimension): name, scope, active (bool),
description."""

import pulumi

from piwik_resources.resources import CustomDimension, CustomDimensionArgs, Site, SiteArgs

cfg = pulumi.Config()
site = Site("site", SiteArgs(name="Dimension site", urls=["https://dims.example"], deletion_protection=False))
dimension = CustomDimension(
    "consent-state",
    CustomDimensionArgs(
        site_id=site.site_id,
        name=cfg.get("name") or "consent_state",
        scope=cfg.get("scope") or "session",
        active=cfg.get_bool("active"),
        description=cfg.get("description"),
    ),
)
pulumi.export("site_id", site.site_id)
pulumi.export("dimension_id", dimension.dimension_id)
pulumi.export("tracking_id", dimension.tracking_id)
