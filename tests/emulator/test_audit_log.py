"""The audit log: one entry per change made through the apps and tracker-settings APIs, authored by the client
that made it; filters, sort and paging as the published file gives them; 403 on the switch; none for Tag Manager.

Every response here is validated against openapi/api_audit-log_v1_entries.json (conftest hook).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from tests.fixtures.emulator import Emulator, EmulatorStartError

from .conftest import new_app
from .contract import AUDIT_LOG_FILE, HOST_URL, patched, raw_specs

JANE = ("jane-client", "jane-secret-value", "jane@example.com")
ENTRIES = "/api/audit-log/v1/entries"
TS = "/api/tracker/v2/settings/app"


@pytest.fixture
def two_clients(emulator_factory: Callable[..., Emulator]) -> tuple[Emulator, Emulator]:
    """An emulator with the default client (ops@example.com) and Jane's; (as default, as Jane)."""
    emulator = emulator_factory("--no-rate-limit", client_email="ops@example.com", extra_clients=[JANE])
    return emulator, emulator.acting_as(JANE[0], JANE[1])


def _attrs(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e["attributes"] for e in entries]


def _patch_tracker(emulator: Emulator, app_id: str, **attributes: Any) -> None:
    body = {"data": {"type": "tracker/settings/app", "id": app_id, "attributes": attributes}}
    response = emulator.api("PATCH", f"{TS}/{app_id}", json=body)
    assert response.status_code == 204, response.text


def test_each_change_is_an_entry_by_the_client_that_made_it(two_clients: tuple[Emulator, Emulator]) -> None:
    ops, jane = two_clients
    app_id = new_app(ops, "Shop")["id"]
    _patch_tracker(jane, app_id, anonymize_visitor_ip_level=3, exclude_crawlers=False)
    mode = {"gdprDataAnonymizationMode": "no_device_storage"}
    body = {"data": {"type": "ppms/app", "id": app_id, "attributes": mode}}
    assert jane.api("PATCH", f"/api/apps/v2/{app_id}", json=body).status_code == 204
    unchanged = {"data": {"type": "ppms/app", "id": app_id, "attributes": {"gdpr": True}}}
    assert jane.api("PATCH", f"/api/apps/v2/{app_id}", json=unchanged).status_code == 204  # no change: no entry

    entries = _attrs(ops.audit_entries(sort="created_at"))
    assert [e["type"] for e in entries] == [
        "app.added",
        "app.changed.anonymize_visitor_ip_level",
        "app.changed.exclude_crawlers",
        "app.changed.gdpr_data_anonymization_mode",
    ]
    assert entries[0]["author_email"] == "ops@example.com"
    assert entries[0]["payload"] == {"id": app_id, "name": "Shop"}
    assert {e["author_email"] for e in entries[1:]} == {"jane@example.com"}
    assert entries[1]["payload"] == {"id": app_id, "anonymize_visitor_ip_level": 3}
    assert {e["subject_id"] for e in entries} == {app_id}
    assert {e["ip"] for e in entries} == {"127.0.0.1"}
    assert entries[0]["author_id"] != entries[1]["author_id"]
    assert {e["version"] for e in entries} == {1}


def test_shared_fields_reset_global_and_delete_are_logged(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    body = {"data": {"type": "ppms/app", "id": app_id, "attributes": {"excludeUnknownUrls": True}}}
    assert emulator.api("PATCH", f"/api/apps/v2/{app_id}", json=body).status_code == 204
    assert emulator.api("DELETE", f"{TS}/{app_id}/exclude_unknown_urls").status_code == 204
    level = {"anonymize_visitor_ip_level": 2}
    glob = {"data": {"type": "tracker/settings/app/global", "id": "global", "attributes": level}}
    assert emulator.api("PATCH", f"{TS}/global", json=glob).status_code == 204
    assert emulator.api("DELETE", f"/api/apps/v2/{app_id}").status_code == 204
    types = [e["type"] for e in _attrs(emulator.audit_entries(sort="created_at"))]
    assert types == [
        "app.added",
        "app.changed.exclude_unknown_urls",  # the Apps API's excludeUnknownUrls is that tracker setting
        "app.changed.exclude_unknown_urls",  # back to the global value
        "global_tracker_settings.changed.anonymize_visitor_ip_level",
        "app.deleted",
    ]


def test_tag_manager_and_analytics_changes_are_not_logged(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    tags = emulator.api("GET", f"/api/tag/v1/{app_id}/tags").json()["data"]
    tag_id = tags[0]["id"]
    body = {"data": {"type": "tag", "id": tag_id, "attributes": {"consent_type": "marketing_automation"}}}
    assert emulator.api("PATCH", f"/api/tag/v1/{app_id}/tags/{tag_id}", json=body).status_code == 204
    assert [e["attributes"]["type"] for e in emulator.audit_entries()] == ["app.added"]


def test_filters_sort_and_paging(two_clients: tuple[Emulator, Emulator]) -> None:
    ops, jane = two_clients
    shop, blog = new_app(ops, "Shop")["id"], new_app(ops, "Blog")["id"]
    _patch_tracker(jane, shop, anonymize_visitor_ip_level=1)
    _patch_tracker(jane, blog, anonymize_visitor_ip_level=3)

    everything = ops.audit_entries(limit=100)
    assert len(everything) == 4
    assert [e["attributes"]["type"] for e in everything][:2] == ["app.changed.anonymize_visitor_ip_level"] * 2
    jane_id = everything[0]["attributes"]["author_id"]

    assert len(ops.audit_entries(**{"filter[type]": "app.added"})) == 2
    assert len(ops.audit_entries(**{"filter[type]": "app.added,app.changed.anonymize_visitor_ip_level"})) == 4
    assert {e["attributes"]["subject_id"] for e in ops.audit_entries(**{"filter[subject_id]": blog})} == {blog}
    assert len(ops.audit_entries(**{"filter[author_id]": jane_id})) == 2
    assert len(ops.audit_entries(**{"filter[ip]": "127.0.0.1,::1"})) == 4
    assert ops.audit_entries(**{"filter[ip]": "203.0.113.7"}) == []
    assert len(ops.audit_entries(**{"filter[date_from]": "2020-01-01T00:00:00Z"})) == 4
    assert ops.audit_entries(**{"filter[date_to]": "2020-01-03T00:00:00Z"}) == []

    by_email = [e["attributes"]["author_email"] for e in ops.audit_entries(sort="-email")]
    assert by_email == sorted(by_email, reverse=True) and by_email[0] == "ops@example.com"
    assert ops.audit_entries(sort="type")[0]["attributes"]["type"] == "app.added"

    page = ops.api("GET", ENTRIES, params={"limit": 3, "offset": 2}).json()
    assert page["meta"]["total"] == 4
    assert [e["id"] for e in page["data"]] == [e["id"] for e in everything[2:4]]
    assert ops.api("GET", ENTRIES, params={"limit": 0}).json() == {"data": [], "meta": {"total": 4}}
    assert len(ops.api("GET", ENTRIES).json()["data"]) == 4  # default limit 10


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"limit": 101}, "limit"),
        ({"offset": -1}, "offset"),
        ({"sort": "author"}, "sort"),
        ({"filter[ip]": "512.xxx.123"}, "filter[ip]"),
        ({"filter[author_id]": "jane"}, "filter[author_id]"),
        ({"filter[date_from]": "yesterday"}, "filter[date_from]"),
    ],
)
def test_bad_query_parameters_are_400_naming_the_parameter(
    emulator: Emulator, params: dict[str, Any], parameter: str
) -> None:
    response = emulator.api("GET", ENTRIES, params=params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"] == {"parameter": parameter}


def test_the_switch_answers_403_and_changes_are_still_recorded(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory("--no-rate-limit", "--audit-log-forbidden")
    new_app(emulator)
    response = emulator.api("GET", ENTRIES)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"
    assert emulator.switches(audit_log_forbidden=False)["audit_log_forbidden"] is False
    assert [e["attributes"]["type"] for e in emulator.audit_entries()] == ["app.added"]


def test_every_client_logs_in_with_its_own_secret_only(two_clients: tuple[Emulator, Emulator]) -> None:
    ops, jane = two_clients
    assert jane.token()
    response = ops.http.post(  # Jane's id with the default client's secret
        "/auth/token",
        json={"grant_type": "client_credentials", "client_id": JANE[0], "client_secret": "emulator-secret"},
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("only-an-id", "expected CLIENT_ID:CLIENT_SECRET:AUTHOR_EMAIL"),
        ("id:secret:not-an-email", "is not an e-mail address"),
        ("emulator-client:other-secret:x@example.com", "client ids must differ"),
    ],
)
def test_bad_extra_clients_are_refused_at_start(
    emulator_factory: Callable[..., Emulator], flag: str, message: str
) -> None:
    with pytest.raises(EmulatorStartError, match=message):
        emulator_factory("--extra-client", flag)


def test_the_published_ip_schema_rejects_every_address(emulator: Emulator) -> None:
    """Why contract.py rewrites the audit log's `ip` schema: `oneOf` of two unknown formats matches twice."""
    new_app(emulator)
    response = emulator.api("GET", ENTRIES)
    unmodified = OpenAPI.from_dict(raw_specs()[AUDIT_LOG_FILE])
    request = MockRequest(HOST_URL, "get", ENTRIES, path_pattern=ENTRIES)
    mock = MockResponse(response.content, status_code=200, content_type=response.headers["content-type"])
    with pytest.raises(Exception) as failure:
        unmodified.validate_response(request, mock)
    assert "is valid under each of" in str(failure.value.__cause__)
    patched(AUDIT_LOG_FILE, raw_specs()[AUDIT_LOG_FILE])  # and the rewrite validates it (every response here)


def test_csv_is_the_same_page_with_the_published_columns(emulator: Emulator) -> None:
    app_id = new_app(emulator, "Shop")["id"]
    _patch_tracker(emulator, app_id, anonymize_visitor_ip_level=2)
    response = emulator.api("GET", ENTRIES, params={"sort": "created_at"}, headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    header, *rows = list(csv.reader(io.StringIO(response.text)))
    assert header == ["author_email", "author_id", "created_at", "id", "ip", "payload", "subject_id", "type", "version"]
    assert [r[7] for r in rows] == ["app.added", "app.changed.anonymize_visitor_ip_level"]
    assert json.loads(rows[1][5]) == {"id": app_id, "anonymize_visitor_ip_level": 2}
    assert [r[3] for r in rows] == [e["id"] for e in emulator.audit_entries(sort="created_at")]
