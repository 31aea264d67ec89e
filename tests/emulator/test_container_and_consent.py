"""Opt-out code (container settings) and the emulator-own consent form template paths."""

from __future__ import annotations

from tests.fixtures.emulator import Emulator

from .conftest import new_app

TEMPLATES = "/api/consent-manager/v1/{app_id}/consent-form-templates"
FR = {
    "title": "Votre vie privée",
    "message": "Nous collecterons et agrégerons des données sur l'utilisation de ce site.",
    "accept_label": "Accepter",
    "reject_label": "Refuser",
    "privacy_policy_url": "https://shop.example/confidentialite",
}


def test_opt_out_code(emulator: Emulator) -> None:
    response = emulator.api("GET", "/api/container-settings/v1/organization/default/opt-out-code")
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["type"], data["id"]) == ("container/organization/opt-out-code", "default")
    assert "_stg_optout_checkbox" in data["attributes"]["code"]
    other = emulator.api("GET", "/api/container-settings/v1/organization/other/opt-out-code")
    assert other.status_code == 404
    assert other.json()["errors"][0]["source"] == {"parameter": "organization"}


def test_consent_template_lifecycle(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    base = TEMPLATES.format(app_id=app_id)
    assert emulator.api("GET", f"{base}/fr").status_code == 404
    body = {"data": {"type": "consent-manager/consent-form-template", "id": "fr", "attributes": FR}}
    created = emulator.api("PUT", f"{base}/fr", json=body)
    assert created.status_code == 200
    assert created.json() == body
    english = {**FR, "message": "We will collect and aggregate data.", "privacy_policy_url": None}
    en_body = {"data": {"type": "consent-manager/consent-form-template", "id": "en-GB", "attributes": english}}
    assert emulator.api("PUT", f"{base}/en-GB", json=en_body).status_code == 200
    listing = emulator.api("GET", base).json()
    assert listing["meta"]["total"] == 2
    assert [t["id"] for t in listing["data"]] == ["en-GB", "fr"]

    replaced = {**FR, "title": "Confidentialité"}
    body = {"data": {"type": "consent-manager/consent-form-template", "id": "fr", "attributes": replaced}}
    assert emulator.api("PUT", f"{base}/fr", json=body).json()["data"]["attributes"]["title"] == "Confidentialité"
    assert emulator.api("GET", f"{base}/fr").json()["data"]["attributes"] == replaced
    assert emulator.api("DELETE", f"{base}/fr").status_code == 204
    missing = emulator.api("GET", f"{base}/fr")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "error.resource-not-found"


def test_consent_template_errors(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    base = TEMPLATES.format(app_id=app_id)
    body = {"data": {"type": "consent-manager/consent-form-template", "id": "FR", "attributes": FR}}
    bad_language = emulator.api("PUT", f"{base}/FR", json=body)
    assert bad_language.status_code == 400
    assert bad_language.json()["errors"][0]["source"] == {"pointer": "/data/id"}
    blank = {"data": {"type": "consent-manager/consent-form-template", "id": "fr", "attributes": {**FR, "message": ""}}}
    response = emulator.api("PUT", f"{base}/fr", json=blank)
    assert response.status_code == 400
    assert response.json()["errors"][0]["source"] == {"pointer": "/data/attributes/message"}
    unknown_app = TEMPLATES.format(app_id="11111111-2222-3333-4444-555555555555")
    assert emulator.api("GET", unknown_app).status_code == 404
    assert emulator.api("PUT", f"{base}/fr", json=body["data"]).status_code == 400  # not a JSON:API document
