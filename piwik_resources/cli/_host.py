"""Which kind of host a command talked to: a Piwik PRO account, or this project's emulator, which says so itself.

The emulator sends the header ``X-Piwik-Emulator`` on every answer (docs/emulator.md); Piwik PRO's published API has
no such header, so a host that never sent it is described as a Piwik PRO account. Nothing is probed to find out:
the header comes with the answers the command needed anyway (the token request is the first).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from piwik_resources.api import PiwikClient
from piwik_resources.api.client import EMULATOR_HEADER

HostKind = Literal["piwik-pro", "emulator"]


@dataclass(frozen=True)
class Host:
    kind: HostKind
    base_url: str
    #: What the emulator said of itself (``piwik-emulator 0.1.0``); None for a Piwik PRO account.
    said: str | None = None

    @classmethod
    def of(cls, client: PiwikClient) -> Host:
        """The host ``client`` talked to (after at least one answer)."""
        said = client.emulator
        return cls("emulator" if said else "piwik-pro", client.base_url, said)

    @property
    def label(self) -> str:
        """What the host is, in a sentence's words."""
        if self.kind == "emulator":
            return (
                f"the emulator at {self.base_url} ({self.said}, this project's local stand-in that answers like "
                f"Piwik PRO's published API; it said so in every answer, header {EMULATOR_HEADER}), not a real "
                "account: what it answered proves nothing about a real site"
            )
        return f"a Piwik PRO account at {self.base_url} (its answers carry no {EMULATOR_HEADER} header)"

    @property
    def short(self) -> str:
        """One line's worth: what the host is and where."""
        if self.kind == "emulator":
            return f"{self.said} at {self.base_url} (the emulator: it says so; not a Piwik PRO account)"
        return f"Piwik PRO account {self.base_url}"

    @property
    def api(self) -> str:
        """The API the command read, named as the host is."""
        return "the emulator's API" if self.kind == "emulator" else "the Piwik PRO API"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "base_url": self.base_url, "said": self.said, "label": self.label}
