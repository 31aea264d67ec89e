"""Input validation: a pydantic model per resource, its errors reworded to name the Pulumi property and value.

Each resource's inputs model derives from :class:`InputsModel` (strict types, unknown keys refused). For a
field declared with ``_fields.prop`` the allowed values (declared, or derived from its type and constraints)
replace pydantic's own wording in the error, so the user reads e.g.
``ip_masking_level: 5 is not allowed (allowed: 0, 1, 2, 3, 4)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import pydantic
from pydantic import BaseModel, ConfigDict

from ._fields import allowed_text
from ._values import contains_unknown, short_repr


class InputsModel(BaseModel):
    """Base of every resource inputs model: strict types, no unknown property, frozen."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    #: Pulumi type name used in messages ("Site", "TrackerSettings", ...).
    resource_type: ClassVar[str] = "resource"
    #: The client model (piwik_resources/api/) whose fields the ``prop(api=...)`` declarations name: the resource
    #: generator (tools/gen_resources.py) refuses a declaration naming a field it does not have.
    api_model: ClassVar[type[BaseModel] | None] = None


@dataclass(frozen=True)
class Failure:
    """One refused input: ``property`` is the top-level Pulumi property, ``reason`` a full sentence."""

    property: str
    reason: str


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += part if not out else f".{part}"
    return out


def _reason(model: type[BaseModel], err: Mapping[str, Any]) -> str:
    loc: tuple[int | str, ...] = tuple(err.get("loc", ()))
    path = _path(loc) or "(inputs)"
    kind = err.get("type", "")
    value = err.get("input")
    type_name = getattr(model, "resource_type", model.__name__)
    if kind == "missing":
        return f"{path} is required"
    if kind == "extra_forbidden":
        known = ", ".join(sorted(model.model_fields))
        return f"{path} is not a property of {type_name} (properties: {known})"
    field = loc[0] if loc and isinstance(loc[0], str) else ""
    # The field-level "allowed" text describes the field's own value, not the items of a list.
    allowed = allowed_text(model, field) if len(loc) == 1 else None
    msg = str(err.get("msg", "invalid value"))
    if kind in ("value_error", "assertion_error"):
        msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if allowed is None:
        ctx = err.get("ctx") or {}
        if kind == "literal_error" and "expected" in ctx:
            allowed = str(ctx["expected"])
    detail = f"allowed: {allowed}" if allowed else msg
    return f"{path}: {short_repr(value)} is not allowed ({detail})"


def validate(model: type[InputsModel], props: Mapping[str, Any]) -> list[Failure]:
    """Validate ``props`` (numbers already normalised) and return the failures, skipping unknown values.

    A property whose value is (or contains) the preview-time unknown placeholder is not judged: it is known
    only at deployment, where ``check`` runs again with the real value. Errors that concern the model as a
    whole (cross-field rules) are skipped too while any property is unknown.
    """
    unknown = {k for k, v in props.items() if contains_unknown(v)}
    try:
        model.model_validate(dict(props))
    except pydantic.ValidationError as exc:
        failures: list[Failure] = []
        for err in exc.errors(include_url=False):
            loc = tuple(err.get("loc", ()))
            top = loc[0] if loc and isinstance(loc[0], str) else ""
            if top in unknown or (not top and unknown):
                continue
            failures.append(Failure(property=top, reason=_reason(model, err)))
        return failures
    return []
