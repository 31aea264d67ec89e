"""The plugin's own translation (no engine): property values, the Site's creation key, token matching."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import CheckRequest, ConfigureRequest

from piwik_resources import compliance
from piwik_resources.cli._live import managed_resources
from piwik_resources.plugin.provider import PiwikPlugin, creation_key
from piwik_resources.plugin.values import plain_map, wire_map
from piwik_resources.pr_preview.model import ResourceChange
from piwik_resources.pr_preview.render import deletes_an_app
from piwik_resources.tokens import is_piwik_resource, short_type
from piwik_resources.unknown import UNKNOWN

T = TypeVar("T")

URN = "urn:pulumi:dev::shop-project::piwik:index:Site::shop"


def test_values_round_trip_with_whole_numbers_unknowns_and_secrets() -> None:
    wired = {
        "n": PropertyValue(3.0),
        "f": PropertyValue(0.5),
        "urls": PropertyValue([PropertyValue("https://a.fr")]),
        "later": PropertyValue.computed(),
        "text": PropertyValue("s").with_secret(True),
        "gone": PropertyValue.null(),
    }
    values, secret = plain_map(wired)
    assert values == {"n": 3, "f": 0.5, "urls": ["https://a.fr"], "later": UNKNOWN, "text": "s"}
    assert secret == {"text"}
    back = wire_map(values, secret)
    assert back["text"].is_secret and not back["n"].is_secret
    assert back["n"] == PropertyValue(3.0) and back["later"].value == UNKNOWN
    assert back["later"].marshal().string_value == UNKNOWN  # what the engine reads as "computed"


def test_the_creation_key_is_the_one_the_python_site_class_sets() -> None:
    # resources/site.py: f"{pulumi.get_project()}/{pulumi.get_stack()}/{resource_name}"
    assert creation_key(URN) == "shop-project/dev/shop"
    nested = "urn:pulumi:dev::shop-project::piwik:index:CnilExemptSite$piwik:index:Site::shop-site"
    assert creation_key(nested) == "shop-project/dev/shop-site"


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` on a loop of its own: ``asyncio.run`` would leave the thread with no event loop, which the
    Pulumi mocks of later tests in the same process expect to find."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


def test_check_refuses_as_the_dynamic_provider_does_and_fills_the_creation_key() -> None:
    plugin = PiwikPlugin()
    run(plugin.configure(ConfigureRequest({}, {}, True, True)))
    news = {"name": PropertyValue("Shop"), "urls": PropertyValue([PropertyValue("ftp://x")])}
    checked = run(plugin.check(CheckRequest(URN, {}, news, b"")))
    assert checked.inputs is not None and checked.inputs["creation_key"] == PropertyValue("shop-project/dev/shop")
    assert checked.inputs["deletion_protection"] == PropertyValue(True)
    assert [(f.property, f.reason) for f in checked.failures or []] == [
        ("urls", "urls[0]: 'ftp://x' is not allowed (not an absolute http(s) URL)")
    ]


def test_plugin_tokens_are_judged_like_dynamic_ones() -> None:
    assert short_type("piwik:index:SitePrivacy") == "SitePrivacy"
    assert is_piwik_resource("piwik:index:Site") and not is_piwik_resource("piwik:index:CnilExemptSite")
    (found,) = compliance.violations("piwik:index:SitePrivacy", {"gdpr": False})
    (same,) = compliance.violations("pulumi-python:dynamic/piwik:SitePrivacy", {"gdpr": False})
    assert found == same


def test_watch_and_evidence_read_plugin_resources_and_skip_its_components() -> None:
    state = {
        "deployment": {
            "resources": [
                {"urn": "u1", "type": "piwik:index:CnilExemptSite", "id": ""},
                {"urn": "u2", "type": "piwik:index:Site", "id": "app-1"},
                {"urn": "u3", "type": "pulumi:providers:piwik", "id": "p"},
                {"urn": "u4", "type": "pulumi-python:dynamic/piwik:Site", "id": "app-2"},
            ]
        }
    }
    assert [r["urn"] for r in managed_resources(state)] == ["u2", "u4"]


def test_the_pr_preview_flags_the_deletion_of_a_plugin_site() -> None:
    change = ResourceChange("delete", URN, "piwik:index:Site", "shop", {"name": "Shop"}, None)
    assert deletes_an_app(change)
    adopted = ResourceChange("delete", URN, "piwik:index:Site", "shop", {"adopt_id": "x"}, None)
    assert not deletes_an_app(adopted)
