"""The single declaration of a resource's properties, and what the rest of the library derives from it.

A resource's inputs model (``providers/<resource>.py``) declares each property once, as a pydantic field made with
:func:`prop`: the attribute is the Pulumi property name, its annotation the type (enumerations are the Literals of
``piwik_resources/api/models.py``), and ``prop`` takes the API attribute it maps to, the constraints, the allowed
values' wording when the type does not say it, the description, and the engine flags (replace on change,
computed). Output-only properties are declared in the model's ``outputs`` class variable with :class:`Out`.

Derived from these declarations: the adapters' name mapping (:func:`api_names`), the engine's replace-on-change
and computed sets, the "allowed" text of every check failure (:func:`allowed_text`), the typed ``…Args``
dataclasses and ``Output`` annotations of ``piwik_resources/resources/_gen/`` and the property tables of
``docs/resources.md`` (both written by ``python -m tools.gen_resources``; ``--check`` fails when they are stale).
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from piwik_resources.api.base import Unlisted


@dataclass(frozen=True)
class _Declaration:
    """What :func:`prop` declares besides pydantic's own field settings, carried as the field's
    ``json_schema_extra``: a callable pydantic calls with the field's JSON schema, which it leaves as it is, so
    the declaration never shows in ``model_json_schema()`` (the field's description and limits do)."""

    api: str | None = None
    allowed: str | None = None
    replace: bool = False
    computed: bool = False
    internal: bool = False
    nullable_output: bool | None = None

    def __call__(self, schema: dict[str, Any]) -> None:
        return None


@dataclass(frozen=True)
class Out:
    """An output-only property: its type as the live object gives it, and what it is."""

    type: Any
    doc: str


def prop(
    default: Any = PydanticUndefined,
    *,
    doc: str,
    api: str | None = None,
    allowed: str | None = None,
    replace: bool = False,
    computed: bool = False,
    internal: bool = False,
    nullable_output: bool | None = None,
    **constraints: Any,
) -> Any:
    """Declare one input property (use as the field's default: ``name: T = prop(...)``).

    ``default``: omit it for a required property; ``None`` for an optional (unmanaged when unset) one.
    ``api``: the attribute of the client model this property maps to, when it maps one to one.
    ``allowed``: the wording of the allowed values, when it cannot be derived from the type and constraints.
    ``replace``: a change replaces the resource. ``computed``: unset means "keep what is there" and the output
    always carries the live value. ``internal``: set by the resource class itself, not part of ``…Args``.
    ``nullable_output``: force the output's ``| None`` (by default: optional, not computed, no default).
    ``constraints``: pydantic's (``ge``, ``le``, ``min_length``, ``max_length``, ``pattern``).
    """
    declared = _Declaration(api, allowed, replace, computed, internal, nullable_output)
    return Field(default, description=doc, json_schema_extra=declared, **constraints)


def _meta(info: FieldInfo) -> dict[str, Any]:
    """The declaration of a field made with :func:`prop`, by name (empty for any other field)."""
    extra = info.json_schema_extra
    return dataclasses.asdict(extra) if isinstance(extra, _Declaration) else {}


def _flagged(model: type[BaseModel], flag: str) -> frozenset[str]:
    return frozenset(name for name, info in model.model_fields.items() if _meta(info).get(flag))


def api_names(model: type[BaseModel]) -> dict[str, str]:
    """Pulumi property -> API attribute, for the properties declared with ``api=``."""
    names = {name: _meta(info).get("api") for name, info in model.model_fields.items()}
    return {name: api for name, api in names.items() if isinstance(api, str)}


def replace_keys(model: type[BaseModel]) -> frozenset[str]:
    return _flagged(model, "replace")


def computed_keys(model: type[BaseModel]) -> frozenset[str]:
    return _flagged(model, "computed")


def outputs_of(model: type[BaseModel]) -> Mapping[str, Out]:
    """The model's output-only properties (its ``outputs`` class variable; none if it has none)."""
    outs = getattr(model, "outputs", None)
    return outs if isinstance(outs, Mapping) else {}


def is_declared(model: type[BaseModel]) -> bool:
    """Whether every input property of ``model`` is declared with :func:`prop`."""
    return all(_meta(info) for info in model.model_fields.values())


def declared_keys(model: type[BaseModel]) -> frozenset[str]:
    """Every property the resource may report: its inputs and its output-only properties."""
    return frozenset(model.model_fields) | frozenset(outputs_of(model))


# --- types and allowed values -----------------------------------------------------------------------------


def strip_optional(annotation: object) -> Any:
    """``T`` of ``T | None`` (the annotation itself otherwise), and of ``Annotated[T, ...]`` (constraints aside).

    A client read field's ``| Unlisted`` (a value the OpenAPI files do not list yet, api/base.py) goes too: it
    names no type a declaration could have."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None) and a is not Unlisted]
        if len(args) == 1:
            return strip_optional(args[0])
    if get_origin(annotation) is Annotated:
        return strip_optional(get_args(annotation)[0])
    return annotation


def _constraint(info: FieldInfo, kind: type, attr: str) -> object:
    for item in info.metadata:
        if isinstance(item, kind):
            return getattr(item, attr)
    return None


def _range_text(info: FieldInfo) -> str | None:
    low, high = _constraint(info, annotated_types.Ge, "ge"), _constraint(info, annotated_types.Le, "le")
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"an integer >= {low}"
    return None


def _type_text(annotation: object) -> str:
    base = strip_optional(annotation)
    if get_origin(base) is Literal:
        return ", ".join(str(v) for v in get_args(base))
    if get_origin(base) is list:
        (item,) = get_args(base) or (Any,)
        return "a list of strings" if item is str else f"a list of {getattr(item, '__name__', 'values')}"
    names = {bool: "a boolean: true or false", int: "an integer", str: "a string"}
    return names.get(base, getattr(base, "__name__", str(base)))


def max_length(model: type[BaseModel], field: str) -> int:
    """The ``max_length`` a (generated) client model gives ``field``: a limit the spec publishes, read, not copied."""
    limit = _constraint(model.model_fields[field], annotated_types.MaxLen, "max_length")
    if not isinstance(limit, int):
        raise TypeError(f"{model.__name__}.{field} has no max_length")
    return limit


def field_allowed(info: FieldInfo) -> str:
    """What a property accepts, in words: the declared text, else derived from its type and constraints."""
    declared = _meta(info).get("allowed")
    if isinstance(declared, str):
        return declared
    if strip_optional(info.annotation) is int and (text := _range_text(info)):
        return text
    if strip_optional(info.annotation) is str:
        low = _constraint(info, annotated_types.MinLen, "min_length")
        high = _constraint(info, annotated_types.MaxLen, "max_length")
        if low is not None and high is not None:
            return f"{low} to {high} characters"
    return _type_text(info.annotation)


def allowed_text(model: type[BaseModel], field: str) -> str | None:
    """The allowed-values wording of ``field`` of ``model`` (None unless the field is declared with :func:`prop`:
    then pydantic's own message is shown)."""
    info = model.model_fields.get(field)
    return None if info is None or not _meta(info) else field_allowed(info)


@dataclass(frozen=True)
class PropertyView:
    """One property as the generator and the docs see it."""

    name: str
    annotation: Any
    doc: str
    api: str | None
    allowed: str
    required: bool
    default: Any
    replace: bool
    computed: bool
    internal: bool
    nullable_output: bool


def properties(model: type[BaseModel]) -> list[PropertyView]:
    """The input properties of ``model``, in declaration order."""
    views: list[PropertyView] = []
    for name, info in model.model_fields.items():
        meta = _meta(info)
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        nullable = meta.get("nullable_output")
        if nullable is None:
            nullable = not info.is_required() and default is None and not meta.get("computed")
        views.append(
            PropertyView(
                name=name,
                annotation=info.annotation,
                doc=info.description or "",
                api=meta.get("api"),
                allowed=field_allowed(info),
                required=info.is_required(),
                default=default,
                replace=bool(meta.get("replace")),
                computed=bool(meta.get("computed")),
                internal=bool(meta.get("internal")),
                nullable_output=bool(nullable),
            )
        )
    return views


__all__ = [
    "Out",
    "PropertyView",
    "allowed_text",
    "api_names",
    "computed_keys",
    "declared_keys",
    "field_allowed",
    "is_declared",
    "max_length",
    "outputs_of",
    "prop",
    "properties",
    "replace_keys",
    "strip_optional",
]
