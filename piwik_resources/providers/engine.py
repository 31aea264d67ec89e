"""The generic dynamic-provider engine: check, diff, CRUD, adoption hooks, connection and error wording.

Each resource contributes only an :class:`Adapter` (its inputs model, whose ``prop`` declarations give the
replace-on-change and computed properties and the mapping to the API, see _fields.py);
:class:`Engine` applies the rules below to it, and :class:`PiwikProvider` (a dynamic ``ResourceProvider``) and the
provider plugin (piwik_resources/plugin) both call the engine. Rules the engine enforces for every resource:

* ``check`` validates with the adapter's pydantic model; failures name the Pulumi property, the value and
  what is allowed; preview-time unknown values are not judged; integers that arrived as floats are restored.
* ``diff`` compares only the model's properties (never ``__provider``), reports ``changes=True`` whenever
  ``replaces`` is not empty, treats an unknown value as a change, and adds what the adapter calls ``stale``
  (a state that predates what the adapter now records).
* A property left unset (``None``) is not managed: it is not sent, not reported as drift, and absent from
  the outputs. Removing a property from the program is a change (the adapter stops managing it). The
  exception is an adapter's ``computed_keys``: unset means "keep what is there" and the output shows it.
* ``read`` returns ``ReadResult("", {})`` when the adapter says the object is gone, otherwise the live
  outputs *and* the inputs derived from them, so a refresh leaves no false diff.
* ``update`` returns the full outputs; an output the inputs model does not declare is a bug, refused.
* Errors are :class:`ProviderError` with the operation, the API method/path/status/detail, and never a secret.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from piwik_resources.api import PiwikClient, PiwikError

from . import _connection, _fields
from ._connection import (
    Connection,
    ConnectionNotConfigured,
)
from ._validation import Failure, InputsModel, validate
from ._values import PROVIDER_KEY, contains_unknown, normalize, same, user_props

In = TypeVar("In", bound=InputsModel)
T = TypeVar("T")


class ProviderError(Exception):
    """An error a provider method reports to the user (shown by Pulumi as the resource's failure).

    Its message is complete on its own, so the provider plugin (tools/pulumi-cli/launchers) shows just the message
    instead of the Python traceback the SDK adds to every provider error; a bug still gets its traceback.
    """

    plain_message = True


class Context:
    """What one provider call hands its adapter: the shared API client, built on first use."""

    def __init__(self, resolve: Callable[[], Connection]) -> None:
        self._resolve = resolve
        self._client: PiwikClient | None = None

    @property
    def client(self) -> PiwikClient:
        if self._client is None:
            self._client = _connection.client_for(self._resolve())
        return self._client


class Adapter(Generic[In]):
    """The domain mapping of one resource. Subclasses set the class attributes and the four operations.

    ``state`` (in read/update/delete) is the resource's previous outputs with numbers normalised; operations
    return the full outputs (input properties that are managed, plus output-only properties). Returning
    ``None`` from :meth:`read` means the object is gone.
    """

    #: Pulumi type name, as in the tokens ``pulumi-python:dynamic/piwik:<resource_type>`` and ``piwik:index:<…>``.
    resource_type: ClassVar[str] = "Resource"
    #: Pydantic model of the inputs (its field names are the Pulumi property names).
    inputs_model: ClassVar[type[InputsModel]] = InputsModel
    #: Properties whose change replaces the resource instead of updating it (derived: ``prop(replace=True)``).
    replace_on_change: ClassVar[frozenset[str]] = frozenset()
    #: Optional properties the API or the provider fills in when they are unset (a default, an id looked
    #: up): unset means "whatever is there", so only a set, different value counts as a change, and their
    #: outputs always carry the live value (derived: ``prop(computed=True)``).
    computed_keys: ClassVar[frozenset[str]] = frozenset()
    #: Delete the old object before creating its replacement (for objects with a unique natural key).
    delete_before_replace: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        model = cls.__dict__.get("inputs_model")
        if model is None:
            return
        # The declarations say which properties replace and which are computed; a subclass that sets the sets
        # itself (a test double over plain pydantic fields) keeps its own.
        if "replace_on_change" not in cls.__dict__:
            cls.replace_on_change = _fields.replace_keys(model)
        if "computed_keys" not in cls.__dict__:
            cls.computed_keys = _fields.computed_keys(model)

    def input_keys(self) -> tuple[str, ...]:
        return tuple(self.inputs_model.model_fields)

    def computed_matches(self, key: str, new: object, old: object, id_: str) -> bool:
        """Whether the set computed property ``new`` agrees with the state ``old`` (``id_``: object id)."""
        return same(new, old)

    def stale(self, state: Mapping[str, object]) -> list[str]:
        """Properties that need an update although the program asks what the state holds (``diff`` adds them)."""
        return []

    def refuse_replacement(
        self, old_inputs: Mapping[str, object], new_inputs: Mapping[str, object], forcing: str
    ) -> str | None:
        """Why the replacement that ``forcing`` (a replace-on-change property) asks for must not happen, or None.

        Called by ``check`` (so at preview, before any request) for the first property that forces a replacement.
        """
        return None

    def import_state(self, id_: str) -> dict[str, Any]:
        """The state :meth:`read` needs to find an existing object from its id alone (`pulumi import`).

        Raise :class:`ProviderError` when the id is not enough, saying how to take the object under management.
        """
        return {}

    def create(self, ctx: Context, inputs: In) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError

    def read(self, ctx: Context, id_: str, state: dict[str, Any]) -> dict[str, Any] | None:
        raise NotImplementedError

    def update(self, ctx: Context, id_: str, state: dict[str, Any], inputs: In) -> dict[str, Any]:
        raise NotImplementedError

    def delete(self, ctx: Context, id_: str, state: dict[str, Any]) -> None:
        raise NotImplementedError


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


@dataclass(frozen=True)
class Checked:
    """What ``check`` decided: the inputs to record (defaults and kept computed values filled in) and the refusals."""

    inputs: dict[str, Any]
    failures: list[Failure]


@dataclass(frozen=True)
class Diffed:
    """What ``diff`` found: the changed properties, those that force a replacement, and the replacement's order."""

    changed: list[str]
    replaces: list[str]
    delete_before_replace: bool | None


@dataclass(frozen=True)
class Found:
    """What ``read`` found of a live object: its id, its outputs and the inputs derived from them."""

    id: str
    outputs: dict[str, Any]
    inputs: dict[str, Any]


class Engine:
    """The rules of every operation for one adapter and one provider configuration (the module docstring).

    Both ways of running a resource call it: the dynamic :class:`PiwikProvider` (in the program's Python process)
    and the provider plugin ``piwik`` (piwik_resources/plugin), so that check, diff, CRUD, the clean outputs and
    the error wording exist once. Property bags may carry ``__provider`` (dynamic) or not (plugin).
    """

    def __init__(self, adapter: Adapter[Any], config: Mapping[str, Any] | None) -> None:
        self.adapter = adapter
        self.config = config

    def connection(self) -> Connection:
        return _connection.resolve_connection(self.config)

    def secrets(self) -> list[str]:
        return _connection.configured_secrets(self.config)

    def run(self, op: str, id_: str | None, fn: Callable[[Context], T]) -> T:
        """Run an adapter operation; turn client and configuration errors into a clear ProviderError."""
        ctx = Context(self.connection)
        try:
            return fn(ctx)
        except ProviderError as exc:
            raise ProviderError(_scrub(str(exc), self.secrets())) from None
        except (PiwikError, ConnectionNotConfigured) as exc:
            where = f" {id_}" if id_ else ""
            message = f"{self.adapter.resource_type}{where}: {op} failed: {exc}"
            raise ProviderError(_scrub(message, self.secrets())) from None

    def check(self, olds: Mapping[str, object], news: Mapping[str, object]) -> Checked:
        """``olds`` are the previous inputs (empty for a new resource), ``news`` the program's."""
        props = user_props(news)
        # Fill the model's non-None defaults so that state and later diffs see the effective value.
        for name, info in self.adapter.inputs_model.model_fields.items():
            if name not in props and not info.is_required() and info.default is not None:
                props[name] = info.get_default(call_default_factory=True)
        # An unset computed property keeps the value it had in the previous inputs (after a refresh, the value
        # read from the API): so old and new inputs agree and `preview --diff` shows no phantom removal. Not when
        # the resource is about to be replaced, for the computed properties that identify the object (an adopted
        # id, a tag id, a slot): the replacement must find or make its own.
        old_inputs = user_props(olds)
        forcing = (
            [k for k in self.changed_properties("", old_inputs, props) if k in self.adapter.replace_on_change]
            if old_inputs
            else []
        )
        replacing = bool(forcing)
        for key in sorted(self.adapter.computed_keys):  # a set: sorted, so each run visits the keys alike
            if replacing and key in self.adapter.replace_on_change:
                continue
            if props.get(key) is None and old_inputs.get(key) is not None:
                props[key] = old_inputs[key]
        failures = validate(self.adapter.inputs_model, props)
        refusal = self.adapter.refuse_replacement(old_inputs, props, forcing[0]) if forcing and not failures else None
        if refusal is not None:
            failures.append(Failure(forcing[0], refusal))
        return Checked(props, failures)

    def diff(self, id_: str, olds: Mapping[str, object], news: Mapping[str, object]) -> Diffed:
        """``olds`` are the previous outputs (the state), ``news`` the checked inputs."""
        changed = self.changed_properties(id_, olds, news)
        # A property the state holds as asked but the adapter still has to write (a value not pinned yet).
        changed += [k for k in self.adapter.stale(user_props(olds)) if k not in changed]
        replaces = [k for k in changed if k in self.adapter.replace_on_change]
        return Diffed(changed, replaces, self.adapter.delete_before_replace if replaces else None)

    def changed_properties(self, id_: str, olds: Mapping[str, object], news: Mapping[str, object]) -> list[str]:
        """The input properties whose desired value (``news``) differs from the state (``olds``)."""
        changed: list[str] = []
        for key in self.adapter.input_keys():
            new, old = news.get(key), olds.get(key)
            if contains_unknown(new):
                changed.append(key)
            elif key in self.adapter.computed_keys:
                if new is not None and not self.adapter.computed_matches(key, new, old, id_):
                    changed.append(key)
            elif not same(new, old):
                changed.append(key)
        return changed

    def _inputs(self, props: Mapping[str, object]) -> InputsModel:
        return self.adapter.inputs_model.model_validate(user_props(props))

    def create(self, props: Mapping[str, object]) -> tuple[str, dict[str, Any]]:
        inputs = self._inputs(props)
        id_, outs = self.run("create", None, lambda ctx: self.adapter.create(ctx, inputs))
        return id_, self.clean(outs)

    def read(self, id_: str, props: Mapping[str, object]) -> Found | None:
        """The live object (None when it is gone); ``props`` are the state's outputs (empty for an import)."""
        state = user_props(props) or self.adapter.import_state(id_)
        outs = self.run("read", id_, lambda ctx: self.adapter.read(ctx, id_, state))
        if outs is None:
            return None
        outs = self.clean(outs)
        return Found(id_, outs, {k: outs[k] for k in self.adapter.input_keys() if k in outs})

    def update(self, id_: str, olds: Mapping[str, object], news: Mapping[str, object]) -> dict[str, Any]:
        state = user_props(olds)
        inputs = self._inputs(news)
        return self.clean(self.run("update", id_, lambda ctx: self.adapter.update(ctx, id_, state, inputs)))

    def delete(self, id_: str, props: Mapping[str, object]) -> None:
        state = user_props(props)
        self.run("delete", id_, lambda ctx: self.adapter.delete(ctx, id_, state))

    def clean(self, outs: Mapping[str, object]) -> dict[str, Any]:
        if PROVIDER_KEY in outs:
            raise ProviderError(f"adapter returned the reserved key {PROVIDER_KEY}")
        undeclared = sorted(set(outs) - _fields.declared_keys(self.adapter.inputs_model))
        if undeclared:  # the typed Outputs and the docs are generated from the declarations: they would miss it
            raise ProviderError(f"{self.adapter.resource_type}: undeclared output(s) {', '.join(undeclared)}")
        return {k: normalize(v) for k, v in outs.items() if v is not None}


class PiwikProvider(ResourceProvider):
    """The dynamic provider of one resource: a subclass sets ``adapter``; every operation is the :class:`Engine`'s.

    Pickled by reference (module + class name) into every resource's state; its instance dict is empty in the
    program and only ``configure()`` (which runs in the provider process, after unpickling) fills it. The
    ``__getstate__`` below keeps it that way even if someone configures an instance before pickling it.
    """

    # Nothing secret is ever pickled (see __getstate__ and tests/providers/test_pickling.py), so the
    # serialized provider need not be encrypted in state.
    serialize_as_secret_always = False

    adapter: ClassVar[Adapter[Any]]

    def __init__(self) -> None:
        super().__init__()
        self._config: dict[str, Any] | None = None

    # --- pickling and configuration -------------------------------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: Mapping[str, object]) -> None:
        self._config = None

    def configure(self, req: ConfigureRequest) -> None:
        cfg = req.config
        self._config = {key: cfg.get(key) for key in _connection.CONFIG_KEYS}

    def _engine(self) -> Engine:
        return Engine(self.adapter, getattr(self, "_config", None))

    def _connection(self) -> Connection:
        return self._engine().connection()

    def _secrets(self) -> list[str]:
        return self._engine().secrets()

    # --- engine methods -------------------------------------------------------------------------------------

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        checked = self._engine().check(olds, news)
        return CheckResult(checked.inputs, [CheckFailure(f.property, f.reason) for f in checked.failures])

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """``olds`` are the previous outputs (the state), ``news`` the checked inputs."""
        found = self._engine().diff(id_, olds, news)
        return DiffResult(
            changes=bool(found.changed), replaces=found.replaces, delete_before_replace=found.delete_before_replace
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        id_, outs = self._engine().create(props)
        return CreateResult(id_, outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        found = self._engine().read(id_, props)
        if found is None:
            return ReadResult("", {})
        return ReadResult(found.id, found.outputs, inputs=found.inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(self._engine().update(id_, olds, news))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self._engine().delete(id_, props)
