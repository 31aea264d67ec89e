"""The account and its sites, declared in code as a user's program would. Config (namespace piwik-guard):
adoptSiteId (an app to adopt as the site "adopted"; unset: no adopted site), deletionProtection (bool, default
the component's, true: the created site "shop")."""

import pulumi

from piwik_resources.components import CnilAccount, CnilAccountArgs, CnilExemptSite, CnilExemptSiteArgs

cfg = pulumi.Config()
protection = cfg.get_bool("deletionProtection")
adopt = cfg.get("adoptSiteId")
account = CnilAccount("account", CnilAccountArgs(ip_masking_level=2))
after_account = pulumi.ResourceOptions(depends_on=[account])
sites = {
    "shop": CnilExemptSite(
        "shop",
        CnilExemptSiteArgs(
            site_name="Boutique",
            urls=["https://boutique.example.fr"],
            **({} if protection is None else {"deletion_protection": protection}),
        ),
        after_account,
    )
}
if adopt:
    blog = CnilExemptSiteArgs(site_name="Blog", urls=["https://blog.example.fr"], adopt_site_id=adopt)
    sites["adopted"] = CnilExemptSite("adopted", blog, after_account)
pulumi.export("site_ids", {key: site.site_id for key, site in sites.items()})
