"""Helpers and the `reliability_stack` fixture of the reliability tests: the N-site program, the emulator's apps
and request log, the state."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import StackFactory

PROGRAM = Path(__file__).resolve().parents[1] / "programs" / "reliability"
PREFIX = "Fiabilité"
TOKEN_PATH = "/auth/token"
UNPACED = {"piwik:readsPerMinute": "0", "piwik:writesPerMinute": "0"}


def site_names(n: int, prefix: str = PREFIX) -> list[str]:
    return [f"{prefix} {i:02d}" for i in range(n)]


def apps(emulator: Emulator) -> list[dict[str, Any]]:
    """Every app of the emulator's account: [{"id", "name", ...attributes}] (read without faults)."""
    found: list[dict[str, Any]] = []
    offset = 0
    while True:
        response = emulator.api("GET", "/api/apps/v2", params={"offset": offset, "limit": 100})
        assert response.status_code == 200, response.text
        page = response.json()["data"]
        found += [{"id": item["id"], **item["attributes"]} for item in page]
        if len(page) < 100:
            return found
        offset += 100


def app_names(emulator: Emulator) -> Counter[str]:
    return Counter(app["name"] for app in apps(emulator))


def dimensions(emulator: Emulator, app_id: str) -> list[dict[str, Any]]:
    response = emulator.api(
        "GET", "/api/analytics/v1/manage/custom-dimensions/", params={"website_id": app_id, "limit": 100}
    )
    assert response.status_code == 200, response.text
    return [{"id": item["id"], **item["attributes"]} for item in response.json()["data"]]


def writes(log: dict[str, Any]) -> dict[str, int]:
    """Write requests (anything but GET) of a request-log snapshot, token requests left out."""
    return {k: n for k, n in log["counts"].items() if not k.startswith("GET ") and TOKEN_PATH not in k}


def faults(log: dict[str, Any]) -> Counter[str]:
    return Counter(e["fault"] for e in log["entries"] if e["fault"])


def state_resources(st: auto.Stack, type_suffix: str = "") -> list[dict[str, Any]]:
    resources = st.export_stack().deployment.get("resources", [])
    return [r for r in resources if r["type"].endswith(type_suffix)]


def state_app_ids(st: auto.Stack) -> set[str]:
    return {r["id"] for r in state_resources(st, "piwik:Site")}


def pending_operations(st: auto.Stack) -> list[dict[str, Any]]:
    return list(st.export_stack().deployment.get("pending_operations") or [])


def assert_converged(st: auto.Stack, emulator: Emulator, n: int, prefix: str = PREFIX) -> None:
    """Exactly the declared apps exist (no duplicate, no orphan), each one in the state."""
    names = app_names(emulator)
    assert names == Counter(site_names(n, prefix)), f"apps in the emulator: {sorted(names.items())}"
    assert {a["id"] for a in apps(emulator)} == state_app_ids(st), "an app is not in the state (orphan)"
    assert not pending_operations(st)


def assert_second_up_is_noop(st: auto.Stack, emulator: Emulator) -> auto.UpResult:
    emulator.clear_requests()
    result = st.up()
    changes = result.summary.resource_changes or {}
    assert set(changes) == {"same"}, changes
    log = emulator.requests()
    assert writes(log) == {}, writes(log)
    return result


@pytest.fixture
def reliability_stack(pulumi_stack: StackFactory) -> Callable[..., auto.Stack]:
    """`reliability_stack(emulator, sites=10, config={...})`: the N-site program, client pacing off."""

    def make(
        emulator: Emulator, *, sites: int = 10, config: dict[str, Any] | None = None, env: dict[str, str] | None = None
    ) -> auto.Stack:
        values: dict[str, Any] = {**UNPACED, "sites": str(sites), **(config or {})}
        return pulumi_stack(PROGRAM, stack="rel", config=values, emulator=emulator, env=env)

    return make


def wait_for(predicate: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def dump(obj: Any) -> str:
    return json.dumps(obj, indent=1, sort_keys=True, default=str)[:4000]
