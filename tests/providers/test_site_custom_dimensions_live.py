"""SiteCustomDimensions lists every dimension of an app (declared or hand-made), reads again, and writes nothing."""

from __future__ import annotations

import pytest

from piwik_resources.providers import CustomDimensionProvider, ProviderError, SiteCustomDimensionsProvider

from .live import Live

DIMENSIONS = "/api/analytics/v1/manage/custom-dimensions/"


def _hand_made(live: Live, app_id: str, name: str, pattern: str) -> str:
    attributes = {
        "website_id": app_id,
        "name": name,
        "active": True,
        "case_sensitive": False,
        "scope": "event",
        "extractions": [{"target": "page_query_parameter", "pattern": pattern}],
    }
    return str(
        live.api("POST", DIMENSIONS, {"data": {"type": "CustomDimension", "attributes": attributes}})["data"]["id"]
    )


def test_lists_every_dimension_of_the_app_and_reads_again_without_writing(live: Live) -> None:
    app_id = live.make_app("Dimensions")
    declared, _ = live.create(CustomDimensionProvider, site_id=app_id, name="Consent", scope="session")
    live.emulator.clear_requests()

    id_, outs = live.create(SiteCustomDimensionsProvider, site_id=app_id)
    assert id_ == app_id and outs["site_id"] == app_id
    assert [(d["dimension_id"], d["name"], d["scope"], d["active"]) for d in outs["dimensions"]] == [
        (declared, "Consent", "session", True)
    ]

    hand = _hand_made(live, app_id, "Campagne", "email")
    read = live.read(SiteCustomDimensionsProvider, id_, outs)
    assert read.id == app_id and read.inputs == {"site_id": app_id}
    listed = {d["dimension_id"]: d for d in read.outs["dimensions"]}
    assert set(listed) == {declared, hand}
    assert listed[hand]["extractions"] == [{"target": "page_query_parameter", "pattern": "email"}]
    assert live.writes() == {"POST /api/analytics/v1/manage/custom-dimensions/": 1}  # only the hand-made one

    live.delete(SiteCustomDimensionsProvider, id_, dict(read.outs))
    assert len(live.api("GET", DIMENSIONS + f"?website_id={app_id}")["data"]) == 2  # delete only forgets


def test_is_gone_with_its_app_and_cannot_list_an_app_that_does_not_exist(live: Live) -> None:
    app_id = live.make_app("Soon gone")
    id_, outs = live.create(SiteCustomDimensionsProvider, site_id=app_id)
    live.api("DELETE", f"/api/apps/v2/{app_id}")
    assert live.read(SiteCustomDimensionsProvider, id_, outs).id == ""
    with pytest.raises(ProviderError, match=f"site_id: app {app_id} does not exist"):
        live.create(SiteCustomDimensionsProvider, site_id=app_id)
