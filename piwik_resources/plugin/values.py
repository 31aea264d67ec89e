"""Between the plugin protocol's ``PropertyValue`` and the plain values the engine and the adapters take.

Plain values are what a dynamic provider receives: numbers (the wire has only doubles; the engine turns whole ones
back into ints), strings, lists, dicts, and the engine's ``UNKNOWN`` placeholder for a value not known at preview.
Secretness is kept aside, per top-level property, and put back on the outputs of the same names: a property
given as a secret stays one in the state and in every output.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.provider.experimental.property_value import Computed, PropertyValue, ResourceReference

from piwik_resources.providers._values import normalize
from piwik_resources.unknown import UNKNOWN


def plain(value: PropertyValue) -> Any:
    """The plain value of ``value`` (an unknown is ``UNKNOWN``; whole numbers are ints)."""
    inner = value.value
    if isinstance(inner, Computed):
        return UNKNOWN
    if isinstance(inner, ResourceReference):
        return plain(inner.resource_id) if inner.resource_id is not None else inner.urn
    if isinstance(inner, Mapping):
        return {k: plain(v) for k, v in inner.items()}
    if isinstance(inner, tuple | list):
        return [plain(v) for v in inner]
    return normalize(inner)


def plain_map(values: Mapping[str, PropertyValue]) -> tuple[dict[str, Any], frozenset[str]]:
    """The plain properties, and the names of those that are (or contain) a secret."""
    secret = frozenset(k for k, v in values.items() if v.contains_secret())
    return {k: plain(v) for k, v in values.items() if v.value is not None}, secret


#: An unknown value on the wire. ``PropertyValue.computed()`` cannot be marshalled by the SDK 3.260 ("Unsupported
#: value type"); the engine reads the unknown sentinel string as a computed value, as it always has.
COMPUTED = PropertyValue(UNKNOWN)


def wire(value: Any) -> PropertyValue:
    """The ``PropertyValue`` of a plain value (``UNKNOWN`` stays the engine's unknown)."""
    if value is None:
        return PropertyValue.null()
    if isinstance(value, bool | str):
        return PropertyValue(value)
    if isinstance(value, int | float):
        return PropertyValue(float(value))
    if isinstance(value, Mapping):
        return PropertyValue({str(k): wire(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return PropertyValue([wire(v) for v in value])
    raise TypeError(f"a provider output must be plain data, not {type(value).__name__}")


def wire_map(values: Mapping[str, Any], secret: frozenset[str] = frozenset()) -> dict[str, PropertyValue]:
    """The property map of plain outputs; the names in ``secret`` are marked secret."""
    return {k: wire(v).with_secret(k in secret) for k, v in values.items()}


async def output_value(output: Any) -> PropertyValue:
    """What a component's output resolves to: its value (computed while unknown), secretness and dependencies."""
    out = pulumi.Output.from_input(output)
    known, secret = await out.is_known(), await out.is_secret()
    urns = {await resource.urn.future() for resource in await out.resources()}
    value = wire(await out.future()) if known else COMPUTED
    return value.with_secret(secret).with_dependencies(u for u in urns if u)


__all__ = ["COMPUTED", "output_value", "plain", "plain_map", "wire", "wire_map"]
