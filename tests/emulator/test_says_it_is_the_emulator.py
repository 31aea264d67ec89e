"""The emulator says, in every answer, that it is the emulator (docs/emulator.md), and the client hears it.

A dossier names its host from this header (piwik_resources/cli/_host.py): a Piwik PRO account never sends it, so a
dossier made against the emulator can never read as one made against an account.
"""

from __future__ import annotations

from piwik_emulator import __version__
from piwik_emulator.server import EMULATOR_HEADER
from piwik_resources.api import PiwikClient
from piwik_resources.api.client import EMULATOR_HEADER as CLIENT_HEADER
from piwik_resources.api.pacing import Pacing
from tests.fixtures.emulator import Emulator


def test_every_answer_carries_the_header_errors_included(emulator: Emulator) -> None:
    said = f"piwik-emulator {__version__}"
    answers = [
        emulator.http.post("/auth/token", json={"grant_type": "client_credentials", "client_id": "x"}),  # 400/401
        emulator.http.get("/api/apps/v2"),  # no token: 401
        emulator.api("GET", "/api/apps/v2"),  # 200
        emulator.api("GET", "/api/apps/v2/00000000-0000-4000-8000-000000000000"),  # 404
    ]
    assert {a.status_code for a in answers} >= {200, 401, 404}
    assert [a.headers.get(EMULATOR_HEADER) for a in answers] == [said] * len(answers)


def test_the_client_reports_what_the_host_said(emulator: Emulator) -> None:
    assert CLIENT_HEADER == EMULATOR_HEADER  # the library cannot import the emulator: the name is written twice
    with PiwikClient(
        emulator.base_url, emulator.client_id, emulator.client_secret, pacing=Pacing.unlimited()
    ) as client:
        assert client.emulator is None  # nothing answered yet
        list(client.apps.list())
        assert client.emulator == f"piwik-emulator {__version__}"
