"""TagConsentType acceptance program: a Site (created, or adopted with adoptId) and the consent type of its
Piwik PRO tag (found by template, or tagId). Config (namespace piwik-tag-consent-type): consentType, adoptId,
siteName, urls (JSON list), appType, tagId, retain (bool: keep the app when the stack is destroyed)."""

import pulumi

from piwik_resources.resources import Site, SiteArgs, TagConsentType, TagConsentTypeArgs

cfg = pulumi.Config()
retain = pulumi.ResourceOptions(retain_on_delete=bool(cfg.get_bool("retain")))
site = Site(
    "site",
    SiteArgs(
        name=cfg.get("siteName") or "Tagged site",
        urls=cfg.get_object("urls") or ["https://tagged.example"],
        adopt_id=cfg.get("adoptId"),
        app_type=cfg.get("appType"),
        deletion_protection=False,  # the tests destroy it
    ),
    opts=retain,
)
tag = TagConsentType(
    "piwik-tag",
    TagConsentTypeArgs(site_id=site.site_id, consent_type=cfg.require("consentType"), tag_id=cfg.get("tagId")),
)
pulumi.export("site_id", site.site_id)
pulumi.export("tag_id", tag.tag_id)
pulumi.export("previous_consent_type", tag.previous_consent_type)
