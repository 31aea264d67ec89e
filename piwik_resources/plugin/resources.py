"""The plugin's own custom resources (``piwik:index:<Type>``), which its components make their children of.

One class per adapter, made from the declarations: it takes the same generated ``…Args`` as the dynamic resource
of the same name, and its output attributes are the model's properties and ``outputs``. The plugin itself serves
them (the engine sends their check/create/… back to the provider ``piwik``), so nothing is pickled into the state.
"""

from __future__ import annotations

from typing import Any

import pulumi

from piwik_resources.providers import _fields
from piwik_resources.resources._base import props_of
from piwik_resources.resources.kinds import DYNAMIC, ResourceKinds
from piwik_resources.tokens import PLUGIN_TYPE_PREFIX

from . import _adapters


def resource_class(resource_type: str) -> type[pulumi.CustomResource]:
    """The ``pulumi.CustomResource`` class of ``piwik:index:<resource_type>``."""
    model = _adapters.adapter(resource_type).inputs_model
    output_only = tuple(_fields.outputs_of(model))
    token = PLUGIN_TYPE_PREFIX + resource_type

    def __init__(self: pulumi.CustomResource, resource_name: str, args: Any = None, opts: Any = None) -> None:
        props = props_of(args, output_only) if args is not None else dict.fromkeys(output_only)
        pulumi.CustomResource.__init__(self, token, resource_name, props, opts)

    doc = f"The provider plugin's {token} (same inputs as piwik_resources.resources.{resource_type})."
    return type(resource_type, (pulumi.CustomResource,), {"__init__": __init__, "__doc__": doc})


#: The components' children when the plugin constructs them.
PLUGIN = ResourceKinds(**{name: resource_class(name) for name in vars(DYNAMIC)})

__all__ = ["PLUGIN", "resource_class"]
