"""The account `make acceptance` runs against, the run prefix every object it makes carries, and the sweep.

With ``PIWIK_ACCEPTANCE_BASE_URL``, ``PIWIK_ACCEPTANCE_CLIENT_ID`` and ``PIWIK_ACCEPTANCE_CLIENT_SECRET`` set,
the run uses that (sandbox) account; without them, a fresh emulator with the real service's rate limits. Every
app the run creates is named ``piwik-cnil-acceptance-<UTC time>-<random> …``; everything else it makes lives
inside those apps (tags, dimensions, templates) or is the account's global tracker settings, which the run
reads first and writes back at the end. ``python -m tests.acceptance.target`` (`make acceptance-sweep`) deletes
every app of earlier runs by the common prefix.
"""

from __future__ import annotations

import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

from piwik_resources.api import PiwikClient
from piwik_resources.api.auth import decode_jwt_claims
from tests.fixtures.emulator import Emulator

ENV_BASE_URL = "PIWIK_ACCEPTANCE_BASE_URL"
ENV_CLIENT_ID = "PIWIK_ACCEPTANCE_CLIENT_ID"
ENV_CLIENT_SECRET = "PIWIK_ACCEPTANCE_CLIENT_SECRET"
#: The start of every app name an acceptance run gives; the sweep deletes apps by it.
PREFIX = "piwik-cnil-acceptance-"


def run_prefix() -> str:
    """This run's prefix: the common one, the UTC time and a random part (two runs never share it)."""
    return f"{PREFIX}{time.strftime('%Y%m%d%H%M%S', time.gmtime())}-{secrets.token_hex(3)} "


def real_account_configured() -> bool:
    return all(os.environ.get(n) for n in (ENV_BASE_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET))


class RealAccount(Emulator):
    """A real Piwik PRO account behind the emulator fixture's HTTP helpers (``api``, ``token``); nothing to
    start or stop, and no request log (assertions on the log are the emulator runs')."""

    def __init__(self, base_url: str, client_id: str, client_secret: str) -> None:
        super().__init__(Path(os.devnull), client_id=client_id, client_secret=client_secret)
        self._base_url = base_url.rstrip("/")
        self.organization = str(decode_jwt_claims(self.token()).get("org") or "")

    @property
    def base_url(self) -> str:
        return self._base_url

    def start(self) -> Emulator:
        return self

    def requests(self) -> dict[str, Any]:
        raise RuntimeError("a real account has no request log")


def real_account() -> RealAccount:
    return RealAccount(os.environ[ENV_BASE_URL], os.environ[ENV_CLIENT_ID], os.environ[ENV_CLIENT_SECRET])


def client_of(target: Emulator) -> PiwikClient:
    """A library client on the target, paced to the service's limits (600 reads, 60 writes a minute)."""
    return PiwikClient(target.base_url, target.client_id, target.client_secret)


def apps_named(client: PiwikClient, prefix: str) -> list[tuple[str, str]]:
    return [(a.id, a.name) for a in client.apps.list(search=prefix.strip()) if a.name.startswith(prefix)]


def sweep(client: PiwikClient, prefix: str = PREFIX) -> list[str]:
    """Delete every app whose name starts with ``prefix``; returns the names deleted."""
    gone = []
    for app_id, name in apps_named(client, prefix):
        client.apps.delete(app_id)
        gone.append(name)
    return gone


def main() -> int:
    if not real_account_configured():
        print(
            f"set {ENV_BASE_URL}, {ENV_CLIENT_ID} and {ENV_CLIENT_SECRET} to the sandbox account to sweep "
            "(the emulator runs leave nothing behind: each starts from an empty account)",
            file=sys.stderr,
        )
        return 2
    with client_of(real_account()) as client:
        gone = sweep(client)
    print(f"deleted {len(gone)} app(s) left by earlier acceptance runs" + "".join(f"\n  {n}" for n in gone))
    return 0


if __name__ == "__main__":
    sys.exit(main())
