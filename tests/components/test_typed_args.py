"""The components' arguments are validated on construction with the Literals and limits generated from the spec
files (piwik_resources/api/generated.py): a value the API would refuse raises naming the argument."""

from __future__ import annotations

from typing import Any, get_args, get_type_hints

import pydantic
import pytest

from piwik_resources.api import generated
from piwik_resources.components.cnil_account import CnilAccountArgs
from piwik_resources.components.cnil_exempt_site import CnilExemptSiteArgs

SITE: dict[str, Any] = {"site_name": "Shop", "urls": ["https://shop.example.fr"]}


@pytest.mark.parametrize("args", [CnilExemptSiteArgs, CnilAccountArgs])
def test_a_geolocation_level_the_api_does_not_list_raises_naming_the_argument(args: Any) -> None:
    extra = SITE if args is CnilExemptSiteArgs else {}
    with pytest.raises(pydantic.ValidationError) as info:
        args(**extra, geolocation_level=42)
    (error,) = info.value.errors()
    assert error["loc"] == ("geolocation_level",)
    assert "'none', 'City', 'Region', 'Country' or 'Continent'" in error["msg"]
    assert str(info.value).startswith(f"1 validation error for {args.__name__}\ngeolocation_level\n")


def test_the_arguments_take_the_published_enumeration_and_limits() -> None:
    hints = get_type_hints(CnilExemptSiteArgs)
    assert get_args(hints["geolocation_level"]) == get_args(generated.GeolocationLevel)
    with pytest.raises(pydantic.ValidationError, match=r"site_name\n.*at most 90 characters"):
        CnilExemptSiteArgs(**{**SITE, "site_name": "x" * 91})
    assert CnilExemptSiteArgs(**SITE, geolocation_level="Country").geolocation_level == "Country"
