"""CnilExemptSite refuses each configuration that would break the exemption, naming the seed's requirement."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from pydantic import ValidationError

from piwik_resources.components import (
    Attestations,
    CnilAccount,
    CnilAccountArgs,
    CnilExemptionError,
    CnilExemptSite,
    CnilExemptSiteArgs,
    refusals,
)
from piwik_resources.components.stack_config import StackConfigError, parse

BASE = CnilExemptSiteArgs(site_name="Shop", urls=["https://shop.example.fr"])


def test_the_defaults_are_compliant() -> None:
    assert refusals(BASE) == []


@pytest.mark.parametrize(
    ("change", "prop", "requirement"),
    [
        ({"ip_masking_level": 0}, "ip_masking_level", "#1"),
        ({"cookie_lifetime_seconds": 40_000_000}, "cookie_lifetime_seconds", "#21"),
        ({"visitor_cookie_timeout": 40_000_000}, "visitor_cookie_timeout", "#16"),
        ({"geolocation_level": "none"}, "geolocation_level", "#18"),
        ({"attestations": Attestations(dpa_signed=False)}, "attestations.dpa_signed", "#10"),
        ({"attestations": Attestations(integrations_off=False)}, "attestations.integrations_off", "#11"),
        ({"attestations": Attestations(no_export_credentials=False)}, "attestations.no_export_credentials", "#13"),
        ({"attestations": Attestations(session_log_hidden=False)}, "attestations.session_log_hidden", "#15"),
        ({"attestations": Attestations(retention_months=26)}, "attestations.retention_months", "#19"),
        # The component's own export dimensions are judged with the site's identifier patterns too.
        ({"exports_needed": True, "identifier_patterns": [r"\(session\)"]}, "exports_needed", "#12"),
    ],
)
def test_each_non_compliant_input_is_refused(change: dict[str, Any], prop: str, requirement: str) -> None:
    args = replace(BASE, **change)
    problems = refusals(args)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{prop}:")
    assert requirement in problems[0]
    # The component refuses before declaring anything, so no resource (and no request) exists.
    with pytest.raises(CnilExemptionError) as err:
        CnilExemptSite("shop", args)
    assert prop in str(err.value)


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        ({"ip_masking_level": 7}, ("ip_masking_level",), "Input should be 0, 1, 2, 3 or 4"),
        ({"ip_masking_level": True}, ("ip_masking_level",), "not a boolean"),
        ({"identifier_patterns": []}, ("identifier_patterns",), "at least 1 item"),
        ({"identifier_patterns": ["email", "("]}, ("identifier_patterns", 1), "'(' is not a regular expression"),
        ({"adopt_site_id": "not-a-uuid"}, ("adopt_site_id",), "should match pattern"),
        ({"timezone": "Paris"}, ("timezone",), "not an IANA time zone"),
        ({"cookie_lifetime_seconds": -1}, ("cookie_lifetime_seconds",), "greater than or equal to 0"),
    ],
)
def test_arguments_the_api_would_refuse_fail_on_construction(
    change: dict[str, Any], loc: tuple[str | int, ...], message: str
) -> None:
    with pytest.raises(ValidationError) as err:
        replace(BASE, **change)
    assert [e["loc"] for e in err.value.errors()] == [loc]
    assert message in str(err.value)


def test_the_account_component_refuses_ip_masking_0() -> None:
    with pytest.raises(CnilExemptionError, match=r"ip_masking_level: .*seed requirement #1"):
        CnilAccount("account", CnilAccountArgs(ip_masking_level=0))
    with pytest.raises(ValidationError, match="ip_masking_level"):
        CnilAccountArgs(ip_masking_level=5)


def test_stack_config_errors_name_the_key() -> None:
    with pytest.raises(StackConfigError) as err:
        parse({"sites": [{"key": "shop", "site_name": "Shop", "urls": ["https://s.fr"], "ip_masking_levl": 2}]})
    assert "piwik-cnil:sites[0].ip_masking_levl" in str(err.value)
    with pytest.raises(StackConfigError, match="used twice"):
        parse({"sites": [{"key": "a", "site_name": "A", "urls": ["https://a.fr"]}] * 2})
