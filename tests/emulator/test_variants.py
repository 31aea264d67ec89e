"""The variant switches: behaviours the published specs leave open, each as a flag and a PATCHable switch."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.fixtures.emulator import Emulator

from .conftest import new_app


def _piwik_tags(emulator: Emulator, app_id: str) -> list[dict[str, Any]]:
    response = emulator.api("GET", f"/api/tag/v1/{app_id}/tags", params={"filter[template]": "piwik"})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def _change_piwik_tag(emulator: Emulator, app_id: str) -> None:
    [tag] = _piwik_tags(emulator, app_id)
    body = {"data": {"type": "tag", "id": tag["id"], "attributes": {"consent_type": "not_require_consent"}}}
    assert emulator.api("PATCH", f"/api/tag/v1/{app_id}/tags/{tag['id']}", json=body).status_code == 204


def test_variant_flags_set_the_switches(emulator_factory: Callable[..., Emulator]) -> None:
    emulator = emulator_factory(
        "--publish-mode", "sync", "--republish-unchanged-error", "--tag-delay", "1.5", "--refuse-client-app-ids"
    )
    switches = emulator.switches()
    assert switches["publish_mode"] == "sync" and switches["republish_unchanged_error"] is True
    assert switches["tag_delay"] == 1.5 and switches["refuse_client_app_ids"] is True
    default = emulator_factory().switches()
    assert (default["publish_mode"], default["republish_unchanged_error"]) == ("async", False)
    assert (default["tag_delay"], default["refuse_client_app_ids"]) == (0.0, False)


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ({"publish_mode": "later"}, "publish_mode"),
        ({"tag_delay": -1}, "tag_delay"),
        ({"refuse_client_app_ids": "yes"}, "refuse_client_app_ids"),
    ],
)
def test_bad_variant_switch_is_refused_naming_it(emulator: Emulator, update: dict[str, Any], message: str) -> None:
    response = emulator.http.patch("/__emulator__/switches", json=update)
    assert response.status_code == 400 and message in response.json()["error"]


def test_publish_mode_sync_answers_204_and_applies(emulator: Emulator) -> None:
    emulator.switches(publish_mode="sync")
    app = new_app(emulator)
    _change_piwik_tag(emulator, app["id"])
    response = emulator.api("POST", f"/api/tag/v1/{app['id']}/versions/draft/publish")
    assert response.status_code == 204 and response.content == b""
    draft = emulator.api("GET", f"/api/tag/v1/{app['id']}/versions/draft").json()["data"]["attributes"]
    assert draft["has_changes"] is False
    assert [t["attributes"]["is_published"] for t in _piwik_tags(emulator, app["id"])] == [True]


def test_republish_unchanged_error_refuses_a_draft_without_change(emulator: Emulator) -> None:
    emulator.switches(republish_unchanged_error=True)
    app = new_app(emulator)
    path = f"/api/tag/v1/{app['id']}/versions/draft/publish"
    refused = emulator.api("POST", path)
    assert refused.status_code == 400
    assert "Nothing to publish" in refused.json()["errors"][0]["detail"]
    _change_piwik_tag(emulator, app["id"])
    assert emulator.api("POST", path).status_code == 202  # a draft with a change publishes as before


def test_tag_delay_hides_the_new_apps_piwik_tag_for_a_while(emulator: Emulator) -> None:
    emulator.switches(tag_delay=1.0)
    app = new_app(emulator)
    assert _piwik_tags(emulator, app["id"]) == []
    deadline = time.monotonic() + 10
    while not _piwik_tags(emulator, app["id"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(_piwik_tags(emulator, app["id"])) == 1


def test_refuse_client_app_ids_refuses_a_chosen_id_only(emulator: Emulator) -> None:
    emulator.switches(refuse_client_app_ids=True)
    chosen = {"name": "Chosen", "urls": ["https://chosen.example"], "id": str(uuid.uuid4())}
    refused = emulator.api("POST", "/api/apps/v2", json={"data": {"type": "ppms/app", "attributes": chosen}})
    assert refused.status_code == 400 and refused.json()["errors"][0]["source"]["pointer"].endswith("id")
    assert emulator.api("GET", "/api/apps/v2").json()["meta"]["total"] == 0
    assert new_app(emulator)["id"]  # without an id the server chooses one


def test_installation_code_and_app_settings_are_served(emulator: Emulator) -> None:
    app = new_app(emulator)
    code = emulator.api("GET", f"/api/container-settings/v1/app/{app['id']}/installation-code")
    assert code.status_code == 200
    data = code.json()["data"]
    assert data["type"] == "container/app/installation-code" and data["id"] == app["id"]
    assert app["id"] in data["attributes"]["code"] and data["attributes"]["code"].startswith("<script")
    settings = emulator.api("GET", f"/api/container-settings/v1/app/{app['id']}/settings").json()["data"]
    assert {s["id"] for s in settings} >= {"tracking_domain", "static_resources_domain", "spa_tracking"}
    missing = emulator.api("GET", f"/api/container-settings/v1/app/{uuid.uuid4()}/installation-code")
    assert missing.status_code == 404


def test_custom_dimension_description_is_kept(emulator: Emulator) -> None:
    app = new_app(emulator)
    attributes = {
        "website_id": app["id"],
        "name": "consent",
        "active": True,
        "case_sensitive": False,
        "scope": "session",
        "description": "Consent state of the visit",
    }
    body = {"data": {"type": "CustomDimension", "attributes": attributes}}
    created = emulator.api("POST", "/api/analytics/v1/manage/custom-dimensions/", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["data"]["attributes"]["description"] == "Consent state of the visit"
