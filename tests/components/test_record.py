"""What a CnilExemptSite records of what no API answers (compliance/record.py): one shape, written and read once.

The record is ``compliance.Declared`` as plain JSON, so what the CLI reads back from any stack's state is exactly
what the component judged with; a value Pulumi turned into a float (25 -> 25.0 through gRPC) reads back the same;
anything else is refused with a message that names it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from piwik_resources.compliance import Attestations
from piwik_resources.compliance.record import FORMAT, RecordError, from_record, to_record
from piwik_resources.components.cnil_exempt_site import CnilExemptSiteArgs, declared_of

ARGS = CnilExemptSiteArgs(
    site_name="Boutique",
    urls=["https://boutique.example.fr"],
    exports_needed=True,
    consent_template_mode="api",
    consent_messages={"fr": "Nous mesurons l'audience.", "de": "Wir messen die Reichweite."},
    identifier_patterns=[r"\bnuméro\b"],
    cnil_profile="seed-2021",
    attestations=Attestations(dpa_signed=True, retention_months=25, attested_by="DPO", attested_on="2026-01-05"),
)


def test_the_record_reads_back_as_what_the_component_judged_with() -> None:
    declared = declared_of(ARGS)
    record = json.loads(json.dumps(to_record(declared)))  # as stored in, and exported from, the state
    assert record["format"] == FORMAT
    assert from_record(record) == declared
    assert record["attestations"] == {
        "dpa_signed": True,
        "retention_months": 25,
        "attested_by": "DPO",
        "attested_on": "2026-01-05",
        "tags_without_consent": {},  # a mapping, empty rather than unset
    }
    # Numbers come back from the plugin's construct as floats.
    record["attestations"]["retention_months"] = 25.0
    assert from_record(record).attestations.retention_months == 25


def test_the_record_holds_only_what_no_api_answers() -> None:
    record = to_record(declared_of(ARGS))
    assert set(record) == {
        "format",
        "site_name",
        "attestations",
        "exports_needed",
        "consent_template_mode",
        "consent_languages",
        "export_dimensions",
        "options",
        "cnil_profile",
    }
    text = json.dumps(record).lower()
    assert "secret" not in text and "token" not in text and "client" not in text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": 99}, "format 99 is not the one this version reads"),
        ({"cnil_profile": "cnil-2030"}, "cnil_profile: Input should be 'cnil-2025' or 'seed-2021'"),
        ({"attestations": {"dpa_signed": True, "signed_by_god": True}}, "attestations.signed_by_god"),
        ({"colour": "blue"}, "unknown field(s) colour"),
        ({"attestations": {"attested_on": "2026-02-30"}}, "attestations.attested_on"),
    ],
)
def test_a_record_that_is_not_one_is_refused_naming_the_field(change: dict[str, Any], message: str) -> None:
    record = {**to_record(declared_of(ARGS)), **change}
    with pytest.raises(RecordError, match=message.replace("(", r"\(").replace(")", r"\)")):
        from_record(record)
    with pytest.raises(RecordError, match="not an object"):
        from_record(["a", "list"])
