"""Request shapes of every service call (paths, headers, JSON:API bodies) and response parsing."""

from __future__ import annotations

import httpx
import pytest

from piwik_resources.api import (
    App,
    AppAttributes,
    ConsentTemplateApiUnavailable,
    CustomDimensionAttributes,
    NotFoundError,
    OperationFailedError,
    OperationTimeoutError,
    PiwikError,
    TagAttributes,
    TriggersApiUnavailable,
)

from ._fake import FakeClock, FakePiwik, body_of, jsonapi, paths, resource

APP = "985ed9d7-b652-47b8-b9cf-c17d62735261"
JSONAPI = "application/vnd.api+json"


def full_app(**over: object) -> dict[str, object]:
    attrs = {
        "name": "Shop",
        "urls": ["https://shop.example"],
        "timezone": "Europe/Paris",
        "currency": "EUR",
        "excludeUnknownUrls": True,
        "eCommerceTracking": False,
        "gdprDataAnonymizationMode": "no_device_storage",
        "privacyCookieExpirationPeriod": 31536000,
        "organization": "acme",
        "appType": "web",
        "addedAt": "2025-07-01T10:00:00+00:00",
        "updatedAt": "2025-07-02T10:00:00+00:00",
        "someFutureAttribute": {"x": 1},
    }
    attrs.update(over)
    return resource("ppms/app", APP, **attrs)


# --- apps ---------------------------------------------------------------------------------------------------


def test_apps_get_parses_camel_case_into_snake_case() -> None:
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", jsonapi(200, full_app()))
    with fake.client() as client:
        app = client.apps.get(APP)
    assert isinstance(app, App)
    assert app.id == APP and app.exclude_unknown_urls is True and app.e_commerce_tracking is False
    assert app.gdpr_data_anonymization_mode == "no_device_storage"
    assert app.organization == "acme" and app.added_at is not None and app.added_at.year == 2025
    assert app.model_extra == {"someFutureAttribute": {"x": 1}}
    request = fake.api_requests()[0]
    assert request.headers["Accept"].startswith(JSONAPI)
    assert "Content-Type" not in request.headers


def test_apps_create_sends_aliases_only_what_was_set_and_chosen_id() -> None:
    fake = FakePiwik().on("POST", "/api/apps/v2", jsonapi(201, full_app()))
    attrs = AppAttributes(name="Shop", urls=["https://shop.example"], gdpr=True, cnil=True, e_commerce_tracking=False)
    with fake.client() as client:
        app = client.apps.create(attrs, app_id=APP)
    assert app.name == "Shop"
    request = fake.api_requests()[0]
    assert request.headers["Content-Type"] == JSONAPI
    assert body_of(request) == {
        "data": {
            "type": "ppms/app",
            "attributes": {
                "name": "Shop",
                "urls": ["https://shop.example"],
                "gdpr": True,
                "cnil": True,
                "eCommerceTracking": False,
                "id": APP,
            },
        }
    }


def test_apps_create_from_mapping_accepts_both_spellings() -> None:
    fake = FakePiwik().on("POST", "/api/apps/v2", jsonapi(201, full_app()))
    with fake.client() as client:
        client.apps.create({"name": "Shop", "urls": [], "excludeUnknownUrls": True, "keep_url_fragment": False})
    attrs = body_of(fake.api_requests()[0])["data"]["attributes"]
    assert attrs == {"name": "Shop", "urls": [], "excludeUnknownUrls": True, "keepUrlFragment": False}


def test_apps_update_patches_only_changes_with_id() -> None:
    fake = FakePiwik().on("PATCH", f"/api/apps/v2/{APP}", httpx.Response(204))
    with fake.client() as client:
        client.apps.update(APP, {"gdpr_data_anonymization_mode": "no_device_storage", "privacyCookieDomains": []})
        client.apps.update(APP, {})  # nothing changed: nothing sent
    [request] = fake.api_requests()
    assert request.headers["Content-Type"] == JSONAPI
    assert body_of(request) == {
        "data": {
            "type": "ppms/app",
            "id": APP,
            "attributes": {"gdprDataAnonymizationMode": "no_device_storage", "privacyCookieDomains": []},
        }
    }


def test_apps_update_refuses_unknown_and_create_only_fields_before_sending() -> None:
    fake = FakePiwik()
    with fake.client() as client:
        with pytest.raises(ValueError, match=r"unknown app attribute.*'colour'.*accepted:.*excludeUnknownUrls"):
            client.apps.update(APP, {"colour": "red"})
        with pytest.raises(ValueError, match="appType"):
            client.apps.update(APP, {"app_type": "sharepoint"})
    assert fake.requests == []


def test_apps_list_paginates() -> None:
    def page(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        limit = int(request.url.params["limit"])
        items = [
            {"type": "ppms/app", "id": f"app-{i}", "attributes": {"name": f"App {i}", "addedAt": None}}
            for i in range(offset, min(offset + limit, 250))
        ]
        return jsonapi(200, {"meta": {"total": 250}, "data": items})

    fake = FakePiwik().on("GET", "/api/apps/v2", page)
    with fake.client() as client:
        apps = list(client.apps.list(search="App"))
        assert client.stats["GET /api/apps/v2"] == 3
    assert [a.id for a in apps] == [f"app-{i}" for i in range(250)]
    offsets = [r.url.params["offset"] for r in fake.api_requests()]
    assert offsets == ["0", "100", "200"]
    assert all(r.url.params["search"] == "App" for r in fake.api_requests())


def test_apps_delete() -> None:
    fake = FakePiwik().on("DELETE", f"/api/apps/v2/{APP}", httpx.Response(204))
    with fake.client() as client:
        client.apps.delete(APP)
    assert paths(fake.api_requests()) == [f"DELETE /api/apps/v2/{APP}"]


# --- tracker settings ---------------------------------------------------------------------------------------


def test_tracker_settings_global_and_app() -> None:
    fake = (
        FakePiwik()
        .on(
            "GET",
            "/api/tracker/v2/settings/app/global",
            jsonapi(
                200,
                resource(
                    "tracker/settings/app/global",
                    "global",
                    anonymize_visitor_ip_level=2,
                    anonymize_visitor_geolocation_level="City",
                    updated_at="2025-07-01T10:00:00+00:00",
                    brand_new_setting=True,
                ),
            ),
        )
        .on("PATCH", "/api/tracker/v2/settings/app/global", httpx.Response(204))
        .on(
            "GET",
            f"/api/tracker/v2/settings/app/{APP}",
            jsonapi(200, resource("tracker/settings/app", APP, urls=["https://a.example"], exclude_unknown_urls=True)),
        )
        .on("PATCH", f"/api/tracker/v2/settings/app/{APP}", httpx.Response(204))
        .on("DELETE", f"/api/tracker/v2/settings/app/{APP}/anonymize_visitor_ip_level", httpx.Response(204))
    )
    with fake.client() as client:
        glob = client.tracker_settings.get_global()
        assert glob.anonymize_visitor_ip_level == 2 and glob.id == "global"
        client.tracker_settings.update_global({"anonymize_visitor_ip_level": 1})
        settings = client.tracker_settings.get_app(APP)
        assert settings.urls == ["https://a.example"] and settings.exclude_unknown_urls is True
        client.tracker_settings.update_app(APP, {"fingerprint_based_on_anonymized_ip": True})
        client.tracker_settings.reset_app_setting(APP, "anonymize_visitor_ip_level")
        with pytest.raises(ValueError, match="unknown tracker setting 'nope'"):
            client.tracker_settings.reset_app_setting(APP, "nope")
        with pytest.raises(ValueError, match="per app only"):
            client.tracker_settings.update_global({"urls": []})
    reqs = fake.api_requests()
    assert body_of(reqs[1]) == {
        "data": {"type": "tracker/settings/app/global", "id": "global", "attributes": {"anonymize_visitor_ip_level": 1}}
    }
    assert body_of(reqs[3]) == {
        "data": {
            "type": "tracker/settings/app",
            "id": APP,
            "attributes": {"fingerprint_based_on_anonymized_ip": True},
        }
    }
    assert len(reqs) == 5


# --- tags and versions --------------------------------------------------------------------------------------


#: What every tag read carries besides name, template and consent type (the spec requires it of list and get).
TAG_READ: dict[str, object] = {
    "is_active": True,
    "is_published": True,
    "priority": 0,
    "tag_type": "async",
    "created_at": "2025-07-01T10:00:00+00:00",
    "updated_at": "2025-07-01T10:00:00+00:00",
}


def tag_doc(tag_id: str = "t1", **attrs: object) -> dict[str, object]:
    base: dict[str, object] = {"name": "Piwik PRO", "template": "piwik", "consent_type": "analytics", **TAG_READ}
    base.update(attrs)
    doc = resource("tag", tag_id, **base)
    doc["data"]["relationships"] = {"triggers": {"data": [{"id": "trg1", "type": "trigger"}]}}  # type: ignore[index]
    return doc


def test_tags_crud_shapes() -> None:
    fake = (
        FakePiwik()
        .on("POST", f"/api/tag/v1/{APP}/tags", jsonapi(201, tag_doc()))
        .on("GET", f"/api/tag/v1/{APP}/tags/t1", jsonapi(200, tag_doc(is_published=False)))
        .on("PATCH", f"/api/tag/v1/{APP}/tags/t1", httpx.Response(204))
        .on("DELETE", f"/api/tag/v1/{APP}/tags/t1", httpx.Response(204))
    )
    with fake.client() as client:
        created = client.tags.create(
            APP, TagAttributes(name="Piwik PRO", template="piwik", consent_type="analytics", template_options={})
        )
        assert created.trigger_ids == ["trg1"]
        tag = client.tags.get(APP, "t1")
        assert tag.is_published is False and tag.consent_type == "analytics"
        client.tags.update(APP, "t1", {"consent_type": "analytics"})
        with pytest.raises(ValueError, match="template"):
            client.tags.update(APP, "t1", {"template": "custom_tag"})
        client.tags.delete(APP, "t1")
    reqs = fake.api_requests()
    assert body_of(reqs[0]) == {
        "data": {
            "type": "tag",
            "attributes": {
                "name": "Piwik PRO",
                "template": "piwik",
                "consent_type": "analytics",
                "template_options": {},
            },
        }
    }
    assert body_of(reqs[2]) == {"data": {"type": "tag", "id": "t1", "attributes": {"consent_type": "analytics"}}}
    assert len(reqs) == 4


def test_tags_list_paginates_and_filters() -> None:
    def page(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["page[offset]"])
        limit = int(request.url.params["page[limit]"])
        items = [
            {
                "type": "tag",
                "id": f"t{i}",
                "attributes": {"name": f"T{i}", "template": "piwik", "consent_type": "analytics", **TAG_READ},
            }
            for i in range(offset, min(offset + limit, 130))
        ]
        return jsonapi(200, {"meta": {"total": 130}, "links": {}, "data": items})

    fake = FakePiwik().on("GET", f"/api/tag/v1/{APP}/tags", page)
    with fake.client() as client:
        tags = client.tags.list(APP, template="piwik", name="T")
    assert len(tags) == 130
    reqs = fake.api_requests()
    assert [r.url.params["page[offset]"] for r in reqs] == ["0", "100"]
    assert reqs[0].url.params["filter[template]"] == "piwik" and reqs[0].url.params["filter[name]"] == "T"


def version_doc(kind: str, major: int) -> dict[str, object]:
    return resource(
        "version",
        f"v-{kind}",
        version_type=kind,
        has_changes=kind == "draft",
        version_major=major,
        version_minor=0,
        author=None,
        published_at=None,
        created_at="2025-07-01T10:00:00+00:00",
        updated_at="2025-07-01T10:00:00+00:00",
    )


def operation_doc(state: str, **extra: object) -> dict[str, object]:
    return resource(
        "operation",
        "op1",
        operation_type="publish/version",
        state=state,
        parameters={},
        summary=extra.get("summary", {}),
    )


PUBLISH_202 = jsonapi(
    202,
    {
        "data": {
            "id": "v-draft",
            "type": "version",
            "relationships": {"operation": {"data": {"id": "op1", "type": "operation"}}},
        }
    },
)


def test_versions_get_and_publish_polls_until_completed() -> None:
    clock = FakeClock()
    fake = (
        FakePiwik()
        .on("GET", f"/api/tag/v1/{APP}/versions/draft", jsonapi(200, version_doc("draft", 1)))
        .on("GET", f"/api/tag/v1/{APP}/versions/published", jsonapi(200, version_doc("published", 1)))
        .on("POST", f"/api/tag/v1/{APP}/versions/draft/publish", PUBLISH_202)
        .on(
            "GET",
            f"/api/tag/v1/{APP}/operations/op1",
            jsonapi(200, operation_doc("created")),
            jsonapi(200, operation_doc("started")),
            jsonapi(200, operation_doc("started")),
            jsonapi(200, operation_doc("completed")),
        )
    )
    with fake.client(clock=clock) as client:
        assert client.versions.get_draft(APP).has_changes is True
        assert client.versions.get_published(APP).number == "1.0"
        op = client.versions.publish_draft(APP)
    assert op.state == "completed" and op.done and op.version_id == "v-draft"
    assert clock.sleeps == [0.2, 0.4, 0.8]
    publish = fake.api_requests()[2]
    assert publish.content == b""


def test_publish_without_wait_returns_the_operation_reference() -> None:
    fake = FakePiwik().on("POST", f"/api/tag/v1/{APP}/versions/draft/publish", PUBLISH_202)
    with fake.client() as client:
        op = client.versions.publish_draft(APP, wait=False)
    assert op.id == "op1" and op.state == "created"
    assert len(fake.api_requests()) == 1


def test_publish_failed_operation() -> None:
    fake = (
        FakePiwik()
        .on("POST", f"/api/tag/v1/{APP}/versions/draft/publish", PUBLISH_202)
        .on(
            "GET",
            f"/api/tag/v1/{APP}/operations/op1",
            jsonapi(200, operation_doc("failed", summary={"errors": [{"detail": "Tag X is invalid"}]})),
        )
    )
    with fake.client() as client, pytest.raises(OperationFailedError, match="Tag X is invalid") as info:
        client.versions.publish_draft(APP)
    assert info.value.operation_id == "op1"


def test_publish_timeout_is_bounded_and_clear() -> None:
    clock = FakeClock()
    fake = (
        FakePiwik()
        .on("POST", f"/api/tag/v1/{APP}/versions/draft/publish", PUBLISH_202)
        .on("GET", f"/api/tag/v1/{APP}/operations/op1", jsonapi(200, operation_doc("started")))
    )
    with fake.client(clock=clock) as client, pytest.raises(OperationTimeoutError) as info:
        client.versions.publish_draft(APP, timeout=10)
    err = info.value
    assert err.state == "started" and err.timeout == 10 and err.operation_id == "op1"
    assert "still 'started' after 10 s" in str(err)
    assert sum(clock.sleeps) == pytest.approx(10)
    assert max(clock.sleeps) <= 2.0
    polls = [r for r in fake.api_requests() if r.method == "GET"]
    assert 5 <= len(polls) <= 12


def test_publish_answer_without_operation_is_clear() -> None:
    fake = FakePiwik().on(
        "POST", f"/api/tag/v1/{APP}/versions/draft/publish", jsonapi(202, {"data": {"id": "v", "type": "version"}})
    )
    with fake.client() as client, pytest.raises(PiwikError, match="no operation relationship"):
        client.versions.publish_draft(APP)


# --- custom dimensions --------------------------------------------------------------------------------------


def cd_doc(cd_id: str = "cd1", **over: object) -> dict[str, object]:
    attrs: dict[str, object] = {
        "website_id": APP,
        "name": "consent_state",
        "active": True,
        "case_sensitive": False,
        "scope": "session",
        "slot": 1,
        "tracking_id": 1,
        "extractions": [],
    }
    attrs.update(over)
    return resource("CustomDimension", cd_id, **attrs)


def test_custom_dimensions_shapes_with_trailing_slashes() -> None:
    def page(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        items = [cd_doc(f"cd{i}")["data"] for i in range(offset, min(offset + 100, 120))]
        return jsonapi(200, {"meta": {"total": 120}, "data": items})

    slots = {
        "data": {
            "type": "CustomDimensionSlots",
            "id": APP,
            "attributes": {
                "session": {"available": 200, "used": 1, "left": 199},
                "event": {"available": 200, "used": 0, "left": 200},
                "product": {"available": 20, "used": 0, "left": 20},
            },
        }
    }
    base = "/api/analytics/v1/manage/custom-dimensions/"
    fake = (
        FakePiwik()
        .on("POST", base, jsonapi(201, cd_doc()))
        .on("GET", base, page)
        .on("GET", f"{base}cd1/", jsonapi(200, cd_doc()))
        .on("PUT", f"{base}cd1/", jsonapi(200, cd_doc(name="renamed", active=False)))
        .on("GET", f"{base}slots/", jsonapi(200, slots))
    )
    with fake.client() as client:
        created = client.custom_dimensions.create(APP, CustomDimensionAttributes(name="consent_state", scope="session"))
        assert created.tracking_id == 1
        assert len(client.custom_dimensions.list(APP)) == 120
        assert client.custom_dimensions.get("cd1", APP).scope == "session"
        updated = client.custom_dimensions.update(
            "cd1",
            APP,
            {
                "name": "renamed",
                "active": False,
                "scope": "session",
                "slot": 1,
                "extractions": [{"target": "page_url_regex", "pattern": "/x/(.*)"}],
            },
        )
        assert updated.name == "renamed" and updated.active is False
        assert client.custom_dimensions.slots(APP)["session"]["left"] == 199
    reqs = fake.api_requests()
    assert body_of(reqs[0]) == {
        "data": {
            "type": "CustomDimension",
            "attributes": {
                "website_id": APP,
                "name": "consent_state",
                "active": True,
                "case_sensitive": False,
                "scope": "session",
            },
        }
    }
    assert reqs[0].headers["Content-Type"] == JSONAPI
    assert [r.url.params.get("offset") for r in reqs[1:3]] == ["0", "100"]
    assert reqs[3].url.params["website_id"] == APP
    assert body_of(reqs[4]) == {
        "data": {
            "type": "CustomDimension",
            "id": "cd1",
            "attributes": {
                "website_id": APP,
                "name": "renamed",
                "active": False,
                "case_sensitive": False,
                "scope": "session",
                "slot": 1,
                "extractions": [{"target": "page_url_regex", "pattern": "/x/(.*)"}],
            },
        }
    }
    assert reqs[5].url.path == f"{base}slots/"


# --- container settings -------------------------------------------------------------------------------------


def test_opt_out_code_uses_token_organization() -> None:
    doc = {
        "data": {
            "type": "container/organization/opt-out-code",
            "id": "acme",
            "attributes": {"code": "<div id='ppms_cm_optout'></div>"},
        }
    }
    fake = (
        FakePiwik(org="acme")
        .on("GET", "/api/container-settings/v1/organization/acme/opt-out-code", jsonapi(200, doc))
        .on("GET", "/api/container-settings/v1/organization/other org/opt-out-code", jsonapi(200, doc))
    )
    with fake.client() as client:
        assert client.container_settings.opt_out_code() == "<div id='ppms_cm_optout'></div>"
        assert client.container_settings.get_opt_out_code("other org").id == "acme"
    assert fake.api_requests()[1].url.raw_path == b"/api/container-settings/v1/organization/other%20org/opt-out-code"


# --- consent templates (non-upstream) -----------------------------------------------------------------------

CT = f"/api/consent-manager/v1/{APP}/consent-form-templates"


def ct_doc(language: str = "fr") -> dict[str, object]:
    return resource(
        "consent-manager/consent-form-template",
        language,
        title="Vie privée",
        message="Nous collecterons et agrégerons des données sur l'utilisation de ce site.",
        accept_label="Accepter",
        reject_label="Refuser",
        privacy_policy_url="https://a.example/pp",
    )


def test_consent_templates_lifecycle() -> None:
    absent = jsonapi(
        404,
        {
            "errors": [
                {
                    "status": "404",
                    "code": "error.resource-not-found",
                    "title": f'Consent form template "de" does not exist for app "{APP}"',
                }
            ]
        },
    )
    fake = (
        FakePiwik()
        .on("PUT", f"{CT}/fr", jsonapi(200, ct_doc()))
        .on("GET", f"{CT}/fr", jsonapi(200, ct_doc()))
        .on("GET", f"{CT}/de", absent)
        .on("GET", CT, jsonapi(200, {"meta": {"total": 1}, "data": [ct_doc()["data"]]}))
        .on("DELETE", f"{CT}/fr", httpx.Response(204))
    )
    with fake.client() as client:
        put = client.consent_templates.put(
            APP,
            "fr",
            {
                "title": "Vie privée",
                "message": "Nous collecterons…",
                "accept_label": "Accepter",
                "reject_label": "Refuser",
                "privacy_policy_url": "https://a.example/pp",
            },
        )
        assert put.language == "fr" and put.accept_label == "Accepter"
        got = client.consent_templates.get(APP, "fr")
        assert got is not None and got.title == "Vie privée"
        assert client.consent_templates.get(APP, "de") is None
        assert [t.language for t in client.consent_templates.list(APP)] == ["fr"]
        client.consent_templates.delete(APP, "fr")
    put_req = fake.api_requests()[0]
    assert body_of(put_req) == {
        "data": {
            "type": "consent-manager/consent-form-template",
            "id": "fr",
            "attributes": {
                "title": "Vie privée",
                "message": "Nous collecterons…",
                "accept_label": "Accepter",
                "reject_label": "Refuser",
                "privacy_policy_url": "https://a.example/pp",
            },
        }
    }
    assert put_req.headers["Content-Type"] == JSONAPI


@pytest.mark.parametrize("status", [404, 405])
def test_consent_templates_unavailable_on_a_real_host(status: int) -> None:
    not_served = httpx.Response(status, text="<html>Not Found</html>")
    fake = (
        FakePiwik()
        .on("GET", CT, not_served)
        .on("PUT", f"{CT}/fr", not_served)
        .on("GET", f"{CT}/fr", httpx.Response(404))
    )
    with fake.client() as client:
        with pytest.raises(ConsentTemplateApiUnavailable, match="not published by Piwik PRO") as info:
            client.consent_templates.put(APP, "fr", {"title": "t", "message": "m"})
        assert info.value.status == status
        assert "Consent Manager > Consent forms" in str(info.value)
        with pytest.raises(ConsentTemplateApiUnavailable):
            client.consent_templates.list(APP)
        with pytest.raises(ConsentTemplateApiUnavailable):
            client.consent_templates.get(APP, "fr")  # a 404 on the item is checked against the collection


def test_consent_templates_unknown_app_stays_not_found() -> None:
    missing_app = jsonapi(
        404,
        {
            "errors": [
                {"status": "404", "code": "error.resource-not-found", "title": f'App with id: "{APP}" does not exist'}
            ]
        },
    )
    fake = FakePiwik().on("GET", CT, missing_app)
    with fake.client() as client, pytest.raises(NotFoundError) as info:
        client.consent_templates.list(APP)
    assert not isinstance(info.value, ConsentTemplateApiUnavailable)


# --- stats and malformed answers ----------------------------------------------------------------------------


def test_stats_count_requests_by_method_and_path_template() -> None:
    fake = (
        FakePiwik()
        .on("GET", f"/api/apps/v2/{APP}", httpx.Response(502), jsonapi(200, full_app()))
        .on("PATCH", f"/api/apps/v2/{APP}", httpx.Response(204))
    )
    with fake.client() as client:
        client.apps.get(APP)
        client.apps.update(APP, {"cnil": True})
        assert client.stats == {
            "POST /auth/token": 1,
            "GET /api/apps/v2/{app_id}": 2,
            "PATCH /api/apps/v2/{app_id}": 1,
        }
        counters = client.counters
        assert counters["requests"] == 4 and counters["retries"] == 1 and counters["token_requests"] == 1
        client.reset_stats()
        assert client.stats == {}


def test_malformed_bodies_raise_clear_errors() -> None:
    fake = (
        FakePiwik()
        .on("GET", f"/api/apps/v2/{APP}", httpx.Response(200, text="not json"))
        .on("GET", "/api/tracker/v2/settings/app/global", jsonapi(200, {"data": []}))
        .on(
            "GET",
            f"/api/tag/v1/{APP}/versions/draft",
            jsonapi(200, {"data": {"id": "v", "attributes": {"version_major": "not a number"}}}),
        )
    )
    with fake.client() as client:
        with pytest.raises(PiwikError, match=f"GET /api/apps/v2/{APP} returned HTTP 200 with a body that is not JSON"):
            client.apps.get(APP)
        with pytest.raises(PiwikError, match="unexpected body: expected a JSON:API document with a 'data' object"):
            client.tracker_settings.get_global()
        with pytest.raises(PiwikError, match="unexpected body"):
            client.versions.get_draft(APP)


def test_path_parameters_are_quoted() -> None:
    fake = FakePiwik().on("GET", "/api/apps/v2/a/b", jsonapi(200, full_app()))
    with fake.client() as client:
        client.apps.get("a/b")
    assert fake.api_requests()[0].url.raw_path == b"/api/apps/v2/a%2Fb"


# --- triggers (the archived reference's paths) ------------------------------------------------------------------


def trigger_doc(trigger_id: str = "trg1") -> dict[str, object]:
    return resource("trigger", trigger_id, name="All page views", trigger_type="page_view", conditions=[])


def test_a_host_that_does_not_serve_the_trigger_paths_is_asked_once_per_client() -> None:
    not_served = jsonapi(404, {"errors": [{"status": "404", "title": "no such path"}]})
    fake = FakePiwik().on("GET", f"/api/tag/v1/{APP}/triggers/trg1", not_served)
    with fake.client() as client:
        for _ in range(2):
            with pytest.raises(TriggersApiUnavailable, match=r"does not serve /api/tag/v1/\{app_id\}/triggers/"):
                client.triggers.get(APP, "trg1")
        with pytest.raises(TriggersApiUnavailable):
            client.triggers.variable(APP, "v1")
    assert paths(fake.api_requests()) == [f"GET /api/tag/v1/{APP}/triggers/trg1"]  # the later reads send nothing


def test_once_the_trigger_paths_served_a_404_is_a_trigger_that_is_gone() -> None:
    gone = jsonapi(404, {"errors": [{"status": "404", "title": "Trigger not found"}]})
    fake = (
        FakePiwik()
        .on("GET", f"/api/tag/v1/{APP}/triggers/trg1", jsonapi(200, trigger_doc()))
        .on("GET", f"/api/tag/v1/{APP}/triggers/trg2", gone)
    )
    with fake.client() as client:
        assert client.triggers.get(APP, "trg1").name == "All page views"
        with pytest.raises(NotFoundError):
            client.triggers.get(APP, "trg2")
