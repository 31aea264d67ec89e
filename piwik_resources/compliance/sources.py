"""Where the requirements come from: the documents a report cites, and how good each source is.

The seed guide (Piwik PRO's own configuration guide for the CNIL's 2021 programme), the CNIL's page on audience
measurement tools and its deliberations, and the restatements of the CNIL's July 2025 self-assessment tool
(docs/cnil-criteria.md).
"""

from __future__ import annotations

SEED_GUIDE = "Seed guide (Piwik PRO's configuration guide for the CNIL's 2021 programme)"
CNIL_PAGE = "CNIL page « Cookies : solutions pour les outils de mesure d'audience » (updated 4 July 2025)"
CNIL_TOOL = "CNIL self-assessment tool (July 2025) as restated by a law firm and vendors"
SOURCE_QUALITY = (
    "[P] the CNIL's own page or deliberation; [S] a restatement (the seed guide, or a law firm's or vendor's "
    "reading of the CNIL's self-assessment tool): the best current reading, not the CNIL's words"
)
CNIL_2020_091 = "CNIL deliberation 2020-091 art. 5 and the CNIL page (trackers at most 13 months, not extended)"
