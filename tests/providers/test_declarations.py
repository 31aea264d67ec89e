"""One declaration per property: what derives from it is fresh, agrees with the published spec, and follows it.

* The generated typed modules and docs tables are what `python -m tools.gen_resources` writes (no stale file).
* The published tracker settings are declared in TrackerSettings and GlobalTrackerSettings with the types, enums and
  limits of the spec files in piwik_emulator/openapi/ (the published truth; the emulator and the client are
  checked against the same files, never against each other's code).
* A setting added as one declaration, and nothing else, shows in the Args, the check errors, the API body and the
  docs (the must-show of issue 11).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, ClassVar, Literal, get_args, get_origin

import pytest

from piwik_resources.api import TrackerSettings
from piwik_resources.providers import _fields
from piwik_resources.providers.engine import PiwikProvider, ProviderError
from piwik_resources.providers.tracker_settings import (
    FIELDS,
    GlobalTrackerSettingsInputs,
    GlobalTrackerSettingsProvider,
    TrackerSettingsAdapter,
    TrackerSettingsInputs,
    TrackerSettingsProvider,
)
from piwik_resources.resources import GlobalTrackerSettingsArgs, TrackerSettingsArgs
from tools import gen_resources

from .live import Live

SPEC = Path(__file__).resolve().parents[2] / "piwik_emulator" / "openapi"


def _spec_settings() -> tuple[list[str], dict[str, Any]]:
    """The ``setting`` enum of DELETE .../{setting} and the attribute schemas of PATCH .../app/{app_id}."""
    one = json.loads((SPEC / "api_tracker_v2_settings_app_{app_id}_{setting}.json").read_text())
    params = one["paths"]["/api/tracker/v2/settings/app/{app_id}/{setting}"]["delete"]["parameters"]
    enum = next(p for p in params if p["name"] == "setting")["schema"]["enum"]
    app = json.loads((SPEC / "api_tracker_v2_settings_app_{app_id}.json").read_text())
    body = app["paths"]["/api/tracker/v2/settings/app/{app_id}"]["patch"]["requestBody"]
    schema = body["content"]["application/vnd.api+json"]["schema"]["properties"]["data"]["properties"]
    return enum, schema["attributes"]["properties"]


def test_generated_files_are_fresh() -> None:
    stale = [
        str(path.relative_to(gen_resources.ROOT))
        for path, text in gen_resources.expected_files().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], f"stale generated files (run `python -m tools.gen_resources`): {stale}"
    assert gen_resources.main(["--check"]) == 0


def test_every_resource_is_declared_and_generated() -> None:
    """Every provider's inputs are prop() declarations (discover() refuses others) and get generated types."""
    import piwik_resources.providers as p

    providers = [getattr(p, n) for n in p.__all__ if n.endswith("Provider") and n != "PiwikProvider"]
    found = gen_resources.discover()
    assert sorted(r.name for res in found.values() for r in res) == sorted(c.adapter.resource_type for c in providers)
    for module in found:
        assert (gen_resources.GEN_DIR / f"{module}.py").exists(), module


def test_an_undeclared_output_is_refused() -> None:
    """The engine refuses an output its model does not declare: the generated Outputs would miss it."""
    provider = TrackerSettingsProvider()
    with pytest.raises(ProviderError, match="undeclared output"):
        provider._engine().clean({"site_id": "x", "ip_masking": 1})


def _check_against_spec(name: str, info: Any, schema: dict[str, Any]) -> None:
    base = _fields.strip_optional(info.annotation)
    kind = schema["type"]
    if "enum" in schema:
        assert get_origin(base) is Literal and list(get_args(base)) == schema["enum"], name
    elif kind == "integer":
        assert base is int, name
        low, high = schema.get("minimum"), schema.get("maximum")
        ge = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
        le = next((m.le for m in info.metadata if hasattr(m, "le")), None)
        assert (ge, le) == (low, high), name
    elif kind == "array":
        assert base == list[str] and schema["items"]["type"] == "string", name
    else:
        assert (kind, base) == ("boolean", bool), name


@pytest.mark.parametrize("model", [TrackerSettingsInputs, GlobalTrackerSettingsInputs])
def test_every_published_tracker_setting_is_declared_as_the_spec_says(model: Any) -> None:
    enum, schemas = _spec_settings()
    published = [s for s in enum if s != "urls"]
    names = _fields.api_names(model)
    assert sorted(names.values()) == sorted(published)
    assert names == FIELDS  # the same settings, under the same Pulumi names, in both resources
    for prop, api in names.items():
        _check_against_spec(prop, model.model_fields[prop], schemas[api])
    # The client model (its own layer) knows every published setting too.
    assert set(published) <= set(TrackerSettings.model_fields)


def test_every_api_declaration_names_a_field_of_the_generated_client_model() -> None:
    models = {r.name: r.model for res in gen_resources.discover().values() for r in res}
    assert gen_resources.api_problems(models) == []
    assert {m.api_model for m in models.values() if _fields.api_names(m)} >= {TrackerSettings}


class Misdeclared(TrackerSettingsInputs):
    """Three declarations that do not fit the client model generated from the spec."""

    resource_type: ClassVar[str] = "Misdeclared"

    typo: bool | None = _fields.prop(None, api="exclude_crawler", doc="A misspelled API attribute.")
    wider: Literal["none", "Street"] | None = _fields.prop(
        None, api="anonymize_visitor_geolocation_level", doc="A value the API does not list."
    )
    wrong: int | None = _fields.prop(None, api="exclude_crawlers", doc="An integer for a boolean.")


def test_a_declaration_the_client_model_does_not_fit_fails_the_generator_naming_it() -> None:
    assert gen_resources.api_problems({"Misdeclared": Misdeclared}) == [
        "Misdeclared.typo: prop(api='exclude_crawler'): the client model TrackerSettings has no field "
        "'exclude_crawler' (piwik_resources/api/generated.py, from the OpenAPI files by "
        "`python -m tools.gen_api_models`)",
        "Misdeclared.wider: prop(api='anonymize_visitor_geolocation_level') allows ['Street'], which the API does "
        "not list (it takes ['none', 'City', 'Region', 'Country', 'Continent'])",
        "Misdeclared.wrong: prop(api='exclude_crawlers') is of type int, the API's field of type bool",
    ]


def test_the_declarations_do_not_leak_into_the_json_schema() -> None:
    """prop()'s own settings (api, allowed, replace, ...) stay out of ``model_json_schema()``: only pydantic's
    description and limits show."""
    for res in gen_resources.discover().values():
        for resource in res:
            schema = resource.model.model_json_schema()
            for name, field in schema["properties"].items():
                assert not {"piwik", "api", "computed", "internal", "nullable_output"} & set(field), (name, field)
    level = TrackerSettingsInputs.model_json_schema()["properties"]["ip_masking_level"]
    assert level["description"].startswith("How many trailing bytes")


def test_args_carry_every_declared_setting() -> None:
    args = {f.name for f in dataclasses.fields(TrackerSettingsArgs)}
    assert args == set(FIELDS) | {"site_id"}
    # kept_app_ids is the account's own input (the apps a destroy leaves in place), not a tracker setting.
    assert {f.name for f in dataclasses.fields(GlobalTrackerSettingsArgs)} == set(FIELDS) | {"kept_app_ids"}


# --- the must-show: a setting that is only a declaration ------------------------------------------------------


class ProbeInputs(TrackerSettingsInputs):
    """Inputs of :class:`Probe`: TrackerSettings plus one declaration, and no other code."""

    resource_type: ClassVar[str] = "Probe"

    probe_strip_search: bool | None = _fields.prop(
        None, api="strip_site_search_query_parameters", doc="A setting added by one declaration."
    )


class ProbeAdapter(TrackerSettingsAdapter):
    resource_type = "Probe"
    inputs_model = ProbeInputs


class ProbeProvider(PiwikProvider):
    adapter = ProbeAdapter()


def test_one_declaration_reaches_args_errors_api_body_and_docs(live: Live) -> None:
    # Args: the generated dataclass has the property, typed, with its description.
    source = gen_resources.render_module("probe", [gen_resources.Resource("Probe", ProbeInputs)])
    assert "    probe_strip_search: pulumi.Input[bool] | None = None\n" in source
    assert "A setting added by one declaration. (API ``strip_site_search_query_parameters``)" in source
    namespace: dict[str, Any] = {}
    exec(compile(source, "probe.py", "exec"), namespace)
    assert "probe_strip_search" in {f.name for f in dataclasses.fields(namespace["ProbeArgs"])}
    assert "probe_strip_search" not in gen_resources.render_module(
        "x", [gen_resources.Resource("X", TrackerSettingsInputs)]
    )

    # Check errors: named, with the allowed values derived from its type.
    app_id = live.make_app("Probed")
    failures = live.check(ProbeProvider, site_id=app_id, probe_strip_search="yes").failures
    assert [(f.property, f.reason) for f in failures] == [
        ("probe_strip_search", "probe_strip_search: 'yes' is not allowed (allowed: a boolean: true or false)")
    ]
    refused = live.check(TrackerSettingsProvider, site_id=app_id, probe_strip_search=True).failures
    assert "is not a property of TrackerSettings" in refused[0].reason

    # API body: create PATCHes the attribute; the emulator stores it; the output reports it.
    before = live.api("GET", f"/api/tracker/v2/settings/app/{app_id}")["data"]["attributes"]
    assert before["strip_site_search_query_parameters"] is False
    live.emulator.clear_requests()
    _, outs = live.create(ProbeProvider, site_id=app_id, probe_strip_search=True)
    assert live.writes() == {"PATCH /api/tracker/v2/settings/app/{app_id}": 1}
    after = live.api("GET", f"/api/tracker/v2/settings/app/{app_id}")["data"]["attributes"]
    assert after["strip_site_search_query_parameters"] is True
    assert outs == {"site_id": app_id, "probe_strip_search": True, "pinned": ["probe_strip_search"]}

    # Docs: its row in the resource's property table.
    table = gen_resources.render_table(ProbeInputs)
    assert "| `probe_strip_search` | `strip_site_search_query_parameters` | a boolean: true or false |" in table


def test_every_setting_round_trips_through_the_api(live: Live) -> None:
    """Each of the 29, set to a value other than the global one, is written, stored and reported faithfully,
    per app and account-wide."""
    app_id = live.make_app("All settings")
    glob = live.api("GET", "/api/tracker/v2/settings/app/global")["data"]["attributes"]
    props: dict[str, Any] = {"site_id": app_id}
    for prop, api in FIELDS.items():
        props[prop] = _other_than(TrackerSettingsInputs.model_fields[prop], glob[api])
    _, outs = live.create(TrackerSettingsProvider, **props)
    stored = live.api("GET", f"/api/tracker/v2/settings/app/{app_id}")["data"]["attributes"]
    for prop, api in FIELDS.items():
        assert stored[api] == props[prop] == outs[prop], prop
    assert live.read(TrackerSettingsProvider, app_id, outs).outs == outs
    live.delete(TrackerSettingsProvider, app_id, outs)
    reset = live.api("GET", f"/api/tracker/v2/settings/app/{app_id}")["data"]["attributes"]
    assert {api: reset[api] for api in FIELDS.values()} == {api: glob[api] for api in FIELDS.values()}

    # The same 29 account-wide: written, stored, then written back as found.
    props.pop("site_id")
    id_, outs = live.create(GlobalTrackerSettingsProvider, **props)
    stored = live.api("GET", "/api/tracker/v2/settings/app/global")["data"]["attributes"]
    assert {api: stored[api] for api in FIELDS.values()} == {api: props[p] for p, api in FIELDS.items()}
    assert outs["previous"] == {p: glob[api] for p, api in FIELDS.items()}
    live.delete(GlobalTrackerSettingsProvider, id_, outs)
    back = live.api("GET", "/api/tracker/v2/settings/app/global")["data"]["attributes"]
    assert {api: back[api] for api in FIELDS.values()} == {api: glob[api] for api in FIELDS.values()}


def _other_than(info: Any, current: Any) -> Any:
    base = _fields.strip_optional(info.annotation)
    if base is bool:
        return not current
    if base is int:
        ge = next(m.ge for m in info.metadata if hasattr(m, "ge"))
        return ge + 1 if current != ge + 1 else ge
    if get_origin(base) is Literal:
        return next(v for v in get_args(base) if v != current)
    return [*current, "probe_value"]


# --- static types for users' programs --------------------------------------------------------------------------

USER_PROGRAM = """
import pulumi
from piwik_resources.resources import Site, SiteArgs, TrackerSettings, TrackerSettingsArgs

site = Site("shop", SiteArgs(name="Shop", urls=["https://shop.example"]))
tracker = TrackerSettings(
    "tracker", TrackerSettingsArgs(site_id=site.site_id, ip_masking_level=2, campaign_id_params=["cid"])
)
level: pulumi.Output[int | None] = tracker.ip_masking_level
params: pulumi.Output[list[str] | None] = tracker.campaign_id_params
"""

BAD_LINES = {
    'TrackerSettingsArgs(site_id="x", ip_maskin_level=2)': 'Unexpected keyword argument "ip_maskin_level"',
    'TrackerSettingsArgs(site_id="x", exclude_crawlers="yes")': 'Argument "exclude_crawlers" to "TrackerSettingsArgs"',
    "TrackerSettingsArgs(ip_masking_level=2)": 'Missing named argument "site_id"',
    "x: pulumi.Output[str] = tracker.strip_site_search_query_parameters": "Incompatible types in assignment",
}


def test_users_programs_are_type_checked_by_mypy_strict(tmp_path: Path) -> None:
    """What an IDE and `mypy --strict` see of the generated Args/Outputs: good code passes, each mistake is caught."""
    from mypy import api

    program = tmp_path / "program.py"
    program.write_text(USER_PROGRAM + "\n".join(BAD_LINES) + "\n")
    out, _err, status = api.run(["--strict", "--cache-dir", str(tmp_path / "cache"), str(program)])
    errors = [line for line in out.splitlines() if ": error:" in line]
    first_bad = len(USER_PROGRAM.splitlines()) + 1
    good = [e for e in errors if int(e.split(":")[1]) < first_bad]
    assert status == 1 and good == [], out
    for offset, expected in enumerate(BAD_LINES.values()):
        line = [e for e in errors if int(e.split(":")[1]) == first_bad + offset]
        assert line and expected in " ".join(line), (expected, out)
