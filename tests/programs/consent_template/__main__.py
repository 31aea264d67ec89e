"""ConsentTemplate acceptance program: a Site and its French consent form template. Config (namespace
piwik-consent-template): language (default fr), title, message, mode."""

import pulumi

from piwik_resources.resources import ConsentTemplate, ConsentTemplateArgs, Site, SiteArgs

cfg = pulumi.Config()
site = Site("site", SiteArgs(name="Consent site", urls=["https://consent.example"], deletion_protection=False))
template = ConsentTemplate(
    "template-fr",
    ConsentTemplateArgs(
        site_id=site.site_id,
        language=cfg.get("language") or "fr",
        title=cfg.get("title") or "Mesure d'audience",
        message=cfg.get("message") or "Nous collecterons et agrégerons des données sur l'utilisation de ce site.",
        accept_label="Accepter",
        reject_label="Refuser",
        mode=cfg.get("mode"),
    ),
)
pulumi.export("site_id", site.site_id)
pulumi.export("title", template.title)
pulumi.export("pending_manual_step", template.pending_manual_step)
