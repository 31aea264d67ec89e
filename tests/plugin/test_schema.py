"""The plugin's package schema: generated from the declarations, committed, and what the plugin serves."""

from __future__ import annotations

import json
from typing import Any

from piwik_resources.plugin.registry import COMPONENTS, adapters
from piwik_resources.plugin.schema import SCHEMA_FILE, schema, schema_text
from piwik_resources.providers import _fields
from piwik_resources.providers.site import SiteInputs
from piwik_resources.providers.tracker_settings import TrackerSettingsInputs


def committed() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def test_the_committed_file_is_the_generated_schema() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text()


def test_every_resource_and_component_has_a_piwik_index_token() -> None:
    tokens = set(committed()["resources"])
    assert tokens == {f"piwik:index:{t}" for t in adapters()} | {f"piwik:index:{c}" for c in COMPONENTS}
    assert {"piwik:index:Site", "piwik:index:SiteTags", "piwik:index:InstallationCode"} <= tokens
    assert committed()["resources"]["piwik:index:CnilExemptSite"]["isComponent"] is True


def test_types_follow_the_declarations() -> None:
    site = committed()["resources"]["piwik:index:Site"]
    assert site["requiredInputs"] == ["name", "urls"]
    assert site["inputProperties"]["urls"] == {
        "type": "array",
        "items": {"type": "string"},
        "description": "The app's addresses (also the tracker's known URLs: see ``exclude_unknown_urls``). "
        "Allowed: a non-empty list of http(s) URLs.",
    }
    assert site["inputProperties"]["deletion_protection"]["default"] is True
    # replace on change, as prop(replace=True) says; the internal creation key is an output only.
    replaced = {k for k, v in site["inputProperties"].items() if v.get("replaceOnChanges")}
    assert replaced == _fields.replace_keys(SiteInputs) == {"app_type", "adopt_id"}
    assert "creation_key" not in site["inputProperties"] and "creation_key" in site["properties"]
    assert set(site["properties"]) == _fields.declared_keys(SiteInputs)
    tracker = committed()["resources"]["piwik:index:TrackerSettings"]["inputProperties"]
    assert tracker["ip_masking_level"]["$ref"] == "#/types/piwik:index:IpMaskingLevel"
    assert tracker["session_max_event_count"]["type"] == "integer"
    assert tracker["geolocation_level"]["$ref"] == "#/types/piwik:index:GeolocationLevel"
    assert set(tracker) == set(TrackerSettingsInputs.model_fields)


def test_enumerations_are_the_api_literals() -> None:
    types = committed()["types"]
    assert [e["value"] for e in types["piwik:index:GeolocationLevel"]["enum"]] == [
        "none",
        "City",
        "Region",
        "Country",
        "Continent",
    ]
    assert types["piwik:index:ConsentTemplateMode"]["enum"][1]["value"] == "manual"
    assert [e["value"] for e in types["piwik:index:IpMaskingLevel"]["enum"]] == [0, 1, 2, 3, 4]
    assert types["piwik:index:IpMaskingLevel"]["type"] == "integer"
    extraction = types["piwik:index:Extraction"]
    assert extraction["required"] == ["target", "pattern"]
    assert extraction["properties"]["target"]["$ref"] == "#/types/piwik:index:ExtractionTarget"


def test_only_the_client_secret_is_secret_and_every_setting_has_its_environment_fallback() -> None:
    config = committed()["config"]["variables"]
    assert set(config) == {"baseUrl", "clientId", "clientSecret", "readsPerMinute", "writesPerMinute"}
    assert [k for k, v in config.items() if v.get("secret")] == ["clientSecret"]
    assert config["clientSecret"]["defaultInfo"] == {"environment": ["PIWIK_CLIENT_SECRET"]}
    assert committed()["provider"]["inputProperties"] == config
    text = json.dumps(schema())
    assert text.count('"secret": true') == 2  # the config variable and the provider's input


def test_component_inputs_are_the_argument_dataclasses() -> None:
    site = committed()["resources"]["piwik:index:CnilExemptSite"]
    assert site["requiredInputs"] == ["site_name", "urls"]
    assert site["inputProperties"]["attestations"] == {"$ref": "#/types/piwik:index:Attestations"}
    assert site["inputProperties"]["consent_messages"]["additionalProperties"] == {"type": "string"}
    assert set(site["properties"]) == set(COMPONENTS["CnilExemptSite"].outputs)
    assert site["properties"]["compliance_report"]["type"] == "array"
