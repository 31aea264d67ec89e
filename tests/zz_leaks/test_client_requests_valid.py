"""After the suite: every request the client sent to an emulator validates against its OpenAPI operation.

The emulators of the whole session wrote down what they received (tests/fixtures/request_contract.py); this
module runs last (pytest collects directories alphabetically) and validates the client's requests among them:
method and path (a published operation), query parameters, content type and body against the operation's
request schema. It first drives a short client session of its own, so that it never passes vacuously when run
alone, then prints how many requests were validated and asserts that none is invalid.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from piwik_resources.api import Pacing, PiwikClient, RetryPolicy
from tests.fixtures.emulator import Emulator
from tests.fixtures.request_contract import validate_captures


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
