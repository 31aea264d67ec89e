"""Each of the API's error families becomes the right exception, naming method, path, status and detail."""

from __future__ import annotations

import httpx
import pytest

from piwik_resources.api import (
    AuthError,
    ConflictError,
    NotFoundError,
    PiwikError,
    RetryPolicy,
    ServerError,
    UnavailableError,
    ValidationError,
)
from piwik_resources.api.errors import error_for_status, parse_error_body

from ._fake import FakePiwik, jsonapi

APP = "985ed9d7-b652-47b8-b9cf-c17d62735261"


def test_platform_family_validation_with_pointers() -> None:
    fake = FakePiwik().on(
        "PATCH",
        f"/api/tracker/v2/settings/app/{APP}",
        jsonapi(
            400,
            {
                "errors": [
                    {
                        "status": "400",
                        "code": "error.default",
                        "title": "Invalid form",
                        "detail": "Invalid anonymization level '13.5', available are: [0, 1, 2, 3, 4]",
                        "source": {"pointer": "/data/attributes/anonymize_visitor_ip_level"},
                    },
                    {
                        "status": "400",
                        "code": "error.not-blank",
                        "title": "This value should not be blank.",
                        "source": {"pointer": "/data/type"},
                    },
                ]
            },
        ),
    )
    with fake.client() as client, pytest.raises(ValidationError) as info:
        client.tracker_settings.update_app(APP, {"anonymize_visitor_ip_level": 13.5})
    err = info.value
    assert err.status == 400
    assert err.method == "PATCH"
    assert err.path == f"/api/tracker/v2/settings/app/{APP}"
    assert err.pointers == ["/data/attributes/anonymize_visitor_ip_level", "/data/type"]
    assert err.code == "error.default"
    text = str(err)
    assert text.startswith(f"PATCH /api/tracker/v2/settings/app/{APP} returned HTTP 400")
    assert "Invalid anonymization level '13.5'" in text
    assert "/data/attributes/anonymize_visitor_ip_level" in text
    assert len(fake.api_requests()) == 1  # a 400 is never retried


def test_platform_apps_pointer_without_data_prefix() -> None:
    fake = FakePiwik().on(
        "POST",
        "/api/apps/v2",
        jsonapi(
            400,
            {
                "errors": [
                    {
                        "status": "400",
                        "title": "Invalid form",
                        "detail": "This value is too long. It should have 90 characters or less.",
                        "source": {"pointer": "/name"},
                    }
                ]
            },
        ),
    )
    with fake.client() as client, pytest.raises(ValidationError) as info:
        client.apps.create({"name": "x" * 80, "urls": ["https://a.example"]})
    assert info.value.pointers == ["/name"]
    assert "90 characters" in str(info.value)


def test_platform_conflict() -> None:
    fake = FakePiwik().on(
        "POST",
        "/api/apps/v2",
        jsonapi(
            409,
            {
                "errors": [
                    {
                        "status": "409",
                        "code": "apps.error.apps-limit-reached",
                        "title": "Limit of apps has been reached",
                    }
                ]
            },
        ),
    )
    with fake.client() as client, pytest.raises(ConflictError) as info:
        client.apps.create({"name": "Shop", "urls": ["https://shop.example"]})
    assert info.value.code == "apps.error.apps-limit-reached"
    assert "Limit of apps has been reached" in str(info.value)
    assert "POST /api/apps/v2 returned HTTP 409" in str(info.value)


def test_platform_404_without_body() -> None:
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", httpx.Response(404))
    with fake.client() as client, pytest.raises(NotFoundError) as info:
        client.apps.get(APP)
    assert info.value.status == 404
    assert str(info.value) == f"GET /api/apps/v2/{APP} returned HTTP 404: Not Found"


def test_platform_403_not_authenticated() -> None:
    fake = FakePiwik().on(
        "GET",
        "/api/tracker/v2/settings/app/global",
        jsonapi(
            403,
            {
                "errors": [
                    {
                        "status": "403",
                        "code": "not_authenticated",
                        "title": "Authentication credentials were not provided.",
                    }
                ]
            },
        ),
    )
    with fake.client() as client, pytest.raises(AuthError) as info:
        client.tracker_settings.get_global()
    assert info.value.code == "not_authenticated"
    assert len(fake.api_requests()) == 1


def test_tag_manager_family_not_found_with_parameter() -> None:
    fake = FakePiwik().on(
        "GET",
        f"/api/tag/v1/{APP}/versions/draft",
        jsonapi(
            404,
            {
                "errors": [
                    {
                        "code": "NOT_FOUND_ERROR",
                        "detail": f"There is no application with given identifier: {APP}",
                        "source": {"parameter": "app_id"},
                    }
                ]
            },
        ),
    )
    with fake.client() as client, pytest.raises(NotFoundError) as info:
        client.versions.get_draft(APP)
    err = info.value
    assert err.code == "NOT_FOUND_ERROR"
    assert err.pointers == ["app_id"]
    assert f"There is no application with given identifier: {APP}" in str(err)
    assert "parameter app_id" in str(err)


def test_tag_manager_family_invalid_json_with_pointer_and_meta() -> None:
    body = {
        "errors": [
            {
                "code": "INVALID_JSON_ERROR",
                "detail": "'x' is not one of ['analytics', ...]",
                "source": {"pointer": "/data/attributes/consent_type"},
                "meta": {"keyword": "enum", "keyword_args": {"enum": ["analytics"]}},
            }
        ]
    }
    fake = FakePiwik().on("PATCH", f"/api/tag/v1/{APP}/tags/t1", jsonapi(400, body))
    with fake.client() as client, pytest.raises(ValidationError) as info:
        client.tags.update(APP, "t1", {"consent_type": "x"})
    assert info.value.pointers == ["/data/attributes/consent_type"]
    assert info.value.errors[0].meta["keyword"] == "enum"


def test_tag_manager_503_maintenance_is_unavailable() -> None:
    fake = FakePiwik().on(
        "POST",
        f"/api/tag/v1/{APP}/tags",
        jsonapi(
            503,
            {"errors": [{"code": "SERVICE_UNAVAILABLE", "detail": "Service is in maintenance mode"}]},
            headers={"X-Reason": "maintenance-mode"},
        ),
    )
    with fake.client() as client, pytest.raises(UnavailableError) as info:
        client.tags.create(APP, {"name": "Piwik PRO", "template": "piwik"})
    assert "maintenance-mode" in str(info.value)
    assert info.value.status == 503
    assert len(fake.api_requests()) == 1  # POST after sending: never repeated


def test_analytics_family_validation_with_parameter() -> None:
    fake = FakePiwik().on(
        "POST",
        "/api/analytics/v1/manage/custom-dimensions/",
        httpx.Response(
            400,
            json={"errors": [{"status": "400", "detail": "Slot is taken.", "source": {"parameter": "slot"}}]},
        ),
    )
    with fake.client() as client, pytest.raises(ValidationError) as info:
        client.custom_dimensions.create(APP, {"name": "consent", "scope": "session", "slot": 1})
    assert info.value.pointers == ["slot"]
    assert "Slot is taken." in str(info.value)
    assert "POST /api/analytics/v1/manage/custom-dimensions/ returned HTTP 400" in str(info.value)


def test_analytics_403_license() -> None:
    fake = FakePiwik().on(
        "GET",
        "/api/analytics/v1/manage/custom-dimensions/slots/",
        httpx.Response(403, json={"errors": [{"status": "403", "detail": "No valid license found."}]}),
    )
    with fake.client() as client, pytest.raises(AuthError, match="No valid license found"):
        client.custom_dimensions.slots(APP)


def test_server_error_after_retries_names_attempts() -> None:
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", httpx.Response(500, text="<html>Oops</html>"))
    with fake.client() as client, pytest.raises(ServerError) as info:
        client.apps.get(APP)
    assert "after 5 attempts" in str(info.value)
    assert "<html>Oops</html>" in str(info.value)


def test_non_json_and_empty_bodies() -> None:
    assert parse_error_body(b"") == []
    assert parse_error_body(None) == []
    [item] = parse_error_body(b"<h1>Bad   gateway</h1>\n")
    assert item.detail == "<h1>Bad gateway</h1>"
    long = parse_error_body("x" * 500)
    assert long[0].detail is not None and len(long[0].detail) < 210


def test_oauth_and_license_bodies() -> None:
    [item] = parse_error_body(
        b'{"error":"invalid_client","error_description":"Client authentication failed","hint":"",'
        b'"message":"Client authentication failed"}'
    )
    assert item.code == "invalid_client"
    assert item.detail == "Client authentication failed"
    [lic] = parse_error_body(b'{"code":402,"message":"There is no active license for \\"default\\" organization"}')
    assert lic.detail is not None and "no active license" in lic.detail
    err = error_for_status(method="POST", path="/auth/token", status=402, body=b'{"code":402,"message":"no"}')
    assert isinstance(err, AuthError)


def test_unknown_status_is_base_error() -> None:
    err = error_for_status(method="GET", path="/x", status=418, body=None, reason="I'm a teapot")
    assert type(err) is PiwikError
    assert str(err) == "GET /x returned HTTP 418: I'm a teapot"


def test_no_retry_policy_surfaces_first_failure() -> None:
    fake = FakePiwik().on("GET", f"/api/apps/v2/{APP}", httpx.Response(502))
    with fake.client(retry=RetryPolicy.none()) as client, pytest.raises(ServerError):
        client.apps.get(APP)
    assert len(fake.api_requests()) == 1
