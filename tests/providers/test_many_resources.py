"""A program may declare more dynamic resources than Python's recursion limit (100 CnilExemptSite ≈ 1,100).

``pulumi.dynamic.serialize_provider`` (SDK 3.260) leaves one more wrapper around ``pickle._Pickler._batch_setitems``
for every dynamic resource it serializes; past ~970 of them, pickling a provider raised RecursionError (the bench's
100-site run). The resources' base class (piwik_resources/resources/_base.py) undoes the wrappers before each one.
"""

from __future__ import annotations

import pickle
from typing import Any

import pulumi
from pulumi.dynamic.dynamic import serialize_provider

from piwik_resources.providers import SiteProvider
from piwik_resources.resources._base import _original_batch_setitems

MANY = 1_500


class _Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        return f"{args.name}-id", {}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


def _depth() -> int:
    """How many wrappers stand around pickle's own function now."""
    found: Any = pickle._Pickler._batch_setitems  # type: ignore[attr-defined]
    depth = 0
    while found.__module__ != "pickle":
        found = next(c.cell_contents for c in found.__closure__ if callable(c.cell_contents))
        depth += 1
    return depth


def test_the_sdk_still_stacks_a_wrapper_per_serialized_provider() -> None:
    """The defect this works around (when the SDK fixes it, this test says the workaround can go)."""
    before = _depth()
    for _ in range(3):
        serialize_provider(SiteProvider())
    assert _depth() == before + 3
    assert _original_batch_setitems().__module__ == "pickle"


def test_a_program_declares_more_dynamic_resources_than_the_recursion_limit() -> None:
    pulumi.runtime.set_mocks(_Mocks(), preview=False)
    try:
        _declare_many()
    finally:
        pulumi.runtime.settings.reset_options()
    assert _depth() == 1  # only the last resource's wrapper is left


@pulumi.runtime.test
def _declare_many() -> Any:
    from piwik_resources.resources import Site, SiteArgs

    sites = [Site(f"s{i}", SiteArgs(name=f"Site {i}", urls=[f"https://s{i}.example.fr/"])) for i in range(MANY)]
    return pulumi.Output.all(*(s.id for s in sites[-3:])).apply(lambda ids: ids)
