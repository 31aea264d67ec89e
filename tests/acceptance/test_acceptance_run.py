"""`make acceptance`: the provider acceptance cycle and the local stack, end to end, on one account.

The account is the sandbox named by ``PIWIK_ACCEPTANCE_*`` or, without them, a fresh emulator with the real
service's rate limits (tests/acceptance/target.py). Every app is named with this run's prefix; at the end —
also after a failure — the stacks are destroyed, any app left with the prefix is deleted, and the global
tracker settings are written back to what the run found. On the emulator the test then proves that nothing is
left: no app at all, and the global settings as they were.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from piwik_resources.api import PiwikClient
from piwik_resources.compliance import REQUIREMENTS
from tests.acceptance.target import apps_named, client_of, real_account, real_account_configured, run_prefix, sweep
from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import StackFactory
from tests.providers.test_acceptance_engine import (
    Cycle,
    Outputs,
    _app,
    _app_gone,
    _delete_app,
    _ok,
    _piwik_tag,
    drift_consent_type,
)

# network: with PIWIK_ACCEPTANCE_* it talks to a real account (tests/fixtures/tiers.py refuses that to other tiers).
pytestmark = [pytest.mark.engine, pytest.mark.network]

PROGRAMS = Path(__file__).resolve().parents[1] / "programs"
GLOBAL = "/api/tracker/v2/settings/app/global"


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Emulator]:
    if real_account_configured():
        yield real_account()
        return
    instance = Emulator(tmp_path / "acceptance-emulator.db", []).start()  # rate limits on: 600 / 60 a minute
    try:
        yield instance
    finally:
        instance.stop()


@pytest.fixture
def run(target: Emulator) -> Iterator[tuple[str, list[auto.Stack]]]:
    """This run's prefix and the stacks it made; the clean-up after the test, whatever its outcome."""
    prefix = run_prefix()
    stacks: list[auto.Stack] = []
    client = client_of(target)
    before = dict(_ok(target.api("GET", GLOBAL))["data"]["attributes"])
    try:
        yield prefix, stacks
    finally:
        _clean_up(target, client, prefix, stacks, before)
    left = apps_named(client, prefix)
    client.close()
    assert left == [], f"apps left behind: {left}"
    after = dict(_ok(target.api("GET", GLOBAL))["data"]["attributes"])
    assert {k: after[k] for k in before if k != "updated_at"} == {k: v for k, v in before.items() if k != "updated_at"}
    if not real_account_configured():
        assert target.api("GET", "/api/apps/v2").json()["meta"]["total"] == 0  # the emulator's state: empty


def _clean_up(target: Emulator, client: PiwikClient, prefix: str, stacks: list[auto.Stack], before: Any) -> None:
    for st in stacks:
        try:
            st.destroy()
        except auto.CommandError as err:  # the sweep below still removes what it made
            print(f"destroy of {st.name} failed: {str(err)[-500:]}")
    swept = sweep(client, prefix)
    if swept:
        print(f"swept {len(swept)} app(s) the stacks had not removed: {swept}")
    attributes = {k: v for k, v in before.items() if k not in ("updated_at", "urls")}
    body = {"data": {"type": "tracker/settings/app/global", "id": "global", "attributes": attributes}}
    _ok(target.api("PATCH", GLOBAL, json=body), 204)


def test_provider_acceptance_cycle(pulumi_stack: StackFactory, target: Emulator, run: Any) -> None:
    """Site and TagConsentType (the Piwik PRO tag of the new app): create, refresh, update, drift, repair,
    out-of-band delete, recreate, destroy."""
    prefix, stacks = run
    ns = "piwik-tag-consent-type"
    name = f"{prefix}tagged"
    st = pulumi_stack(
        PROGRAMS / "tag_consent_type",
        emulator=target,
        config={f"{ns}:siteName": name, f"{ns}:consentType": "not_require_consent"},
    )
    stacks.append(st)

    def consent(outs: Outputs) -> str:
        tag = _piwik_tag(target, outs["site_id"])
        assert tag["is_published"] is True, tag
        return str(tag["consent_type"])

    Cycle(st, target, resources=2).run(
        update={f"{ns}:consentType": "analytics"},
        check_created=lambda outs: (
            (_app(target, outs["site_id"])["name"], consent(outs)) == (name, "not_require_consent")
            or pytest.fail("not created")
        ),
        check_updated=lambda outs: consent(outs) == "analytics" or pytest.fail("not updated"),
        drift=lambda outs: drift_consent_type(target, outs),
        drift_shows="consent_type",
        check_repaired=lambda outs: consent(outs) == "analytics" or pytest.fail("not repaired"),
        delete=lambda outs: _delete_app(target, outs),
        dropped=2,
        check_destroyed=lambda outs: _app_gone(target, outs["site_id"]) or pytest.fail("app left"),
    )


def test_local_stack_end_to_end(project_stack: StackFactory, target: Emulator, run: Any) -> None:
    """The repository's own stack with its two sites renamed with the run prefix: up, every site's report,
    a second up that changes nothing, destroy."""
    prefix, stacks = run
    st = project_stack(
        emulator=target,
        config={
            "piwik:clientId": target.client_id,
            "piwik:clientSecret": auto.ConfigValue(target.client_secret, secret=True),
        },
    )
    stacks.append(st)
    for index, key in enumerate(("boutique", "blog")):
        st.set_config(f"piwik-cnil:sites[{index}].site_name", auto.ConfigValue(f"{prefix}{key}"), path=True)
    if real_account_configured():  # Piwik PRO publishes no consent-template API: the manual step on a real host
        st.set_config("piwik-cnil:sites[0].consent_template_mode", auto.ConfigValue("manual"), path=True)
    up = st.up()
    sites = up.outputs["sites"].value
    for key, out in sites.items():
        assert _app(target, out["site_id"])["name"] == f"{prefix}{key}"
        assert out["site_id"] in out["installation_code"]
        assert len(out["compliance_report"]) == len(REQUIREMENTS)
    again = st.up()
    assert again.summary.resource_changes == {"same": sum(up.summary.resource_changes.values())}
    assert st.destroy().summary.result == "succeeded"
