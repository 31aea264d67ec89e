"""Analytics custom dimensions (``/api/analytics/v1/manage/custom-dimensions/``, trailing slashes included).

The API has no DELETE: a dimension is retired with ``active: false``. ``update`` is a PUT of the full object.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from ..jsonapi import MalformedResponse, document, single_resource
from ..models import CustomDimension, CustomDimensionAttributes
from ._base import Service, paginate

__all__ = ["CustomDimensionsService"]

COLLECTION = "/api/analytics/v1/manage/custom-dimensions/"
ITEM = "/api/analytics/v1/manage/custom-dimensions/{dimension_id}/"
SLOTS = "/api/analytics/v1/manage/custom-dimensions/slots/"
TYPE = "CustomDimension"


def _attrs(attrs: CustomDimensionAttributes | Mapping[str, Any]) -> CustomDimensionAttributes:
    if isinstance(attrs, CustomDimensionAttributes):
        return attrs
    data = {k: v for k, v in attrs.items() if k not in ("website_id", "id", "tracking_id")}
    return CustomDimensionAttributes.model_validate(data)


class CustomDimensionsService(Service):
    page_size = 100

    def list(self, website_id: str) -> builtins.list[CustomDimension]:
        def fetch(offset: int, limit: int) -> tuple[builtins.list[CustomDimension], int | None]:
            params = {"website_id": website_id, "offset": offset, "limit": limit}
            return self._many(CustomDimension, "GET", COLLECTION, params=params)

        return builtins.list(paginate(fetch, self.page_size))

    def get(self, dimension_id: str, website_id: str) -> CustomDimension:
        return self._one(
            CustomDimension,
            "GET",
            ITEM,
            path_params={"dimension_id": dimension_id},
            params={"website_id": website_id},
        )

    def create(self, website_id: str, attrs: CustomDimensionAttributes | Mapping[str, Any]) -> CustomDimension:
        model = _attrs(attrs)
        attributes = {"website_id": website_id, **self._full(model)}
        if model.slot is None:
            attributes.pop("slot", None)
        return self._one(CustomDimension, "POST", COLLECTION, json=document(TYPE, attributes))

    def update(
        self, dimension_id: str, website_id: str, attrs: CustomDimensionAttributes | Mapping[str, Any]
    ) -> CustomDimension:
        """PUT the full object; ``scope`` is sent as given: pass the current scope (it cannot change)."""
        model = _attrs(attrs)
        attributes = {"website_id": website_id, **self._full(model)}
        if model.slot is None:
            attributes.pop("slot", None)
        return self._one(
            CustomDimension,
            "PUT",
            ITEM,
            path_params={"dimension_id": dimension_id},
            json=document(TYPE, attributes, id=dimension_id),
        )

    def slots(self, website_id: str) -> dict[str, Any]:
        """Slot usage per scope: ``{"session": {"available", "used", "left"}, "event": ..., ...}``."""
        response = self._call("GET", SLOTS, params={"website_id": website_id})
        body = self._client.json_body(response, "GET", SLOTS)
        try:
            attributes = single_resource(body).get("attributes")
        except MalformedResponse as exc:
            raise self._client.malformed(response, "GET", exc) from None
        if not isinstance(attributes, dict):
            raise self._client.malformed(response, "GET", MalformedResponse("no 'attributes' object"))
        return attributes

    @staticmethod
    def _full(model: CustomDimensionAttributes) -> dict[str, Any]:
        # Full object: defaults included (PUT replaces), optional unset extras left out.
        data = model.model_dump(mode="json", by_alias=True, exclude_none=True)
        return {k: v for k, v in data.items() if k not in ("website_id", "id", "tracking_id")}
