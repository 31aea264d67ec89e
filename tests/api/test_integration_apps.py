"""Apps API v2 against the emulator."""

from __future__ import annotations

import uuid
from typing import Any

import pydantic
import pytest

from piwik_resources.api import AppAttributes, ConflictError, NotFoundError, ValidationError

from ._emu import client_for, new_app


def test_app_lifecycle(emulator: Any) -> None:
    with client_for(emulator) as client:
        app_id = str(uuid.uuid4())
        attrs = AppAttributes(
            name="Boutique",
            urls=["https://boutique.example"],
            timezone="Europe/Paris",
            currency="EUR",
            gdpr=True,
            gdpr_data_anonymization=True,
            gdpr_data_anonymization_mode="no_device_storage",
            cnil=True,
            privacy_cookie_expiration_period=33_696_000,
        )
        app = client.apps.create(attrs, app_id=app_id)
        assert app.id == app_id
        assert app.gdpr_data_anonymization_mode == "no_device_storage" and app.cnil is True
        assert app.privacy_cookie_expiration_period == 33_696_000
        assert app.organization == emulator.organization and app.app_type == "web"
        assert app.keep_url_fragment is True  # defaults come back in full

        client.apps.update(app_id, {"exclude_unknown_urls": True, "privacyCookieDomains": ["*.boutique.example"]})
        again = client.apps.get(app_id)
        assert again.exclude_unknown_urls is True and again.privacy_cookie_domains == ["*.boutique.example"]
        assert again.timezone == "Europe/Paris"  # untouched by the partial PATCH

        client.apps.delete(app_id)
        with pytest.raises(NotFoundError) as info:
            client.apps.get(app_id)
        assert info.value.status == 404 and app_id in str(info.value)


def test_app_list_paginates_and_searches(emulator: Any) -> None:
    with client_for(emulator) as client:
        client.apps.page_size = 3  # force several pages
        ids = {new_app(client, f"Site{i}").id for i in range(7)}
        new_app(client, "Other")
        listed = list(client.apps.list())
        assert ids <= {a.id for a in listed} and len(listed) == 8
        found = list(client.apps.list(search="Site"))
        assert {a.id for a in found} == ids
        assert client.stats["GET /api/apps/v2"] == 3 + 3


def test_validation_error_names_the_field(emulator: Any) -> None:
    with client_for(emulator) as client, pytest.raises(ValidationError) as info:
        client.apps.create({"name": "Shop", "urls": ["https://a.example"], "timezone": "Mars/Olympus_Mons"})
    err = info.value
    assert err.status == 400 and err.method == "POST" and err.path == "/api/apps/v2"
    assert any("timezone" in p for p in err.pointers)


def test_a_published_limit_is_refused_before_anything_is_sent(emulator: Any) -> None:
    """The create body's model is generated from the spec with its limits: a 91-character name never leaves."""
    emulator.clear_requests()
    with client_for(emulator) as client, pytest.raises(pydantic.ValidationError) as info:
        client.apps.create({"name": "x" * 91, "urls": ["https://a.example"]})
    assert "name" in str(info.value) and "at most 90 characters" in str(info.value)
    assert not [key for key in emulator.requests()["counts"] if "/api/apps" in key]


def test_patch_with_bad_value_is_a_validation_error(emulator: Any) -> None:
    with client_for(emulator) as client:
        app = new_app(client)
        with pytest.raises(ValidationError) as info:
            client.apps.update(app.id, {"gdpr_data_anonymization_mode": "everything"})
        assert info.value.pointers, info.value


def test_apps_limit_is_a_conflict(emulator_factory: Any) -> None:
    emu = emulator_factory("--no-rate-limit", "--apps-limit", "1")
    with client_for(emu) as client:
        new_app(client)
        with pytest.raises(ConflictError) as info:
            new_app(client, "Second")
        assert info.value.status == 409 and "POST /api/apps/v2 returned HTTP 409" in str(info.value)
