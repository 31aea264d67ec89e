"""The texts a CNIL-exempt site publishes: the consent form message and the privacy-policy paragraph (FR, EN).

They are generated from the stack's own values (site name, hosting region, retention), so what the site says
matches what is configured. French comes first: the seed guide's French version takes precedence.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The seed's example message (« Message de recueil de consentement »), and its English counterpart.
DEFAULT_CONSENT_MESSAGES: dict[str, str] = {
    "fr": "Nous collecterons et agrégerons des données sur l'utilisation de ce site.",
    "en": "We will collect and aggregate data about the use of this website.",
}

DEFAULT_CONSENT_TITLES: dict[str, str] = {
    "fr": "Mesure d'audience",
    "en": "Audience measurement",
}

#: Button labels of the consent form.
DEFAULT_ACCEPT_LABELS: dict[str, str] = {"fr": "Accepter", "en": "Accept"}
DEFAULT_REJECT_LABELS: dict[str, str] = {"fr": "Refuser", "en": "Reject"}

HOSTING_FR: dict[str, str] = {"FR": "en France", "EU": "dans l'Union européenne", "DE": "en Allemagne"}
HOSTING_EN: dict[str, str] = {"FR": "in France", "EU": "in the European Union", "DE": "in Germany"}


@dataclass(frozen=True)
class PolicyFacts:
    site_name: str
    hosting_region: str
    retention_months: int


def privacy_policy_paragraphs(facts: PolicyFacts) -> dict[str, str]:
    """The privacy-policy paragraph in French and English (seed requirement #8)."""
    where_fr = HOSTING_FR.get(facts.hosting_region, f"dans la région « {facts.hosting_region} »")
    where_en = HOSTING_EN.get(facts.hosting_region, f"in the region '{facts.hosting_region}'")
    months = facts.retention_months
    fr = (
        f"Pour mesurer l'audience de {facts.site_name}, nous utilisons Piwik PRO Analytics Suite, qui traite "
        "les données pour notre compte selon un accord de traitement des données (DPA). Cette mesure se limite "
        "aux statistiques anonymes nécessaires au bon fonctionnement du site (pages vues, provenance, type "
        "d'appareil, temps de chargement et de lecture, zone géographique approximative) ; elle ne sert à aucune "
        "autre finalité, n'est croisée avec aucune autre donnée et n'est pas transmise à des tiers. Les adresses "
        "IP sont masquées et, sans votre consentement, aucun cookie n'est déposé sur votre appareil. Les données "
        f"sont hébergées {where_fr} et conservées au plus {months} mois. Vous pouvez vous opposer à cette mesure "
        "à tout moment grâce au formulaire ci-dessous."
    )
    en = (
        f"To measure the audience of {facts.site_name} we use Piwik PRO Analytics Suite, which processes the "
        "data on our behalf under a data processing agreement (DPA). This measurement is limited to the "
        "anonymous statistics the site needs to work well (page views, referrers, device type, load and reading "
        "times, approximate area); it serves no other purpose, is combined with no other data and is not passed "
        "to third parties. IP addresses are masked and, without your consent, no cookie is stored on your "
        f"device. The data is hosted {where_en} and kept for at most {months} months. You can object to this "
        "measurement at any time with the form below."
    )
    return {"fr": fr, "en": en}
