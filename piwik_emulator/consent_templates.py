"""Consent form templates — EMULATOR-OWN API, NOT PART OF PIWIK PRO'S PUBLISHED REFERENCE.

Piwik PRO publishes no REST API for Consent Manager form templates (checked against the July 2025
OpenAPI dump; its help centre says Consent Manager is no longer offered to new accounts). These paths
exist so the project's ConsentTemplate resource can be exercised end to end; a real account will not
serve them. They follow the platform conventions (JSON:API, family-1 errors):

    GET    /api/consent-manager/v1/{app_id}/consent-form-templates               list (meta.total)
    GET    /api/consent-manager/v1/{app_id}/consent-form-templates/{language}    200 | 404
    PUT    /api/consent-manager/v1/{app_id}/consent-form-templates/{language}    200, created or replaced
    DELETE /api/consent-manager/v1/{app_id}/consent-form-templates/{language}    204 | 404

Body: {"data":{"type":"consent-manager/consent-form-template","id":"<language>","attributes":
{"title":str,"message":str,"accept_label":str,"reject_label":str,"privacy_policy_url":str|null}}}.
`language` is a 2-letter lowercase code, optionally with a region (`fr`, `fr-FR`).
"""

from __future__ import annotations

import re
from typing import Any

from . import kinds
from .apps import get_existing
from .errors import Family, form_errors, id_mismatch, platform_error
from .jsonapi import read_data, timestamp
from .messages import Request, Response, json_response, no_content

RESOURCE_TYPE = "consent-manager/consent-form-template"
BASE_PATH = "/api/consent-manager/v1/{app_id}/consent-form-templates"
ITEM_PATH = BASE_PATH + "/{language}"
TEXT_FIELDS = ("title", "message", "accept_label", "reject_label")
_LANGUAGE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")


def _language(req: Request) -> str:
    language = req.params["language"]
    if not _LANGUAGE.match(language):
        raise platform_error(
            400,
            "Invalid language",
            detail=f'"{language}" is not a language code like "fr" or "fr-FR".',
            pointer="/data/id",
            parameter=None,
        )
    return language


def _key(app_id: str, language: str) -> str:
    return f"{app_id}/{language}"


def _document(stored: dict[str, Any]) -> dict[str, Any]:
    return {"type": RESOURCE_TYPE, "id": stored["language"], "attributes": stored["attributes"]}


def list_templates(req: Request) -> Response:
    app_id = req.params["app_id"]
    get_existing(req.tx, app_id)
    found = sorted(req.tx.list(kinds.CONSENT_TEMPLATE, parent=app_id), key=lambda t: str(t["language"]))
    return json_response(200, {"meta": {"total": len(found)}, "data": [_document(t) for t in found]})


def get_template(req: Request) -> Response:
    app_id = req.params["app_id"]
    get_existing(req.tx, app_id)
    language = _language(req)
    stored = req.tx.get(kinds.CONSENT_TEMPLATE, _key(app_id, language))
    if stored is None:
        raise platform_error(
            404,
            f'Consent form template "{language}" does not exist for app "{app_id}"',
            code="error.resource-not-found",
        )
    return json_response(200, {"data": _document(stored)})


def put_template(req: Request) -> Response:
    app_id = req.params["app_id"]
    get_existing(req.tx, app_id)
    language = _language(req)
    data = read_data(req, Family.PLATFORM, RESOURCE_TYPE)
    if data.get("id") not in (None, language):
        raise id_mismatch(Family.PLATFORM, str(data.get("id")), language)
    attributes = data.get("attributes") or {}
    errors: list[tuple[str, str]] = []
    for name in attributes:
        if name not in (*TEXT_FIELDS, "privacy_policy_url"):
            errors.append((name, "This form should not contain extra fields."))
    for name in TEXT_FIELDS:
        value = attributes.get(name)
        if not isinstance(value, str) or not value.strip():
            errors.append((name, "This value should not be blank."))
    url = attributes.get("privacy_policy_url")
    if url is not None and (not isinstance(url, str) or not re.match(r"^https?://\S+$", url)):
        errors.append(("privacy_policy_url", "This value is not a valid URL."))
    if errors:
        raise form_errors([(name, "error.default", detail) for name, detail in errors])
    stored = {
        "language": language,
        "attributes": {**{n: attributes[n] for n in TEXT_FIELDS}, "privacy_policy_url": url},
        "updated_at": timestamp(req.now),
    }
    req.tx.put(kinds.CONSENT_TEMPLATE, _key(app_id, language), stored, parent=app_id)
    return json_response(200, {"data": _document(stored)})


def delete_template(req: Request) -> Response:
    app_id = req.params["app_id"]
    get_existing(req.tx, app_id)
    language = _language(req)
    if not req.tx.delete(kinds.CONSENT_TEMPLATE, _key(app_id, language)):
        raise platform_error(
            404,
            f'Consent form template "{language}" does not exist for app "{app_id}"',
            code="error.resource-not-found",
        )
    return no_content()
