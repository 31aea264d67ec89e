"""Consent form templates — NOT PART OF PIWIK PRO'S PUBLISHED API.

Piwik PRO publishes no REST endpoint for Consent Manager form templates (checked against the July 2025 API
reference; see docs/cnil-exemption.md §3). The paths below are the project emulator's own:

* ``GET    /api/consent-manager/v1/{app_id}/consent-form-templates``             (list)
* ``GET    /api/consent-manager/v1/{app_id}/consent-form-templates/{language}``  (404 when absent)
* ``PUT    /api/consent-manager/v1/{app_id}/consent-form-templates/{language}``  (200 with the object)
* ``DELETE /api/consent-manager/v1/{app_id}/consent-form-templates/{language}``  (204)

with ``type: "consent-manager/consent-form-template"`` and the language as ``id``. Against a host that does
not serve them (the real Piwik PRO answers 404 or 405) every call raises
:class:`ConsentTemplateApiUnavailable`, never a silent success.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from ..errors import ConsentTemplateApiUnavailable, NotFoundError, PiwikError
from ..models import ConsentTemplate, ConsentTemplateAttributes
from ._base import Service

__all__ = ["CONSENT_TEMPLATE_TYPE", "ConsentTemplatesService"]

COLLECTION = "/api/consent-manager/v1/{app_id}/consent-form-templates"
ITEM = "/api/consent-manager/v1/{app_id}/consent-form-templates/{language}"
CONSENT_TEMPLATE_TYPE = "consent-manager/consent-form-template"

_UNAVAILABLE_STATUSES = (404, 405, 501)


def _names_the_app(err: PiwikError) -> bool:
    """True when a 404 is about the app (the API exists, the app does not)."""
    for item in err.errors:
        if item.parameter == "app_id" or (item.pointer or "").endswith("app_id"):
            return True
        text = f"{item.title or ''} {item.detail or ''}".lower()
        if "application" in text or "app with id" in text or " app " in f" {text} ":
            return True
    return False


class ConsentTemplatesService(Service):
    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self._available = False

    def _unavailable(self, app_id: str, err: PiwikError) -> ConsentTemplateApiUnavailable:
        path = COLLECTION.format(app_id=app_id)
        return ConsentTemplateApiUnavailable(
            f"{self._client.base_url} does not serve the consent form template API "
            f"({err.method} {err.path} returned HTTP {err.status}). This API is not published by Piwik PRO; "
            "only the project's emulator implements it. Set the consent form texts in the Piwik PRO UI "
            "(Consent Manager > Consent forms) or use the resource's manual mode.",
            method=err.method or "GET",
            path=err.path or path,
            status=err.status,
            detail=err.detail,
        )

    def _probe(self, app_id: str) -> None:
        """Make sure the collection path exists on this host (once per client)."""
        if self._available:
            return
        self.list(app_id)

    def _translate(self, app_id: str, err: PiwikError) -> PiwikError:
        if err.status in _UNAVAILABLE_STATUSES and not (err.status == 404 and _names_the_app(err)):
            return self._unavailable(app_id, err)
        return err

    def list(self, app_id: str) -> builtins.list[ConsentTemplate]:
        try:
            items, _ = self._many(ConsentTemplate, "GET", COLLECTION, path_params={"app_id": app_id})
        except PiwikError as err:
            raise self._translate(app_id, err) from None
        self._available = True
        return items

    def get(self, app_id: str, language: str) -> ConsentTemplate | None:
        """The template for ``language``, or ``None`` when there is none (the API itself being checked)."""
        try:
            return self._one(ConsentTemplate, "GET", ITEM, path_params={"app_id": app_id, "language": language})
        except NotFoundError:
            self._probe(app_id)
            return None

    def put(self, app_id: str, language: str, attrs: ConsentTemplateAttributes | Mapping[str, Any]) -> ConsentTemplate:
        """Create or replace the template for ``language``."""
        model = (
            attrs if isinstance(attrs, ConsentTemplateAttributes) else ConsentTemplateAttributes.model_validate(attrs)
        )
        attributes = model.model_dump(
            mode="json", by_alias=True, exclude_none=True, include=set(ConsentTemplateAttributes.model_fields)
        )
        body = {"data": {"type": CONSENT_TEMPLATE_TYPE, "id": language, "attributes": attributes}}
        try:
            result = self._one(
                ConsentTemplate, "PUT", ITEM, path_params={"app_id": app_id, "language": language}, json=body
            )
        except PiwikError as err:
            raise self._translate(app_id, err) from None
        self._available = True
        return result

    def delete(self, app_id: str, language: str) -> None:
        try:
            self._call("DELETE", ITEM, path_params={"app_id": app_id, "language": language})
        except NotFoundError:
            self._probe(app_id)
            raise
        except PiwikError as err:
            raise self._translate(app_id, err) from None
