"""What the typed resources share: turning an Args dataclass into the property bag of a dynamic resource."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any


def props_of(args: Any, outputs: Iterable[str]) -> dict[str, Any]:
    """A fresh property dict: every Args field (``None`` = unset) plus the output-only keys as ``None``.

    Output-only keys must be present for the SDK to create their ``Output`` attributes; ``None`` values are not
    sent to the engine. A new dict per call, because the SDK adds ``__provider`` to the dict it is given.
    """
    if not dataclasses.is_dataclass(args) or isinstance(args, type):
        raise TypeError(f"expected an Args dataclass instance, got {type(args).__name__}")
    props: dict[str, Any] = {f.name: getattr(args, f.name) for f in dataclasses.fields(args)}
    for key in outputs:
        props.setdefault(key, None)
    return props
