"""After the suite: every request the client sent to an emulator validates against its OpenAPI operation.

The emulators of the whole session wrote down what they received (tests/fixtures/request_contract.py); this
module runs last (pytest collects directories alphabetically) and validates the client's requests among them:
method and path (a published operation), query parameters, content type and body against the operation's
request schema. It first drives a short client session of its own, so that it never passes vacuously when run
alone, then prints how many requests were validated and asserts that none is invalid.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from piwik_resources.api import Pacing, PiwikClient, RetryPolicy
from tests.emulator.contract import raw_specs
from tests.fixtures.emulator import Emulator
from tests.fixtures.request_contract import deep_objects, split_deep_objects, validate_captures


def _client_session(emulator: Emulator) -> None:
    """One request of each kind the providers send (create, read, PATCH, PUT, DELETE, publish, by-URL)."""
    with PiwikClient(
        emulator.base_url,
        emulator.client_id,
        emulator.client_secret,
        pacing=Pacing.unlimited(),
        retry=RetryPolicy(backoff_base=0.01, backoff_max=0.05),
    ) as client:
        app = client.apps.create({"name": "Contract", "urls": ["https://contract.example"]}, app_id=str(uuid.uuid4()))
        client.apps.update(app.id, {"name": "Contract 2"})
        list(client.apps.list(search="Contract"))
        client.tracker_settings.update_app(app.id, {"anonymize_visitor_ip_level": 2})
        client.tracker_settings.reset_app_setting(app.id, "anonymize_visitor_ip_level")
        client.tracker_settings.update_global({"anonymize_visitor_geolocation_level": "City"})
        assert client.tracker_settings.app_id_for_url("https://contract.example") == app.id
        [tag] = client.tags.wait_for_template(app.id, "piwik")
        client.tags.update(app.id, tag.id, {"consent_type": "analytics"})
        client.versions.publish_draft(app.id)
        dim = client.custom_dimensions.create(app.id, {"name": "d", "scope": "event", "description": "why"})
        client.custom_dimensions.update(dim.id, app.id, {"name": "d2", "scope": "event", "active": False})
        client.custom_dimensions.slots(app.id)
        client.container_settings.opt_out_code()
        client.container_settings.installation_code(app.id)
        client.container_settings.app_settings(app.id)
        since = datetime(2020, 1, 1, tzinfo=UTC)
        list(client.audit_log.entries(types=["app.added"], subject_ids=[app.id], date_from=since, sort="created_at"))
        client.apps.delete(app.id)


def test_every_request_the_client_sent_matches_its_openapi_operation(
    emulator: Emulator, tmp_path_factory: pytest.TempPathFactory
) -> None:
    _client_session(emulator)
    tally = validate_captures(Path(tmp_path_factory.getbasetemp()))
    print(
        f"\nclient requests validated against the OpenAPI request schemas: {tally.total} "
        f"({len(tally.validated)} operations, from {tally.files} emulator capture files); "
        f"invalid: {len(tally.invalid)}; on unpublished (emulator-own) paths: {sum(tally.unpublished.values())}; "
        f"invalid on purpose and refused by the emulator: {len(tally.refused)}"
    )
    for line in tally.refused:
        print(f"  refused: {line[:300]}")
    for key, count in sorted(tally.validated.items()):
        print(f"  {count:6d}  {key}")
    assert tally.total >= 18, tally.validated
    assert tally.invalid == [], "\n".join(tally.invalid[:20])


AUDIT_FILTER = deep_objects(raw_specs()["api_audit-log_v1_entries.json"]["paths"]["/api/audit-log/v1/entries"]["get"])


def test_a_deep_object_filter_is_taken_out_of_the_query_and_checked_key_by_key() -> None:
    assert set(AUDIT_FILTER) == {"filter"}
    good = [("filter[type]", "app.added,app.edited"), ("filter[date_from]", "2020-01-01T00:00:00Z"), ("limit", "2")]
    assert split_deep_objects(good, AUDIT_FILTER) == ([("limit", "2")], [])
    assert split_deep_objects([("filter[ip]", "203.0.113.7,2001:db8::1")], AUDIT_FILTER) == ([], [])
    bad = [("filter[colour]", "red"), ("filter[date_to]", "yesterday"), ("filter[author_id]", "a,b")]
    rest, problems = split_deep_objects(bad, AUDIT_FILTER)
    assert rest == []
    assert problems[0] == "filter[colour]: 'colour' is not a published property of filter"
    assert problems[1] == "filter[date_to]: 'yesterday' is not a 'date-time'"
    assert problems[2:] == ["filter[author_id]: 'a' is not a 'uuid'", "filter[author_id]: 'b' is not a 'uuid'"]
    _, [ip_problem] = split_deep_objects([("filter[ip]", "localhost")], AUDIT_FILTER)
    assert ip_problem.startswith("filter[ip]: 'localhost' is not valid under any of the given schemas")
