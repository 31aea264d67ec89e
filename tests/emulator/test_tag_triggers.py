"""Tag Manager triggers and variables at the paths of Piwik PRO's archived reference (not in the published files):
a new container's built-in variables and "All page views" trigger, a trigger made with conditions, the errors."""

from __future__ import annotations

from typing import Any

from piwik_emulator.tag_triggers import BUILT_IN_VARIABLES
from tests.fixtures.emulator import Emulator

from .conftest import new_app


def _variables(emulator: Emulator, app_id: str) -> dict[str, str]:
    response = emulator.api("GET", f"/api/tag/v1/{app_id}/variables")
    assert response.status_code == 200, response.text
    return {v["attributes"]["name"]: v["id"] for v in response.json()["data"]}


def _trigger(emulator: Emulator, app_id: str, **attributes: Any) -> Any:
    return emulator.api(
        "POST", f"/api/tag/v1/{app_id}/triggers", json={"data": {"type": "trigger", "attributes": attributes}}
    )


def test_a_new_container_has_its_built_in_variables_and_the_page_view_trigger_of_its_piwik_tag(
    emulator: Emulator,
) -> None:
    app_id = new_app(emulator)["id"]
    variables = _variables(emulator, app_id)
    assert list(variables) == list(BUILT_IN_VARIABLES)
    one = emulator.api("GET", f"/api/tag/v1/{app_id}/variables/{variables['Campaign']}").json()["data"]
    assert one["attributes"] == {"name": "Campaign", "variable_type": "built_in", "is_published": True}
    tag = emulator.api("GET", f"/api/tag/v1/{app_id}/tags").json()["data"][0]
    trigger_id = emulator.api("GET", f"/api/tag/v1/{app_id}/tags/{tag['id']}").json()["data"]["relationships"][
        "triggers"
    ]["data"][0]["id"]
    trigger = emulator.api("GET", f"/api/tag/v1/{app_id}/triggers/{trigger_id}").json()["data"]
    assert (trigger["attributes"]["name"], trigger["attributes"]["trigger_type"]) == ("All page views", "page_view")
    assert trigger["attributes"]["conditions"] == []
    assert trigger["relationships"]["tags"]["data"] == [{"id": tag["id"], "type": "tag"}]


def test_a_trigger_with_conditions_is_made_and_read_back(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    source = _variables(emulator, app_id)["Traffic source"]
    condition = {"variable_id": source, "condition_type": "equals", "value": "campaign"}
    made = _trigger(emulator, app_id, name="From campaigns", trigger_type="page_view", conditions=[condition])
    assert made.status_code == 201, made.text
    read = emulator.api("GET", f"/api/tag/v1/{app_id}/triggers/{made.json()['data']['id']}").json()["data"]
    (stored,) = read["attributes"]["conditions"]
    assert {k: stored[k] for k in ("variable_id", "condition_type", "value", "options")} == {
        **condition,
        "options": {},
    }
    assert stored["condition_id"]  # given one when the request has none
    listed = emulator.api("GET", f"/api/tag/v1/{app_id}/triggers").json()
    assert listed["meta"]["total"] == 2 and read in listed["data"]
    draft = emulator.api("GET", f"/api/tag/v1/{app_id}/versions/draft").json()["data"]["attributes"]
    assert draft["has_changes"] is True
    assert read["attributes"]["is_published"] is False  # in the draft only, until a publish


def test_a_publish_publishes_the_drafts_triggers_too(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    made = _trigger(emulator, app_id, name="Later", trigger_type="page_view", conditions=[])
    assert made.status_code == 201, made.text
    published = emulator.api("POST", f"/api/tag/v1/{app_id}/versions/draft/publish")
    assert published.status_code in (200, 202), published.text
    listed = emulator.api("GET", f"/api/tag/v1/{app_id}/triggers").json()["data"]
    assert {t["attributes"]["name"]: t["attributes"]["is_published"] for t in listed} == {
        "All page views": True,
        "Later": True,
    }


def test_bad_triggers_are_refused_and_unknown_ones_are_not_found(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    assert _trigger(emulator, app_id, trigger_type="page_view").status_code == 400  # no name
    assert _trigger(emulator, app_id, name="x", trigger_type="scroll_everywhere").status_code == 400
    unknown = {"variable_id": "00000000-0000-4000-8000-000000000000", "condition_type": "equals"}
    refused = _trigger(emulator, app_id, name="x", trigger_type="click", conditions=[unknown])
    assert refused.status_code == 400 and "There is no variable with given identifier" in refused.text
    source = _variables(emulator, app_id)["Traffic source"]
    bad_type = _trigger(emulator, app_id, name="x", trigger_type="click", conditions=[{"variable_id": source}])
    assert bad_type.status_code == 400 and "condition_type must be one of" in bad_type.text
    missing = emulator.api("GET", f"/api/tag/v1/{app_id}/triggers/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and missing.json()["errors"][0]["code"] == "NOT_FOUND_ERROR"
