"""The Pulumi program: the stack's CNIL-exempt sites (and, once per account, the account-wide settings).

Config (project namespace `piwik-cnil`): `sites` — a list of sites (see stacks/Pulumi.local.yaml) — and
optionally `account` — the account-wide IP masking. The Piwik PRO account itself is `piwik:baseUrl`,
`piwik:clientId` and the secret `piwik:clientSecret` (or PIWIK_BASE_URL, PIWIK_CLIENT_ID, PIWIK_CLIENT_SECRET).
"""

import pulumi

from piwik_resources.components import CnilAccount, CnilExemptionError, CnilExemptSite, refusals
from piwik_resources.components.stack_config import StackConfigError, parse

config = pulumi.Config()
try:
    stack_config = parse({key: config.get_object(key) for key in ("sites", "account") if config.get(key)})
    # Judge every site before declaring any, so one refused site leaves the whole account untouched.
    for site_config in stack_config.sites:
        problems = refusals(site_config.args)
        if problems:
            raise CnilExemptionError(site_config.key, problems)
    # The sites depend on the account (each site's app does: components/cnil_account.py), so a destroy restores
    # the account-wide settings only after every site is gone: a protected site (deletion_protection) stops the
    # destroy before that restore, and an adopted app (left in place) keeps the account as it is.
    account = CnilAccount("account", stack_config.account) if stack_config.account is not None else None
    after_account = pulumi.ResourceOptions(depends_on=[account] if account else [])
    sites = {s.key: CnilExemptSite(s.key, s.args, after_account) for s in stack_config.sites}
except (StackConfigError, CnilExemptionError) as err:
    # A refusal is the user's to read, not a traceback; nothing has been sent to Piwik PRO.
    raise pulumi.RunError(str(err)) from None

pulumi.export(
    "sites",
    {
        key: {
            "site_id": site.site_id,
            "opt_out_code": site.opt_out_code,
            "installation_code": site.installation_code,
            "privacy_policy": site.privacy_policy,
            "consent_message": site.consent_message,
            "compliance_report": site.compliance_report,
            "account_report": site.account_report,
        }
        for key, site in sites.items()
    },
)
