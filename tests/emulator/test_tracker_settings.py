"""Tracker settings v2: global and per-app settings, inheritance, revert, validation, shared app fields."""

from __future__ import annotations

from typing import Any

from tests.fixtures.emulator import Emulator

from .conftest import new_app

GLOBAL = "/api/tracker/v2/settings/app/global"


def _app_settings(emulator: Emulator, app_id: str) -> dict[str, Any]:
    response = emulator.api("GET", f"/api/tracker/v2/settings/app/{app_id}")
    assert response.status_code == 200, response.text
    attributes: dict[str, Any] = response.json()["data"]["attributes"]
    return attributes


def _patch_global(emulator: Emulator, **attributes: Any) -> None:
    body = {"data": {"type": "tracker/settings/app/global", "id": "global", "attributes": attributes}}
    response = emulator.api("PATCH", GLOBAL, json=body)
    assert response.status_code == 204, response.text


def _patch_app(emulator: Emulator, app_id: str, **attributes: Any) -> int:
    body = {"data": {"type": "tracker/settings/app", "id": app_id, "attributes": attributes}}
    return emulator.api("PATCH", f"/api/tracker/v2/settings/app/{app_id}", json=body).status_code


def test_global_initial_values_and_patch(emulator: Emulator) -> None:
    data = emulator.api("GET", GLOBAL).json()["data"]
    assert (data["type"], data["id"]) == ("tracker/settings/app/global", "global")
    assert data["attributes"]["anonymize_visitor_ip_level"] == 0
    assert data["attributes"]["anonymize_visitor_geolocation_level"] == "none"
    assert data["attributes"]["set_ip_tracking"] is True
    _patch_global(emulator, anonymize_visitor_ip_level=2, fingerprint_based_on_anonymized_ip=True)
    attributes = emulator.api("GET", GLOBAL).json()["data"]["attributes"]
    assert attributes["anonymize_visitor_ip_level"] == 2
    assert attributes["fingerprint_based_on_anonymized_ip"] is True
    assert attributes["exclude_crawlers"] is True


def test_app_settings_overlay_global_and_delete_reverts(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    _patch_global(emulator, anonymize_visitor_ip_level=1, anonymize_visitor_geolocation_level="Region")
    settings = _app_settings(emulator, app_id)
    assert settings["anonymize_visitor_ip_level"] == 1  # inherited
    assert settings["urls"] == ["https://shop.example"]

    assert (
        _patch_app(emulator, app_id, anonymize_visitor_ip_level=4, enable_fingerprinting_across_websites=False) == 204
    )
    _patch_global(emulator, anonymize_visitor_ip_level=3, anonymize_visitor_geolocation_level="Country")
    settings = _app_settings(emulator, app_id)
    assert settings["anonymize_visitor_ip_level"] == 4  # override wins
    assert settings["anonymize_visitor_geolocation_level"] == "Country"  # still inherited

    response = emulator.api("DELETE", f"/api/tracker/v2/settings/app/{app_id}/anonymize_visitor_ip_level")
    assert response.status_code == 204
    assert _app_settings(emulator, app_id)["anonymize_visitor_ip_level"] == 3  # reverted to global


def test_enum_and_range_validation(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    body = {
        "data": {
            "type": "tracker/settings/app",
            "id": app_id,
            "attributes": {
                "anonymize_visitor_ip_level": 13.5,
                "anonymize_visitor_geolocation_level": "Street",
                "session_max_duration_seconds": 50000,
                "session_limit_exceeded_action": "ignore",
                "exclude_crawlers": "yes",
            },
        }
    }
    response = emulator.api("PATCH", f"/api/tracker/v2/settings/app/{app_id}", json=body)
    assert response.status_code == 400
    errors = {e["source"]["pointer"]: e for e in response.json()["errors"]}
    assert errors["/data/attributes/anonymize_visitor_ip_level"]["detail"] == (
        "Invalid anonymization level '13.5', available are: [0, 1, 2, 3, 4]"
    )
    assert set(errors) == {f"/data/attributes/{k}" for k in body["data"]["attributes"]}
    assert all(e["status"] == "400" and e["title"] == "Invalid form" for e in errors.values())
    assert _app_settings(emulator, app_id)["exclude_crawlers"] is True  # nothing applied


def test_global_refuses_urls_and_wrong_type(emulator: Emulator) -> None:
    body = {"data": {"type": "tracker/settings/app/global", "id": "global", "attributes": {"urls": ["https://x"]}}}
    assert emulator.api("PATCH", GLOBAL, json=body).status_code == 400
    body = {"data": {"id": "global", "attributes": {}}}
    response = emulator.api("PATCH", GLOBAL, json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "error.not-blank"
    assert response.json()["errors"][0]["source"] == {"pointer": "/data/type"}


def test_invalid_uuid_and_unknown_setting(emulator: Emulator) -> None:
    response = emulator.api("GET", "/api/tracker/v2/settings/app/invalid")
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"status": "400", "code": "error.default", "title": '"invalid" is not valid UUID.'}]
    }
    app_id = new_app(emulator)["id"]
    assert emulator.api("DELETE", f"/api/tracker/v2/settings/app/{app_id}/no_such_setting").status_code == 400
    assert emulator.api("GET", "/api/tracker/v2/settings/app/11111111-2222-3333-4444-555555555555").status_code == 404


def test_app_fields_and_tracker_settings_are_one_setting(emulator: Emulator) -> None:
    app_id = new_app(emulator, excludedIps=["10.0.0.1"], excludeUnknownUrls=True)["id"]
    settings = _app_settings(emulator, app_id)
    assert settings["excluded_ips"] == ["10.0.0.1"]
    assert settings["exclude_unknown_urls"] is True

    assert (
        _patch_app(emulator, app_id, keep_url_fragment=False, urls=["https://shop.example", "https://b.example"]) == 204
    )
    app = emulator.api("GET", f"/api/apps/v2/{app_id}").json()["data"]["attributes"]
    assert app["keepUrlFragment"] is False
    assert app["urls"] == ["https://shop.example", "https://b.example"]

    patch = {"data": {"type": "ppms/app", "id": app_id, "attributes": {"excludedUrlParams": ["sessid"]}}}
    assert emulator.api("PATCH", f"/api/apps/v2/{app_id}", json=patch).status_code == 204
    assert _app_settings(emulator, app_id)["url_query_parameter_to_exclude_from_url"] == ["sessid"]

    emulator.api("DELETE", f"/api/tracker/v2/settings/app/{app_id}/excluded_ips")
    _patch_global(emulator, excluded_ips=["192.168.0.0"])
    app = emulator.api("GET", f"/api/apps/v2/{app_id}").json()["data"]["attributes"]
    assert app["excludedIps"] == ["192.168.0.0"]  # the app now shows the inherited global value


def test_app_lookup_by_url(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    found = emulator.api("GET", "/api/tracker/v2/settings/app/url", params={"app_url": "https://shop.example"})
    assert found.status_code == 200
    assert found.json()["data"]["id"] == app_id
    missing = emulator.api("GET", "/api/tracker/v2/settings/app/url", params={"app_url": "https://nowhere"})
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "error.resource-not-found"
