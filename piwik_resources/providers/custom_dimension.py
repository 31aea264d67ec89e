"""CustomDimension: an Analytics custom dimension of an app (session or event scope).

The API has no DELETE: deleting the resource deactivates the dimension (``PUT`` with ``active: false``), which
keeps its slot and its collected data. Creating a dimension first looks for one with the same name and scope
in the app: an inactive one is reactivated, so destroy/up cycles do not use up slots, and an active one (made by
a POST whose answer was lost) is adopted, so no duplicate is made. ``scope`` (and
``slot``) cannot change after creation: changing them replaces the resource. ``adopt_id`` takes an existing
dimension under management. The resource id is the dimension id.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel

from piwik_resources.api import CustomDimension, NotFoundError, ServerError, UnavailableError, ValidationError
from piwik_resources.api.models import CustomDimensionAttributes, DimensionScope, Extraction, ExtractionTarget

from ._fields import Out, prop
from ._validation import InputsModel
from ._values import same
from .engine import Adapter, Context, PiwikProvider, ProviderError
from .site import UUID_PATTERN

#: Tries of the dimension POST whose answer is lost (each preceded by a lookup by name and scope).
CREATE_ATTEMPTS = 5


class ExtractionInput(InputsModel):
    """A value extraction rule of a custom dimension."""

    api_model: ClassVar[type[BaseModel] | None] = Extraction

    target: ExtractionTarget = prop(api="target", doc="Where the value is taken from.")
    pattern: str = prop(
        api="pattern",
        doc="The regular expression, or the query parameter's name.",
        allowed="a non-empty string",
        min_length=1,
    )


class CustomDimensionInputs(InputsModel):
    """Inputs of :class:`CustomDimension`.

    ``scope`` (session or event) and ``slot`` are fixed once created: changing them replaces the resource.
    ``active`` defaults to true. ``case_sensitive``, ``extractions`` and ``slot`` keep the dimension's current
    value when unset. The API cannot delete a dimension: deleting the resource sets ``active: false``; creating
    one reactivates an inactive dimension of the same name and scope if there is one. ``adopt_id`` takes an
    existing dimension under management.
    """

    resource_type: ClassVar[str] = "CustomDimension"
    api_model: ClassVar[type[BaseModel] | None] = CustomDimensionAttributes

    site_id: str = prop(
        doc="The app the dimension belongs to.", allowed="the UUID of an app", replace=True, pattern=UUID_PATTERN
    )
    name: str = prop(api="name", doc="The dimension's name.", min_length=1, max_length=255)
    scope: DimensionScope = prop(api="scope", doc="What a value describes: a session or an event.", replace=True)
    active: bool = prop(True, api="active", doc="The dimension collects values.")
    case_sensitive: bool | None = prop(
        None, api="case_sensitive", doc="The extractions match case-sensitively.", computed=True
    )
    extractions: list[ExtractionInput] | None = prop(
        None,
        api="extractions",
        doc="Rules that fill the dimension from the page (``target``: page_title_regex, page_url_regex, "
        "page_query_parameter; ``pattern``).",
        allowed="a list of {target, pattern}",
        computed=True,
    )
    slot: int | None = prop(
        None,
        api="slot",
        doc="The dimension's slot (assigned by the API when unset).",
        computed=True,
        replace=True,
        ge=1,
    )
    description: str | None = prop(
        None,
        api="description",
        doc="What the dimension holds (not in the published schema; the vendor's own client sends it).",
        allowed="up to 2000 characters",
        computed=True,
        max_length=2000,
    )
    adopt_id: str | None = prop(
        None,
        doc="An existing dimension to take under management instead of creating one.",
        allowed="the id of an existing custom dimension",
        computed=True,
        replace=True,
        nullable_output=True,
        pattern=UUID_PATTERN,
    )

    outputs: ClassVar[dict[str, Out]] = {
        "dimension_id": Out(str, "The dimension's id."),
        "tracking_id": Out(int, "The number trackers use for the dimension."),
    }


def _extractions(dim: CustomDimension) -> list[dict[str, Any]]:
    return [{"target": e.target, "pattern": e.pattern} for e in dim.extractions or []]


def _outputs(dim: CustomDimension, adopt_id: str | None) -> dict[str, Any]:
    return {
        "site_id": dim.website_id,
        "name": dim.name,
        "scope": dim.scope,
        "active": dim.active,
        "case_sensitive": dim.case_sensitive,
        "extractions": _extractions(dim),
        "slot": dim.slot,
        "description": dim.description or "",
        "adopt_id": adopt_id,
        "dimension_id": dim.id,
        "tracking_id": dim.tracking_id,
    }


class CustomDimensionAdapter(Adapter[CustomDimensionInputs]):
    resource_type = "CustomDimension"
    inputs_model = CustomDimensionInputs

    def computed_matches(self, key: str, new: object, old: object, id_: str) -> bool:
        if key == "adopt_id":
            return bool(new in (id_, old))
        return same(new, old)

    @staticmethod
    def _body(current: CustomDimension | None, inputs: CustomDimensionInputs) -> dict[str, Any]:
        """Full attributes for POST/PUT: the inputs that are set, the current values for the others."""
        body: dict[str, Any] = {
            "name": inputs.name,
            "scope": inputs.scope,
            "active": inputs.active,
            "case_sensitive": inputs.case_sensitive
            if inputs.case_sensitive is not None
            else (current.case_sensitive if current and current.case_sensitive is not None else False),
            "extractions": [e.model_dump() for e in inputs.extractions]
            if inputs.extractions is not None
            else (_extractions(current) if current else []),
        }
        slot = current.slot if current is not None else inputs.slot
        if slot is not None:
            body["slot"] = slot
        description = inputs.description if inputs.description is not None else (current and current.description)
        if description:
            body["description"] = description
        return body

    def _converge(self, ctx: Context, dim: CustomDimension, inputs: CustomDimensionInputs) -> CustomDimension:
        if dim.scope != inputs.scope:
            raise ProviderError(
                f"CustomDimension: scope: dimension {dim.id} has scope {dim.scope!r}, not "
                f"{inputs.scope!r}; the scope of a custom dimension is fixed when it is created"
            )
        if inputs.slot is not None and dim.slot != inputs.slot:
            raise ProviderError(
                f"CustomDimension: slot: dimension {dim.id} uses slot {dim.slot}, not {inputs.slot}; "
                "the slot is fixed when the dimension is created"
            )
        body = self._body(dim, inputs)
        current = {
            "name": dim.name,
            "scope": dim.scope,
            "active": dim.active,
            "case_sensitive": dim.case_sensitive,
            "extractions": _extractions(dim),
            "slot": dim.slot,
            "description": dim.description,
        }
        if all(same(v, current.get(k)) for k, v in body.items()):
            return dim
        return ctx.client.custom_dimensions.update(dim.id, inputs.site_id, body)

    def import_state(self, id_: str) -> dict[str, Any]:
        raise ProviderError(
            "CustomDimension cannot be imported: a dimension is read within its app, which its id does not name; "
            "declare the resource with site_id and adopt_id: creating it takes the dimension under management"
        )

    def create(self, ctx: Context, inputs: CustomDimensionInputs) -> tuple[str, dict[str, Any]]:
        dims = ctx.client.custom_dimensions
        if inputs.adopt_id is not None:
            try:
                dim = dims.get(inputs.adopt_id, inputs.site_id)
            except NotFoundError:
                raise ProviderError(
                    f"CustomDimension: adopt_id: app {inputs.site_id} has no custom dimension {inputs.adopt_id}"
                ) from None
            dim = self._converge(ctx, dim, inputs)
            return dim.id, _outputs(dim, inputs.adopt_id)
        # The API takes no client-chosen id, so the natural key (name and scope in the app, and the slot when set)
        # is what stops a second dimension: a retired one is reactivated, and an active one is what a POST whose
        # answer was lost made (in this call, or in an interrupted `pulumi up`): adopted, not made twice.
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            same_key = [
                d
                for d in dims.list(inputs.site_id)
                if d.name == inputs.name and d.scope == inputs.scope and (inputs.slot is None or d.slot == inputs.slot)
            ]
            if same_key:
                dim = self._converge(ctx, sorted(same_key, key=lambda d: d.active is not True)[0], inputs)
                return dim.id, _outputs(dim, None)
            try:
                dim = dims.create(inputs.site_id, self._body(None, inputs))
            except (UnavailableError, ServerError):
                if attempt == CREATE_ATTEMPTS:
                    raise
                continue
            return dim.id, _outputs(dim, None)
        raise AssertionError("unreachable")

    def _get(self, ctx: Context, id_: str, site_id: str) -> CustomDimension | None:
        try:
            return ctx.client.custom_dimensions.get(id_, site_id)
        except NotFoundError:
            return None
        except ValidationError:
            # The API answers 400 ("Website ... does not exist") rather than 404 once the app is deleted.
            try:
                ctx.client.apps.get(site_id)
            except NotFoundError:
                return None
            raise

    def read(self, ctx: Context, id_: str, state: dict[str, Any]) -> dict[str, Any] | None:
        dim = self._get(ctx, id_, str(state["site_id"]))
        return None if dim is None else _outputs(dim, state.get("adopt_id"))

    def update(self, ctx: Context, id_: str, state: dict[str, Any], inputs: CustomDimensionInputs) -> dict[str, Any]:
        dim = self._get(ctx, id_, inputs.site_id)
        if dim is None:
            raise ProviderError(
                f"CustomDimension {id_}: update failed: app {inputs.site_id} has no such dimension any more "
                "(run `pulumi refresh`, then `pulumi up` to create it again)"
            )
        dim = self._converge(ctx, dim, inputs)
        return _outputs(dim, inputs.adopt_id or state.get("adopt_id"))

    def delete(self, ctx: Context, id_: str, state: dict[str, Any]) -> None:
        site_id = str(state["site_id"])
        dim = self._get(ctx, id_, site_id)
        if dim is None or dim.active is False:
            return
        body: dict[str, Any] = {
            "name": dim.name,
            "scope": dim.scope,
            "active": False,
            "case_sensitive": bool(dim.case_sensitive),
            "extractions": _extractions(dim),
        }
        if dim.slot is not None:
            body["slot"] = dim.slot
        if dim.description:
            body["description"] = dim.description
        ctx.client.custom_dimensions.update(id_, site_id, body)


class CustomDimensionProvider(PiwikProvider):
    adapter = CustomDimensionAdapter()


__all__ = ["CustomDimensionAdapter", "CustomDimensionInputs", "CustomDimensionProvider", "ExtractionInput"]
