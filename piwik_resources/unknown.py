"""The engine's "not known yet" placeholder and its one detector, for every layer (providers, components, tools).

It lives at the package's top so that the providers (which must not import the components) and the compliance
model (which must not import Pulumi's gRPC runtime) share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

#: The engine's placeholder for a value not known during a preview (``pulumi.runtime.rpc.UNKNOWN``), spelled out
#: so that importing this module does not pull in the gRPC runtime.
UNKNOWN: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def contains_unknown(value: object) -> bool:
    """True when ``value`` is, or contains at any depth, a value not known yet.

    The SDK hands unknowns either as the sentinel string or, when it deserializes with keep_unknowns (pulumi 3.260
    does in check), as a ``pulumi.output.Unknown`` instance; a program sees a ``pulumi.Output`` still unresolved.
    """
    kind = type(value)
    if kind.__name__ == "Unknown" and kind.__module__ == "pulumi.output":
        return True
    if kind.__name__ == "Output" and kind.__module__.startswith("pulumi"):
        return True
    if isinstance(value, str):
        return value == UNKNOWN
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False


def is_known(value: object) -> bool:
    """A value that can be judged: present (not ``None``) and with nothing unknown in it."""
    return value is not None and not contains_unknown(value)
