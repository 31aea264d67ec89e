"""The audit-log client against the emulator: every page, filters, typed entries, 403 as AuthError."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from piwik_resources.api import AuthError, PiwikClient

from ._emu import client_for, new_app


def _entries(client: PiwikClient, **kw: Any) -> list[Any]:
    return list(client.audit_log.entries(**kw))


def test_entries_are_read_page_by_page_and_filtered(emulator: Any) -> None:
    with client_for(emulator) as client:
        client.audit_log.page_size = 2  # more entries than a page: paging is exercised
        shop = new_app(client, "Shop")
        blog = new_app(client, "Blog")
        client.tracker_settings.update_app(shop.id, {"anonymize_visitor_ip_level": 3})
        client.apps.update(blog.id, {"gdpr_data_anonymization_mode": "no_device_storage"})

        every = _entries(client)
        assert [e.type for e in every] == [
            "app.changed.gdpr_data_anonymization_mode",
            "app.changed.anonymize_visitor_ip_level",
            "app.added",
            "app.added",
        ]
        assert every[0].author_email == f"api@{emulator.organization}.piwik.pro"
        assert every[0].created_at.tzinfo is not None and every[0].ip == "127.0.0.1"
        assert every[1].payload == {"id": shop.id, "anonymize_visitor_ip_level": 3}

        assert [e.subject_id for e in _entries(client, subject_ids=[shop.id])] == [shop.id, shop.id]
        assert [e.type for e in _entries(client, types=["app.added"], sort="created_at")] == ["app.added"] * 2
        assert _entries(client, date_to=every[-1].created_at.replace(year=2020)) == []
        assert _entries(client, ips=["203.0.113.7"]) == []


def test_a_bad_sort_is_refused_before_any_request(emulator: Any) -> None:
    with client_for(emulator) as client, pytest.raises(ValueError, match="sort 'author' is not allowed; allowed:"):
        client.audit_log.entries(sort="author")
    assert emulator.requests()["total"] == 0


def test_no_audit_log_permission_is_an_auth_error(emulator_factory: Callable[..., Any]) -> None:
    emulator = emulator_factory("--no-rate-limit", "--audit-log-forbidden")
    with client_for(emulator) as client, pytest.raises(AuthError) as failure:
        _entries(client)
    assert failure.value.status == 403
