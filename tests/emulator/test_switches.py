"""Test switches: rate limits (429 + Retry-After), injected 5xx, dropped connections, drop after commit,
fault_paths, the request log, reset, and the admin endpoint's own behaviour."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.fixtures.emulator import Emulator

from .conftest import new_app

APP = {"data": {"type": "ppms/app", "attributes": {"name": "Shop", "urls": ["https://shop.example"]}}}


def _total_apps(emulator: Emulator) -> int:
    total: int = emulator.api("GET", "/api/apps/v2").json()["meta"]["total"]
    return total


def test_rate_limits_default_on_as_the_real_service(emulator_factory: Callable[..., Emulator]) -> None:
    default = emulator_factory()
    switches = default.switches()
    assert (switches["read_limit"], switches["write_limit"], switches["rate_limit_enabled"]) == (600, 60, True)


def test_write_bucket_answers_429_with_retry_after(emulator_factory: Callable[..., Emulator]) -> None:
    limited = emulator_factory("--write-limit", "2", "--read-limit", "3")
    limited.token()
    limited.token()
    limited.token()  # /auth/token is not rate limited
    assert limited.api("POST", "/api/apps/v2", json=APP).status_code == 201
    assert limited.api("POST", "/api/apps/v2", json=APP).status_code == 201
    refused = limited.api("POST", "/api/apps/v2", json=APP)
    assert refused.status_code == 429
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert refused.json()["errors"][0]["status"] == "429"
    # Reads have their own bucket.
    assert [limited.api("GET", "/api/apps/v2").status_code for _ in range(4)] == [200, 200, 200, 429]
    limited.switches(rate_limit_enabled=False)
    assert _total_apps(limited) == 2
    counts = limited.requests()["counts"]
    assert counts["POST /api/apps/v2"] == 3


def test_tag_manager_429_uses_its_family(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    emulator.switches(rate_limit_enabled=True, read_limit=0)
    response = emulator.api("GET", f"/api/tag/v1/{app_id}/tags")
    assert response.status_code == 429
    assert response.json()["errors"][0]["code"] == "TOO_MANY_REQUESTS_ERROR"
    assert "Retry-After" in response.headers


def test_injected_errors_do_not_apply(emulator: Emulator) -> None:
    emulator.token()
    emulator.switches(error_rate=1.0)
    response = emulator.api("POST", "/api/apps/v2", json=APP)
    assert response.status_code == 503
    assert response.json()["errors"][0]["status"] == "503"
    emulator.switches(error_rate=0.0)
    assert _total_apps(emulator) == 0


def test_dropped_connection_does_not_apply(emulator: Emulator) -> None:
    emulator.token()
    emulator.switches(drop_rate=1.0)
    with pytest.raises(httpx.TransportError):
        emulator.api("POST", "/api/apps/v2", json=APP)
    emulator.switches(drop_rate=0.0)
    assert _total_apps(emulator) == 0
    entry = emulator.requests()["entries"][-2]
    assert (entry["template"], entry["status"], entry["fault"]) == ("/api/apps/v2", None, "drop")


def test_drop_after_commit_applies_the_write(emulator: Emulator) -> None:
    emulator.token()
    emulator.switches(drop_after_commit_rate=1.0, fault_paths=["^POST /api/apps/v2$"])
    with pytest.raises(httpx.TransportError):
        emulator.api("POST", "/api/apps/v2", json=APP)
    assert _total_apps(emulator) == 1  # GET is outside fault_paths, so it is answered
    emulator.switches(drop_after_commit_rate=0.0, fault_paths=None)


def test_fault_paths_limit_where_faults_apply(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    emulator.switches(error_rate=1.0, fault_paths=["/api/tag/"])
    assert emulator.api("GET", f"/api/apps/v2/{app_id}").status_code == 200
    faulted = emulator.api("GET", f"/api/tag/v1/{app_id}/tags")
    assert faulted.status_code == 503
    assert faulted.json()["errors"][0]["code"] == "SERVICE_UNAVAILABLE"


def test_request_log_counts_templates_and_admin_is_not_logged(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    emulator.api("GET", f"/api/apps/v2/{app_id}")
    emulator.api("GET", f"/api/apps/v2/{app_id}")
    emulator.switches(latency_ms=1)
    log = emulator.requests()
    assert log["counts"]["GET /api/apps/v2/{app_id}"] == 2
    assert log["counts"]["POST /api/apps/v2"] == 1
    assert log["counts"]["POST /auth/token"] == 1
    assert not any(key.split(" ", 1)[1].startswith("/__emulator__") for key in log["counts"])
    assert log["total"] == sum(log["counts"].values())
    entry = log["entries"][-1]
    assert set(entry) >= {"method", "path", "template", "status", "ts"}
    assert entry["path"] == f"/api/apps/v2/{app_id}"
    emulator.clear_requests()
    assert emulator.requests()["total"] == 0


def test_reset_wipes_state_and_log(emulator: Emulator) -> None:
    new_app(emulator)
    emulator.reset()
    assert emulator.requests()["total"] == 0
    assert _total_apps(emulator) == 0  # the fixture's token still works after a reset


def test_switch_validation(emulator: Emulator) -> None:
    response = emulator.http.patch("/__emulator__/switches", json={"error_rate": 2})
    assert response.status_code == 400
    response = emulator.http.patch("/__emulator__/switches", json={"nope": 1})
    assert response.status_code == 400
    assert emulator.switches(apps_limit=3)["apps_limit"] == 3


def _fault_pattern(instance: Emulator, n: int = 16) -> list[int]:
    return [instance.api("GET", "/api/apps/v2").status_code for _ in range(n)]


def test_the_fault_seed_replays_the_same_faults_and_a_reset_replays_them_again(
    emulator_factory: Callable[..., Emulator],
) -> None:
    first = emulator_factory("--no-rate-limit", "--error-rate", "0.5", "--fault-seed", "1234")
    second = emulator_factory("--no-rate-limit", "--error-rate", "0.5", "--fault-seed", "1234")
    assert first.fault_seed == second.fault_seed == 1234  # printed at start, read back by the fixture
    for instance in (first, second):
        instance.token()  # /auth/token draws too: the same calls in the same order on both
    pattern = _fault_pattern(first)
    assert {200, 503} <= set(pattern), pattern  # not vacuous: both outcomes occur
    assert _fault_pattern(second) == pattern
    first.reset()  # the draws start again from the seed; the switches (error rate) are the command line's
    first.token()
    assert _fault_pattern(first) == pattern


def test_without_a_seed_each_process_prints_its_own(emulator_factory: Callable[..., Emulator]) -> None:
    one, two = emulator_factory(), emulator_factory()
    assert one.fault_seed is not None and two.fault_seed is not None and one.fault_seed != two.fault_seed
    log = (one.state_file.parent / f"{one.state_file.name}.1.stdout").read_text()
    assert f"piwik-emulator fault seed {one.fault_seed} (replay with --fault-seed {one.fault_seed})" in log


def test_reset_returns_the_switches_to_the_command_lines(emulator_factory: Callable[..., Emulator]) -> None:
    instance = emulator_factory("--latency-ms", "3", "--no-rate-limit")
    changed = instance.switches(latency_ms=50, error_rate=0.5, publish_mode="sync")
    assert (changed["latency_ms"], changed["error_rate"], changed["publish_mode"]) == (50, 0.5, "sync")
    instance.reset()
    back = instance.switches()
    assert (back["latency_ms"], back["error_rate"], back["publish_mode"], back["rate_limit_enabled"]) == (
        3,
        0.0,
        "async",
        False,
    )
