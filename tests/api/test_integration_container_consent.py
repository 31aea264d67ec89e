"""Opt-out code and the (emulator-only) consent form templates against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from piwik_resources.api import ConsentTemplateApiUnavailable, NotFoundError, ValidationError

from ._emu import client_for, new_app

TEXTS = {
    "title": "Votre vie privée",
    "message": "Nous collecterons et agrégerons des données sur l'utilisation de ce site.",
    "accept_label": "Accepter",
    "reject_label": "Refuser",
    "privacy_policy_url": "https://shop.example/confidentialite",
}


def test_opt_out_code_for_the_token_organization(emulator_factory: Any) -> None:
    emu = emulator_factory("--no-rate-limit", organization="acme-org")
    with client_for(emu) as client:
        assert client.organization == "acme-org"
        html = client.container_settings.opt_out_code()
        assert "<" in html and len(html) > 20
        assert client.container_settings.get_opt_out_code().id == "acme-org"


def test_consent_template_lifecycle(emulator: Any) -> None:
    with client_for(emulator) as client:
        app = new_app(client)
        assert client.consent_templates.list(app.id) == []
        assert client.consent_templates.get(app.id, "fr") is None
        put = client.consent_templates.put(app.id, "fr", TEXTS)
        assert put.language == "fr" and put.message == TEXTS["message"]
        got = client.consent_templates.get(app.id, "fr")
        assert got is not None and got.model_dump(include=set(TEXTS)) == TEXTS
        changed = client.consent_templates.put(app.id, "fr", {**TEXTS, "title": "Confidentialité"})
        assert changed.title == "Confidentialité"
        assert [t.language for t in client.consent_templates.list(app.id)] == ["fr"]
        client.consent_templates.delete(app.id, "fr")
        assert client.consent_templates.get(app.id, "fr") is None
        with pytest.raises(NotFoundError):
            client.consent_templates.delete(app.id, "fr")


def test_consent_template_errors(emulator: Any) -> None:
    with client_for(emulator) as client:
        app = new_app(client)
        with pytest.raises(ValidationError) as info:
            client.consent_templates.put(app.id, "fr", {**TEXTS, "privacy_policy_url": "not a url"})
        assert "/data/attributes/privacy_policy_url" in info.value.pointers
        missing = "00000000-0000-4000-8000-000000000000"
        with pytest.raises(NotFoundError) as gone:
            client.consent_templates.list(missing)
        assert not isinstance(gone.value, ConsentTemplateApiUnavailable)
        with pytest.raises(NotFoundError):
            client.consent_templates.get(missing, "fr")
