"""Contract tests: the spec files' request examples are accepted, the spec's defaults are the emulator's,
and the one spec defect the response check works around (tag `oneOf`) is real.

Every response in tests/emulator/* is validated by the autouse hook in conftest.py; the last test here
reports that coverage so a silently unvalidated area shows up as a failure.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

from piwik_emulator import apps, tag_manager, tracker_settings
from tests.fixtures.emulator import Emulator

from .conftest import new_app
from .contract import HOST_URL, ContractRecorder, raw_specs

TAGS_FILE = "api_tag_v1_{app_id}_tags.json"
TAG_FILE = "api_tag_v1_{app_id}_tags_{tag_id}.json"


def _media(file: str, path: str, method: str) -> dict[str, Any]:
    media: dict[str, Any] = raw_specs()[file]["paths"][path][method]["requestBody"]["content"][
        "application/vnd.api+json"
    ]
    return media


def _request_examples() -> list[tuple[str, str, str, Any]]:
    """(file, method, example name, body) for every `requestBody.content.*.example(s)` in the files."""
    found = []
    for file, document in raw_specs().items():
        for item in document["paths"].values():
            for method, operation in item.items():
                if not isinstance(operation, dict):
                    continue
                for media in operation.get("requestBody", {}).get("content", {}).values():
                    if "example" in media:
                        found.append((file, method, "example", media["example"]))
                    for name, example in media.get("examples", {}).items():
                        found.append((file, method, name, example["value"]))
    return found


def test_the_spec_files_hold_these_request_examples() -> None:
    names = {(file, method, name) for file, method, name, _ in _request_examples()}
    assert names == {
        (TAGS_FILE, "post", "Custom tag"),
        (TAGS_FILE, "post", "Custom tag with triggers"),
        (TAGS_FILE, "post", "A/B tasty template"),
        (TAGS_FILE, "patch", "example"),
        (TAG_FILE, "patch", "example"),
        # The PATCH of an app's container settings is not served (docs/emulator.md): its example is not sent.
        ("api_container-settings_v1_app_{app_id}_settings.json", "patch", "example"),
    }


def test_request_examples_are_accepted(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    base = f"/api/tag/v1/{app_id}/tags"
    piwik = emulator.api("GET", base).json()["data"][0]["id"]
    trigger = emulator.api("GET", f"{base}/{piwik}").json()["data"]["relationships"]["triggers"]["data"][0]["id"]
    created: list[str] = []
    for file, method, name, example in _request_examples():
        body = copy.deepcopy(example)
        if file == TAGS_FILE and method == "post":
            for relation in body["data"].get("relationships", {}).get("triggers", {}).get("data", []):
                relation["id"] = trigger  # the example's trigger id -> the app's "All page views" trigger
            response = emulator.api("POST", base, json=body)
            assert response.status_code == 201, (name, response.text)
            created.append(response.json()["data"]["id"])
    for file, method, _name, example in _request_examples():
        body = copy.deepcopy(example)
        if file == TAGS_FILE and method == "patch":
            for item, tag_id in zip(body["data"], created, strict=False):
                item["id"] = tag_id
            response = emulator.api("PATCH", base, json=body)
            assert response.status_code == 204, response.text
        if file == TAG_FILE:
            body["data"]["id"] = created[-1]
            response = emulator.api("PATCH", f"{base}/{created[-1]}", json=body)
            assert response.status_code == 204, response.text
            tag = emulator.api("GET", f"{base}/{created[-1]}").json()["data"]["attributes"]
            assert tag["name"] == example["data"]["attributes"]["name"]


def _example_of(schema: dict[str, Any], *, required: bool = False) -> Any:
    """A value built from the schema's own `example`s (then `default`, single enum, or a type default
    for required properties without any of them)."""
    if "example" in schema:
        return schema["example"]
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    if "allOf" in schema or "properties" in schema:
        merged: dict[str, Any] = {}
        needed = set(schema.get("required", []))
        for part in schema.get("allOf", []):
            needed |= set(part.get("required", []))
            value = _example_of(part)
            if isinstance(value, dict):
                for key, sub in value.items():
                    merged[key] = {**merged[key], **sub} if isinstance(sub, dict) and key in merged else sub
        for key, sub in schema.get("properties", {}).items():
            if sub.get("readOnly"):
                continue
            value = _example_of(sub, required=key in needed)
            if value is not None:
                merged[key] = {**merged.get(key, {}), **value} if isinstance(value, dict) else value
        return merged
    if schema.get("type") == "array" and "items" in schema:
        item = _example_of(schema["items"], required=True)
        return [] if item is None else [item]
    if required:
        return {"boolean": False, "integer": schema.get("minimum", 1), "string": "x"}.get(schema.get("type", ""))
    return None


def _composite(file: str, path: str, method: str) -> dict[str, Any]:
    body = _example_of(_media(file, path, method)["schema"])
    assert isinstance(body, dict)
    return body


def test_composite_examples_of_the_files_are_accepted(emulator: Emulator) -> None:
    """Bodies assembled from the property examples of each request schema the emulator serves."""
    app_body = _composite("api_apps_v2.json", "/api/apps/v2", "post")
    response = emulator.api("POST", "/api/apps/v2", json=app_body)
    assert response.status_code == 201, response.text
    app_id = response.json()["data"]["id"]

    patch = _composite("api_apps_v2_{app_id}.json", "/api/apps/v2/{app_id}", "patch")
    patch["data"]["id"] = app_id
    assert emulator.api("PATCH", f"/api/apps/v2/{app_id}", json=patch).status_code == 204

    glob = _composite("api_tracker_v2_settings_app_global.json", "/api/tracker/v2/settings/app/global", "patch")
    assert emulator.api("PATCH", "/api/tracker/v2/settings/app/global", json=glob).status_code == 204

    app_settings = _composite(
        "api_tracker_v2_settings_app_{app_id}.json", "/api/tracker/v2/settings/app/{app_id}", "patch"
    )
    app_settings["data"]["id"] = app_id
    response = emulator.api("PATCH", f"/api/tracker/v2/settings/app/{app_id}", json=app_settings)
    assert response.status_code == 204, response.text

    dimension = _composite(
        "api_analytics_v1_manage_custom-dimensions.json", "/api/analytics/v1/manage/custom-dimensions/", "post"
    )
    dimension["data"]["attributes"]["website_id"] = app_id
    response = emulator.api("POST", "/api/analytics/v1/manage/custom-dimensions/", json=dimension)
    assert response.status_code == 201, response.text
    dimension_id = response.json()["data"]["id"]

    replace = _composite(
        "api_analytics_v1_manage_custom-dimensions_{id}.json", "/api/analytics/v1/manage/custom-dimensions/{id}/", "put"
    )
    replace["data"]["id"] = dimension_id
    replace["data"]["attributes"]["website_id"] = app_id
    response = emulator.api("PUT", f"/api/analytics/v1/manage/custom-dimensions/{dimension_id}/", json=replace)
    assert response.status_code == 200, response.text


def test_tag_response_one_of_is_ambiguous_in_the_published_file(emulator: Emulator) -> None:
    """Why contract.py validates tag responses with anyOf: a custom tag matches several oneOf variants."""
    app_id = new_app(emulator)["id"]
    body = {
        "data": {
            "type": "tag",
            "attributes": {"name": "c", "template": "custom_tag", "code": "<p>", "consent_type": "analytics"},
        }
    }
    response = emulator.api("POST", f"/api/tag/v1/{app_id}/tags", json=body)
    assert response.status_code == 201
    unmodified = OpenAPI.from_dict(raw_specs()[TAGS_FILE])
    request = MockRequest(HOST_URL, "post", f"/api/tag/v1/{app_id}/tags", path_pattern="/api/tag/v1/{app_id}/tags")
    mock = MockResponse(response.content, status_code=201, content_type=response.headers["content-type"])
    with pytest.raises(Exception) as failure:
        unmodified.validate_response(request, mock)
    assert re.search(
        r"valid under each of|is valid under", repr(failure.value.__cause__) + str(failure.value.__cause__)
    )


def _initial_global_values() -> dict[str, Any]:
    path = "/api/tracker/v2/settings/app/global"
    schema = raw_specs()["api_tracker_v2_settings_app_global.json"]["paths"][path]["get"]["responses"]["200"]
    props = schema["content"]["application/vnd.api+json"]["schema"]["properties"]["data"]["properties"]
    values: dict[str, Any] = {}
    for name, prop in props["attributes"]["properties"].items():
        found = re.search(r"Initial global value[^:]*:\s*(.*?)\s*```", prop.get("description", ""), re.S)
        if not found:
            continue
        text = found.group(1).strip()
        if text.startswith("["):
            values[name] = [item.strip() for item in text.strip("[]").split(",") if item.strip()]
        elif text in ("true", "false"):
            values[name] = text == "true"
        elif text.isdigit():
            values[name] = int(text)
        else:
            values[name] = text
    return values


def test_emulator_defaults_are_the_spec_defaults() -> None:
    assert _initial_global_values() == tracker_settings.GLOBAL_INITIAL
    path = "/api/apps/v2"
    schema = _media("api_apps_v2.json", path, "post")["schema"]["properties"]["data"]["properties"]["attributes"]
    spec_defaults = {
        name: prop["default"]
        for part in schema["allOf"]
        for name, prop in part["properties"].items()
        if "default" in prop and name != "appType"
    }
    ours = {**apps.APP_DEFAULTS, **apps.SHARED_SPEC_DEFAULTS}
    assert {k: ours[k] for k in spec_defaults} == spec_defaults
    assert set(ours) - set(spec_defaults) == {"timezone", "currency"}  # no default in the spec (see apps.py)
    setting_enum = raw_specs()["api_tracker_v2_settings_app_{app_id}_{setting}.json"]["paths"][
        "/api/tracker/v2/settings/app/{app_id}/{setting}"
    ]["delete"]["parameters"][1]["schema"]["enum"]
    assert set(setting_enum) == set(tracker_settings.APP_SETTINGS)
    tag_list = raw_specs()[TAGS_FILE]["paths"]["/api/tag/v1/{app_id}/tags"]["get"]["parameters"]
    template_enum = next(p for p in tag_list if p["name"] == "filter[template]")["schema"]["enum"]
    assert template_enum == tag_manager.TEMPLATES


def test_tag_template_option_defaults_are_the_spec_defaults() -> None:
    """Per template variant of the create and edit request schemas: the `default`s of its template_options."""
    for file, method, path in (
        (TAGS_FILE, "post", "/api/tag/v1/{app_id}/tags"),
        ("api_tag_v1_{app_id}_tags_{tag_id}.json", "patch", "/api/tag/v1/{app_id}/tags/{tag_id}"),
    ):
        variants = _media(file, path, method)["schema"]["oneOf"]
        spec: dict[str, dict[str, Any]] = {}
        for variant in variants:
            options = variant["properties"]["data"]["properties"]["attributes"]["properties"].get("template_options")
            found = {k: p["default"] for k, p in (options or {}).get("properties", {}).items() if "default" in p}
            if found:
                spec[variant["title"]] = found
        # Variants are titled, not discriminated by template; the one with defaults is the Piwik PRO tag's.
        assert spec == {"Piwik PRO tag": tag_manager.TEMPLATE_OPTION_DEFAULTS["piwik"]}, (file, spec)
    assert set(tag_manager.TEMPLATE_OPTION_DEFAULTS) == {"piwik"}


def _tour(emulator: Emulator) -> None:
    """One successful call of every route the emulator serves."""
    app_id = new_app(emulator)["id"]
    emulator.api("GET", "/api/apps/v2")
    emulator.api("GET", f"/api/apps/v2/{app_id}")
    emulator.api("PATCH", f"/api/apps/v2/{app_id}", json={"data": {"type": "ppms/app", "id": app_id, "attributes": {}}})
    ts = "/api/tracker/v2/settings/app"
    emulator.api("GET", f"{ts}/global")
    emulator.api(
        "PATCH",
        f"{ts}/global",
        json={"data": {"type": "tracker/settings/app/global", "id": "global", "attributes": {}}},
    )
    emulator.api("GET", f"{ts}/url", params={"app_url": "https://shop.example"})
    emulator.api("GET", f"{ts}/{app_id}")
    emulator.api("PATCH", f"{ts}/{app_id}", json={"data": {"type": "tracker/settings/app", "id": app_id}})
    emulator.api("DELETE", f"{ts}/{app_id}/excluded_ips")
    tm = f"/api/tag/v1/{app_id}"
    tag = {
        "data": {
            "type": "tag",
            "attributes": {"name": "t", "template": "custom_tag", "code": "<p>", "consent_type": "analytics"},
        }
    }
    tag_id = emulator.api("POST", f"{tm}/tags", json=tag).json()["data"]["id"]
    emulator.api("GET", f"{tm}/tags")
    emulator.api("PATCH", f"{tm}/tags", json={"data": [{"type": "tag", "id": tag_id, "attributes": {"priority": 1}}]})
    emulator.api("GET", f"{tm}/tags/{tag_id}")
    emulator.api("PATCH", f"{tm}/tags/{tag_id}", json={"data": {"type": "tag", "id": tag_id, "attributes": {}}})
    emulator.api("DELETE", f"{tm}/tags/{tag_id}")
    emulator.api("GET", f"{tm}/versions")
    emulator.api("GET", f"{tm}/versions/draft")
    version_id = emulator.api("GET", f"{tm}/versions/published").json()["data"]["id"]
    emulator.api("GET", f"{tm}/versions/{version_id}")
    operation = emulator.api("POST", f"{tm}/versions/draft/publish").json()["data"]["relationships"]["operation"]
    for _ in range(2):
        emulator.api("GET", f"{tm}/operations/{operation['data']['id']}")
    cd = "/api/analytics/v1/manage/custom-dimensions"
    dimension = {
        "data": {
            "type": "CustomDimension",
            "attributes": {
                "website_id": app_id,
                "name": "d",
                "active": True,
                "case_sensitive": False,
                "scope": "event",
            },
        }
    }
    created = emulator.api("POST", f"{cd}/", json=dimension).json()["data"]
    emulator.api("GET", f"{cd}/", params={"website_id": app_id})
    emulator.api("GET", f"{cd}/slots/", params={"website_id": app_id})
    emulator.api("GET", f"{cd}/{created['id']}/", params={"website_id": app_id})
    emulator.api("PUT", f"{cd}/{created['id']}/", json={"data": created})
    emulator.api("GET", f"/api/container-settings/v1/organization/{emulator.organization}/opt-out-code")
    emulator.api("GET", f"/api/container-settings/v1/app/{app_id}/installation-code")
    emulator.api("GET", f"/api/container-settings/v1/app/{app_id}/settings")
    emulator.api("DELETE", f"/api/apps/v2/{app_id}")
    emulator.api("GET", "/api/audit-log/v1/entries", params={"limit": 100})


def test_every_served_path_is_validated(emulator: Emulator, contract: ContractRecorder) -> None:
    """A tour of every route; each of its responses went through the OpenAPI check (conftest hook)."""
    from piwik_emulator.router import ROUTES

    before = len(contract.validated)
    _tour(emulator)
    seen = contract.validated[before:]
    assert all(int(label.rsplit(" ", 1)[1]) < 300 for label in seen), seen
    missing = []
    for method, template, _ in ROUTES:
        if template.startswith("/api/consent-manager") or "/triggers" in template or "/variables" in template:
            continue  # the emulator's own and the archived reference's paths: tested by their own tests
        regex = re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$")
        if not any(label.split(" ")[0] == method and regex.match(label.split(" ")[1]) for label in seen):
            missing.append(f"{method} {template}")
    assert not missing, f"no validated response for: {sorted(missing)}"
    assert not contract.violations
