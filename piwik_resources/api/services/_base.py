"""What every service group shares: access to the client's request pipeline and JSON:API parsing."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import pydantic

from ..jsonapi import MalformedResponse, resource_list, single_resource
from ..models import PiwikModel

if TYPE_CHECKING:
    import httpx

    from ..client import PiwikClient

__all__ = ["Service", "paginate", "to_wire"]

M = TypeVar("M", bound=PiwikModel)
T = TypeVar("T")


def to_wire(model: type[PiwikModel], changes: Mapping[str, Any] | PiwikModel, *, what: str) -> dict[str, Any]:
    """Map ``changes`` (Python names or API aliases, or a model instance) to API attribute names.

    Only the given keys are kept, so a PATCH carries exactly what changed. An unknown key raises
    ``ValueError`` naming it and the accepted names, before any request is sent.
    """
    if isinstance(changes, PiwikModel):
        return changes.to_attributes()
    out: dict[str, Any] = {}
    unknown: list[str] = []
    for key, value in changes.items():
        wire = model.wire_name(key)
        if wire is None or wire == "id":
            unknown.append(key)
            continue
        out[wire] = pydantic.TypeAdapter(Any).dump_python(value, mode="json")
    if unknown:
        allowed = sorted((info.alias or name) for name, info in model.model_fields.items() if name != "id")
        raise ValueError(
            f"unknown {what} attribute(s) {', '.join(repr(k) for k in unknown)}; accepted: {', '.join(allowed)}"
        )
    return out


def paginate(fetch: Callable[[int, int], tuple[list[T], int | None]], page_size: int) -> Iterator[T]:
    """Yield every item of an offset/limit collection, page by page.

    Stops when a page is short or empty, or when ``meta.total`` is reached (whichever comes first), so an API
    that omits ``meta.total`` still terminates.
    """
    offset = 0
    while True:
        items, total = fetch(offset, page_size)
        yield from items
        offset += len(items)
        if not items or len(items) < page_size or (total is not None and offset >= total):
            return


class Service:
    """Base of a service group; holds the client."""

    def __init__(self, client: PiwikClient) -> None:
        self._client = client

    def _call(self, method: str, template: str, **kw: Any) -> httpx.Response:
        return self._client.request(method, template, **kw)

    def _one(self, model: type[M], method: str, template: str, **kw: Any) -> M:
        response = self._call(method, template, **kw)
        return self._parse_one(model, response, method)

    def _parse_one(self, model: type[M], response: httpx.Response, method: str) -> M:
        body = self._client.json_body(response, method, "")
        try:
            parsed: M = model.from_resource(single_resource(body))
        except (MalformedResponse, pydantic.ValidationError) as exc:
            raise self._client.malformed(response, method, exc) from None
        return parsed

    def _many(self, model: type[M], method: str, template: str, **kw: object) -> tuple[list[M], int | None]:
        response = self._call(method, template, **kw)
        body = self._client.json_body(response, method, "")
        try:
            items, total = resource_list(body)
            return [model.from_resource(item) for item in items], total
        except (MalformedResponse, pydantic.ValidationError) as exc:
            raise self._client.malformed(response, method, exc) from None
