"""Shared logic of the settings-like resources (SitePrivacy, TrackerSettings, GlobalTrackerSettings).

These resources do not create an object: they take over some fields of an object that already exists (an app,
its tracker settings, the account's global tracker settings). So creation is adoption by nature: it reads
the object and records the values it found for the fields it is given (``previous``). Only the fields set in
the program are managed; the others are never written nor reported.

What is written: a per-app adapter (one with a ``parent_key``) *pins* every managed value: it writes each one
as the app's own, even when the live value already equals it, because a per-app value equal to the account's
may only be inherited from it (the tracker settings API answers an app's GET with the global values overlaid
with its overrides, and tells neither apart) and would then follow any later change of the account. Which
properties were so written is the output ``pinned``; a managed property missing from it (a state written
before pinning existed) is a change for ``diff`` (:meth:`SettingsAdapter.stale`), so the next ``up`` pins it
once and a second ``up`` sends nothing. The account singleton has nothing to inherit from: it writes only what
differs.

On delete (and when a field is removed from the program) a subclass either writes back the values it found
(``restore_on_delete``) or resets the fields its own way (per-app tracker settings fall back to the global
values).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, ClassVar, TypeVar

from piwik_resources.api import NotFoundError

from ._fields import Out, api_names
from ._validation import InputsModel
from ._values import same
from .engine import Adapter, Context, ProviderError

In = TypeVar("In", bound=InputsModel)

PREVIOUS = "previous"
PINNED = "pinned"
#: The output of every per-app settings resource that says which managed properties are the app's own values.
PINNED_OUTPUT = Out(
    list[str],
    "The managed properties written as the app's own values (pinned), even where they equal the account's.",
)


class SettingsAdapter(Adapter[In]):
    """Subclasses set ``inputs_model`` and implement fetch/write/reset; the managed fields are its declarations."""

    #: Pulumi property -> attribute name as the client takes it: every property declared with ``prop(api=...)``.
    fields: ClassVar[dict[str, str]]
    #: Input naming the owning object (its value is the resource id), or None for an account singleton.
    parent_key: ClassVar[str | None] = "site_id"
    #: Id of a singleton (parent_key None).
    singleton_id: ClassVar[str] = "global"
    #: Delete (and un-managing a field) writes back the value found at create; otherwise :meth:`reset`.
    restore_on_delete: ClassVar[bool] = True
    #: What the parent is called in messages ("app").
    parent_noun: ClassVar[str] = "app"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "inputs_model" in cls.__dict__:
            cls.fields = api_names(cls.inputs_model)

    # --- to implement ------------------------------------------------------------------------------------

    def fetch(self, ctx: Context, parent: str) -> Mapping[str, Any]:
        """Current values by API attribute; raise NotFoundError when the parent does not exist."""
        raise NotImplementedError

    def write(self, ctx: Context, parent: str, changes: dict[str, Any]) -> None:
        """Write the given API attributes (a partial update)."""
        raise NotImplementedError

    def reset(self, ctx: Context, parent: str, attributes: list[str]) -> None:
        """Give up the given API attributes without restoring (only when ``restore_on_delete`` is False)."""
        raise NotImplementedError

    # --- the engine's operations ---------------------------------------------------------------------------

    @property
    def pins(self) -> bool:
        """Whether every managed value is written as the object's own (per app; see the module docstring)."""
        return self.parent_key is not None

    def stale(self, state: Mapping[str, Any]) -> list[str]:
        """The managed properties the state does not record as pinned: ``diff`` counts them as changed."""
        if not self.pins:
            return []
        pinned = set(state.get(PINNED) or [])
        return [p for p in self.fields if p in state and p not in pinned]

    def import_state(self, id_: str) -> dict[str, Any]:
        """Imported by the id of its parent (the app): nothing is managed until the program sets a field."""
        return {self.parent_key: id_} if self.parent_key else {}

    def _parent(self, source: Mapping[str, Any] | InputsModel) -> str:
        if self.parent_key is None:
            return self.singleton_id
        key = self.parent_key
        value = source.get(key) if isinstance(source, Mapping) else getattr(source, key)
        if not value:
            raise ProviderError(f"{self.resource_type}: {self.parent_key} is not set")
        return str(value)

    def _desired(self, inputs: InputsModel) -> dict[str, Any]:
        """Managed properties and their desired values."""
        return {p: getattr(inputs, p) for p in self.fields if getattr(inputs, p) is not None}

    def _outputs(
        self,
        parent: str,
        live: Mapping[str, object],
        managed: list[str],
        previous: Mapping[str, object],
        pinned: Collection[str],
    ) -> dict[str, Any]:
        outs: dict[str, Any] = {p: live.get(self.fields[p]) for p in managed}
        if self.parent_key is not None:
            outs[self.parent_key] = parent
        if self.restore_on_delete:
            outs[PREVIOUS] = {p: previous[p] for p in managed if p in previous}
        if self.pins:
            outs[PINNED] = [p for p in managed if p in pinned]
        return outs

    def _to_write(
        self, desired: Mapping[str, object], live: Mapping[str, object], pinned: Collection[str]
    ) -> dict[str, Any]:
        """API attribute -> value of each desired property that differs from the live value or is not pinned yet."""
        return {
            self.fields[p]: v
            for p, v in desired.items()
            if (self.pins and p not in pinned) or not same(v, live.get(self.fields[p]))
        }

    def _fetch_for(self, ctx: Context, parent: str, op: str) -> Mapping[str, Any]:
        try:
            return self.fetch(ctx, parent)
        except NotFoundError as exc:
            noun = f"{self.parent_noun} {parent}" if self.parent_key else self.singleton_id
            raise ProviderError(f"{self.resource_type}: {op} failed: {noun} does not exist ({exc})") from None

    def create(self, ctx: Context, inputs: In) -> tuple[str, dict[str, Any]]:
        parent = self._parent(inputs)
        desired = self._desired(inputs)
        live = self._fetch_for(ctx, parent, "create")
        previous = {p: live.get(self.fields[p]) for p in desired}
        changes = self._to_write(desired, live, ())
        if changes:
            self.write(ctx, parent, changes)
            live = self._fetch_for(ctx, parent, "create")  # read back: what the app holds now
        return parent, self._outputs(parent, live, list(desired), previous, desired)

    def read(self, ctx: Context, id_: str, state: dict[str, Any]) -> dict[str, Any] | None:
        parent = self._parent(state) if self.parent_key else id_
        try:
            live = self.fetch(ctx, parent)
        except NotFoundError:
            return None
        managed = [p for p in self.fields if p in state]
        return self._outputs(parent, live, managed, state.get(PREVIOUS) or {}, state.get(PINNED) or ())

    def update(self, ctx: Context, id_: str, state: dict[str, Any], inputs: In) -> dict[str, Any]:
        parent = self._parent(inputs)
        desired = self._desired(inputs)
        previous: dict[str, Any] = dict(state.get(PREVIOUS) or {})
        live = self._fetch_for(ctx, parent, "update")
        for p in desired:
            if p not in state:  # newly managed: remember what was there
                previous[p] = live.get(self.fields[p])
        changes = self._to_write(desired, live, state.get(PINNED) or ())
        dropped = [p for p in self.fields if p in state and p not in desired]
        self._give_up(ctx, parent, dropped, previous, live, changes)
        if changes:
            self.write(ctx, parent, changes)
        if changes or dropped:
            live = self._fetch_for(ctx, parent, "update")
        return self._outputs(parent, live, list(desired), previous, desired)

    def _give_up(
        self,
        ctx: Context,
        parent: str,
        props: list[str],
        previous: Mapping[str, object],
        live: Mapping[str, object],
        changes: dict[str, Any],
    ) -> None:
        """Stop managing ``props``: queue the restoration into ``changes`` or reset them at once."""
        if not props:
            return
        if self.restore_on_delete:
            for p in props:
                old = previous.get(p)
                if old is not None and not same(old, live.get(self.fields[p])):
                    changes[self.fields[p]] = old
        else:
            self.reset(ctx, parent, [self.fields[p] for p in props])

    def delete(self, ctx: Context, id_: str, state: dict[str, Any]) -> None:
        parent = self._parent(state) if self.parent_key else id_
        managed = [p for p in self.fields if p in state]
        try:
            if self.restore_on_delete:
                live = self.fetch(ctx, parent)
                changes: dict[str, Any] = {}
                self._give_up(ctx, parent, managed, state.get(PREVIOUS) or {}, live, changes)
                self.restore(ctx, parent, changes, state)
            else:
                self.reset(ctx, parent, [self.fields[p] for p in managed])
        except NotFoundError:
            pass  # the parent is gone, and its settings with it

    def restore(self, ctx: Context, parent: str, changes: dict[str, Any], state: Mapping[str, object]) -> None:
        """Write back, on delete, the values found at create that differ now (``changes``, by API attribute)."""
        if changes:
            self.write(ctx, parent, changes)
