"""A site's privacy never rests on the account's (issue 20), through the real engine against the emulator.

One stack of tests/programs/account_guard: CnilAccount, a created site under deletion protection and an adopted
site. A refused destroy leaves each app its own values (pinned overrides) and the account as it is; a later
account-wide change by someone else reaches no app, and `piwik-cnil watch` reports it as broken, naming the
setting, the old and new values and who. With protection off and no adopted site, destroy deletes the app and
writes the account back as found, in two writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from tests.cli.test_watch import JANE, run_watch
from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import EngineEnv, StackFactory, set_config

pytestmark = pytest.mark.engine

PROGRAMS = Path(__file__).resolve().parents[1] / "programs"
NS = "piwik-guard"
GLOBAL = "/api/tracker/v2/settings/app/global"
#: What CnilAccount manages, by API attribute.
ACCOUNT_SETTINGS = (
    "anonymize_visitor_ip_level",
    "fingerprint_based_on_anonymized_ip",
    "enable_fingerprinting_across_websites",
    "anonymize_visitor_geolocation_level",
)


def attributes(emulator: Emulator, path: str) -> dict[str, Any]:
    response = emulator.api("GET", path)
    assert response.status_code == 200, (path, response.status_code, response.text)
    data: dict[str, Any] = response.json()["data"]["attributes"]
    return data


def account(emulator: Emulator) -> dict[str, Any]:
    values = attributes(emulator, GLOBAL)
    return {k: values[k] for k in ACCOUNT_SETTINGS}


def own_values(emulator: Emulator, app_id: str) -> tuple[int, str]:
    values = attributes(emulator, f"/api/tracker/v2/settings/app/{app_id}")
    return values["anonymize_visitor_ip_level"], values["anonymize_visitor_geolocation_level"]


def writes(emulator: Emulator) -> dict[str, int]:
    counts: dict[str, int] = emulator.requests()["counts"]
    return {k: n for k, n in counts.items() if not k.startswith("GET ") and "/auth/token" not in k}


@pytest.fixture
def jane_emulator(emulator_factory: Any) -> Emulator:
    made: Emulator = emulator_factory("--no-rate-limit", client_email="ops@example.com", extra_clients=[JANE])
    return made


def test_no_destroy_weakens_a_live_site_and_an_account_change_reaches_no_app(
    pulumi_stack: StackFactory, engine_env: EngineEnv, jane_emulator: Emulator
) -> None:
    emulator = jane_emulator
    found = account(emulator)
    made = emulator.api(
        "POST",
        "/api/apps/v2",
        json={"data": {"type": "ppms/app", "attributes": {"name": "Blog", "urls": ["https://blog.example.fr"]}}},
    )
    blog = made.json()["data"]["id"]
    st = pulumi_stack(PROGRAMS / "account_guard", emulator=emulator, config={f"{NS}:adoptSiteId": blog})
    shop = st.up().outputs["site_ids"].value["shop"]

    # The account's restore comes after each site's app, and knows the app a destroy leaves in place.
    resources = {r["urn"].rsplit("::", 1)[-1]: r for r in st.export_stack().deployment["resources"]}
    gts = resources["account-global-tracker-settings"]
    assert gts["urn"] in resources["shop-site"]["dependencies"]
    assert gts["urn"] in resources["adopted-site"]["dependencies"]
    assert gts["outputs"]["kept_app_ids"] == [blog]
    applied = account(emulator)
    assert (applied["anonymize_visitor_ip_level"], applied["anonymize_visitor_geolocation_level"]) == (2, "City")

    # Refused (the created site is protected): nothing is written, not even the account's restore.
    emulator.clear_requests()
    with pytest.raises(auto.CommandError, match="deletion_protection"):
        st.destroy()
    assert writes(emulator) == {}
    assert account(emulator) == applied
    assert own_values(emulator, shop) == (2, "City") and own_values(emulator, blog) == (2, "City")

    # Jane sets the account's IP masking to 0: each app keeps its own value, the watch finds the account change.
    jane = emulator.acting_as(JANE[0], JANE[1])
    level = {"anonymize_visitor_ip_level": 0}
    body = {"data": {"type": "tracker/settings/app/global", "id": "global", "attributes": level}}
    assert jane.api("PATCH", GLOBAL, json=body).status_code == 204
    assert own_values(emulator, shop) == (2, "City") and own_values(emulator, blog) == (2, "City")
    watch = run_watch(st, engine_env.env, "--stack", "test")
    assert watch.returncode == 1, watch.stdout + watch.stderr
    assert "compliance broken" in watch.stdout
    assert "GlobalTrackerSettings ip_masking_level: 2 → 0" in watch.stdout
    assert "by jane@example.com from 127.0.0.1" in watch.stdout
    assert "#1 Mask IP addresses (at least 1 byte): enforced by API → broken" in watch.stdout

    # Protection off and no adopted site: the destroy deletes the app and writes the account back as found.
    st.remove_config(f"{NS}:adoptSiteId")
    set_config(st, {f"{NS}:deletionProtection": "false"})
    assert st.up(refresh=True).summary.result == "succeeded"  # also repairs Jane's change
    assert account(emulator) == applied
    emulator.clear_requests()
    assert st.destroy().summary.result == "succeeded"
    assert writes(emulator) == {"DELETE /api/apps/v2/{app_id}": 1, f"PATCH {GLOBAL}": 1}  # 2 for 1 deleted app
    assert account(emulator) == found
    assert emulator.api("GET", f"/api/apps/v2/{shop}").status_code == 404
    # The app once adopted, now unmanaged, still holds its own values under the account's found ones.
    assert found["anonymize_visitor_ip_level"] == 0 and own_values(emulator, blog) == (2, "City")
