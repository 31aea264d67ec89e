"""Write the client's request and response models (piwik_resources/api/generated.py) from the vendored OpenAPI files.

The files in piwik_emulator/openapi/ are the root of what the client knows of a Piwik PRO object: its attributes,
their types, enumerations and limits. :data:`MODELS` says which operations' ``attributes`` make which model; the
rest comes from the files, read by piwik_emulator/spec.py (the reader the emulator uses too). Every enumeration
is a named ``Literal`` (:data:`ENUM_NAMES` names the ones the library speaks of; another gets its attribute's name
in PascalCase), so a new enumerated setting needs no hand-written line. Behaviour, the library's own defaults and
the consent-template API (unpublished) stay hand-written in piwik_resources/api/models.py, on top of these.

Why not datamodel-code-generator: Piwik PRO writes every schema inline, one document per path, so a generic
generator names classes by position (``Attributes1``, ``Data2``) and emits one copy per file of the same object
(the tracker settings are in five operations of three files); the client needs one class per object, the JSON:API
``attributes`` only, the enumerations named (the generated Pulumi ``…Args`` keep them by name), and the tag
variants united. Mapping that costs less here than post-processing another tool's output, and the output does not
change with another tool's formatting (docs/client.md, "Generated models").

    python -m tools.gen_api_models          # rewrite piwik_resources/api/generated.py
    python -m tools.gen_api_models --check  # exit 1 when it is stale
    python -m tools.gen_api_models --spec DIR --out FILE   # another copy of the files, another output
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from piwik_emulator import spec

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "piwik_resources" / "api" / "generated.py"
WIDTH = 120


@dataclass(frozen=True)
class Source:
    """The ``attributes`` of one operation: its request (``where="request"``) or the response of a status."""

    file: str
    method: str
    where: str = "200"


@dataclass(frozen=True)
class Model:
    """One generated class: the attributes of ``sources`` united.

    ``request``: a body the client sends: the spec's ``required`` and limits apply (a response is parsed
    leniently: limits are the API's to keep). ``id``: the JSON:API id is ``required``, ``optional`` or absent.
    ``exclude``: attributes the client fills in itself; ``optional``: required by the files but not always
    present in what the client sends or builds (each with its reason in :data:`MODELS`). ``nested``: attribute
    -> class name of an object made a model of its own (other objects stay ``dict[str, Any]``).
    """

    name: str
    doc: str
    sources: tuple[Source, ...]
    request: bool = False
    id: str = "none"
    exclude: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    nested: dict[str, str] = field(default_factory=dict)


_TRACKER = ("api_tracker_v2_settings_app_global.json", "api_tracker_v2_settings_app_{app_id}.json")
_DIMENSION = "api_analytics_v1_manage_custom-dimensions.json"
_DIMENSION_ITEM = "api_analytics_v1_manage_custom-dimensions_{id}.json"
_VERSIONS = ("versions", "versions_draft", "versions_published", "versions_{version_id}")
_CODES = (
    "api_container-settings_v1_organization_{organization}_opt-out-code.json",
    "api_container-settings_v1_app_{app_id}_installation-code.json",
)

MODELS: tuple[Model, ...] = (
    Model(
        "AppAttributes",
        "The attributes of an app the create (``POST /api/apps/v2``) takes; ``name`` and ``urls`` are required.",
        (Source("api_apps_v2.json", "post", "request"),),
        request=True,
        exclude=("id",),  # the client-chosen id is added by the apps service, not an attribute of the caller's
    ),
    Model(
        "AppChanges",
        "The attributes of an app a ``PATCH /api/apps/v2/{app_id}`` takes (not ``appType``: fixed at creation).",
        (Source("api_apps_v2_{app_id}.json", "patch", "request"),),
        request=True,
    ),
    Model(
        "App",
        "An app as ``GET /api/apps/v2/{app_id}`` and the create return it (every attribute, read-only ones too).",
        (Source("api_apps_v2_{app_id}.json", "get"), Source("api_apps_v2.json", "post", "201")),
        id="required",
    ),
    Model(
        "AppSummary",
        "An item of ``GET /api/apps/v2`` (the list carries only ``name``, ``addedAt``, ``updatedAt``).",
        (Source("api_apps_v2.json", "get"),),
        id="required",
    ),
    Model(
        "TrackerSettings",
        "Global (``id == "
        '"global"``) or per-app tracker settings, as read and as written (a PATCH sends only what it sets).',
        (
            *(Source(f, m, w) for f in _TRACKER for m, w in (("get", "200"), ("patch", "request"))),
            Source("api_tracker_v2_settings_app_url.json", "get"),
        ),
        id="optional",
    ),
    Model(
        "TagAttributes",
        "The attributes a tag's create (``POST /api/tag/v1/{app_id}/tags``) takes, united over its 44 template "
        "variants (``template_options`` differs per template: a plain object here).",
        (Source("api_tag_v1_{app_id}_tags.json", "post", "request"),),
        request=True,
    ),
    Model(
        "TagFields",
        "A tag as read: list items carry the summary fields, ``get`` all of them.",
        (Source("api_tag_v1_{app_id}_tags_{tag_id}.json", "get"), Source("api_tag_v1_{app_id}_tags.json", "get")),
        id="required",
    ),
    Model(
        "VersionFields",
        "A Tag Manager container version (``draft``, ``published`` or ``historic``).",
        tuple(Source(f"api_tag_v1_{{app_id}}_{v}.json", "get") for v in _VERSIONS),
        id="required",
    ),
    Model(
        "OperationFields",
        "An asynchronous Tag Manager operation.",
        (Source("api_tag_v1_{app_id}_operations_{operation_id}.json", "get"),),
        id="required",
        # The client builds a completed operation for a publication answered without one (tag_manager.py).
        optional=("operation_type", "parameters", "summary", "created_at", "updated_at"),
    ),
    Model(
        "CustomDimensionFields",
        "The attributes a custom dimension's create (``POST``) and full update (``PUT``) take.",
        (Source(_DIMENSION, "post", "request"), Source(_DIMENSION_ITEM, "put", "request")),
        request=True,
        exclude=("website_id", "tracking_id"),  # the service sends the app; the API assigns the tracking id
        optional=("slot",),  # assigned by the API when omitted (it is then left out of the body)
        nested={"extractions": "Extraction"},
    ),
    Model(
        "CustomDimensionRead",
        "A custom dimension as read; ``tracking_id`` is the number trackers use.",
        (
            Source(_DIMENSION_ITEM, "get"),
            Source(_DIMENSION, "get"),
            Source(_DIMENSION, "post", "201"),
            Source(_DIMENSION_ITEM, "put"),
        ),
        id="required",
        nested={"extractions": "Extraction"},
    ),
    Model(
        "OptOutCode",
        "An HTML snippet: the organization's opt-out form (``id``: the organization) or an app's installation code.",
        tuple(Source(f, "get") for f in _CODES),
        id="optional",
    ),
    Model(
        "AuditLogEntry",
        "Who did what, when and from where: one entry of the audit log. ``type`` is an open set of event names "
        "(``app.added``, ``app.changed.urls``, ...); ``author_email`` and ``ip`` are null for the system's own.",
        (Source("api_audit-log_v1_entries.json", "get"),),
        id="required",
    ),
)

#: The names of the enumerations the library speaks of (``Model.attribute`` first, then ``attribute``).
ENUM_NAMES: dict[str, str] = {
    "anonymize_visitor_geolocation_level": "GeolocationLevel",
    "anonymize_visitor_ip_level": "IpMaskingLevel",
    "session_limit_exceeded_action": "SessionLimitExceededAction",
    "AppAttributes.appType": "AppType",
    "App.appType": "ExistingAppType",  # reads add ``demo``, an app no create makes
    "gdprDataAnonymizationMode": "AnonymizationMode",
    "scope": "DimensionScope",
    "Extraction.target": "ExtractionTarget",
    "consent_type": "ConsentType",
    "template": "TagTemplate",
    "tag_type": "TagType",
    "version_type": "VersionType",
    "operation_type": "OperationType",
    "state": "OperationState",
}

_DATE_TIME = re.compile(r"^\^\[0-9\]\{4\}-\[0-9\]\{2\}-\[0-9\]\{2\}T")
_CONSTRAINTS = {"minLength": "min_length", "maxLength": "max_length", "minimum": "ge", "maximum": "le"}
_SCALARS = {"boolean": "bool", "integer": "int", "number": "float"}


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\W]+", name) if part)


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


@dataclass
class Writer:
    """What the module being written has declared so far: enumerations by name, nested classes, imports."""

    folder: Path | None
    enums: dict[str, tuple[object, ...]] = field(default_factory=dict)
    classes: list[str] = field(default_factory=list)
    uses: set[str] = field(default_factory=set)

    def enum(self, model: str, attribute: str, values: list[object]) -> str:
        key = tuple(values)
        name = ENUM_NAMES.get(f"{model}.{attribute}") or ENUM_NAMES.get(attribute) or _pascal(attribute)
        if self.enums.get(name, key) != key:
            name = _pascal(model) + _pascal(attribute)
        self.enums[name] = key
        return name

    def python_type(self, model: Model, owner: str, attribute: str, schema: spec.Schema) -> str:
        """The annotation of one attribute (without ``| None``)."""
        if "enum" in schema and [v for v in schema["enum"] if v is not None]:
            name = self.enum(owner, attribute, [v for v in schema["enum"] if v is not None])
            if model.request or not all(isinstance(v, str) for v in self.enums[name]):
                return name
            # What the API answers may hold a value these files do not list yet (a newer tag template, say):
            # a read keeps it instead of failing the whole operation (base.Unlisted).
            self.uses.add("Unlisted")
            return f"{name} | Unlisted"
        kind = schema.get("type")
        if kind == "array":
            return f"list[{self.python_type(model, owner, attribute, schema.get('items', {}))}]"
        if kind == "object":
            nested = model.nested.get(attribute)
            if nested is not None:
                self.nested(model, nested, schema)
                return nested
            self.uses.add("Any")
            return "dict[str, Any]"
        if kind == "string":
            dated = schema.get("format") == "date-time" or _DATE_TIME.match(schema.get("pattern", ""))
            self.uses.add("datetime") if dated else None
            return "datetime" if dated else "str"
        if kind in _SCALARS:
            return _SCALARS[kind]
        self.uses.add("Any")
        return "Any"

    def nested(self, model: Model, name: str, schema: spec.Schema) -> None:
        if name not in {c.split("(")[0].split()[-1] for c in self.classes}:
            doc = f"An item of {model.name}'s ``{next(k for k, v in model.nested.items() if v == name)}``."
            body = {"properties": schema.get("properties", {}), "required": schema.get("required", [])}
            self.classes.append(self.render(Model(name, doc, (), request=model.request), body))

    def render(self, model: Model, attrs: spec.Schema) -> str:
        lines = [f"class {model.name}(PiwikModel):", *_doc(model.doc, "    ")]
        resource = _resource_type(model, self.folder)
        if resource is not None:
            self.uses.add("ClassVar")
            lines += ["", f"    resource_type: ClassVar[str | None] = {_py(resource)}"]
        lines += [""] + (["    id: str"] if model.id == "required" else [])
        lines += ["    id: str | None = None"] if model.id == "optional" else []
        for attribute, schema in attrs["properties"].items():
            if attribute not in model.exclude:
                lines += self.attribute(model, attribute, schema, attrs["required"])
        return "\n".join(lines)

    def attribute(self, model: Model, attribute: str, schema: spec.Schema, required: list[str]) -> list[str]:
        name = _snake(attribute)
        annotation = self.python_type(model, model.name, attribute, schema)
        needed = attribute in required and attribute not in model.optional and not schema.get("nullable")
        args = [f"{py}={schema[js]!r}" for js, py in _CONSTRAINTS.items() if model.request and js in schema]
        args += [f"alias={_py(attribute)}"] if name != attribute else []
        if not needed:
            annotation += " | None"
            args = ["None", *args] if args else args
        if args:
            self.uses.add("Field")
        value = f" = Field({', '.join(args)})" if args else ("" if needed else " = None")
        return [f"    {name}: {annotation}{value}", *_doc(_summary(schema), "    ")]


def _resource_type(model: Model, folder: Path | None) -> str | None:
    """The JSON:API ``type`` of the model's objects, when every source names the same one."""
    found: set[str] = set()
    for s in model.sources:
        kind = spec.data(s.file, s.method, s.where, folder).get("properties", {}).get("type", {})
        found |= {str(v) for v in kind.get("enum") or ["?", "??"]}
    return found.pop() if len(found) == 1 else None


def _py(value: object) -> str:
    """A literal as ruff writes it (double-quoted strings)."""
    return json.dumps(value) if isinstance(value, str) else repr(value)


def _literal(name: str, values: tuple[object, ...]) -> str:
    line = f"{name} = Literal[{', '.join(_py(v) for v in values)}]"
    if len(line) <= WIDTH:
        return line
    return "\n".join([f"{name} = Literal[", *(f"    {_py(v)}," for v in values), "]"])


def _summary(schema: spec.Schema) -> str:
    """The first sentence of an attribute's description (the API's wording), and whether it is deprecated."""
    text = " ".join(re.sub(r"<[^>]+>", " ", schema.get("description", "").split("```")[0]).split())
    first = re.split(r"(?<!e\.g)(?<!i\.e)(?<=[.!?])\s", text, maxsplit=1)[0] if text else ""
    first = first if len(first) <= 200 else first[:199].rstrip() + "…"
    return (first + (" Deprecated by the API." if schema.get("deprecated") else "")).strip()


def _doc(text: str, indent: str) -> list[str]:
    if not text:
        return []
    text = text.replace("\\", "\\\\").replace('"""', "'''")
    if len(indent) + len(text) + 6 <= WIDTH:
        return [f'{indent}"""{text}"""']
    lines = textwrap.wrap(text, WIDTH - len(indent) - 3, break_on_hyphens=False)
    return [f'{indent}"""{lines[0]}', *(f"{indent}{line}" for line in lines[1:]), f'{indent}"""']


def united(model: Model, folder: Path | None) -> spec.Schema:
    """The ``attributes`` of every source of ``model``: properties in first-seen order, required in all."""
    props: dict[str, spec.Schema] = {}
    required: set[str] | None = None
    for source in model.sources:
        attrs = spec.attributes(source.file, source.method, source.where, folder)
        for name, schema in attrs["properties"].items():
            props[name] = spec.unite(props[name], schema) if name in props else schema
        required = set(attrs["required"]) if required is None else required & set(attrs["required"])
    return {"properties": props, "required": sorted(required or ())}


def render(folder: Path | None = None) -> str:
    """The source of piwik_resources/api/generated.py from the files in ``folder`` (default: the vendored ones)."""
    writer = Writer(folder)
    for model in MODELS:
        writer.classes.append(writer.render(model, united(model, folder)))
    enums = [_literal(name, values) for name, values in writer.enums.items()]
    imports = ["from __future__ import annotations", ""]
    imports += ["from datetime import datetime"] if "datetime" in writer.uses else []
    typing = sorted({"Literal"} | (writer.uses & {"Any", "ClassVar"}))
    imports += [f"from typing import {', '.join(typing)}", ""]
    imports += ["from pydantic import Field", ""] if "Field" in writer.uses else []
    imports += [
        "from .base import PiwikModel, Unlisted" if "Unlisted" in writer.uses else "from .base import PiwikModel"
    ]
    names = sorted([*writer.enums, *(c.split("(")[0].split()[-1] for c in writer.classes)])
    header = [
        '"""The client\'s models of Piwik PRO\'s objects: GENERATED by `python -m tools.gen_api_models` from the',
        "OpenAPI files in piwik_emulator/openapi/; do not edit (`make test` runs `--check`). Behaviour and the",
        'library\'s own defaults are in models.py, on top of these."""',
        "",
    ]
    body = "\n\n\n".join(writer.classes)
    all_ = ["", "", "__all__ = [", *(f'    "{n}",' for n in names), "]"]
    return "\n".join([*header, *imports, "", *enums, "", "", body, *all_]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.gen_api_models", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the output is stale")
    parser.add_argument("--spec", type=Path, default=None, help="the OpenAPI files (default: the vendored ones)")
    parser.add_argument("--out", type=Path, default=OUT, help="the module to write")
    args = parser.parse_args(argv)
    text = render(args.spec)
    current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
    if args.check:
        if current != text:
            print(f"stale: {args.out} (run: python -m tools.gen_api_models)", file=sys.stderr)
        return 0 if current == text else 1
    if current != text:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
