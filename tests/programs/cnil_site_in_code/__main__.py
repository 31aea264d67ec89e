"""Another repository's program: one CnilExemptSite declared in code, attested in code, with no stack config of
this project (no `piwik-cnil:sites`). `piwik-cnil evidence` and `watch` must find it in the state and judge it with
what it declared: its profile (seed-2021: the account's campaign parameters are left alone) and its attestations."""

import pulumi

from piwik_resources import Attestations, CnilExemptSite, CnilExemptSiteArgs

shop = CnilExemptSite(
    "vitrine",
    CnilExemptSiteArgs(
        site_name="Vitrine en code",
        urls=["https://vitrine-code.example.fr"],
        cnil_profile="seed-2021",
        deletion_protection=False,
        attestations=Attestations(
            dpa_signed=True,
            integrations_off=True,
            no_export_credentials=True,
            session_log_hidden=True,
            retention_months=13,
            hosting_region="EU",
            privacy_policy_published=True,
            opt_out_form_published=True,
            attested_by="Camille Martin, DPO",
            attested_on="2026-01-05",
        ),
    ),
)
pulumi.export("site_id", shop.site_id)
