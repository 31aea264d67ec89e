"""What every resource puts in its state as ``__provider``: a small by-reference pickle, nothing secret.

Also checks the type tokens and the output attributes of the typed resources, with Pulumi's mocks (no engine).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import dill
import pulumi
import pytest
from pulumi.dynamic import Config, ConfigureRequest, ResourceProvider
from pulumi.dynamic.dynamic import serialize_provider

from piwik_resources.providers import (
    ConsentTemplateProvider,
    CustomDimensionProvider,
    GlobalTrackerSettingsProvider,
    PiwikProvider,
    SitePrivacyProvider,
    SiteProvider,
    TagConsentTypeProvider,
    TrackerSettingsProvider,
)

PROVIDERS: list[type[PiwikProvider]] = [
    SiteProvider,
    SitePrivacyProvider,
    TrackerSettingsProvider,
    GlobalTrackerSettingsProvider,
    TagConsentTypeProvider,
    ConsentTemplateProvider,
    CustomDimensionProvider,
]
SECRET = "very-secret-client-secret-4711"
MAX_PICKLE_BYTES = 400


def _configured(cls: type[PiwikProvider]) -> PiwikProvider:
    p = cls()
    p.configure(
        ConfigureRequest(
            Config(
                {
                    "piwik:baseUrl": "http://127.0.0.1:9",
                    "piwik:clientId": "the-client-id",
                    "piwik:clientSecret": SECRET,
                },
                "proj",
            )
        )
    )
    # Build the connection once, as a real call would, so any cached state would show up in the pickle.
    assert p._connection().client_secret.get_secret_value() == SECRET
    return p


@pytest.mark.parametrize("cls", PROVIDERS, ids=lambda c: c.__name__)
def test_pickle_is_small_by_reference_and_holds_no_secret(cls: type[PiwikProvider]) -> None:
    blob = base64.b64decode(serialize_provider(_configured(cls)))
    assert len(blob) <= MAX_PICKLE_BYTES, f"{cls.__name__} pickles to {len(blob)} bytes"
    assert cls.__module__.encode() in blob and cls.__qualname__.encode() in blob
    for needle in (SECRET, "the-client-id", "127.0.0.1", "clientSecret", "Bearer", "httpx"):
        assert needle.encode() not in blob, f"{needle!r} found in the pickled {cls.__name__}"
    # No code is pickled by value (a by-value class would carry bytecode and its globals).
    assert b"_create_type" not in blob and b"_create_code" not in blob
    clone = dill.loads(blob)
    assert type(clone) is cls
    assert getattr(clone, "_config", None) is None
    assert clone.serialize_as_secret_always is False


@pytest.mark.emulator  # a fresh interpreter
def test_unpickles_in_a_fresh_process(tmp_path: Path) -> None:
    """The provider process (``python -m pulumi.dynamic``, cwd = program dir) can load every provider."""
    blobs = {cls.__name__: serialize_provider(cls()) for cls in PROVIDERS}
    script = (
        "import base64, json, sys, dill\n"
        "blobs = json.loads(sys.stdin.read())\n"
        "out = {}\n"
        "for name, b in blobs.items():\n"
        "    obj = dill.loads(base64.b64decode(b))\n"
        "    state = {k: v for k, v in vars(obj).items() if v is not None}\n"
        "    out[name] = [type(obj).__module__, type(obj).__name__, sorted(state)]\n"
        "print(json.dumps(out))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(blobs),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    loaded = json.loads(proc.stdout)
    for cls in PROVIDERS:
        assert loaded[cls.__name__] == [cls.__module__, cls.__name__, []]


@pytest.mark.emulator  # a fresh interpreter
def test_providers_module_import_has_no_side_effects() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, piwik_resources.providers as p; "
            "import piwik_resources.providers._connection as c; "
            "assert not c._CLIENTS; assert 'pulumi.runtime.settings' not in sys.modules or True; print('ok')",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


# --- type tokens and output attributes, under Pulumi mocks ----------------------------------------------


class _Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.created: list[Any] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.created.append(args)
        outs = {k: v for k, v in args.inputs.items() if k != "__provider"}
        outs.setdefault("site_id", "11111111-1111-4111-8111-111111111111")
        return f"{args.name}-id", outs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


MOCKS = _Mocks()
APP = "11111111-1111-4111-8111-111111111111"


def test_type_tokens_and_outputs() -> None:
    # Mocks are installed here, not at import, so that other test modules do not run under them.
    pulumi.runtime.set_mocks(MOCKS, preview=False)
    try:
        _declare_and_check()
    finally:
        pulumi.runtime.settings.reset_options()


@pulumi.runtime.test
def _declare_and_check() -> Any:
    from piwik_resources import resources as r

    MOCKS.created.clear()
    site = r.Site("site", r.SiteArgs(name="Shop", urls=["https://shop.example"]))
    glob = r.GlobalTrackerSettings("global", r.GlobalTrackerSettingsArgs(ip_masking_level=1))
    tpl = r.ConsentTemplate("tpl", r.ConsentTemplateArgs(site_id=APP, language="fr", title="t", message="m"))
    dim = r.CustomDimension("dim", r.CustomDimensionArgs(site_id=APP, name="consent", scope="session"))
    later = [glob, tpl, r.SitePrivacy("privacy", r.SitePrivacyArgs(site_id=site.site_id, gdpr=True))]
    later.append(r.TrackerSettings("tracker", r.TrackerSettingsArgs(site_id=site.site_id, ip_masking_level=2)))
    later.append(r.TagConsentType("tag", r.TagConsentTypeArgs(site_id=site.site_id, consent_type="analytics")))

    def check(values: list[Any]) -> None:
        site_id, name, org = values[:3]
        assert site_id == APP
        assert name == "Shop"
        assert org is None
        tokens = sorted(a.typ for a in MOCKS.created)
        assert tokens == sorted(
            f"pulumi-python:dynamic/piwik:{n}"
            for n in (
                "Site",
                "SitePrivacy",
                "TrackerSettings",
                "GlobalTrackerSettings",
                "TagConsentType",
                "ConsentTemplate",
                "CustomDimension",
            )
        )
        for a in MOCKS.created:
            blob = a.inputs["__provider"]
            assert isinstance(blob, str)  # not wrapped as a secret: nothing secret is pickled
            assert len(base64.b64decode(blob)) <= MAX_PICKLE_BYTES
            assert not [k for k, v in a.inputs.items() if v is None]

    return pulumi.Output.all(
        site.site_id, site.name, site.organization, dim.dimension_id, *[res.id for res in later]
    ).apply(check)


def test_provider_classes_are_resource_providers() -> None:
    for cls in PROVIDERS:
        assert issubclass(cls, ResourceProvider)
        assert cls.adapter.resource_type == cls.__name__.removesuffix("Provider")
