"""Where the requirements come from: the texts a report cites, with their address, and how strong each one is.

Three marks (docs/cnil-criteria.md, "Source marks"): **[P]** the CNIL's own words — an article of one of its
deliberations (on Légifrance) or its page on audience measurement (on cnil.fr); **[S]** a restatement — the
seed guide (Piwik PRO's configuration guide for the CNIL's 2021 programme), Piwik PRO's help centre, or a law
firm's or vendor's reading of the CNIL's July 2025 self-assessment tool; **[R]** this project's own reading,
where no text says it. A row cites every source it rests on, each with its mark and its URL when one exists.
"""

from __future__ import annotations

from dataclasses import dataclass

P = "[P]"
S = "[S]"
R = "[R]"
SOURCE_QUALITY = (
    "[P] the CNIL's own words (an article of a deliberation, or its page), with their address; [S] a restatement "
    "(the seed guide, Piwik PRO's help centre, a law firm's or vendor's reading of the CNIL's self-assessment tool): "
    "the best current reading, not the CNIL's words; [R] this project's own reading, where no text says it"
)


@dataclass(frozen=True)
class Source:
    """One text a requirement rests on: its mark (P, S or R), what it says, and where to read it."""

    mark: str
    text: str
    url: str = ""

    @property
    def cited(self) -> str:
        return f"{self.mark} {self.text}" + (f" <{self.url}>" if self.url else "")


SEED_GUIDE = "Seed guide (Piwik PRO's configuration guide for the CNIL's 2021 programme)"
SEED_GUIDE_URL = "https://piwik.pro/cnil-exemption"
CNIL_PAGE = "CNIL page « Cookies : solutions pour les outils de mesure d'audience » (4 July 2025)"
CNIL_PAGE_URL = "https://www.cnil.fr/fr/node/167364"
CNIL_2020_092 = (
    "CNIL deliberation 2020-092 of 17 September 2020 (recommendation on cookies and other trackers), art. 5 "
    "« Traceurs exemptés du recueil du consentement »"
)
CNIL_2020_092_URL = "https://www.legifrance.gouv.fr/jorf/article_jo/JORFARTI000042388208"
CNIL_2013_378 = "CNIL deliberation 2013-378 of 5 December 2013 (recommendation on cookies, repealed in 2019)"
CNIL_2013_378_URL = "https://www.legifrance.gouv.fr/jorf/article_jo/JORFARTI000028380242"
CNIL_TOOL = (
    "CNIL self-assessment tool (July 2025, 14 criteria) as restated by a law firm and vendors (the tool's own text "
    "was not read by this project)"
)
CNIL_TOOL_URL = (
    "https://www.august-debouzy.com/en/blog/"
    "2214-nouvel-outil-dauto-certification-developpe-par-la-cnil-pour-les-solutions-de-mesure-daudience"
)
PIWIK_COOKIES_URL = "https://help.piwik.pro/support/privacy/cookies-created-by-piwik-pro/"
PIWIK_CONSENT_SETTINGS_URL = "https://help.piwik.pro/support/privacy/setting-consent-manager/"


def seed(words: str) -> Source:
    return Source(S, f"{SEED_GUIDE}: {words}", SEED_GUIDE_URL)


def cnil_page(words: str) -> Source:
    return Source(P, f"{CNIL_PAGE}: {words}", CNIL_PAGE_URL)


def recommendation(words: str) -> Source:
    return Source(P, f"{CNIL_2020_092}: {words}", CNIL_2020_092_URL)


def tool(words: str) -> Source:
    return Source(S, f"{CNIL_TOOL}: {words}", CNIL_TOOL_URL)


def piwik_help(page: str, words: str, url: str) -> Source:
    return Source(S, f"Piwik PRO help « {page} »: {words}", url)


def reading(words: str) -> Source:
    return Source(R, f"this project's reading: {words}")
