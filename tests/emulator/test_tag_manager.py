"""Tag Manager: the container of a new app, tags CRUD and filters, draft changes, publishing, versions."""

from __future__ import annotations

from typing import Any

from tests.fixtures.emulator import Emulator

from .conftest import new_app


def _tags(emulator: Emulator, app_id: str, **params: Any) -> dict[str, Any]:
    response = emulator.api("GET", f"/api/tag/v1/{app_id}/tags", params=params)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _create_tag(emulator: Emulator, app_id: str, **attributes: Any) -> str:
    body = {"data": {"type": "tag", "attributes": attributes}}
    response = emulator.api("POST", f"/api/tag/v1/{app_id}/tags", json=body)
    assert response.status_code == 201, response.text
    tag_id: str = response.json()["data"]["id"]
    return tag_id


def _custom(emulator: Emulator, app_id: str, name: str, **extra: Any) -> str:
    return _create_tag(
        emulator,
        app_id,
        name=name,
        template="custom_tag",
        code="<script></script>",
        consent_type="marketing_automation",
        **extra,
    )


def test_new_app_has_published_piwik_tag_and_trigger(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    listing = _tags(emulator, app_id)
    assert listing["meta"]["total"] == 1
    tag = listing["data"][0]
    assert tag["attributes"]["name"] == "Piwik PRO"
    assert tag["attributes"]["template"] == "piwik"
    assert tag["attributes"]["consent_type"] == "analytics"
    assert tag["attributes"]["is_published"] is True
    full = emulator.api("GET", f"/api/tag/v1/{app_id}/tags/{tag['id']}").json()["data"]
    assert len(full["relationships"]["triggers"]["data"]) == 1
    assert full["attributes"]["template_options"]["tracker_site_id"] == app_id
    published = emulator.api("GET", f"/api/tag/v1/{app_id}/versions/published").json()["data"]["attributes"]
    assert (published["version_major"], published["version_minor"]) == (1, 0)
    draft = emulator.api("GET", f"/api/tag/v1/{app_id}/versions/draft").json()["data"]["attributes"]
    assert draft["has_changes"] is False


def test_tag_crud_and_create_only_fields(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    tag_id = _custom(emulator, app_id, "Custom")
    tag = emulator.api("GET", f"/api/tag/v1/{app_id}/tags/{tag_id}").json()["data"]
    assert tag["attributes"]["is_active"] is True
    assert tag["attributes"]["priority"] == 0
    patch = {"data": {"type": "tag", "id": tag_id, "attributes": {"name": "Renamed", "priority": 5}}}
    response = emulator.api("PATCH", f"/api/tag/v1/{app_id}/tags/{tag_id}", json=patch)
    assert response.status_code == 204
    tag = emulator.api("GET", f"/api/tag/v1/{app_id}/tags/{tag_id}").json()["data"]
    assert (tag["attributes"]["name"], tag["attributes"]["priority"]) == ("Renamed", 5)
    assert tag["attributes"]["consent_type"] == "marketing_automation"

    # template and tag_type are create-only; a custom tag has no template_options at all (its published variants)
    for field, value in (("template", "piwik"), ("tag_type", "sync"), ("template_options", {})):
        patch = {"data": {"type": "tag", "id": tag_id, "attributes": {field: value}}}
        refused = emulator.api("PATCH", f"/api/tag/v1/{app_id}/tags/{tag_id}", json=patch)
        assert refused.status_code == 400
        error = refused.json()["errors"][0]
        assert error["code"] == "INVALID_JSON_ERROR"
        assert error["meta"]["keyword"] == "additionalProperties"

    mismatch = {"data": {"type": "tag", "id": "11111111-2222-3333-4444-555555555555", "attributes": {"name": "x"}}}
    assert emulator.api("PATCH", f"/api/tag/v1/{app_id}/tags/{tag_id}", json=mismatch).status_code == 409

    assert emulator.api("DELETE", f"/api/tag/v1/{app_id}/tags/{tag_id}").status_code == 204
    missing = emulator.api("GET", f"/api/tag/v1/{app_id}/tags/{tag_id}")
    assert missing.status_code == 404
    assert missing.json()["errors"][0] == {
        "code": "NOT_FOUND_ERROR",
        "detail": f"There is no tag with given identifier: {tag_id}",
        "source": {"parameter": "tag_id"},
    }


def test_create_validation(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    cases = [
        ({"name": "x", "template": "custom_tag", "code": "<p>", "consent_type": "require_consent"}, "consent_type"),
        ({"name": "x", "template": "nope", "template_options": {}}, "template"),
        ({"name": "", "template": "piwik", "template_options": {}}, "name"),
        ({"name": "x", "template": "piwik", "template_options": {"link_tracking": "yes"}}, "link_tracking"),
        ({"name": "x", "template": "piwik"}, "/data/attributes"),
        # the published custom-tag variant has no template_options property, not even an empty one
        (
            {"name": "x", "template": "custom_tag", "code": "<p>", "consent_type": "analytics", "template_options": {}},
            "/data/attributes",
        ),
    ]
    for attributes, where in cases:
        response = emulator.api(
            "POST", f"/api/tag/v1/{app_id}/tags", json={"data": {"type": "tag", "attributes": attributes}}
        )
        assert response.status_code == 400, attributes
        assert where in response.json()["errors"][0]["source"]["pointer"]
    assert _tags(emulator, app_id)["meta"]["total"] == 1


def test_list_filters_sort_and_pagination(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    _custom(emulator, app_id, "Beta", is_active=False)
    _custom(emulator, app_id, "Alpha", priority=3)
    _create_tag(emulator, app_id, name="Goal", template="piwik_goal_conversion", template_options={"id": "g1"})
    assert _tags(emulator, app_id)["meta"]["total"] == 4
    assert [t["attributes"]["name"] for t in _tags(emulator, app_id, **{"filter[template]": "piwik"})["data"]] == [
        "Piwik PRO"
    ]
    inactive = _tags(emulator, app_id, **{"filter[is_active]": "false"})
    assert [t["attributes"]["name"] for t in inactive["data"]] == ["Beta"]
    assert _tags(emulator, app_id, **{"filter[name]": "alp"})["meta"]["total"] == 1
    assert _tags(emulator, app_id, **{"filter[is_prioritized]": "true"})["meta"]["total"] == 1
    names = [t["attributes"]["name"] for t in _tags(emulator, app_id, sort="name")["data"]]
    assert names == ["Alpha", "Beta", "Goal", "Piwik PRO"]
    page = _tags(emulator, app_id, sort="-name", **{"page[limit]": 2, "page[offset]": 1})
    assert [t["attributes"]["name"] for t in page["data"]] == ["Goal", "Beta"]
    assert page["meta"]["total"] == 4
    assert page["links"]["next"] is not None and page["links"]["prev"] is not None
    multi = emulator.api(
        "GET", f"/api/tag/v1/{app_id}/tags?filter[template][]=piwik&filter[template][]=piwik_goal_conversion"
    ).json()
    assert multi["meta"]["total"] == 2
    for item in page["data"]:
        assert set(item["attributes"]) == {
            "is_active",
            "is_published",
            "priority",
            "tag_type",
            "name",
            "consent_type",
            "template",
            "created_at",
            "updated_at",
        }


def test_edit_marks_unpublished_and_publish_flow(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    piwik = _tags(emulator, app_id, **{"filter[template]": "piwik"})["data"][0]
    before = emulator.api("GET", f"/api/tag/v1/{app_id}/versions/published").json()["data"]

    patch = {"data": {"type": "tag", "id": piwik["id"], "attributes": {"consent_type": "not_require_consent"}}}
    assert emulator.api("PATCH", f"/api/tag/v1/{app_id}/tags/{piwik['id']}", json=patch).status_code == 204
    tag = emulator.api("GET", f"/api/tag/v1/{app_id}/tags/{piwik['id']}").json()["data"]["attributes"]
    assert tag["is_published"] is False
    draft = emulator.api("GET", f"/api/tag/v1/{app_id}/versions/draft").json()["data"]
    assert draft["attributes"]["has_changes"] is True

    published = emulator.api("POST", f"/api/tag/v1/{app_id}/versions/draft/publish")
    assert published.status_code == 202
    operation = published.json()["data"]["relationships"]["operation"]["data"]
    assert operation["type"] == "operation"
    states = []
    for _ in range(5):
        body = emulator.api("GET", f"/api/tag/v1/{app_id}/operations/{operation['id']}").json()["data"]
        states.append(body["attributes"]["state"])
        if states[-1] == "completed":
            break
    assert states[-1] == "completed"
    assert body["attributes"]["operation_type"] == "publish/version"
    assert len(body["attributes"]["summary"]["versions"]) == 3

    tag = emulator.api("GET", f"/api/tag/v1/{app_id}/tags/{piwik['id']}").json()["data"]["attributes"]
    assert tag["is_published"] is True
    assert tag["consent_type"] == "not_require_consent"
    assert (
        emulator.api("GET", f"/api/tag/v1/{app_id}/versions/draft").json()["data"]["attributes"]["has_changes"] is False
    )
    after = emulator.api("GET", f"/api/tag/v1/{app_id}/versions/published").json()["data"]
    assert after["id"] != before["id"]
    assert after["attributes"]["version_major"] == before["attributes"]["version_major"] + 1
    assert after["attributes"]["parent_id"] == before["id"]
    historic = emulator.api("GET", f"/api/tag/v1/{app_id}/versions/{before['id']}").json()["data"]["attributes"]
    assert historic["version_type"] == "historic"
    versions = emulator.api("GET", f"/api/tag/v1/{app_id}/versions", params={"filter[version_type]": "historic"})
    assert versions.json()["meta"]["total"] == 1


def test_create_and_delete_change_the_draft(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    tag_id = _custom(emulator, app_id, "New")
    assert (
        emulator.api("GET", f"/api/tag/v1/{app_id}/tags/{tag_id}").json()["data"]["attributes"]["is_published"] is False
    )
    emulator.api("POST", f"/api/tag/v1/{app_id}/versions/draft/publish")
    assert emulator.api("DELETE", f"/api/tag/v1/{app_id}/tags/{tag_id}").status_code == 204
    assert (
        emulator.api("GET", f"/api/tag/v1/{app_id}/versions/draft").json()["data"]["attributes"]["has_changes"] is True
    )


def test_bulk_priority_and_unknown_app(emulator: Emulator) -> None:
    app_id = new_app(emulator)["id"]
    first, second = _custom(emulator, app_id, "A"), _custom(emulator, app_id, "B")
    body = {
        "data": [
            {"type": "tag", "id": first, "attributes": {"priority": 2}},
            {"type": "tag", "id": second, "attributes": {"priority": 1}},
        ]
    }
    assert emulator.api("PATCH", f"/api/tag/v1/{app_id}/tags", json=body).status_code == 204
    names = [t["attributes"]["name"] for t in _tags(emulator, app_id, sort="-priority")["data"]]
    assert names[:2] == ["A", "B"]
    unknown = "5c39070d-9e0b-40a2-ae56-392f05711f74"
    response = emulator.api("GET", f"/api/tag/v1/{unknown}/tags")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [
            {
                "code": "NOT_FOUND_ERROR",
                "detail": f"There is no application with given identifier: {unknown}",
                "source": {"parameter": "app_id"},
            }
        ]
    }
    assert (
        emulator.api("GET", "/api/tag/v1/not-a-uuid/tags").json()["errors"][0]["code"] == "INVALID_URI_PARAMETER_ERROR"
    )


def test_piwik_tag_privacy_options_round_trip(emulator: Emulator) -> None:
    """The options CnilExemptSite sets on the Piwik PRO tag are stored as sent, replaced as a whole by a PATCH, and
    typed as the spec says (visitor_cookie_timeout an integer, cross_domain_tracking a boolean, user_id non-empty);
    the read-only tracker_* options of a GET cannot be sent back."""
    app_id = new_app(emulator)["id"]
    tag_id = _tags(emulator, app_id)["data"][0]["id"]
    path = f"/api/tag/v1/{app_id}/tags/{tag_id}"
    options = {"visitor_cookie_timeout": 33_696_000, "cross_domain_tracking": False, "link_tracking": True}
    body = {"data": {"type": "tag", "id": tag_id, "attributes": {"template_options": options}}}
    assert emulator.api("PATCH", path, json=body).status_code == 204
    body = {"data": {"type": "tag", "id": tag_id, "attributes": {"respect_visitors_privacy": False}}}
    assert emulator.api("PATCH", path, json=body).status_code == 204
    attributes = emulator.api("GET", path).json()["data"]["attributes"]
    assert attributes["respect_visitors_privacy"] is False
    assert attributes["template_options"]["visitor_cookie_timeout"] == 33_696_000
    assert attributes["template_options"]["cross_domain_tracking"] is False
    assert attributes["is_published"] is False

    # A PATCH of template_options replaces the object: the cookie timeout not sent again is gone.
    body = {"data": {"type": "tag", "id": tag_id, "attributes": {"template_options": {"cross_domain_tracking": True}}}}
    assert emulator.api("PATCH", path, json=body).status_code == 204
    after = emulator.api("GET", path).json()["data"]["attributes"]["template_options"]
    assert "visitor_cookie_timeout" not in after and after["cross_domain_tracking"] is True

    for bad, keyword in (
        ({"visitor_cookie_timeout": "13 months"}, "type"),
        ({"visitor_cookie_timeout": True}, "type"),
        ({"cross_domain_tracking": "no"}, "type"),
        ({"user_id": ""}, "minLength"),
        ({"tracker_site_id": app_id}, "additionalProperties"),
    ):
        body = {"data": {"type": "tag", "id": tag_id, "attributes": {"template_options": bad}}}
        refused = emulator.api("PATCH", path, json=body)
        assert refused.status_code == 400, bad
        assert refused.json()["errors"][0]["meta"]["keyword"] == keyword, bad
