"""Apps API v2: list, create with the spec's defaults, get, partial PATCH, delete, errors, apps limit."""

from __future__ import annotations

from collections.abc import Callable

from piwik_emulator.apps import APP_DEFAULTS
from tests.fixtures.emulator import Emulator

from .conftest import new_app


def test_create_returns_every_default(emulator: Emulator) -> None:
    app = new_app(emulator, "Shop")
    attributes = app["attributes"]
    for name, default in APP_DEFAULTS.items():
        assert attributes[name] == default, name
    assert attributes["organization"] == "default"
    assert attributes["appType"] == "web"
    assert attributes["excludeUnknownUrls"] is False
    assert attributes["keepUrlFragment"] is True
    assert attributes["siteSearchQueryParams"] == ["q", "query", "s", "search", "searchword", "keyword"]
    # Inherited from the global tracker settings (see apps.py docstring).
    assert "gclid" in attributes["excludedUrlParams"]


def test_create_with_client_chosen_id_and_duplicate(emulator: Emulator) -> None:
    app_id = "985ed9d7-b652-47b8-b9cf-c17d62735261"
    assert new_app(emulator, id=app_id)["id"] == app_id
    body = {"data": {"type": "ppms/app", "attributes": {"id": app_id, "name": "Again", "urls": ["https://a.b"]}}}
    response = emulator.api("POST", "/api/apps/v2", json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["title"] == f'App with id: "{app_id}" already exists'


def test_validation_errors_carry_pointers(emulator: Emulator) -> None:
    body = {"data": {"type": "ppms/app", "attributes": {"name": "x" * 91, "urls": ["https://a.b"]}}}
    too_long = emulator.api("POST", "/api/apps/v2", json=body).json()["errors"][0]
    assert too_long == {
        "status": "400",
        "code": "error.default",
        "title": "Invalid form",
        "detail": "This value is too long. It should have 90 characters or less.",
        "source": {"pointer": "/name"},
    }
    body = {"data": {"type": "ppms/app", "attributes": {"name": "D", "urls": ["https://a.b"], "appType": "demo"}}}
    demo = emulator.api("POST", "/api/apps/v2", json=body)
    assert demo.status_code == 400
    assert demo.json()["errors"][0]["detail"] == 'AppType "demo" is not supported (supported are sharepoint, web)'
    assert demo.json()["errors"][0]["source"] == {"pointer": "/appType"}
    missing = emulator.api("POST", "/api/apps/v2", json={"data": {"type": "ppms/app", "attributes": {"name": "N"}}})
    assert missing.status_code == 400
    assert [e["source"]["pointer"] for e in missing.json()["errors"]] == ["/urls"]
    mode = {"name": "M", "urls": ["https://a.b"], "gdprDataAnonymizationMode": "cookies", "delay": "x"}
    wrong = emulator.api("POST", "/api/apps/v2", json={"data": {"type": "ppms/app", "attributes": mode}})
    assert {e["source"]["pointer"] for e in wrong.json()["errors"]} == {"/gdprDataAnonymizationMode", "/delay"}


def test_json_api_content_type_is_enforced(emulator: Emulator) -> None:
    body = {"data": {"type": "ppms/app", "attributes": {"name": "N", "urls": ["https://a.b"]}}}
    response = emulator.api("POST", "/api/apps/v2", json=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["title"] == (
        '"application/json" is not a valid JSON API Content-Type header, use "application/vnd.api+json" instead'
    )
    assert emulator.api("GET", "/api/apps/v2").json()["meta"]["total"] == 0


def test_list_items_pagination_sort_search(emulator: Emulator) -> None:
    for name in ("Charlie", "alpha", "Bravo"):
        new_app(emulator, name)
    listing = emulator.api("GET", "/api/apps/v2").json()
    assert listing["meta"]["total"] == 3
    assert [a["attributes"]["name"] for a in listing["data"]] == ["Bravo", "alpha", "Charlie"]  # -addedAt
    assert all(set(a["attributes"]) == {"name", "addedAt", "updatedAt"} for a in listing["data"])
    by_name = emulator.api("GET", "/api/apps/v2", params={"sort": "name"}).json()
    assert [a["attributes"]["name"] for a in by_name["data"]] == ["alpha", "Bravo", "Charlie"]
    page = emulator.api("GET", "/api/apps/v2", params={"sort": "-name", "offset": 1, "limit": 1}).json()
    assert page["meta"]["total"] == 3
    assert [a["attributes"]["name"] for a in page["data"]] == ["Bravo"]
    found = emulator.api("GET", "/api/apps/v2", params={"search": "ALP"}).json()
    assert found["meta"]["total"] == 1
    bad = emulator.api("GET", "/api/apps/v2", params={"limit": 1001})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["source"] == {"parameter": "limit"}


def test_get_patch_delete(emulator: Emulator) -> None:
    app_id = new_app(emulator, "Shop", cnil=False)["id"]
    patch = {"data": {"type": "ppms/app", "id": app_id, "attributes": {"cnil": True, "name": "Shop FR"}}}
    response = emulator.api("PATCH", f"/api/apps/v2/{app_id}", json=patch)
    assert response.status_code == 204
    assert response.content == b""
    attributes = emulator.api("GET", f"/api/apps/v2/{app_id}").json()["data"]["attributes"]
    assert attributes["cnil"] is True
    assert attributes["name"] == "Shop FR"
    assert attributes["gdpr"] is True  # untouched: PATCH is partial
    assert emulator.api("DELETE", f"/api/apps/v2/{app_id}").status_code == 204
    gone = emulator.api("GET", f"/api/apps/v2/{app_id}")
    assert gone.status_code == 404
    assert gone.json()["errors"][0]["code"] == "error.resource-not-found"
    assert emulator.api("GET", f"/api/tag/v1/{app_id}/tags").status_code == 404


def test_patch_id_must_match_url(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    other = "11111111-2222-3333-4444-555555555555"
    patch = {"data": {"type": "ppms/app", "id": other, "attributes": {"cnil": True}}}
    response = emulator.api("PATCH", f"/api/apps/v2/{app_id}", json=patch)
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert error["title"] == "Id mismatch"
    assert error["source"] == {"pointer": "/data"}
    assert emulator.api("GET", f"/api/apps/v2/{app_id}").json()["data"]["attributes"]["cnil"] is False


def test_apps_limit_answers_409(emulator_factory: Callable[..., Emulator]) -> None:
    limited = emulator_factory("--no-rate-limit", "--apps-limit", "1")
    new_app(limited)
    body = {"data": {"type": "ppms/app", "attributes": {"name": "Two", "urls": ["https://two.example"]}}}
    response = limited.api("POST", "/api/apps/v2", json=body)
    assert response.status_code == 409
    assert response.json() == {
        "errors": [
            {"status": "409", "code": "apps.error.apps-limit-reached", "title": "Limit of apps has been reached"}
        ]
    }
