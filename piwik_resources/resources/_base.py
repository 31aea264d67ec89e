"""What the typed resources share: the property bag of a dynamic resource, and their base class."""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Callable, Iterable
from typing import Any

import pulumi
import pulumi.dynamic


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


def _original_batch_setitems() -> Callable[..., Any]:
    """pickle's own ``_Pickler._batch_setitems``, under whatever wrappers the Pulumi SDK has left around it.

    ``pulumi.dynamic.serialize_provider`` (SDK 3.260, run for every dynamic resource) wraps
    ``pickle._Pickler._batch_setitems`` in a sorting closure over the current one and never puts it back, so each
    resource adds one wrapper: after about 970 dynamic resources in one program (100 CnilExemptSite) pickling a
    provider exceeds Python's recursion limit (docs/bench.md: the 100-site run). Each wrapper holds the one below
    it in its closure; the function defined in pickle's own source is the end of the chain.
    """
    found: Any = pickle._Pickler._batch_setitems  # type: ignore[attr-defined]
    while getattr(found, "__module__", None) != "pickle":
        cells = [c.cell_contents for c in found.__closure__ or () if callable(c.cell_contents)]
        if not cells:
            break
        found = cells[0]
    return found  # type: ignore[no-any-return]


class DynamicResource(pulumi.dynamic.Resource):
    """Base of the dynamic resources: undoes the SDK's growing pickler wrappers before it serializes a provider."""

    def __init__(
        self,
        provider: pulumi.dynamic.ResourceProvider,
        name: str,
        props: dict[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        pickle._Pickler._batch_setitems = _original_batch_setitems()  # type: ignore[attr-defined]
        super().__init__(provider, name, props, opts)
