"""Static settings of one emulator process (address, state file, API clients, organization)."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .switches import Switches

DEFAULT_CLIENT_ID = "emulator-client"
DEFAULT_CLIENT_SECRET = "emulator-secret"
DEFAULT_ORGANIZATION = "default"
# The default client's user id is fixed, so `sub` is stable across tokens like a real API user's.
DEFAULT_AUTHOR_ID = "5b2e1b1a-6d0f-4c55-9c52-0e0d1f0a9e11"
_AUTHOR_NAMESPACE = uuid.UUID("0f5d8a2e-3c1b-4f6e-9a7d-2b4c6e8f0a1c")


@dataclass(frozen=True)
class ApiClient:
    """One set of API credentials and the person it acts as (JWT `sub`/`eml`, audit-log author)."""

    client_id: str
    client_secret: str = field(repr=False)
    email: str
    author_id: str

    @classmethod
    def extra(cls, client_id: str, client_secret: str, email: str) -> ApiClient:
        """A further client; its author id is derived from its client id, so it is stable across restarts."""
        return cls(client_id, client_secret, email, str(uuid.uuid5(_AUTHOR_NAMESPACE, client_id)))


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
    #: E-mail of the default client (None: ``api@<account host>``).
    client_email: str | None = None
    extra_clients: tuple[ApiClient, ...] = ()
    #: The seed of the injected faults' draws (``--fault-seed``; None: a new one, printed at start).
    fault_seed: int | None = None
    #: The switches as the command line set them; ``POST /__emulator__/reset`` returns to them.
    initial_switches: Switches | None = None

    @property
    def account_host(self) -> str:
        """The host name the real account would have; used in generated URLs and snippets."""
        return f"{self.organization}.piwik.pro"

    @property
    def clients(self) -> tuple[ApiClient, ...]:
        """Every accepted client, the default one first."""
        email = self.client_email or f"api@{self.account_host}"
        default = ApiClient(self.client_id, self.client_secret, email, DEFAULT_AUTHOR_ID)
        return (default, *self.extra_clients)

    def find_client(self, client_id: str, client_secret: str) -> ApiClient | None:
        """The client these credentials belong to (compared in constant time), or None."""
        found = None
        for client in self.clients:
            same_id = hmac.compare_digest(client_id.encode(), client.client_id.encode())
            same_secret = hmac.compare_digest(client_secret.encode(), client.client_secret.encode())
            if same_id and same_secret and found is None:
                found = client
        return found
