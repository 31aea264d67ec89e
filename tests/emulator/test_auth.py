"""POST /auth/token, bearer checks, token expiry and the per-service 401 shapes."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable

from tests.fixtures.emulator import Emulator

from .conftest import new_app

CREDENTIALS = {"grant_type": "client_credentials", "client_id": "emulator-client", "client_secret": "emulator-secret"}


def _claims(token: str) -> dict[str, object]:
    payload = token.split(".")[1]
    decoded: dict[str, object] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return decoded


def test_token_from_json_body(emulator: Emulator) -> None:
    response = emulator.http.post("/auth/token", json=CREDENTIALS)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=UTF-8"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 1800
    claims = _claims(body["access_token"])
    assert claims["org"] == "default"
    assert claims["exp"] == claims["iat"] + 1800  # type: ignore[operator]
    assert emulator.tokens_issued() == 1


def test_token_from_form_body(emulator: Emulator) -> None:
    response = emulator.http.post("/auth/token", data=CREDENTIALS)
    assert response.status_code == 200
    assert response.json()["access_token"].count(".") == 2


def test_wrong_secret_is_401_invalid_client(emulator: Emulator) -> None:
    response = emulator.http.post("/auth/token", json={**CREDENTIALS, "client_secret": "nope"})
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}


def test_missing_parameter_and_bad_grant_are_400(emulator: Emulator) -> None:
    missing = emulator.http.post("/auth/token", json={"grant_type": "client_credentials", "client_id": "x"})
    assert missing.status_code == 400
    assert missing.json()["error"] == "invalid_client"
    assert "client_secret" in missing.json()["hint"]
    grant = emulator.http.post("/auth/token", json={**CREDENTIALS, "grant_type": "password"})
    assert grant.status_code == 400
    assert grant.json()["error"] == "unsupported_grant_type"


def test_configured_credentials_and_organization(emulator_factory: Callable[..., Emulator]) -> None:
    other = emulator_factory("--no-rate-limit", client_id="ci", client_secret="s3cret", organization="acme")
    token = other.token()
    assert _claims(token)["org"] == "acme"
    refused = other.http.post("/auth/token", json=CREDENTIALS)
    assert refused.status_code == 401


def test_token_expiry_is_honoured(emulator_factory: Callable[..., Emulator]) -> None:
    short = emulator_factory("--no-rate-limit", "--token-ttl", "1")
    response = short.http.post("/auth/token", json=CREDENTIALS)
    assert response.json()["expires_in"] == 1
    token = response.json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert short.http.get("/api/apps/v2", headers=headers).status_code == 200
    time.sleep(2.1)
    expired = short.http.get("/api/apps/v2", headers=headers)
    assert expired.status_code == 401
    assert expired.json() == {"error": "access token not authorized"}


def test_token_ttl_switch_at_runtime(emulator: Emulator) -> None:
    emulator.switches(token_ttl=1)
    token = emulator.token()
    time.sleep(2.1)
    response = emulator.http.get("/api/apps/v2", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_forged_and_missing_tokens_are_refused(emulator: Emulator) -> None:
    token = emulator.token()
    header, payload, _ = token.split(".")
    forged = f"{header}.{payload}.AAAA"
    for headers in ({}, {"Authorization": f"Bearer {forged}"}, {"Authorization": "Basic abc"}):
        assert emulator.http.get("/api/apps/v2", headers=headers).status_code == 401


def test_401_shape_per_service(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    platform = emulator.http.get(f"/api/tracker/v2/settings/app/{app_id}")
    assert platform.status_code == 401
    assert platform.headers["content-type"].startswith("application/json")
    assert platform.json() == {"error": "access token not authorized"}

    tag_manager = emulator.http.get(f"/api/tag/v1/{app_id}/tags")
    assert tag_manager.status_code == 401
    assert tag_manager.json() == {"errors": [{"code": "UNAUTHORIZED_ERROR", "detail": "Access token not authorized"}]}

    container = emulator.http.get("/api/container-settings/v1/organization/default/opt-out-code")
    assert container.json()["errors"][0]["code"] == "UNAUTHORIZED_ERROR"

    analytics = emulator.http.get(f"/api/analytics/v1/manage/custom-dimensions/?website_id={app_id}")
    assert analytics.status_code == 401
    assert analytics.json() == {"errors": [{"status": "401", "detail": "No valid credentials provided."}]}


def test_token_survives_restart(emulator: Emulator) -> None:
    token = emulator.token()
    emulator.restart()
    response = emulator.http.get("/api/apps/v2", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
