"""A team's own Pulumi program (in its infra monorepo) that makes its shop CNIL-exempt with the library."""

import pulumi
from infra.naming import site_key

from piwik_resources import Attestations, CnilExemptSite, CnilExemptSiteArgs, CustomDimension, CustomDimensionArgs

config = pulumi.Config()
shop = CnilExemptSite(
    site_key("shop"),
    CnilExemptSiteArgs(
        site_name=config.get("siteName") or "Shop",
        urls=[config.get("url") or "https://shop.example.com"],
        timezone="Europe/Paris",
        currency="EUR",
        ip_masking_level=config.get_int("ipMaskingLevel") or 2,
        consent_template_mode="manual",
        # Protected unless the stack says otherwise (a throw-away dev stack: shop-analytics:deletionProtection false).
        deletion_protection=config.get_bool("deletionProtection") is not False,
        attestations=Attestations(dpa_signed=True, retention_months=25, hosting_region="EU"),
    ),
)
# A resource of the team's own, beside the component: the CNIL policy pack judges it too (a dimension that
# names an identifier, e.g. `dimensionName: Customer email`, breaks the exemption).
category = CustomDimension(
    site_key("shop-category"),
    CustomDimensionArgs(site_id=shop.site_id, name=config.get("dimensionName") or "Product category", scope="event"),
)
pulumi.export("site_id", shop.site_id)
pulumi.export("compliance_report", shop.compliance_report_markdown)
