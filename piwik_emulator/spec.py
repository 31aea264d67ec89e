"""The vendored OpenAPI files (openapi/ beside this module), read: one reader for the emulator and the generators.

Piwik PRO publishes one OpenAPI 3.1 document per path, every schema written inline (no ``$ref``, no
``components``), with ``allOf`` pieces, ``oneOf`` template variants and ``nullable`` marks. :func:`attributes`
gives the JSON:API ``attributes`` object of one operation's request or response as one plain schema: ``allOf``
merged, the variants of a ``oneOf`` united (a property whose variants differ keeps only its type), a nullable
branch turned into ``"nullable": true``. The emulator takes its field tables from it (tracker_settings.py) and
tools/gen_api_models.py the client's models (piwik_resources/api/generated.py), so neither copies the files.

Nothing here imports the library: the emulator stands for Piwik PRO, never for the code under test.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

from .messages import JSON_API

#: The vendored files; ``PIWIK_OPENAPI_DIR`` points the emulator (and the contract tests) at another copy.
DEFAULT_DIR = Path(__file__).resolve().parent / "openapi"
_META = ("description", "example", "examples", "title", "deprecated", "default")
_INITIAL = re.compile(r"Initial global value[^:]*:\s*(.*?)\s*```", re.S)

Schema = dict[str, Any]


def spec_dir() -> Path:
    return Path(os.environ.get("PIWIK_OPENAPI_DIR") or DEFAULT_DIR)


@cache
def document(name: str, folder: Path | None = None) -> Schema:
    """One vendored file, parsed (cached per file and folder)."""
    doc: Schema = json.loads(((folder or spec_dir()) / name).read_text(encoding="utf-8"))
    return doc


def operation(name: str, method: str, folder: Path | None = None) -> Schema:
    """The operation ``method`` of the one path the file ``name`` publishes."""
    (item,) = document(name, folder)["paths"].values()
    op: Schema = item[method.lower()]
    return op


def _media(op: Schema, where: str) -> Schema:
    holder = op["requestBody"] if where == "request" else op["responses"][where]
    content = holder["content"]
    media: Schema = content.get(JSON_API) or next(iter(content.values()))
    return media


def _merge(into: Schema, part: Schema) -> Schema:
    """``part`` merged into ``into`` (``allOf``): properties merged by name, ``required`` united, else last wins."""
    out = dict(into)
    for key, value in part.items():
        if key == "properties":
            props = dict(out.get("properties", {}))
            for name, sub in value.items():
                props[name] = _merge(props[name], sub) if name in props else sub
            out["properties"] = props
        elif key == "required":
            out["required"] = sorted(set(out.get("required", [])) | set(value))
        else:
            out[key] = value
    return out


def _is_null(schema: Schema) -> bool:
    return schema.get("type") == "null" or schema.get("enum") == [None]


def _same(a: Schema, b: Schema) -> bool:
    def shape(s: Any) -> Any:
        if isinstance(s, dict):
            return {k: shape(v) for k, v in s.items() if k not in _META}
        return [shape(v) for v in s] if isinstance(s, list) else s

    return bool(shape(a) == shape(b))


def _typed(schema: Schema) -> Schema:
    """``schema`` with the ``type`` its ``enum`` implies when it names none (``{"enum": [false]}``)."""
    kinds = {type(v).__name__ for v in schema.get("enum", []) if v is not None}
    names = {"bool": "boolean", "int": "integer", "str": "string", "float": "number"}
    if "type" in schema or len(kinds) != 1:
        return schema
    return {**schema, "type": names.get(kinds.pop())}


def unite(a: Schema, b: Schema) -> Schema:
    """One schema for a value that is either ``a`` or ``b`` (two variants of one property)."""
    if _same(a, b):
        return a
    if _is_null(a) or _is_null(b):  # null in one variant, a value in the other: the value, nullable
        return {**(a if _is_null(b) else b), "nullable": True}
    a, b = _typed(a), _typed(b)
    if a.get("type") == b.get("type") and "enum" in a and "enum" in b:
        return {**a, "enum": [*a["enum"], *(v for v in b["enum"] if v not in a["enum"])]}
    if a.get("type") == b.get("type") == "object" and "properties" in a and "properties" in b:
        return _variants([a, b])
    return {"type": a["type"]} if a.get("type") == b.get("type") else {}


def _variants(branches: list[Schema]) -> Schema:
    """The objects of a ``oneOf``/``anyOf`` as one: every property of any variant, required only in all."""
    props: dict[str, Schema] = {}
    required = set(branches[0].get("required", []))
    for branch in branches:
        required &= set(branch.get("required", []))
        for name, sub in branch.get("properties", {}).items():
            props[name] = unite(props[name], sub) if name in props else sub
    return {"type": "object", "properties": props, "required": sorted(required)}


def resolve(schema: Schema) -> Schema:
    """``schema`` as one plain schema: ``allOf`` merged, ``oneOf``/``anyOf`` united, nullable marked."""
    schema = dict(schema)
    for part in schema.pop("allOf", []):
        schema = _merge(schema, resolve(part))
    branches = [resolve(b) for b in schema.pop("oneOf", []) + schema.pop("anyOf", [])]
    if any(_is_null(b) for b in branches):
        schema["nullable"] = True
        branches = [b for b in branches if not _is_null(b)]
    if len(branches) == 1 or (branches and all(not b.get("properties") for b in branches)):
        for branch in branches:  # one branch, or alternatives of a scalar (IPv4 | IPv6): merged
            schema = _merge(schema, {k: v for k, v in branch.items() if k != "format" or len(branches) == 1})
    elif branches:
        schema = _merge(schema, _variants(branches))
    if isinstance(schema.get("type"), list):  # OpenAPI 3.1: ["string", "null"]
        kinds = [t for t in schema["type"] if t != "null"]
        schema["nullable"] = schema.get("nullable") or len(kinds) < len(schema["type"])
        schema["type"] = kinds[0] if len(kinds) == 1 else None
    if "properties" in schema:
        schema["properties"] = {k: resolve(v) for k, v in schema["properties"].items()}
    if "items" in schema:
        schema["items"] = resolve(schema["items"])
    return schema


def data(name: str, method: str, where: str, folder: Path | None = None) -> Schema:
    """The JSON:API ``data`` object of the request (``where="request"``) or a response (its status) of an
    operation, resolved; a list's item when ``data`` is an array."""
    body = resolve(_media(operation(name, method, folder), where)["schema"])
    found: Schema = body.get("properties", {}).get("data", {})
    return resolve(found["items"]) if found.get("type") == "array" and "items" in found else found


def attributes(name: str, method: str, where: str, folder: Path | None = None) -> Schema:
    """The ``attributes`` object of :func:`data`: ``properties`` by API name and their ``required`` list."""
    found: Schema = data(name, method, where, folder).get("properties", {}).get("attributes", {})
    return {"properties": found.get("properties", {}), "required": found.get("required", [])}


def parameter_enum(name: str, method: str, parameter: str, folder: Path | None = None) -> list[Any]:
    """The ``enum`` of one parameter of an operation (e.g. the ``setting`` of a tracker setting's DELETE)."""
    params = operation(name, method, folder).get("parameters", [])
    values: list[Any] = next(resolve(p["schema"]) for p in params if p["name"] == parameter)["enum"]
    return values


def initial_global_value(schema: Schema) -> Any:
    """The value of a tracker setting's "Initial global value" block in its description (None: no such block).

    The blocks are YAML-like: ``none``, ``0``, ``false``, or a bracketed list of bare words, one a line.
    """
    found = _INITIAL.search(schema.get("description", ""))
    if found is None:
        return None
    text = found.group(1).strip()
    if text.startswith("["):
        return [item.strip() for item in text.strip("[]").split(",") if item.strip()]
    if text in ("true", "false"):
        return text == "true"
    return int(text) if text.lstrip("-").isdigit() else text


__all__ = [
    "DEFAULT_DIR",
    "Schema",
    "attributes",
    "data",
    "document",
    "initial_global_value",
    "operation",
    "parameter_enum",
    "resolve",
    "spec_dir",
    "unite",
]
