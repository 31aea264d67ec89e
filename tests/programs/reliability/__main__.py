"""Reliability program: N CnilExemptSite, consent texts over the API. Config (namespace piwik-reliability):
`sites` (N, default 10), `prefix` (site names start with it, default "Fiabilité"), `exports` (bool: the
session/event consent dimensions for every site), `siteName` (override site 0's name, for bad inputs)."""

import pulumi

from piwik_resources.components import CnilExemptSite, CnilExemptSiteArgs

cfg = pulumi.Config()
count = cfg.get_int("sites") or 10
prefix = cfg.get("prefix") or "Fiabilité"
exports = cfg.get_bool("exports") or False
sites = {}
for i in range(count):
    name = f"{prefix} {i:02d}"
    if i == 0 and cfg.get("siteName") is not None:
        name = cfg.get("siteName") or ""
    sites[f"s{i:02d}"] = CnilExemptSite(
        f"s{i:02d}",
        CnilExemptSiteArgs(
            site_name=name,
            urls=[cfg.get("url") or f"https://site-{i:02d}.example.fr"],
            consent_template_mode="api",
            exports_needed=exports,
            deletion_protection=False,  # the tests destroy them
        ),
    )
pulumi.export("site_ids", {key: site.site_id for key, site in sites.items()})
