"""Analytics custom dimensions against the emulator."""

from __future__ import annotations

from typing import Any

from piwik_resources.api import CustomDimensionAttributes, Extraction

from ._emu import client_for, new_app


def test_custom_dimension_lifecycle(emulator: Any) -> None:
    with client_for(emulator) as client:
        app = new_app(client)
        session = client.custom_dimensions.create(
            app.id, CustomDimensionAttributes(name="consent_state", scope="session")
        )
        event = client.custom_dimensions.create(
            app.id,
            {
                "name": "consent_event",
                "scope": "event",
                "extractions": [{"target": "page_query_parameter", "pattern": "consent"}],
            },
        )
        assert session.website_id == app.id and session.slot and session.tracking_id
        assert event.scope == "event" and event.extractions == [
            Extraction(target="page_query_parameter", pattern="consent")
        ]
        client.custom_dimensions.page_size = 1
        assert {d.id for d in client.custom_dimensions.list(app.id)} == {session.id, event.id}
        got = client.custom_dimensions.get(session.id, app.id)
        assert got.name == "consent_state" and got.active is True

        updated = client.custom_dimensions.update(
            session.id,
            app.id,
            {
                "name": "consent_state_v2",
                "active": False,
                "case_sensitive": True,
                "scope": "session",
                "slot": session.slot,
            },
        )
        assert updated.name == "consent_state_v2" and updated.active is False and updated.case_sensitive is True
        assert updated.tracking_id == session.tracking_id
        slots = client.custom_dimensions.slots(app.id)
        assert slots["session"]["used"] == 1 and slots["event"]["used"] == 1
