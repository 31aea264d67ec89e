"""Creates whose answer is lost after the emulator committed them (`drop_after_commit_rate`): no duplicate and
no orphan, through the real engine.

How: an app is created with a UUID the provider chose (derived from the account and the declaration), so after
a lost answer it looks the app up by that id and continues with it; a custom dimension (the API takes no
client id) is looked up by its natural key — name and scope in the app — and adopted. Consent templates (PUT)
and the tag (PATCH) are idempotent writes that the client simply repeats; publishing the Tag Manager draft
again publishes the same draft, so that POST is repeated too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from pulumi import automation as auto

from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import set_config

from ._support import apps, assert_converged, assert_second_up_is_noop, dimensions, faults

pytestmark = pytest.mark.engine

APP_POST = r"^POST /api/apps/v2$"
DIMENSION_POST = r"^POST /api/analytics/v1/manage/custom-dimensions/$"
EXPORT_DIMENSIONS = Counter({("Consentement (session)", "session"): 1, ("Consentement (évènement)", "event"): 1})


def _assert_dimensions(emulator: Emulator) -> None:
    for app in apps(emulator):
        found = Counter((d["name"], d["scope"]) for d in dimensions(emulator, app["id"]) if d["active"])
        assert found == EXPORT_DIMENSIONS, (app["name"], found)


def test_lost_create_answers_make_no_duplicate_and_no_orphan(
    emulator: Emulator, reliability_stack: Callable[..., auto.Stack], capsys: pytest.CaptureFixture[str]
) -> None:
    # 1. Every app POST and every dimension POST is applied, then its connection is closed without an answer.
    st = reliability_stack(emulator, sites=3, config={"exports": "true"})
    emulator.switches(drop_after_commit_rate=1.0, fault_paths=[APP_POST, DIMENSION_POST])
    st.up()
    log1 = emulator.requests()
    emulator.switches(drop_after_commit_rate=0.0, fault_paths=None)
    dropped1 = Counter(e["template"] for e in log1["entries"] if e["fault"] == "drop_after_commit")
    assert dropped1 == {"/api/apps/v2": 3, "/api/analytics/v1/manage/custom-dimensions/": 6}, dropped1
    assert_converged(st, emulator, 3)
    _assert_dimensions(emulator)

    # 2. Three more sites, with 30 % of every write (POST, PUT, PATCH, DELETE) answered after the commit.
    set_config(st, {"sites": "6"})
    emulator.clear_requests()
    emulator.switches(drop_after_commit_rate=0.3, fault_paths=[r"^(POST|PUT|PATCH|DELETE) /api/"])
    st.up()
    log2 = emulator.requests()
    emulator.switches(drop_after_commit_rate=0.0, fault_paths=None)
    with capsys.disabled():
        print(
            f"\n[lost answers] run 1: {sum(dropped1.values())} answers lost ({dict(dropped1)}); run 2: "
            f"{faults(log2)['drop_after_commit']} of {log2['total']} requests lost after commit"
        )
    assert faults(log2)["drop_after_commit"] >= 1  # ~27 writes: none lost has a chance of 0.7**27 = 6e-5
    assert_converged(st, emulator, 6)
    _assert_dimensions(emulator)
    assert_second_up_is_noop(st, emulator)
