"""Custom dimensions (analytics manage API, trailing slashes): create, list, get, PUT, slots, no DELETE."""

from __future__ import annotations

from typing import Any

from tests.fixtures.emulator import Emulator

from .conftest import new_app

BASE = "/api/analytics/v1/manage/custom-dimensions/"


def _create(emulator: Emulator, website_id: str, name: str, scope: str = "session", **extra: Any) -> dict[str, Any]:
    attributes = {"website_id": website_id, "name": name, "active": True, "case_sensitive": False, "scope": scope}
    response = emulator.api(
        "POST", BASE, json={"data": {"type": "CustomDimension", "attributes": {**attributes, **extra}}}
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def test_create_list_get_put(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    session = _create(emulator, app_id, "consent_state")
    event = _create(
        emulator, app_id, "exempt", "event", extractions=[{"target": "page_url_regex", "pattern": "/shop/(.*)"}]
    )
    assert (session["attributes"]["slot"], session["attributes"]["tracking_id"]) == (1, 1)
    assert (event["attributes"]["slot"], event["attributes"]["tracking_id"]) == (1, 2)

    listing = emulator.api("GET", BASE, params={"website_id": app_id}).json()
    assert listing["meta"]["total"] == 2
    assert [d["attributes"]["name"] for d in listing["data"]] == ["consent_state", "exempt"]
    assert emulator.api("GET", BASE, params={"website_id": app_id, "limit": 1}).json()["meta"]["total"] == 2

    one = emulator.api("GET", f"{BASE}{session['id']}/", params={"website_id": app_id})
    assert one.status_code == 200
    assert one.json()["data"] == session

    replacement = {**session["attributes"], "name": "consent", "active": False}
    put = emulator.api("PUT", f"{BASE}{session['id']}/", json={"data": {**session, "attributes": replacement}})
    assert put.status_code == 200
    assert put.json()["data"]["attributes"]["active"] is False
    assert put.json()["data"]["attributes"]["slot"] == 1


def test_scope_and_slot_are_immutable_and_no_delete(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    dimension = _create(emulator, app_id, "d")
    for change in ({"scope": "event"}, {"slot": 7}):
        body = {"data": {**dimension, "attributes": {**dimension["attributes"], **change}}}
        response = emulator.api("PUT", f"{BASE}{dimension['id']}/", json=body)
        assert response.status_code == 400
        assert response.json()["errors"][0]["source"]["pointer"] == f"/data/attributes/{next(iter(change))}"
    assert emulator.api("DELETE", f"{BASE}{dimension['id']}/").status_code == 405


def test_slots_and_errors(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    _create(emulator, app_id, "a")
    slots = emulator.api("GET", f"{BASE}slots/", params={"website_id": app_id}).json()["data"]
    assert slots["type"] == "CustomDimensionSlots"
    assert slots["attributes"]["session"]["used"] == 1
    assert slots["attributes"]["session"]["left"] == slots["attributes"]["session"]["available"] - 1
    missing = emulator.api("GET", BASE)
    assert missing.status_code == 400
    assert missing.json() == {
        "errors": [{"status": "400", "detail": "This field is required.", "source": {"parameter": "website_id"}}]
    }
    assert missing.headers["content-type"] == "application/json"
    bad_scope = {"website_id": app_id, "name": "x", "active": True, "case_sensitive": False, "scope": "visit"}
    response = emulator.api("POST", BASE, json={"data": {"type": "CustomDimension", "attributes": bad_scope}})
    assert response.status_code == 400
    unknown = emulator.api("GET", f"{BASE}11111111-2222-3333-4444-555555555555/", params={"website_id": app_id})
    assert unknown.status_code == 404
