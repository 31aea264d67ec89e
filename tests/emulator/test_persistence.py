"""State survives a restart; concurrent requests leave a consistent state."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.fixtures.emulator import Emulator

from .conftest import new_app


def test_restart_keeps_state(emulator: Emulator) -> None:
    app_id = new_app(emulator, "Kept", cnil=True)["id"]
    body = {"data": {"type": "tracker/settings/app", "id": app_id, "attributes": {"anonymize_visitor_ip_level": 2}}}
    assert emulator.api("PATCH", f"/api/tracker/v2/settings/app/{app_id}", json=body).status_code == 204
    port = emulator.port
    emulator.restart()
    assert emulator.port == port
    app = emulator.api("GET", f"/api/apps/v2/{app_id}").json()["data"]["attributes"]
    assert (app["name"], app["cnil"]) == ("Kept", True)
    settings = emulator.api("GET", f"/api/tracker/v2/settings/app/{app_id}").json()["data"]["attributes"]
    assert settings["anonymize_visitor_ip_level"] == 2
    assert emulator.api("GET", f"/api/tag/v1/{app_id}/tags").json()["meta"]["total"] == 1


def test_concurrent_requests_are_safe(emulator: Emulator) -> None:
    emulator.token()

    def create(index: int) -> int:
        with emulator.client() as client:
            body = {"data": {"type": "ppms/app", "attributes": {"name": f"App {index}", "urls": ["https://x.example"]}}}
            headers = {"Authorization": f"Bearer {emulator.token()}", "Content-Type": "application/vnd.api+json"}
            return client.post("/api/apps/v2", json=body, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(create, range(24)))
    assert statuses == [201] * 24
    listing = emulator.api("GET", "/api/apps/v2", params={"limit": 100}).json()
    assert listing["meta"]["total"] == 24
    assert len({a["id"] for a in listing["data"]}) == 24
    assert emulator.requests()["counts"]["POST /api/apps/v2"] == 24
