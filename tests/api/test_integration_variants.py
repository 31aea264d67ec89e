"""The client against the emulator's variant switches: what the specs leave open, taken without manual steps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from piwik_resources.api.services.tag_manager import TagWaitTimeoutError
from tests.fixtures.emulator import Emulator

from ._emu import client_for, new_app

PUBLISH = "POST /api/tag/v1/{app_id}/versions/draft/publish"


def _change_tag(client: Any, app_id: str) -> None:
    [tag] = client.tags.wait_for_template(app_id, "piwik")
    client.tags.update(app_id, tag.id, {"consent_type": "not_require_consent"})


def test_publish_accepts_204_without_an_operation(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory("--no-rate-limit", "--publish-mode", "sync")
    with client_for(emulator) as client:
        app = new_app(client)
        _change_tag(client, app.id)
        op = client.versions.publish_draft(app.id)
        assert (op.state, op.id) == ("completed", "")
        assert client.versions.get_draft(app.id).has_changes is False
    counts = emulator.requests()["counts"]
    assert counts[PUBLISH] == 1 and "GET /api/tag/v1/{app_id}/operations/{operation_id}" not in counts


def test_nothing_to_publish_is_already_published_and_not_retried(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory("--no-rate-limit", "--republish-unchanged-error")
    with client_for(emulator) as client:
        app = new_app(client)
        emulator.clear_requests()
        op = client.versions.publish_draft(app.id)  # nothing changed since the app was made
        assert op.state == "completed"
        entries = emulator.requests()["entries"]
        assert [(e["template"], e["status"]) for e in entries if e["method"] == "POST"] == [
            ("/api/tag/v1/{app_id}/versions/draft/publish", 400)
        ]  # one 400, no retry
        _change_tag(client, app.id)
        assert client.versions.publish_draft(app.id).state == "completed"  # a real change: 202 + operation
        assert client.versions.get_draft(app.id).has_changes is False
    assert [e["status"] for e in emulator.requests()["entries"] if e["method"] == "POST"][-1] == 202


def test_the_piwik_tag_is_awaited_and_the_wait_is_bounded(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory("--no-rate-limit", "--tag-delay", "1.5")
    with client_for(emulator) as client:
        app = new_app(client)
        assert client.tags.list(app.id, template="piwik") == []
        [tag] = client.tags.wait_for_template(app.id, "piwik", timeout=30)
        assert tag.template == "piwik"
        emulator.switches(tag_delay=3600)
        late = new_app(client, "Late")
        with pytest.raises(TagWaitTimeoutError) as info:
            client.tags.wait_for_template(late.id, "piwik", timeout=0.5)
    text = str(info.value)
    assert late.id in text and "'piwik'" in text and "0.5 s" in text


def test_installation_code_and_container_settings(emulator: Emulator) -> None:
    with client_for(emulator) as client:
        app = new_app(client)
        code = client.container_settings.installation_code(app.id)
        assert code.startswith("<script") and app.id in code
        settings = client.container_settings.app_settings(app.id)
        assert settings["tracking_domain"] == f"{emulator.organization}.piwik.pro"


def test_custom_dimension_description_round_trip(emulator: Emulator) -> None:
    with client_for(emulator) as client:
        app = new_app(client)
        dim = client.custom_dimensions.create(app.id, {"name": "consent", "scope": "session", "description": "why"})
        assert client.custom_dimensions.get(dim.id, app.id).description == "why"
