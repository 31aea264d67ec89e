"""Static settings of one emulator process (address, state file, credentials, organization)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .switches import Switches

DEFAULT_CLIENT_ID = "emulator-client"
DEFAULT_CLIENT_SECRET = "emulator-secret"
DEFAULT_ORGANIZATION = "default"


@dataclass
class Config:
    state_file: Path
    host: str = "127.0.0.1"
    port: int = 0
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    organization: str = DEFAULT_ORGANIZATION
    switches: Switches = field(default_factory=Switches)
    #: Where to append every API request as received (see request_capture.py); None = nowhere.
    capture_file: Path | None = None

    @property
    def account_host(self) -> str:
        """The host name the real account would have; used in generated URLs and snippets."""
        return f"{self.organization}.piwik.pro"
