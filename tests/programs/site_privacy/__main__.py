"""SitePrivacy acceptance program: a Site and its SitePrivacy. Config (namespace piwik-site-privacy): gdpr,
anonymization (bools), anonymizationMode, cookieSeconds (int), cnil (bool)."""

import pulumi

from piwik_resources.resources import Site, SiteArgs, SitePrivacy, SitePrivacyArgs

cfg = pulumi.Config()
site = Site("site", SiteArgs(name="Privacy site", urls=["https://privacy.example"], deletion_protection=False))
privacy = SitePrivacy(
    "privacy",
    SitePrivacyArgs(
        site_id=site.site_id,
        gdpr=cfg.get_bool("gdpr"),
        gdpr_data_anonymization=cfg.get_bool("anonymization"),
        gdpr_data_anonymization_mode=cfg.get("anonymizationMode"),
        privacy_cookie_expiration_period=cfg.get_int("cookieSeconds"),
        cnil=cfg.get_bool("cnil"),
    ),
)
pulumi.export("site_id", site.site_id)
pulumi.export("cnil", privacy.cnil)
pulumi.export("previous", privacy.previous)
