"""One CnilExemptSite and the account. Config (namespace piwik-protect): adoptSiteId, deletionProtection
(bool, default: the component's, true), exportsNeeded (bool, default true), languages (JSON list, default
["fr", "en"]: one consent template each, api mode), account (bool, default true: the CnilAccount, which the
site depends on)."""

import pulumi

from piwik_resources.components import CnilAccount, CnilAccountArgs, CnilExemptSite, CnilExemptSiteArgs
from piwik_resources.components.texts import DEFAULT_CONSENT_MESSAGES

cfg = pulumi.Config()
protection = cfg.get_bool("deletionProtection")
exports = cfg.get_bool("exportsNeeded")
languages = cfg.get_object("languages") or ["fr", "en"]
with_account = cfg.get_bool("account") is not False
account = CnilAccount("account", CnilAccountArgs(ip_masking_level=2)) if with_account else None
site = CnilExemptSite(
    "shop",
    CnilExemptSiteArgs(
        site_name="Boutique",
        urls=["https://boutique.example.fr"],
        consent_template_mode="api",
        consent_messages={lang: DEFAULT_CONSENT_MESSAGES[lang] for lang in languages},
        exports_needed=True if exports is None else exports,
        adopt_site_id=cfg.get("adoptSiteId"),
        **({} if protection is None else {"deletion_protection": protection}),
    ),
    pulumi.ResourceOptions(depends_on=[account] if account else []),
)
pulumi.export("site_id", site.site_id)
