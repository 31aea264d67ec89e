"""The Pulumi package schema of the provider plugin ``piwik``, derived from the declarations (nothing written twice).

Resources: every adapter of piwik_resources/providers, with the properties its inputs model declares through
``_fields.prop`` (type, description with the allowed values, default, required, replace on change) and its
``outputs`` (``Out``). Enumerations are the Literals of piwik_resources/api/models.py (or of the provider module),
named as they are there. Components: CnilExemptSite and CnilAccount, their inputs taken from their argument
dataclasses. Provider config: the connection keys of providers/_connection.py, the client secret marked secret.

Property names are the declarations' own (``site_id``, ``ip_masking_level``): the state, the compliance rules, the
policy pack and the CLI read a stack made through the plugin with the same names as one made in Python.
``python -m tools.gen_resources`` writes :func:`schema_text` to piwik_resources/plugin/schema.json (``--check``
fails when it is stale) and the plugin serves the same text to ``pulumi package get-schema piwik``.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import sys
import types
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel

import piwik_resources
from piwik_resources.api import models as api_models
from piwik_resources.api.config import ENV_BASE_URL, ENV_CLIENT_ID, ENV_CLIENT_SECRET
from piwik_resources.providers import _connection, _fields
from piwik_resources.providers.engine import Adapter
from piwik_resources.tokens import PACKAGE, PLUGIN_TYPE_PREFIX

from .registry import COMPONENTS, adapters

#: Where ``python -m tools.gen_resources`` writes the schema (shipped in the wheel, for `pulumi package gen-sdk`).
SCHEMA_FILE = Path(__file__).with_name("schema.json")
ANY = {"$ref": "pulumi.json#/Any"}
_SCALARS = {bool: "boolean", int: "integer", float: "number", str: "string"}


@functools.cache
def _literal_names() -> dict[tuple[Any, ...], str]:
    """Values of each named Literal of the API models -> its name (``GeolocationLevel``)."""
    found = {get_args(v): name for name, v in vars(api_models).items() if get_origin(v) is Literal}
    return found


class _Types:
    """The schema's ``types`` section, filled as properties refer to enumerations and objects."""

    def __init__(self) -> None:
        self.specs: dict[str, dict[str, Any]] = {}

    def enum(self, literal: Any, owner: str, module: str) -> dict[str, Any]:
        values = get_args(literal)
        # Named as in the API models, else as in the module that uses it (``ConsentTemplateMode``).
        named = (n for n, v in vars(sys.modules[module]).items() if get_origin(v) is Literal and get_args(v) == values)
        name = _literal_names().get(values) or next(named, owner + "Value")
        token = PLUGIN_TYPE_PREFIX + name
        kind = _SCALARS[type(values[0])]
        self.specs.setdefault(token, {"type": kind, "enum": [{"name": str(v), "value": v} for v in values]})
        return {"$ref": f"#/types/{token}"}

    def object(self, cls: type, owner: str) -> dict[str, Any]:
        name = str(getattr(cls, "typed_dict_name", cls.__name__.removesuffix("Input")))
        token = PLUGIN_TYPE_PREFIX + name
        if token not in self.specs:
            self.specs[token] = {}  # a placeholder first: a type may refer to itself
            if issubclass(cls, BaseModel):
                props, required = _model_properties(cls, self, owner, output=False)
            else:
                props, required = _dataclass_properties(cls, self, owner)
            doc = inspect.cleandoc(cls.__doc__ or "")
            self.specs[token] = {"type": "object", "description": doc, "properties": props, "required": required}
        return {"$ref": f"#/types/{token}"}

    def of(self, annotation: Any, owner: str, module: str) -> dict[str, Any]:
        """The type spec of a declared annotation (``T | None`` is ``T``: optional is said by ``required``)."""
        t = _fields.strip_optional(annotation)
        origin = get_origin(t)
        if origin is Literal:
            return self.enum(t, owner, module)
        if origin in (list, Sequence) or t in (list, Sequence):
            (item,) = get_args(t) or (Any,)
            return {"type": "array", "items": self.of(item, owner, module)}
        if origin in (dict, Mapping) or t in (dict, Mapping):
            args = get_args(t)
            return {"type": "object", "additionalProperties": self.of(args[1] if args else Any, owner, module)}
        if origin in (Union, types.UnionType):
            return ANY  # a union of several types (none is declared today)
        if inspect.isclass(t) and (issubclass(t, BaseModel) or dataclasses.is_dataclass(t)):
            return self.object(t, owner)
        if t in _SCALARS:
            return {"type": _SCALARS[t]}
        return ANY


def _described(spec: dict[str, Any], doc: str, **extra: Any) -> dict[str, Any]:
    out = {**spec, "description": " ".join(doc.split())} if doc else dict(spec)
    out.update({k: v for k, v in extra.items() if v})
    return out


def _model_properties(
    model: type[BaseModel], types_: _Types, owner: str, *, output: bool
) -> tuple[dict[str, Any], list[str]]:
    """The properties of an inputs model (inputs: not the internal ones; outputs: all, and its ``outputs``)."""
    props: dict[str, Any] = {}
    for p in _fields.properties(model):
        if p.internal and not output:
            continue
        base = _fields.strip_optional(p.annotation)
        # The allowed values said in words, where the type alone does not say them (a boolean, an enumeration).
        plain = output or base is bool or get_origin(base) is Literal
        doc = p.doc if plain else f"{p.doc} Allowed: {p.allowed}."
        default = p.default if not output and isinstance(p.default, bool | int | str) else None
        spec = _described(types_.of(p.annotation, owner, model.__module__), doc, replaceOnChanges=p.replace)
        props[p.name] = {**spec, "default": default} if default is not None else spec
    if output:
        for name, out in _fields.outputs_of(model).items():
            props[name] = _described(types_.of(out.type, owner, model.__module__), out.doc)
    return props, [p.name for p in _fields.properties(model) if p.required and not p.internal]


def field_comments(cls: type) -> dict[str, str]:
    """The ``#:`` comment above each field of a dataclass (how the component arguments document themselves)."""
    comments: dict[str, str] = {}
    pending: list[str] = []
    for line in inspect.getsource(cls).splitlines():
        text = line.strip()
        if text.startswith("#:"):
            pending.append(text[2:].strip())
            continue
        name = text.split(":", 1)[0]
        if pending and name.isidentifier() and ":" in text:
            comments[name] = " ".join(pending)
        pending = []
    return comments


def _dataclass_properties(cls: type, types_: _Types, owner: str) -> tuple[dict[str, Any], list[str]]:
    hints = get_type_hints(cls)
    docs = field_comments(cls)
    props: dict[str, Any] = {}
    required: list[str] = []
    for f in dataclasses.fields(cls):
        spec = _described(types_.of(hints[f.name], owner, cls.__module__), docs.get(f.name, ""))
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            required.append(f.name)
        elif isinstance(f.default, bool | int | str) and not isinstance(f.default, type(None)):
            spec["default"] = f.default
        props[f.name] = spec
    return props, required


def _resource_doc(adapter: Adapter[Any]) -> str:
    """The adapter module's summary line, then the inputs model's docstring without its "Inputs of" line."""
    summary = inspect.cleandoc(sys.modules[type(adapter).__module__].__doc__ or "").split("\n\n")[0]
    body = inspect.cleandoc(adapter.inputs_model.__doc__ or "").split("\n", 1)
    return "\n\n".join(part.strip() for part in (summary, body[1] if len(body) > 1 else "") if part.strip())


def _resource(adapter: Adapter[Any], types_: _Types) -> dict[str, Any]:
    model = adapter.inputs_model
    inputs, required = _model_properties(model, types_, adapter.resource_type, output=False)
    outputs, _ = _model_properties(model, types_, adapter.resource_type, output=True)
    return {
        "description": _resource_doc(adapter),
        "inputProperties": inputs,
        "requiredInputs": required,
        "properties": outputs,
        "required": required,
    }


def _output_type(cls: type, key: str) -> Any:
    """``T`` of the component's annotation ``key: pulumi.Output[T]`` (read where it is declared)."""
    owner = next(c for c in cls.__mro__ if key in vars(c).get("__annotations__", {}))
    annotation = owner.__annotations__[key]
    if isinstance(annotation, str):  # postponed (``from __future__ import annotations``): our own source text
        annotation = eval(annotation, vars(sys.modules[owner.__module__]))
    return get_args(annotation)[0]


def _component(name: str, types_: _Types) -> dict[str, Any]:
    component = COMPONENTS[name]
    inputs, required = _dataclass_properties(component.args, types_, name)
    outputs = {
        key: _described(types_.of(_output_type(component.cls, key), name, component.cls.__module__), doc)
        for key, doc in component.outputs.items()
    }
    return {
        "isComponent": True,
        "description": inspect.cleandoc(component.cls.__doc__ or ""),
        "inputProperties": inputs,
        "requiredInputs": required,
        "properties": outputs,
    }


#: The connection settings: schema name, type, description (the config keys are ``piwik:<name>``).
_CONFIG: tuple[tuple[str, str, str, str | None, bool], ...] = (
    ("baseUrl", "string", "The account's address, e.g. https://<account>.piwik.pro.", ENV_BASE_URL, False),
    ("clientId", "string", "The API client id (Administration → API credentials).", ENV_CLIENT_ID, False),
    ("clientSecret", "string", "The API client secret (stored encrypted; never in state).", ENV_CLIENT_SECRET, True),
    (
        "readsPerMinute",
        "integer",
        "Reads a minute the provider allows itself (the service's limit: 600; 0 = unpaced).",
        _connection.ENV_READS_PER_MINUTE,
        False,
    ),
    (
        "writesPerMinute",
        "integer",
        "Writes a minute the provider allows itself (the service's limit: 60; 0 = unpaced).",
        _connection.ENV_WRITES_PER_MINUTE,
        False,
    ),
)


def _config_properties() -> dict[str, Any]:
    declared = {key.split(":", 1)[1] for key in _connection.CONFIG_KEYS}
    props: dict[str, Any] = {}
    for name, kind, doc, env, secret in _CONFIG:
        assert name in declared, name  # providers/_connection.py is where the keys are declared
        spec: dict[str, Any] = {"type": kind, "description": doc}
        if env:
            spec["defaultInfo"] = {"environment": [env]}
        props[name] = {**spec, "secret": True} if secret else spec
    return props


def schema() -> dict[str, Any]:
    """The whole package schema."""
    types_ = _Types()
    resources = {PLUGIN_TYPE_PREFIX + t: _resource(a, types_) for t, a in sorted(adapters().items())}
    for name in COMPONENTS:
        resources[PLUGIN_TYPE_PREFIX + name] = _component(name, types_)
    config = _config_properties()
    return {
        "name": PACKAGE,
        "displayName": "Piwik PRO",
        "version": piwik_resources.__version__,
        "description": "Piwik PRO Analytics Suite as code, and sites made exempt from consent under the CNIL's rules.",
        "keywords": ["piwik", "analytics", "cnil", "gdpr", "category/utility", "kind/native"],
        "license": "Apache-2.0",
        "config": {"variables": config},
        "provider": {
            "description": "The Piwik PRO account the resources are managed in (or PIWIK_* in the environment).",
            "inputProperties": config,
        },
        "types": dict(sorted(types_.specs.items())),
        "resources": resources,
    }


def _without_empty_lists(spec: Any) -> Any:
    """Leave out empty ``required`` lists, as Pulumi's own schema reader does (so get-schema prints the file)."""
    if isinstance(spec, dict):
        keep = {k: v for k, v in spec.items() if v != [] or k not in ("required", "requiredInputs")}
        return {k: _without_empty_lists(v) for k, v in keep.items()}
    return spec


@functools.cache
def schema_text() -> str:
    """The schema as the committed file holds it (and the plugin serves it)."""
    return json.dumps(_without_empty_lists(schema()), indent=2, ensure_ascii=False) + "\n"


__all__ = ["SCHEMA_FILE", "field_comments", "schema", "schema_text"]
