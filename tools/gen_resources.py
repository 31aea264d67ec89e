"""Write the typed ``…Args`` / ``…Outputs`` modules and the property tables of docs/resources.md from the declarations.

The declarations are the inputs models of ``piwik_resources/providers/<module>.py`` (see
piwik_resources/providers/_fields.py). Users' programs need static types (IDE completion, ``mypy --strict``),
which a class built at import cannot give; so the typed code is generated, once per provider module, into
``piwik_resources/resources/_gen/<module>.py``, and the tables into the ``<!-- properties: Name -->`` blocks of
docs/resources.md, and the provider plugin's package schema (piwik_resources/plugin/schema.py) into
piwik_resources/plugin/schema.json. ``--check`` writes nothing and exits 1 when a generated file is stale (the
test suite runs it).

    python -m tools.gen_resources          # rewrite what is stale
    python -m tools.gen_resources --check  # exit 1 and name the stale files
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import pkgutil
import re
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

import piwik_resources.api.generated as api_generated
import piwik_resources.api.models as api_models
import piwik_resources.providers as providers_pkg
from piwik_resources import compliance
from piwik_resources.compliance import live
from piwik_resources.plugin import schema as plugin_schema
from piwik_resources.providers import _fields
from piwik_resources.providers.engine import PiwikProvider

ROOT = Path(__file__).resolve().parents[1]
GEN_DIR = ROOT / "piwik_resources" / "resources" / "_gen"
DOCS = ROOT / "docs" / "resources.md"
WIDTH = 120


@dataclass(frozen=True)
class Resource:
    """One resource: its Pulumi type name and its inputs model (the declarations)."""

    name: str
    model: type[BaseModel]


def discover() -> dict[str, list[Resource]]:
    """Provider module name -> its resources, in definition order (every PiwikProvider subclass defined there)."""
    found: dict[str, list[Resource]] = {}
    for info in sorted(pkgutil.iter_modules(providers_pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{providers_pkg.__name__}.{info.name}")
        classes = [
            obj
            for obj in vars(module).values()
            if inspect.isclass(obj)
            and issubclass(obj, PiwikProvider)
            and "adapter" in vars(obj)
            and obj.__module__ == module.__name__
        ]
        classes.sort(key=lambda c: inspect.getsourcelines(c)[1])
        undeclared = [c.__name__ for c in classes if not _fields.is_declared(c.adapter.inputs_model)]
        if undeclared:
            raise SystemExit(f"{module.__name__}: declare every input of {', '.join(undeclared)} with prop()")
        if classes:
            found[info.name] = [Resource(c.adapter.resource_type, c.adapter.inputs_model) for c in classes]
    return found


# --- Python types -------------------------------------------------------------------------------------------


def _nested(t: Any) -> type[BaseModel] | None:
    return t if inspect.isclass(t) and issubclass(t, BaseModel) else None


def _enum_homes() -> list[Any]:
    """Where enumerations are declared: the API's in piwik_resources/api/generated.py (from the OpenAPI files), the
    client's own in models.py, the providers' own beside them."""
    providers = [sys.modules[n] for n in sorted(sys.modules) if n.startswith(f"{providers_pkg.__name__}.")]
    return [api_generated, api_models, *providers]


def enum_home(t: Any) -> tuple[str, str]:
    """(module, name) of the enumeration ``t``: kept by name in the generated code, as Pulumi's codegen keeps enums."""
    for module in _enum_homes():
        for name, value in vars(module).items():
            if get_origin(value) is Literal and get_args(value) == get_args(t) and not name.startswith("_"):
                return module.__name__, name
    raise SystemExit(f"Literal{list(get_args(t))} has no name: declare it as an alias beside its provider")


#: The enumerations the module being rendered names (render_module empties it first).
_ENUMS_USED: set[tuple[str, str]] = set()


def _scalar(t: Any) -> str:
    if get_origin(t) is Literal:
        _ENUMS_USED.add(enum_home(t))
        return enum_home(t)[1]
    if t is Any:
        return "Any"
    return str(t.__name__)


def input_type(t: Any) -> str:
    """The ``pulumi.Input`` annotation of a declared type."""
    t = _fields.strip_optional(t)
    origin = get_origin(t)
    if origin is list:
        return f"pulumi.Input[Sequence[{input_type(get_args(t)[0])}]]"
    if origin is dict:
        key, value = get_args(t)
        return f"pulumi.Input[Mapping[{_scalar(key)}, {output_type(value)}]]"
    nested = _nested(t)
    if nested is not None:
        return f"pulumi.Input[{typed_dict_name(nested)}]"
    return f"pulumi.Input[{_scalar(t)}]"


def output_type(t: Any) -> str:
    """The type inside ``pulumi.Output[...]`` (a nested object is a plain dict: a TypedDict breaks the SDK's typing)."""
    t = _fields.strip_optional(t)
    origin = get_origin(t)
    if origin is list:
        return f"list[{output_type(get_args(t)[0])}]"
    if origin is dict:
        key, value = get_args(t)
        return f"dict[{_scalar(key)}, {output_type(value)}]"
    nested = _nested(t)
    if nested is not None:
        kinds = {_scalar(_fields.strip_optional(f.annotation)) for f in nested.model_fields.values()}
        return f"dict[str, {kinds.pop() if len(kinds) == 1 else 'Any'}]"
    return _scalar(t)


def typed_dict_name(model: type[BaseModel]) -> str:
    return str(getattr(model, "typed_dict_name", model.__name__.removesuffix("Input")))


# --- the generated module ------------------------------------------------------------------------------------


def _docstring(text: str, indent: str) -> list[str]:
    body = " ".join(text.split())
    lines = textwrap.wrap(body, WIDTH - len(indent) - 6, break_on_hyphens=False) or [""]
    if len(lines) == 1 and len(indent) + len(lines[0]) + 6 <= WIDTH:
        return [f'{indent}"""{lines[0]}"""']
    return [f'{indent}"""{lines[0]}', *(f"{indent}{line}" for line in lines[1:]), f'{indent}"""']


def _class_doc(model: type[BaseModel], indent: str) -> list[str]:
    doc = inspect.cleandoc(model.__doc__ or "")
    if not doc:
        return []
    lines = doc.splitlines()
    out = [f'{indent}"""{lines[0]}']
    out += [f"{indent}{line}".rstrip() for line in lines[1:]]
    return [*out, f'{indent}"""'] if len(lines) > 1 else [f'{indent}"""{lines[0]}"""']


def _prop_doc(p: _fields.PropertyView) -> str:
    notes = [f"API ``{p.api}``"] if p.api else []
    if _fields.strip_optional(p.annotation) is not bool:  # "true or false" says nothing the type does not
        notes.append(f"allowed: {p.allowed}")
    notes += [n for n, on in (("replaces on change", p.replace), ("computed", p.computed)) if on]
    return f"{p.doc} ({'; '.join(notes)})" if notes else p.doc


def _typed_dicts(resources: Iterable[Resource]) -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []
    for res in resources:
        for p in _fields.properties(res.model):
            base = _fields.strip_optional(p.annotation)
            item = get_args(base)[0] if get_origin(base) is list else base
            nested = _nested(item)
            if nested is not None and nested not in seen:
                seen.append(nested)
    return seen


def _render_typed_dict(model: type[BaseModel]) -> list[str]:
    lines = ["", "", f"class {typed_dict_name(model)}(TypedDict):", *_class_doc(model, "    "), ""]
    for p in _fields.properties(model):
        lines += [f"    {p.name}: {output_type(p.annotation)}", *_docstring(_prop_doc(p), "    ")]
    return lines


def _shared_base(resources: list[Resource]) -> type[BaseModel] | None:
    """The model the module's resources all derive from directly, when it declares properties (the tracker
    settings of TrackerSettings and GlobalTrackerSettings): its typed classes are generated once, as bases."""
    bases = {res.model.__bases__[0] for res in resources}
    base = bases.pop() if len(resources) > 1 and len(bases) == 1 else None
    if base is None or not issubclass(base, BaseModel) or not base.model_fields:
        return None
    return base


def _own(model: type[BaseModel], base: type[BaseModel] | None) -> list[_fields.PropertyView]:
    inherited = set(base.model_fields) if base is not None else set()
    return [p for p in _fields.properties(model) if p.name not in inherited]


def _render_args(name: str, model: type[BaseModel], base: str, props: list[_fields.PropertyView]) -> list[str]:
    props = sorted((p for p in props if not p.internal), key=lambda p: not p.required)  # required first
    head = f"class {name}Args({base}Args):" if base else f"class {name}Args:"
    lines = ["", "", "@dataclass(frozen=True, kw_only=True)", head, *_class_doc(model, "    ")]
    lines += [""] if props else []
    for p in props:
        default = "" if p.required else " = None"
        optional = "" if p.required else " | None"
        lines += [f"    {p.name}: {input_type(p.annotation)}{optional}{default}", *_docstring(_prop_doc(p), "    ")]
    if not props and not model.__doc__:
        lines.append("    pass")
    return lines


def _render_outputs(name: str, model: type[BaseModel], base: str, props: list[_fields.PropertyView]) -> list[str]:
    head = f"class {name}Outputs({base}Outputs):" if base else f"class {name}Outputs:"
    what = f":class:`{name}`" if not name.startswith("_") else "the resources that share these properties"
    lines = ["", "", head, f'    """The typed outputs of {what}."""', ""]
    if not name.startswith("_"):
        outputs = _fields.outputs_of(model)
        keys = ", ".join(f'"{k}"' for k in outputs) + ("," if len(outputs) == 1 else "")
        lines.append("    #: Output-only properties (the resource passes them to the engine as None).")
        line = f"    OUTPUT_ONLY: ClassVar[tuple[str, ...]] = ({keys})"
        if len(line) > 120:  # as ruff format writes it: one key a line
            wrapped = [f'        "{k}",' for k in outputs]
            line = "\n".join(["    OUTPUT_ONLY: ClassVar[tuple[str, ...]] = (", *wrapped, "    )"])
        lines += [line, ""]
    for p in props:
        inner = output_type(p.annotation) + (" | None" if p.nullable_output else "")
        lines += [f"    {p.name}: pulumi.Output[{inner}]", *_docstring(p.doc, "    ")]
    for key, out in _fields.outputs_of(model).items() if not name.startswith("_") else ():
        lines += [f"    {key}: pulumi.Output[{_out_type(out.type)}]", *_docstring(out.doc, "    ")]
    return lines


def _out_type(t: Any) -> str:
    base = _fields.strip_optional(t)
    text = output_type(base)
    return f"{text} | None" if base is not t else text


def render_module(module: str, resources: list[Resource]) -> str:
    """The source of ``piwik_resources/resources/_gen/<module>.py``."""
    body: list[str] = []
    _ENUMS_USED.clear()
    for model in _typed_dicts(resources):
        body += _render_typed_dict(model)
    shared = _shared_base(resources)
    base = ""
    if shared is not None:
        base = f"_{shared.__name__.lstrip('_')}"
        props = _fields.properties(shared)
        body += _render_args(base, shared, "", props) + _render_outputs(base, shared, "", props)
    for res in resources:
        props = _own(res.model, shared)
        body += _render_args(res.name, res.model, base, props) + _render_outputs(res.name, res.model, base, props)
    text = "\n".join(body)
    imports = ["from __future__ import annotations", ""]
    abc = [n for n in ("Mapping", "Sequence") if f"{n}[" in text]
    if abc:
        imports.append(f"from collections.abc import {', '.join(abc)}")
    imports.append("from dataclasses import dataclass")
    typing_names = [n for n in ("Any", "ClassVar", "TypedDict") if re.search(rf"\b{n}\b", text)]
    imports += [f"from typing import {', '.join(typing_names)}", "", "import pulumi"]
    homes = sorted({module for module, _ in _ENUMS_USED})
    imports += [""] if homes else []
    for home in homes:
        imports.append(f"from {home} import {', '.join(sorted(n for m, n in _ENUMS_USED if m == home))}")
    header = [
        f'"""Typed inputs and outputs of piwik_resources/providers/{module}.py\'s resources: GENERATED by',
        "`python -m tools.gen_resources` from the declarations there (piwik_resources/providers/_fields.py); do not",
        'edit (tests/providers/test_declarations.py fails when this file is stale)."""',
        "",
    ]
    return "\n".join(header + imports + body) + "\n"


# --- docs/resources.md ------------------------------------------------------------------------------------------

_MARKER = re.compile(
    r"<!-- properties: (?P<name>\w+)(?:, not in (?P<base>\w+))? -->\n.*?<!-- end properties -->\n", re.S
)


def _cell(text: str) -> str:
    """Markdown of a docstring fragment: RST literals become code spans; pipes are escaped."""
    return text.replace("``", "`").replace("|", "\\|")


def render_table(model: type[BaseModel], exclude: Iterable[str] = ()) -> str:
    """The Markdown table of a resource's properties (those in ``exclude`` left out)."""
    skip = set(exclude)
    rows = ["| property | API attribute | allowed | notes | description |", "|---|---|---|---|---|"]
    for p in _fields.properties(model):
        if p.name in skip or p.internal:
            continue
        notes = [n for n, on in (("required", p.required), ("replace on change", p.replace)) if on]
        notes += ["computed"] if p.computed else []
        notes += [f"default `{json.dumps(p.default)}`"] if p.default is not None else []
        api = f"`{p.api}`" if p.api else "—"
        rows.append(f"| `{p.name}` | {api} | {_cell(p.allowed)} | {', '.join(notes)} | {_cell(p.doc)} |")
    for name, out in _fields.outputs_of(model).items():
        if name not in skip:
            rows.append(f"| `{name}` | — | — | output only | {_cell(out.doc)} |")
    return "\n".join(rows) + "\n"


def render_docs(text: str, models: dict[str, type[BaseModel]]) -> str:
    """``text`` (docs/resources.md) with every properties block rewritten; a block naming no resource is an error."""

    def block(match: re.Match[str]) -> str:
        name, base = match["name"], match["base"]
        if name not in models or (base and base not in models):
            raise SystemExit(f"docs/resources.md: no resource {base if name in models else name!r} to document")
        exclude = set(models[base].model_fields) | set(_fields.outputs_of(models[base])) if base else set()
        head = f"<!-- properties: {name}{f', not in {base}' if base else ''} -->\n"
        return head + render_table(models[name], exclude) + "<!-- end properties -->\n"

    return _MARKER.sub(block, text)


def _kind(t: Any) -> tuple[str, tuple[Any, ...]]:
    """What a type is, for comparing a declaration with its client field: the Literal's values, else its kind."""
    base = _fields.strip_optional(t)
    if get_origin(base) is Literal:
        return "one of", get_args(base)
    if get_origin(base) is list or get_origin(base) is dict:
        return get_origin(base).__name__, ()
    return getattr(base, "__name__", str(base)), ()


def _type_problem(declared: Any, client: Any) -> str | None:
    """Why a property's declared type does not fit the client field it maps to (None: it fits)."""
    (kind, values), (api_kind, api_values) = _kind(declared), _kind(client)
    if api_kind == "Any" or (kind, values) == (api_kind, api_values):
        return None
    if kind == "one of" and api_kind == "one of":
        extra = [v for v in values if v not in api_values]
        return f"allows {extra}, which the API does not list (it takes {list(api_values)})" if extra else None
    if kind == "one of":
        kind = type(values[0]).__name__
    if api_kind == "one of":
        return f"is of type {kind}, the API takes one of {list(api_values)}"
    return None if kind == api_kind else f"is of type {kind}, the API's field of type {api_kind}"


def api_problems(models: dict[str, type[BaseModel]]) -> list[str]:
    """Every ``prop(api=...)`` that names no field of its resource's client model (``api_model``), or whose type
    does not fit that field: a typo or a field the OpenAPI files dropped fails here, naming it, not at the first
    write."""
    problems: list[str] = []
    for name, resource in models.items():
        for model in [resource, *_typed_dicts([Resource(name, resource)])]:
            client: type[BaseModel] | None = getattr(model, "api_model", None)
            for p in _fields.properties(model):
                label = f"{name}.{p.name}" if model is resource else f"{name} {model.__name__}.{p.name}"
                if p.api is None or (model is not resource and model in models.values()):
                    continue
                if client is None:
                    problems.append(f"{label}: prop(api={p.api!r}), but {model.__name__} names no api_model")
                elif p.api not in client.model_fields:
                    problems.append(
                        f"{label}: prop(api={p.api!r}): the client model {client.__name__} has no field {p.api!r} "
                        "(piwik_resources/api/generated.py, from the OpenAPI files by `python -m tools.gen_api_models`)"
                    )
                elif why := _type_problem(p.annotation, client.model_fields[p.api].annotation):
                    problems.append(f"{label}: prop(api={p.api!r}) {why}")
    return problems


def rule_problems(models: dict[str, type[BaseModel]], rules: Iterable[compliance.Rule] = compliance.RULES) -> list[str]:
    """What a compliance rule names that no resource declares, and compliant values their property refuses.

    Rules name resources and properties as strings (the compliance package imports no provider); this is where a
    renamed property, or a value that no longer fits its declaration, fails instead of a policy silently passing.
    """
    problems: list[str] = []
    for rule in rules:
        for kind in rule.resource_types:
            model = models.get(kind)
            if model is None:
                problems.append(f"rule {rule.name}: no resource {kind!r} (resources: {', '.join(sorted(models))})")
            elif rule.property not in _fields.declared_keys(model):
                problems.append(f"rule {rule.name}: {kind} declares no property {rule.property!r}")
            elif rule.compliant is not None and rule.property in model.model_fields:
                try:
                    TypeAdapter(model.model_fields[rule.property].annotation).validate_python(rule.compliant)
                except ValidationError as err:
                    problems.append(
                        f"rule {rule.name}: compliant {rule.compliant!r} is not a {kind}.{rule.property}: {err}"
                    )
    for kind in sorted({*live.FIELD_OF, *live.LISTINGS, *(item for item, _ in live.LISTINGS.values())} - set(models)):
        problems.append(f"the judge's input (compliance/live.py) names {kind!r}, which no resource declares")
    for listing, (_, prop) in live.LISTINGS.items():
        if listing in models and prop not in _fields.declared_keys(models[listing]):
            problems.append(f"compliance/live.py reads {listing}.{prop}, which {listing} does not declare")
    for requirement in compliance.REQUIREMENTS:
        for path in requirement.reads:
            kind, _, prop = path.partition(".")
            if kind not in models or prop not in _fields.declared_keys(models[kind]):
                problems.append(f"requirement #{requirement.number} reads {path}, which no resource declares")
    return problems


def expected_files() -> dict[Path, str]:
    """Every generated file and its expected content; SystemExit when a compliance rule names what does not exist."""
    found = discover()
    declared = {r.name: r.model for res in found.values() for r in res}
    problems = api_problems(declared)
    if problems:
        raise SystemExit("the declarations do not match the client's models:\n  " + "\n  ".join(problems))
    problems = rule_problems(declared)
    if problems:
        raise SystemExit("the compliance rules do not match the declarations:\n  " + "\n  ".join(problems))
    files = {GEN_DIR / f"{m}.py": render_module(m, res) for m, res in found.items()}
    files[GEN_DIR / "__init__.py"] = (
        '"""GENERATED typed Args/Outputs of the resources (python -m tools.gen_resources); do not edit."""\n'
    )
    models = {r.name: r.model for res in found.values() for r in res}
    docs = DOCS.read_text(encoding="utf-8")
    documented = {m["name"] for m in _MARKER.finditer(docs)}
    missing = sorted(set(models) - documented)
    if missing:
        raise SystemExit(f"docs/resources.md has no '<!-- properties: … -->' block for {', '.join(missing)}")
    files[DOCS] = render_docs(docs, models)
    files[plugin_schema.SCHEMA_FILE] = plugin_schema.schema_text()  # the provider plugin's package schema
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.gen_resources", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a generated file is stale")
    args = parser.parse_args(argv)
    files = expected_files()
    stale = [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    extra = sorted(p for p in GEN_DIR.glob("*.py") if p not in files) if GEN_DIR.exists() else []
    if args.check:
        for path in [*stale, *extra]:
            print(f"stale: {path.relative_to(ROOT)} (run: python -m tools.gen_resources)", file=sys.stderr)
        return 1 if stale or extra else 0
    GEN_DIR.mkdir(parents=True, exist_ok=True)
    for path in stale:
        path.write_text(files[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    for path in extra:
        path.unlink()
        print(f"removed {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "api_problems",
    "discover",
    "expected_files",
    "input_type",
    "main",
    "output_type",
    "render_docs",
    "render_module",
]
