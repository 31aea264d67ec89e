"""Value helpers shared by the engine and the adapters: unknowns, numbers sent as floats, and comparisons."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from piwik_resources.unknown import UNKNOWN, contains_unknown

#: Key the Pulumi SDK adds to every dynamic resource's inputs and outputs; never a real property.
PROVIDER_KEY = "__provider"


def normalize(value: object) -> object:
    """Turn the floats the wire protocol makes of integers back into ints, at any depth.

    Every number crosses the gRPC boundary as a protobuf double, so ``30`` arrives as ``30.0``. A float with a
    fractional part is kept as is (validation then refuses it where an integer is required).
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalize(v) for v in value]
    return value


def user_props(props: Mapping[str, object]) -> dict[str, Any]:
    """The real properties of a property bag: ``__provider`` dropped, ``None`` dropped, numbers normalised."""
    return {k: normalize(v) for k, v in props.items() if k != PROVIDER_KEY and v is not None}


def same(a: object, b: object) -> bool:
    """Equality after number normalisation (``1 == 1.0``) but with bools kept apart from ints."""
    a, b = normalize(a), normalize(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


def pick(source: Mapping[str, object], keys: Iterable[str]) -> dict[str, Any]:
    """The entries of ``source`` whose key is in ``keys`` and whose value is not ``None``."""
    return {k: source[k] for k in keys if source.get(k) is not None}


def short_repr(value: object, limit: int = 80) -> str:
    """``repr`` cut to ``limit`` characters, for error messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = ["PROVIDER_KEY", "UNKNOWN", "contains_unknown", "normalize", "pick", "same", "short_repr", "user_props"]
