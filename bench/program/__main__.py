"""The bench program: ``sites`` CnilExemptSite components and one CnilAccount, against Piwik PRO or a no-op provider.

Config (project namespace ``piwik-bench``):

- ``sites`` (int, default 1): how many sites. Each is a representative exempt site: consent texts written over
  the API (``consent_template_mode: api``) in two languages (fr, en) and ``exports_needed: true`` (the two consent
  dimensions), i.e. the largest graph a site can have: 9 resources under its component.
- ``mode`` (``real`` | ``noop``, default ``real``): ``noop`` swaps every Piwik PRO provider class for
  ``bench_noop.NoopProvider`` before any resource is declared, so the graph (type tokens, names, parents,
  properties) is the same and only the provider's work differs — the engine floor.
"""

import pulumi

import piwik_resources.resources as resources_pkg
from piwik_resources.components import Attestations, CnilAccount, CnilAccountArgs, CnilExemptSite, CnilExemptSiteArgs
from piwik_resources.providers import PiwikProvider

config = pulumi.Config()
count = config.get_int("sites") or 1
mode = config.get("mode") or "real"
if mode not in ("real", "noop"):
    raise pulumi.RunError(f"piwik-bench:mode: {mode!r}; allowed: real, noop")

if mode == "noop":
    import importlib
    import pkgutil

    from bench_noop import NoopProvider

    # Each resource module builds its provider as `<Name>Provider()` from its own globals at declaration time.
    for info in pkgutil.iter_modules(resources_pkg.__path__):
        module = importlib.import_module(f"{resources_pkg.__name__}.{info.name}")
        for attr, value in list(vars(module).items()):
            if isinstance(value, type) and issubclass(value, PiwikProvider) and value is not PiwikProvider:
                setattr(module, attr, NoopProvider)

account = CnilAccount("account", CnilAccountArgs(ip_masking_level=2))
# As in the project's program: the sites depend on the account, and the bench destroys them (no protection).
sites = [
    CnilExemptSite(
        f"site-{i}",
        CnilExemptSiteArgs(
            site_name=f"Bench {i}",
            urls=[f"https://site{i}.example.fr"],
            timezone="Europe/Paris",
            currency="EUR",
            consent_template_mode="api",
            exports_needed=True,
            privacy_policy_url=f"https://site{i}.example.fr/confidentialite",
            deletion_protection=False,
            consent_messages={
                "fr": "Nous collecterons et agrégerons des données sur l'utilisation de ce site.",
                "en": "We will collect and aggregate data about the use of this website.",
            },
            attestations=Attestations(
                dpa_signed=True,
                integrations_off=True,
                no_export_credentials=True,
                session_log_hidden=True,
                retention_months=25,
                hosting_region="FR",
            ),
        ),
        pulumi.ResourceOptions(depends_on=[account]),
    )
    for i in range(count)
]
pulumi.export("mode", mode)
pulumi.export("sites", len(sites))
