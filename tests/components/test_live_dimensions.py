"""Requirement #12 is judged on the app's live custom dimensions, through the real engine, against the emulator.

A dimension made by hand (over the API, as the UI would) that extracts ``email`` from the URL turns row #12 of
the site's compliance report *broken*, naming the dimension, after ``pulumi up --refresh``; deactivating it
(the API cannot delete a dimension) makes the row *checked* again after the next ``pulumi up --refresh``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import StackFactory

pytestmark = pytest.mark.engine

DIMENSIONS = "/api/analytics/v1/manage/custom-dimensions/"


def report(outputs: dict[str, Any], site: str) -> dict[int, dict[str, Any]]:
    return {row["number"]: row for row in outputs["sites"].value[site]["compliance_report"]}


def hand_made_dimension(emulator: Emulator, app_id: str, active: bool, dim_id: str | None = None) -> str:
    attributes = {
        "website_id": app_id,
        "name": "Campagne",
        "active": active,
        "case_sensitive": False,
        "scope": "event",
        "extractions": [{"target": "page_url_regex", "pattern": r"[?&]email=([^&]+)"}],
    }
    body: dict[str, Any] = {"data": {"type": "CustomDimension", "attributes": attributes}}
    if dim_id is None:
        response = emulator.api("POST", DIMENSIONS, json=body)
    else:
        body["data"]["id"] = dim_id
        response = emulator.api("PUT", f"{DIMENSIONS}{dim_id}/", json=body)
    assert response.status_code in (200, 201), response.text
    made: str = response.json()["data"]["id"]
    return made


def test_a_hand_made_email_dimension_breaks_row_12_until_it_is_removed(
    project_stack: StackFactory, emulator: Emulator
) -> None:
    st = project_stack(emulator=emulator)
    up = st.up()
    assert up.summary.result == "succeeded"
    for site in ("boutique", "blog"):
        assert report(up.outputs, site)[12]["status"] == "checked", site
    # The export dimensions of boutique are among the live dimensions judged.
    assert "Consentement (session)" in report(up.outputs, "boutique")[12]["detail"]

    blog = up.outputs["sites"].value["blog"]["site_id"]
    dim_id = hand_made_dimension(emulator, blog, active=True)

    broken = st.up(refresh=True)
    rows = report(broken.outputs, "blog")
    assert rows[12]["status"] == "broken"
    assert "'Campagne'" in rows[12]["detail"] and dim_id in rows[12]["detail"]
    assert "email" in rows[12]["detail"]
    (violation,) = rows[12]["violations"]
    assert violation["rule"] == "cnil-dimension-extraction-identifier"
    assert violation["resource_type"] == "CustomDimension" and violation["property"] == "extractions"
    assert dim_id in violation["resource"]
    first = broken.outputs["sites"].value["blog"]["compliance_report"][0]
    assert first["number"] == 12, "a broken row is shown first"
    assert report(broken.outputs, "boutique")[12]["status"] == "checked", "only the blog's app carries it"

    hand_made_dimension(emulator, blog, active=False, dim_id=dim_id)
    fixed = st.up(refresh=True)
    assert report(fixed.outputs, "blog")[12]["status"] == "checked"
    assert "violations" not in report(fixed.outputs, "blog")[12]
