"""The provider ``piwik`` on the Pulumi provider protocol (``pulumi.provider.experimental``).

Every resource operation is the generic engine's (providers/engine.py, the same code the dynamic providers run)
on the resource's adapter; this class only translates the protocol: property values to plain values and back
(secretness kept per property), the configuration (the same ``piwik:*`` keys and ``PIWIK_*`` fallbacks as the
dynamic providers, providers/_connection.py), and ``construct`` for the two components. The engine's calls block
on HTTP, so each runs in a worker thread of the plugin's own pool: the engine's parallel operations stay parallel,
and they never wait for a thread of the default pool, whose threads the SDK holds while a component's children are
being registered (each registration waits for that child's create: a shared pool would deadlock).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckFailure,
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    ConstructRequest,
    ConstructResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    PropertyDiff,
    PropertyDiffKind,
    Provider,
    ReadRequest,
    ReadResponse,
    UpdateRequest,
    UpdateResponse,
)
from pydantic import TypeAdapter, ValidationError

from piwik_resources.components.cnil_exempt_site import CnilExemptionError
from piwik_resources.providers import _connection
from piwik_resources.providers.engine import Engine, ProviderError
from piwik_resources.tokens import PLUGIN_TYPE_PREFIX
from piwik_resources.unknown import contains_unknown

from .registry import COMPONENTS, adapter
from .schema import schema_text
from .values import output_value, plain_map, wire_map

T = TypeVar("T")

#: Threads for the engine's blocking calls (as many as the engine's default parallelism could ask at once).
_WORKERS = ThreadPoolExecutor(max_workers=16, thread_name_prefix="piwik-engine")

#: The Site's internal input from which a new app's UUID is derived (providers/site.py): the Python Site class
#: sets it to ``<project>/<stack>/<resource name>``; here it comes from the resource's URN, the same three parts.
CREATION_KEY = "creation_key"


def creation_key(urn: str) -> str:
    """``urn:pulumi:<stack>::<project>::<type>::<name>`` -> ``<project>/<stack>/<name>``."""
    parts = urn.split("::")
    stack = parts[0].rsplit(":", 1)[-1]
    return f"{parts[1]}/{stack}/{parts[-1]}"


def _type_of(urn: str) -> str:
    token = urn.split("::")[-2].rsplit("$", 1)[-1]
    if not token.startswith(PLUGIN_TYPE_PREFIX):
        raise ProviderError(f"{token}: not a type of the provider piwik")
    return token.removeprefix(PLUGIN_TYPE_PREFIX)


def _property_diffs(changed: list[str], replaces: list[str], olds: Mapping[str, Any], news: Mapping[str, Any]) -> Any:
    kinds = {
        (True, False): (PropertyDiffKind.ADD, PropertyDiffKind.ADD_REPLACE),
        (False, True): (PropertyDiffKind.DELETE, PropertyDiffKind.DELETE_REPLACE),
    }
    out: dict[str, PropertyDiff] = {}
    for key in changed:
        plain, replace = kinds.get(
            (olds.get(key) is None, news.get(key) is None), (PropertyDiffKind.UPDATE, PropertyDiffKind.UPDATE_REPLACE)
        )
        out[key] = PropertyDiff(replace if key in replaces else plain, input_diff=True)
    return out


class PiwikPlugin(Provider):
    """The provider plugin: one instance per provider the engine configures (the default one, or explicit)."""

    def __init__(self) -> None:
        self._config: dict[str, Any] | None = None

    def _engine(self, urn: str) -> Engine:
        return Engine(adapter(_type_of(urn)), self._config)

    async def _call(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(_WORKERS, fn)

    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        return GetSchemaResponse(schema=schema_text())

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        # The engine hands the provider's configuration (stack config ``piwik:<key>`` or an explicit provider's
        # inputs) both as arguments named as in the schema and as ``piwik:config:<key>`` variables; what is unset
        # falls back to the environment when a connection is first needed (providers/_connection.py).
        args, _ = plain_map(request.args)
        self._config = {}
        for key in _connection.CONFIG_KEYS:
            package, name = key.split(":", 1)
            value = args.get(name, request.variables.get(f"{package}:config:{name}", request.variables.get(key)))
            self._config[key] = value
        return ConfigureResponse(accept_secrets=True, supports_preview=False, accept_resources=True)

    async def check(self, request: CheckRequest) -> CheckResponse:
        engine = self._engine(request.urn)
        olds, _ = plain_map(request.old_inputs)
        news, secret = plain_map(request.new_inputs)
        if CREATION_KEY in engine.adapter.inputs_model.model_fields:
            news[CREATION_KEY] = news.get(CREATION_KEY) or olds.get(CREATION_KEY) or creation_key(request.urn)
        checked = engine.check(olds, news)
        failures = [CheckFailure(f.property, f.reason) for f in checked.failures]
        return CheckResponse(inputs=wire_map(checked.inputs, secret), failures=failures)

    async def diff(self, request: DiffRequest) -> DiffResponse:
        olds, _ = plain_map(request.old_state)
        news, _ = plain_map(request.new_inputs)
        found = self._engine(request.urn).diff(request.resource_id, olds, news)
        return DiffResponse(
            changes=bool(found.changed),
            replaces=found.replaces,
            delete_before_replace=bool(found.delete_before_replace),
            diffs=found.changed,
            detailed_diff=_property_diffs(found.changed, found.replaces, olds, news),
        )

    async def create(self, request: CreateRequest) -> CreateResponse:
        props, secret = plain_map(request.properties)
        id_, outs = await self._call(lambda: self._engine(request.urn).create(props))
        return CreateResponse(resource_id=id_, properties=wire_map(outs, secret))

    async def read(self, request: ReadRequest) -> ReadResponse:
        engine = self._engine(request.urn)
        state, secret = plain_map(request.properties)
        found = await self._call(lambda: engine.read(request.resource_id, state))
        if found is None:
            return ReadResponse(resource_id="")
        outs, inputs = dict(found.outputs), dict(found.inputs)
        if CREATION_KEY in engine.adapter.inputs_model.model_fields and CREATION_KEY not in outs:
            outs[CREATION_KEY] = inputs[CREATION_KEY] = creation_key(request.urn)  # an import: see check
        return ReadResponse(resource_id=found.id, properties=wire_map(outs, secret), inputs=wire_map(inputs, secret))

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        olds, _ = plain_map(request.olds)
        news, secret = plain_map(request.news)
        outs = await self._call(lambda: self._engine(request.urn).update(request.resource_id, olds, news))
        return UpdateResponse(properties=wire_map(outs, secret))

    async def delete(self, request: DeleteRequest) -> None:
        state, _ = plain_map(request.properties)
        await self._call(lambda: self._engine(request.urn).delete(request.resource_id, state))

    async def construct(self, request: ConstructRequest) -> ConstructResponse:
        name = request.resource_type.removeprefix(PLUGIN_TYPE_PREFIX)
        component = COMPONENTS.get(name)
        if component is None or not request.resource_type.startswith(PLUGIN_TYPE_PREFIX):
            known = ", ".join(COMPONENTS)
            raise ProviderError(f"{request.resource_type}: not a component of the provider piwik ({known})")
        args = _component_args(name, request.name, component.args, request.inputs)
        try:
            instance = component.cls(request.name, args, request.options)
        except CnilExemptionError as err:
            raise ProviderError(str(err)) from None  # refused before any resource is declared
        state = {key: await output_value(getattr(instance, key)) for key in component.outputs}
        urn = await instance.urn.future()
        return ConstructResponse(urn, state, {key: set(value.dependencies) for key, value in state.items()})


def _component_args(name: str, resource: str, args_type: type, inputs: Mapping[str, PropertyValue]) -> Any:
    """The component's arguments, validated as a Python program's stack config is (components/stack_config.py)."""
    values, _ = plain_map(inputs)
    unknown = sorted(k for k, v in values.items() if contains_unknown(v))
    if unknown:
        raise ProviderError(
            f"{name} {resource!r}: {', '.join(unknown)} must be known when the component is made (the exemption is "
            "judged on them before anything is declared); pass plain values, not another resource's outputs"
        )
    try:
        return TypeAdapter(args_type).validate_python(values)
    except ValidationError as err:
        problems = "\n".join(
            f"  - {'.'.join(str(p) for p in e['loc'])}: {e['msg']} (got {e.get('input')!r})" for e in err.errors()
        )
        raise ProviderError(f"{name} {resource!r}: the inputs are not valid:\n{problems}") from None


__all__ = ["PiwikPlugin", "creation_key"]
