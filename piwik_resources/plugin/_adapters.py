"""Every resource adapter the plugin serves, by type name (``Site``): those piwik_resources.providers exports."""

from __future__ import annotations

import functools
from typing import Any

import piwik_resources.providers as providers
from piwik_resources.providers.engine import Adapter, PiwikProvider, ProviderError


@functools.cache
def adapters() -> dict[str, Adapter[Any]]:
    """Resource type -> its adapter (the same objects the dynamic providers use)."""
    found: dict[str, Adapter[Any]] = {}
    for name in providers.__all__:
        cls = getattr(providers, name)
        if isinstance(cls, type) and issubclass(cls, PiwikProvider) and "adapter" in vars(cls):
            found[cls.adapter.resource_type] = cls.adapter
    return found


def adapter(resource_type: str) -> Adapter[Any]:
    """The adapter of ``resource_type``; a type the plugin does not serve is a clear error."""
    found = adapters().get(resource_type)
    if found is None:
        raise ProviderError(f"piwik:index:{resource_type} is not a resource of this provider ({', '.join(adapters())})")
    return found


__all__ = ["adapter", "adapters"]
