"""One site's Piwik PRO resources, declared directly; config `policy_cnil:violate=true` breaks every CNIL rule."""

import pulumi

from piwik_resources.resources import (
    CustomDimension,
    CustomDimensionArgs,
    Site,
    SiteArgs,
    SitePrivacy,
    SitePrivacyArgs,
    TagConsentType,
    TagConsentTypeArgs,
    TrackerSettings,
    TrackerSettingsArgs,
)

config = pulumi.Config()
violate = config.get_bool("violate") or False

url = "https://shop.example.fr" if violate else "https://shop.example.fr/"
site = Site("shop", SiteArgs(name="Shop", urls=[url], deletion_protection=False))
# The app UUID is also the Site's id, which stays known while the Site is updated (site_id would not).
site_id = site.id
TrackerSettings(
    "shop-tracker",
    TrackerSettingsArgs(
        site_id=site_id,
        ip_masking_level=0 if violate else 2,
        use_masked_ip_for_enrichment=not violate,
        exclude_unknown_urls=not violate,
        fingerprinting_across_websites=violate,
        geolocation_level="none" if violate else "City",
        **{
            setting: ["utm_campaign"] if violate else []
            for setting in (
                "campaign_name_params",
                "campaign_keyword_params",
                "campaign_source_params",
                "campaign_medium_params",
                "campaign_content_params",
                "campaign_id_params",
            )
        },
        excluded_url_query_parameters=["gclid"]
        if violate
        else ["/^(utm|pk|mtm|piwik)_/", "gclid", "fbclid", "msclkid"],
    ),
)
SitePrivacy(
    "shop-privacy",
    SitePrivacyArgs(
        site_id=site_id,
        gdpr=not violate,
        gdpr_data_anonymization=not violate,
        gdpr_data_anonymization_mode="session_cookie_id" if violate else "no_device_storage",
        privacy_cookie_expiration_period=40_000_000 if violate else 31_536_000,
        privacy_use_fingerprinting=violate,
        privacy_cookie_domains_enabled=violate,
    ),
)
TagConsentType(
    "shop-piwik-tag",
    TagConsentTypeArgs(
        site_id=site_id,
        consent_type="marketing_automation" if violate else "analytics",
        visitor_cookie_timeout=40_000_000 if violate else 31_536_000,
        cross_domain_tracking=violate,
        respect_visitors_privacy=not violate,
    ),
)
CustomDimension(
    "shop-dimension",
    CustomDimensionArgs(
        site_id=site_id,
        name="User ID" if violate else "Page category",
        scope="event",
        extractions=[
            {"target": "page_query_parameter", "pattern": "email"}
            if violate
            else {"target": "page_url_regex", "pattern": "^/([a-z]+)/"}
        ],
    ),
)
pulumi.export("site_id", site.site_id)
