"""The type tokens of this package's resources and components, for both ways they are made.

A Python program's resources are dynamic resources (``pulumi-python:dynamic/piwik:Site``) inside components of its
own process (``piwik:cnil:CnilExemptSite``); the provider plugin ``piwik`` (piwik_resources/plugin) makes the same
resources as ``piwik:index:Site`` and the same components as ``piwik:index:CnilExemptSite``. Everything that
recognises a resource by its type (the compliance rules, the policy pack, the PR preview, watch and evidence)
asks here, so that a stack made either way is read the same way. No Pulumi import: the compliance model uses it.
"""

from __future__ import annotations

#: The provider plugin's package name (``pulumi-resource-piwik``, the ``piwik:`` config namespace).
PACKAGE = "piwik"
#: Tokens of the dynamic resources (piwik_resources/resources): the SDK's prefix and the module ``piwik``.
DYNAMIC_TYPE_PREFIX = "pulumi-python:dynamic/piwik:"
#: Tokens of the plugin's resources and components (its schema's module ``index``).
PLUGIN_TYPE_PREFIX = f"{PACKAGE}:index:"
#: Every prefix of a Piwik PRO resource's type token.
RESOURCE_TYPE_PREFIXES = (DYNAMIC_TYPE_PREFIX, PLUGIN_TYPE_PREFIX)
#: The components of a Python program (``pulumi.ComponentResource`` in its own process).
PROGRAM_COMPONENT_PREFIX = f"{PACKAGE}:cnil:"


#: The components (piwik_resources/components), whose plugin tokens share the resources' prefix.
COMPONENT_NAMES = frozenset({"CnilExemptSite", "CnilAccount"})


def short_type(type_token: str) -> str:
    """``pulumi-python:dynamic/piwik:Site`` or ``piwik:index:Site`` -> ``Site``; other tokens unchanged."""
    for prefix in RESOURCE_TYPE_PREFIXES:
        if type_token.startswith(prefix):
            return type_token.removeprefix(prefix)
    return type_token


def is_piwik_resource(type_token: str) -> bool:
    """Whether ``type_token`` names one of this package's resources (a Piwik PRO object), made either way."""
    return type_token.startswith(RESOURCE_TYPE_PREFIXES) and short_type(type_token) not in COMPONENT_NAMES


def resource_types(name: str) -> frozenset[str]:
    """Both tokens of the resource ``name`` (``Site``): dynamic, and from the plugin."""
    return frozenset(prefix + name for prefix in RESOURCE_TYPE_PREFIXES)


def component_types(name: str) -> frozenset[str]:
    """Both tokens of the component ``name`` (``CnilExemptSite``): in a Python program, and from the plugin."""
    return frozenset({PROGRAM_COMPONENT_PREFIX + name, PLUGIN_TYPE_PREFIX + name})


__all__ = [
    "COMPONENT_NAMES",
    "DYNAMIC_TYPE_PREFIX",
    "PACKAGE",
    "PLUGIN_TYPE_PREFIX",
    "PROGRAM_COMPONENT_PREFIX",
    "RESOURCE_TYPE_PREFIXES",
    "component_types",
    "is_piwik_resource",
    "resource_types",
    "short_type",
]
