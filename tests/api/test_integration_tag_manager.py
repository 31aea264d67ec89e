"""Tag Manager tags, versions and publish operations against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from piwik_resources.api import NotFoundError, TagAttributes, ValidationError

from ._emu import client_for, new_app


def test_piwik_tag_consent_type_and_publish(emulator: Any) -> None:
    with client_for(emulator) as client:
        app = new_app(client)
        [tag] = client.tags.list(app.id, template="piwik")
        assert tag.name == "Piwik PRO" and tag.is_published is True
        published = client.versions.get_published(app.id)

        client.tags.update(app.id, tag.id, {"consent_type": "not_require_consent"})
        changed = client.tags.get(app.id, tag.id)
        assert changed.consent_type == "not_require_consent" and changed.is_published is False
        assert changed.trigger_ids  # "All page views"
        assert client.versions.get_draft(app.id).has_changes is True

        op = client.versions.publish_draft(app.id, timeout=30)
        assert op.state == "completed" and op.operation_type == "publish/version"
        now = client.versions.get_published(app.id)
        assert (now.version_major or 0) > (published.version_major or 0)
        assert client.tags.get(app.id, tag.id).is_published is True
        assert client.versions.get_draft(app.id).has_changes is False


def test_publish_without_wait_then_wait_operation(emulator: Any) -> None:
    with client_for(emulator) as client:
        app = new_app(client)
        op = client.versions.publish_draft(app.id, wait=False)
        done = client.versions.wait_operation(app.id, op.id, timeout=30)
        assert done.state == "completed"


def test_tag_create_list_filter_delete(emulator: Any) -> None:
    with client_for(emulator) as client:
        app = new_app(client)
        client.tags.page_size = 2
        created = [
            client.tags.create(
                app.id,
                TagAttributes(
                    name=f"Custom {i}", template="custom_tag", consent_type="analytics", code="<script></script>"
                ),
            )
            for i in range(3)
        ]
        assert created[0].template == "custom_tag" and created[0].is_published is False
        assert len(client.tags.list(app.id)) == 4
        assert {t.id for t in client.tags.list(app.id, template="custom_tag")} == {t.id for t in created}
        assert [t.name for t in client.tags.list(app.id, name="Custom 1")] == ["Custom 1"]
        client.tags.delete(app.id, created[0].id)
        with pytest.raises(NotFoundError) as info:
            client.tags.get(app.id, created[0].id)
        assert info.value.code == "NOT_FOUND_ERROR"


def test_tag_manager_errors(emulator: Any) -> None:
    with client_for(emulator) as client:
        app = new_app(client)
        [tag] = client.tags.list(app.id, template="piwik")
        with pytest.raises(ValidationError) as info:
            client.tags.update(app.id, tag.id, {"consent_type": "require_consent"})
        assert info.value.pointers and "consent_type" in " ".join(info.value.pointers)
        with pytest.raises(NotFoundError) as missing:
            client.versions.get_draft("00000000-0000-4000-8000-000000000000")
        assert missing.value.pointers == ["app_id"]
