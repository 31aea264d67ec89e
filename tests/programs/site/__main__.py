"""Site acceptance program. Config (namespace piwik-site): name, urls (JSON list), timezone, currency,
appType, adoptId. Config values arrive as strings; typed ones are read with get_int/get_bool/get_object."""

import pulumi

from piwik_resources.resources import Site, SiteArgs

cfg = pulumi.Config()
site = Site(
    "site",
    SiteArgs(
        name=cfg.require("name"),
        urls=cfg.get_object("urls") or ["https://shop.example"],
        timezone=cfg.get("timezone"),
        currency=cfg.get("currency"),
        app_type=cfg.get("appType"),
        adopt_id=cfg.get("adoptId"),
        # Off unless a test turns it on (deletionProtection): the acceptance cycle destroys the app.
        deletion_protection=cfg.get_bool("deletionProtection") or False,
    ),
)
pulumi.export("site_id", site.site_id)
pulumi.export("name", site.name)
pulumi.export("timezone", site.timezone)
pulumi.export("currency", site.currency)
pulumi.export("app_type", site.app_type)
